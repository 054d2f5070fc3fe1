/* The bare RAS names of ras.h: the W forms when UNICODE is defined, the A forms otherwise, as
 * in the Windows SDK. Part of ras.h: include <ras.h>, which includes this after the A and W
 * declarations. */
#ifndef OPENRAS_RAS_NAMES_H
#define OPENRAS_RAS_NAMES_H

#ifdef UNICODE
#define RasDial RasDialW
#define RasHangUp RasHangUpW
#define RasGetConnectStatus RasGetConnectStatusW
#define RasEnumConnections RasEnumConnectionsW
#define RasGetErrorString RasGetErrorStringW
#define RasGetProjectionInfo RasGetProjectionInfoW
#define RasConnectionNotification RasConnectionNotificationW
#define RasGetSubEntryHandle RasGetSubEntryHandleW
#define RasEnumEntries RasEnumEntriesW
#define RasGetEntryProperties RasGetEntryPropertiesW
#define RasSetEntryProperties RasSetEntryPropertiesW
#define RasValidateEntryName RasValidateEntryNameW
#define RasDeleteEntry RasDeleteEntryW
#define RasRenameEntry RasRenameEntryW
#define RasGetEntryDialParams RasGetEntryDialParamsW
#define RasSetEntryDialParams RasSetEntryDialParamsW
#define RasGetCredentials RasGetCredentialsW
#define RasSetCredentials RasSetCredentialsW
#define RasEnumDevices RasEnumDevicesW
#define RasGetCountryInfo RasGetCountryInfoW
#define RasGetSubEntryProperties RasGetSubEntryPropertiesW
#define RasSetSubEntryProperties RasSetSubEntryPropertiesW
#define RasDeleteSubEntry RasDeleteSubEntryW
#define RasGetEapUserData RasGetEapUserDataW
#define RasSetEapUserData RasSetEapUserDataW
#define RasGetCustomAuthData RasGetCustomAuthDataW
#define RasSetCustomAuthData RasSetCustomAuthDataW
#define RasGetEapUserIdentity RasGetEapUserIdentityW
#define RasFreeEapUserIdentity RasFreeEapUserIdentityW
#define RasCreatePhonebookEntry RasCreatePhonebookEntryW
#define RasEditPhonebookEntry RasEditPhonebookEntryW
#define RasGetAutodialAddress RasGetAutodialAddressW
#define RasSetAutodialAddress RasSetAutodialAddressW
#define RasEnumAutodialAddresses RasEnumAutodialAddressesW
#define RasGetAutodialEnable RasGetAutodialEnableW
#define RasSetAutodialEnable RasSetAutodialEnableW
#define RasGetAutodialParam RasGetAutodialParamW
#define RasSetAutodialParam RasSetAutodialParamW
typedef RASDIALPARAMSW RASDIALPARAMS, *LPRASDIALPARAMS;
typedef RASCONNW RASCONN, *LPRASCONN;
typedef RASCONNSTATUSW RASCONNSTATUS, *LPRASCONNSTATUS;
typedef RASENTRYNAMEW RASENTRYNAME, *LPRASENTRYNAME;
typedef RASAMBW RASAMB, *LPRASAMB;
typedef RASPPPNBFW RASPPPNBF, *LPRASPPPNBF;
typedef RASPPPIPXW RASPPPIPX, *LPRASPPPIPX;
typedef RASPPPIPW RASPPPIP, *LPRASPPPIP;
typedef RASPPPLCPW RASPPPLCP, *LPRASPPPLCP;
typedef RASSLIPW RASSLIP, *LPRASSLIP;
typedef RASDEVINFOW RASDEVINFO, *LPRASDEVINFO;
typedef RASENTRYW RASENTRY, *LPRASENTRY;
typedef RASSUBENTRYW RASSUBENTRY, *LPRASSUBENTRY;
typedef RASCREDENTIALSW RASCREDENTIALS, *LPRASCREDENTIALS;
typedef RASAUTODIALENTRYW RASAUTODIALENTRY, *LPRASAUTODIALENTRY;
typedef RASEAPUSERIDENTITYW RASEAPUSERIDENTITY, *LPRASEAPUSERIDENTITY;
typedef RASNOUSERW RASNOUSER, *LPRASNOUSER;
typedef RASADFUNCW RASADFUNC;
#else
#define RasDial RasDialA
#define RasHangUp RasHangUpA
#define RasGetConnectStatus RasGetConnectStatusA
#define RasEnumConnections RasEnumConnectionsA
#define RasGetErrorString RasGetErrorStringA
#define RasGetProjectionInfo RasGetProjectionInfoA
#define RasConnectionNotification RasConnectionNotificationA
#define RasGetSubEntryHandle RasGetSubEntryHandleA
#define RasEnumEntries RasEnumEntriesA
#define RasGetEntryProperties RasGetEntryPropertiesA
#define RasSetEntryProperties RasSetEntryPropertiesA
#define RasValidateEntryName RasValidateEntryNameA
#define RasDeleteEntry RasDeleteEntryA
#define RasRenameEntry RasRenameEntryA
#define RasGetEntryDialParams RasGetEntryDialParamsA
#define RasSetEntryDialParams RasSetEntryDialParamsA
#define RasGetCredentials RasGetCredentialsA
#define RasSetCredentials RasSetCredentialsA
#define RasEnumDevices RasEnumDevicesA
#define RasGetCountryInfo RasGetCountryInfoA
#define RasGetSubEntryProperties RasGetSubEntryPropertiesA
#define RasSetSubEntryProperties RasSetSubEntryPropertiesA
#define RasDeleteSubEntry RasDeleteSubEntryA
#define RasGetEapUserData RasGetEapUserDataA
#define RasSetEapUserData RasSetEapUserDataA
#define RasGetCustomAuthData RasGetCustomAuthDataA
#define RasSetCustomAuthData RasSetCustomAuthDataA
#define RasGetEapUserIdentity RasGetEapUserIdentityA
#define RasFreeEapUserIdentity RasFreeEapUserIdentityA
#define RasCreatePhonebookEntry RasCreatePhonebookEntryA
#define RasEditPhonebookEntry RasEditPhonebookEntryA
#define RasGetAutodialAddress RasGetAutodialAddressA
#define RasSetAutodialAddress RasSetAutodialAddressA
#define RasEnumAutodialAddresses RasEnumAutodialAddressesA
#define RasGetAutodialEnable RasGetAutodialEnableA
#define RasSetAutodialEnable RasSetAutodialEnableA
#define RasGetAutodialParam RasGetAutodialParamA
#define RasSetAutodialParam RasSetAutodialParamA
typedef RASDIALPARAMSA RASDIALPARAMS, *LPRASDIALPARAMS;
typedef RASCONNA RASCONN, *LPRASCONN;
typedef RASCONNSTATUSA RASCONNSTATUS, *LPRASCONNSTATUS;
typedef RASENTRYNAMEA RASENTRYNAME, *LPRASENTRYNAME;
typedef RASAMBA RASAMB, *LPRASAMB;
typedef RASPPPNBFA RASPPPNBF, *LPRASPPPNBF;
typedef RASPPPIPXA RASPPPIPX, *LPRASPPPIPX;
typedef RASPPPIPA RASPPPIP, *LPRASPPPIP;
typedef RASPPPLCPA RASPPPLCP, *LPRASPPPLCP;
typedef RASSLIPA RASSLIP, *LPRASSLIP;
typedef RASDEVINFOA RASDEVINFO, *LPRASDEVINFO;
typedef RASENTRYA RASENTRY, *LPRASENTRY;
typedef RASSUBENTRYA RASSUBENTRY, *LPRASSUBENTRY;
typedef RASCREDENTIALSA RASCREDENTIALS, *LPRASCREDENTIALS;
typedef RASAUTODIALENTRYA RASAUTODIALENTRY, *LPRASAUTODIALENTRY;
typedef RASEAPUSERIDENTITYA RASEAPUSERIDENTITY, *LPRASEAPUSERIDENTITY;
typedef RASNOUSERA RASNOUSER, *LPRASNOUSER;
typedef RASADFUNCA RASADFUNC;
#endif

#endif /* OPENRAS_RAS_NAMES_H */
