/* OpenRAS: the Win32 Remote Access Service client API for Linux.
 * Win32 names, numbers and structure layouts (4-byte packing, as the SDK's pshpack4.h).
 * The A (UTF-8) names are the implementation; the bare names map to them. */
#ifndef OPENRAS_RAS_H
#define OPENRAS_RAS_H

#include "openras/wintypes.h"
#include "raserror.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef WINVER
#define WINVER 0x0A00
#endif

#define RAS_MaxDeviceType 16
#define RAS_MaxPhoneNumber 128
#define RAS_MaxIpAddress 15
#define RAS_MaxIpxAddress 21
#define RAS_MaxEntryName 256
#define RAS_MaxDeviceName 128
#define RAS_MaxCallbackNumber RAS_MaxPhoneNumber
#define RAS_MaxAreaCode 10
#define RAS_MaxPadType 32
#define RAS_MaxX25Address 200
#define RAS_MaxFacilities 200
#define RAS_MaxUserData 200
#define RAS_MaxReplyMessage 1024
#define RAS_MaxDnsSuffix 256
#define RAS_MaxIDSize 256
#ifndef UNLEN
#define UNLEN 256
#endif
#ifndef PWLEN
#define PWLEN 256
#endif
#ifndef DNLEN
#define DNLEN 15
#endif

typedef struct HRASCONN__* HRASCONN;
typedef HRASCONN* LPHRASCONN;

#define RASCS_PAUSED 0x1000
#define RASCS_DONE 0x2000

typedef enum tagRASCONNSTATE {
  RASCS_OpenPort = 0,
  RASCS_PortOpened,
  RASCS_ConnectDevice,
  RASCS_DeviceConnected,
  RASCS_AllDevicesConnected,
  RASCS_Authenticate,
  RASCS_AuthNotify,
  RASCS_AuthRetry,
  RASCS_AuthCallback,
  RASCS_AuthChangePassword,
  RASCS_AuthProject,
  RASCS_AuthLinkSpeed,
  RASCS_AuthAck,
  RASCS_ReAuthenticate,
  RASCS_Authenticated,
  RASCS_PrepareForCallback,
  RASCS_WaitForModemReset,
  RASCS_WaitForCallback,
  RASCS_Projected,
  RASCS_StartAuthentication,
  RASCS_CallbackComplete,
  RASCS_LogonNetwork,
  RASCS_SubEntryConnected,
  RASCS_SubEntryDisconnected,
  RASCS_ApplySettings,
  RASCS_Interactive = RASCS_PAUSED,
  RASCS_RetryAuthentication,
  RASCS_CallbackSetByCaller,
  RASCS_PasswordExpired,
  RASCS_InvokeEapUI,
  RASCS_Connected = RASCS_DONE,
  RASCS_Disconnected
} RASCONNSTATE, *LPRASCONNSTATE;

typedef enum tagRASCONNSUBSTATE {
  RASCSS_None = 0,
  RASCSS_Dormant = 1,
  RASCSS_Reconnecting = 2,
  RASCSS_Reconnected = 0x2000
} RASCONNSUBSTATE;

#define WM_RASDIALEVENT 0xCCCD
#define RASDIALEVENT "RasDialEvent"

/* dwNotifierType values for RasDial. */
#define RASDIALFUNC_TYPE 0
#define RASDIALFUNC1_TYPE 1
#define RASDIALFUNC2_TYPE 2
#define RASNOTIFIER_HWND 0xFFFFFFFFu

typedef VOID(WINAPI* RASDIALFUNC)(UINT unMsg, RASCONNSTATE rascs, DWORD dwError);
typedef VOID(WINAPI* RASDIALFUNC1)(HRASCONN hrasconn, UINT unMsg, RASCONNSTATE rascs,
                                   DWORD dwError, DWORD dwExtendedError);
typedef DWORD(WINAPI* RASDIALFUNC2)(ULONG_PTR dwCallbackId, DWORD dwSubEntry, HRASCONN hrasconn,
                                    UINT unMsg, RASCONNSTATE rascs, DWORD dwError,
                                    DWORD dwExtendedError);

#pragma pack(push, 4)

typedef struct tagRASIPADDR {
  BYTE a, b, c, d;
} RASIPADDR;

typedef struct tagRASIPV6ADDR {
  BYTE s6_bytes[16];
} RASIPV6ADDR;

typedef RASIPADDR RASIPV4ADDR;

typedef struct _RASTUNNELENDPOINT {
  DWORD dwType; /* RASTUNNELENDPOINT_IPv4 1, RASTUNNELENDPOINT_IPv6 2 */
  union {
    RASIPV4ADDR ipv4;
    RASIPV6ADDR ipv6;
  };
} RASTUNNELENDPOINT, *PRASTUNNELENDPOINT;

#define RASTUNNELENDPOINT_UNKNOWN 0
#define RASTUNNELENDPOINT_IPv4 1
#define RASTUNNELENDPOINT_IPv6 2

typedef struct tagRASDIALPARAMSA {
  DWORD dwSize;
  CHAR szEntryName[RAS_MaxEntryName + 1];
  CHAR szPhoneNumber[RAS_MaxPhoneNumber + 1];
  CHAR szCallbackNumber[RAS_MaxCallbackNumber + 1];
  CHAR szUserName[UNLEN + 1];
  CHAR szPassword[PWLEN + 1];
  CHAR szDomain[DNLEN + 1];
  DWORD dwSubEntry;       /* WINVER >= 0x401 */
  ULONG_PTR dwCallbackId; /* WINVER >= 0x401 */
  DWORD dwIfIndex;        /* WINVER >= 0x601 */
  LPSTR szEncPassword;    /* WINVER >= 0x602 */
} RASDIALPARAMSA, *LPRASDIALPARAMSA;

typedef struct tagRASEAPINFO {
  DWORD dwSizeofEapInfo;
  BYTE* pbEapInfo;
} RASEAPINFO;

typedef struct tagRASDEVSPECIFICINFO {
  DWORD dwSize;
  BYTE* pbDevSpecificInfo;
} RASDEVSPECIFICINFO, *PRASDEVSPECIFICINFO;

typedef struct tagRASDIALEXTENSIONS {
  DWORD dwSize;
  DWORD dwfOptions;
  HWND hwndParent;
  ULONG_PTR reserved;
  ULONG_PTR reserved1;   /* WINVER >= 0x500 */
  RASEAPINFO RasEapInfo; /* WINVER >= 0x500 */
  BOOL fSkipPppAuth;     /* WINVER >= 0x601 */
  RASDEVSPECIFICINFO RasDevSpecificInfo; /* WINVER >= 0x601 */
} RASDIALEXTENSIONS, *LPRASDIALEXTENSIONS;

#define RDEOPT_UsePrefixSuffix 0x00000001
#define RDEOPT_PausedStates 0x00000002
#define RDEOPT_IgnoreModemSpeaker 0x00000004
#define RDEOPT_SetModemSpeaker 0x00000008
#define RDEOPT_IgnoreSoftwareCompression 0x00000010
#define RDEOPT_SetSoftwareCompression 0x00000020
#define RDEOPT_DisableConnectedUI 0x00000040
#define RDEOPT_DisableReconnectUI 0x00000080
#define RDEOPT_DisableReconnect 0x00000100
#define RDEOPT_NoUser 0x00000200
#define RDEOPT_PauseOnScript 0x00000400
#define RDEOPT_Router 0x00000800
#define RDEOPT_CustomDial 0x00001000
#define RDEOPT_UseCustomScripting 0x00002000
#define RDEOPT_InvokeAutoTriggerCredentialUI 0x00004000
#define RDEOPT_EapInfoCryptInCapable 0x00008000

typedef struct tagRASCONNA {
  DWORD dwSize;
  HRASCONN hrasconn;
  CHAR szEntryName[RAS_MaxEntryName + 1];
  CHAR szDeviceType[RAS_MaxDeviceType + 1]; /* WINVER >= 0x400 */
  CHAR szDeviceName[RAS_MaxDeviceName + 1]; /* WINVER >= 0x400 */
  CHAR szPhonebook[MAX_PATH];               /* WINVER >= 0x401 */
  DWORD dwSubEntry;                         /* WINVER >= 0x401 */
  GUID guidEntry;                           /* WINVER >= 0x500 */
  DWORD dwFlags;                            /* WINVER >= 0x501 */
  LUID luid;                                /* WINVER >= 0x501 */
  GUID guidCorrelationId;                   /* WINVER >= 0x601 */
} RASCONNA, *LPRASCONNA;

#define RASCF_AllUsers 0x00000001
#define RASCF_GlobalCreds 0x00000002
#define RASCF_OwnerKnown 0x00000004
#define RASCF_OwnerMatch 0x00000008

typedef struct tagRASCONNSTATUSA {
  DWORD dwSize;
  RASCONNSTATE rasconnstate;
  DWORD dwError;
  CHAR szDeviceType[RAS_MaxDeviceType + 1];
  CHAR szDeviceName[RAS_MaxDeviceName + 1];
  CHAR szPhoneNumber[RAS_MaxPhoneNumber + 1]; /* WINVER >= 0x401 */
  RASTUNNELENDPOINT localEndPoint;            /* WINVER >= 0x601 */
  RASTUNNELENDPOINT remoteEndPoint;           /* WINVER >= 0x601 */
  RASCONNSUBSTATE rasconnsubstate;            /* WINVER >= 0x601 */
} RASCONNSTATUSA, *LPRASCONNSTATUSA;

typedef struct tagRASENTRYNAMEA {
  DWORD dwSize;
  CHAR szEntryName[RAS_MaxEntryName + 1];
  DWORD dwFlags;                  /* WINVER >= 0x500 */
  CHAR szPhonebookPath[MAX_PATH + 1]; /* WINVER >= 0x500 */
} RASENTRYNAMEA, *LPRASENTRYNAMEA;

#define REN_User 0x00000000
#define REN_AllUsers 0x00000001

typedef enum { RASP_Amb = 0x10000, RASP_PppNbf = 0x803F, RASP_PppIpx = 0x802B,
               RASP_PppIp = 0x8021, RASP_PppCcp = 0x80FD, RASP_PppLcp = 0xC021,
               RASP_PppIpv6 = 0x8057 } RASPROJECTION, *LPRASPROJECTION;

typedef struct tagRASPPPIPA {
  DWORD dwSize;
  DWORD dwError;
  CHAR szIpAddress[RAS_MaxIpAddress + 1];
  CHAR szServerIpAddress[RAS_MaxIpAddress + 1]; /* WINVER >= 0x400 */
  DWORD dwOptions;                              /* WINVER >= 0x500 */
  DWORD dwServerOptions;                        /* WINVER >= 0x500 */
} RASPPPIPA, *LPRASPPPIPA;

#define RASIPO_VJ 0x00000001

typedef struct tagRASPPPIPV6 {
  DWORD dwSize;
  DWORD dwError;
  BYTE bLocalInterfaceIdentifier[8];
  BYTE bPeerInterfaceIdentifier[8];
  BYTE bLocalCompressionProtocol[2];
  BYTE bPeerCompressionProtocol[2];
} RASPPPIPV6, *LPRASPPPIPV6;

#define RASLCPAP_PAP 0xC023
#define RASLCPAP_SPAP 0xC027
#define RASLCPAP_CHAP 0xC223
#define RASLCPAP_EAP 0xC227
#define RASLCPAD_CHAP_MD5 0x05
#define RASLCPAD_CHAP_MS 0x80
#define RASLCPAD_CHAP_MSV2 0x81
#define RASLCPO_PFC 0x00000001
#define RASLCPO_ACFC 0x00000002
#define RASLCPO_SSHF 0x00000004
#define RASLCPO_DES_56 0x00000008
#define RASLCPO_3_DES 0x00000010

typedef struct tagRASPPPLCPA {
  DWORD dwSize;
  BOOL fBundled;
  DWORD dwError;
  DWORD dwAuthenticationProtocol;
  DWORD dwAuthenticationData;
  DWORD dwEapTypeId;
  DWORD dwServerAuthenticationProtocol;
  DWORD dwServerAuthenticationData;
  DWORD dwServerEapTypeId;
  BOOL fMultilink;
  DWORD dwTerminateReason;
  DWORD dwServerTerminateReason;
  CHAR szReplyMessage[RAS_MaxReplyMessage];
  DWORD dwOptions;
  DWORD dwServerOptions;
} RASPPPLCPA, *LPRASPPPLCPA;

typedef struct _RAS_STATS {
  DWORD dwSize;
  DWORD dwBytesXmited;
  DWORD dwBytesRcved;
  DWORD dwFramesXmited;
  DWORD dwFramesRcved;
  DWORD dwCrcErr;
  DWORD dwTimeoutErr;
  DWORD dwAlignmentErr;
  DWORD dwHardwareOverrunErr;
  DWORD dwFramingErr;
  DWORD dwBufferOverrunErr;
  DWORD dwCompressionRatioIn;
  DWORD dwCompressionRatioOut;
  DWORD dwBps;
  DWORD dwConnectDuration; /* milliseconds */
} RAS_STATS, *PRAS_STATS;


typedef struct tagRASCREDENTIALSA {
  DWORD dwSize;
  DWORD dwMask;
  CHAR szUserName[UNLEN + 1];
  CHAR szPassword[PWLEN + 1];
  CHAR szDomain[DNLEN + 1];
} RASCREDENTIALSA, *LPRASCREDENTIALSA;

#define RASCM_UserName 0x00000001
#define RASCM_Password 0x00000002
#define RASCM_Domain 0x00000004
#define RASCM_DefaultCreds 0x00000008
#define RASCM_PreSharedKey 0x00000010
#define RASCM_ServerPreSharedKey 0x00000020
#define RASCM_DDMPreSharedKey 0x00000040

/* RasGetProjectionInfoEx (WINVER >= 0x601). */
typedef enum _RASAPIVERSION {
  RASAPIVERSION_500 = 1,
  RASAPIVERSION_501 = 2,
  RASAPIVERSION_600 = 3,
  RASAPIVERSION_601 = 4
} RASAPIVERSION;
#define RASAPIVERSION_CURRENT RASAPIVERSION_601

typedef enum _RASPROJECTION_INFO_TYPE {
  PROJECTION_INFO_TYPE_PPP = 1,
  PROJECTION_INFO_TYPE_IKEv2 = 2
} RASPROJECTION_INFO_TYPE;

typedef struct _RASPPP_PROJECTION_INFO {
  DWORD dwIPv4NegotiationError;
  RASIPV4ADDR ipv4Address;
  RASIPV4ADDR ipv4ServerAddress;
  DWORD dwIPv4Options;
  DWORD dwIPv4ServerOptions;
  DWORD dwIPv6NegotiationError;
  BYTE bInterfaceIdentifier[8];
  BYTE bServerInterfaceIdentifier[8];
  BOOL fBundled;
  BOOL fMultilink;
  DWORD dwAuthenticationProtocol;
  DWORD dwAuthenticationData;
  DWORD dwServerAuthenticationProtocol;
  DWORD dwServerAuthenticationData;
  DWORD dwEapTypeId;
  DWORD dwServerEapTypeId;
  DWORD dwLcpOptions;
  DWORD dwLcpServerOptions;
  DWORD dwCcpError;
  DWORD dwCcpCompressionAlgorithm;
  DWORD dwCcpServerCompressionAlgorithm;
  DWORD dwCcpOptions;
  DWORD dwCcpServerOptions;
} RASPPP_PROJECTION_INFO, *PRASPPP_PROJECTION_INFO;

typedef struct _RASIKEV2_PROJECTION_INFO {
  DWORD dwIPv4NegotiationError;
  RASIPV4ADDR ipv4Address;
  RASIPV4ADDR ipv4ServerAddress;
  DWORD dwIPv6NegotiationError;
  RASIPV6ADDR ipv6Address;
  RASIPV6ADDR ipv6ServerAddress;
  DWORD dwPrefixLength;
  DWORD dwAuthenticationProtocol;
  DWORD dwEapTypeId;
  DWORD dwFlags;
  DWORD dwEncryptionMethod;
  DWORD numIPv4ServerAddresses;
  RASIPV4ADDR* ipv4ServerAddresses;
  DWORD numIPv6ServerAddresses;
  RASIPV6ADDR* ipv6ServerAddresses;
} RASIKEV2_PROJECTION_INFO, *PRASIKEV2_PROJECTION_INFO;

typedef struct _RAS_PROJECTION_INFO {
  RASAPIVERSION version;
  RASPROJECTION_INFO_TYPE type;
  union {
    RASPPP_PROJECTION_INFO ppp;
    RASIKEV2_PROJECTION_INFO ikev2;
  };
} RAS_PROJECTION_INFO, *PRAS_PROJECTION_INFO;

#pragma pack(pop)

#include "openras/ras_entry.h"

#define RASCN_Connection 0x00000001
#define RASCN_Disconnection 0x00000002
#define RASCN_BandwidthAdded 0x00000004
#define RASCN_BandwidthRemoved 0x00000008
#define RASCN_Dormant 0x00000010
#define RASCN_ReConnection 0x00000020
#define RASCN_EPDGPacketArrival 0x00000040

/* ---- Functions (A names are the implementation). ---- */
DWORD APIENTRY RasDialA(LPRASDIALEXTENSIONS lpRasDialExtensions, LPCSTR lpszPhonebook,
                        LPRASDIALPARAMSA lpRasDialParams, DWORD dwNotifierType,
                        LPVOID lpvNotifier, LPHRASCONN lphRasConn);
DWORD APIENTRY RasHangUpA(HRASCONN hrasconn);
DWORD APIENTRY RasGetConnectStatusA(HRASCONN hrasconn, LPRASCONNSTATUSA lprasconnstatus);
DWORD APIENTRY RasEnumConnectionsA(LPRASCONNA lprasconn, LPDWORD lpcb, LPDWORD lpcConnections);
DWORD APIENTRY RasGetErrorStringA(UINT uErrorValue, LPSTR lpszErrorString, DWORD cBufSize);
DWORD APIENTRY RasGetProjectionInfoA(HRASCONN hrasconn, RASPROJECTION rasprojection,
                                     LPVOID lpprojection, LPDWORD lpcb);
DWORD APIENTRY RasGetProjectionInfoEx(HRASCONN hrasconn, PRAS_PROJECTION_INFO pRasProjection,
                                      LPDWORD lpdwSize);
DWORD APIENTRY RasGetConnectionStatistics(HRASCONN hRasConn, RAS_STATS* lpStatistics);
DWORD APIENTRY RasClearConnectionStatistics(HRASCONN hRasConn);
DWORD APIENTRY RasConnectionNotificationA(HRASCONN hrasconn, HANDLE hEvent, DWORD dwFlags);
DWORD APIENTRY RasEnumEntriesA(LPCSTR reserved, LPCSTR lpszPhonebook,
                               LPRASENTRYNAMEA lprasentryname, LPDWORD lpcb,
                               LPDWORD lpcEntries);
DWORD APIENTRY RasGetEntryPropertiesA(LPCSTR lpszPhonebook, LPCSTR lpszEntry,
                                      LPRASENTRYA lpRasEntry, LPDWORD lpdwEntryInfoSize,
                                      LPBYTE lpbDeviceInfo, LPDWORD lpdwDeviceInfoSize);
DWORD APIENTRY RasSetEntryPropertiesA(LPCSTR lpszPhonebook, LPCSTR lpszEntry,
                                      LPRASENTRYA lpRasEntry, DWORD dwEntryInfoSize,
                                      LPBYTE lpbDeviceInfo, DWORD dwDeviceInfoSize);
DWORD APIENTRY RasValidateEntryNameA(LPCSTR lpszPhonebook, LPCSTR lpszEntry);
DWORD APIENTRY RasDeleteEntryA(LPCSTR lpszPhonebook, LPCSTR lpszEntry);
DWORD APIENTRY RasRenameEntryA(LPCSTR lpszPhonebook, LPCSTR lpszOldEntry, LPCSTR lpszNewEntry);
DWORD APIENTRY RasGetEntryDialParamsA(LPCSTR lpszPhonebook, LPRASDIALPARAMSA lprasdialparams,
                                      LPBOOL lpfPassword);
DWORD APIENTRY RasSetEntryDialParamsA(LPCSTR lpszPhonebook, LPRASDIALPARAMSA lprasdialparams,
                                      BOOL fRemovePassword);
/* Saved credentials live in rasmand's store (never in the .pbk). As on Windows since Vista,
 * a saved password is never handed back: szPassword holds OPENRAS_SAVED_PASSWORD instead, and
 * RasDial with that (or an empty password) uses the saved one. */
#define OPENRAS_SAVED_PASSWORD "********"
DWORD APIENTRY RasGetCredentialsA(LPCSTR lpszPhonebook, LPCSTR lpszEntry,
                                  LPRASCREDENTIALSA lpCredentials);
DWORD APIENTRY RasSetCredentialsA(LPCSTR lpszPhonebook, LPCSTR lpszEntry,
                                  LPRASCREDENTIALSA lpCredentials, BOOL fClearCredentials);

/* ---- OpenRAS extensions (not in Win32). ----
 * Notifications for RasDial run only on the thread that called RasDial, when that thread pumps:
 * any blocking RAS call, RasDispatchNotifications, the win32 shim's waits, or its own poll/epoll
 * loop on the descriptor from RasGetNotificationFd that then calls RasDispatchNotifications(0). */
DWORD APIENTRY RasDispatchNotifications(DWORD dwTimeoutMs);
int APIENTRY RasGetNotificationFd(void);
/* RasConnectionNotification on a descriptor for Linux event loops: returns an eventfd that
 * becomes readable (counter > 0) when one of dwFlags happens for hrasconn (or every connection
 * when hrasconn is INVALID_HANDLE_VALUE). Close it with close(2) when done. */
DWORD APIENTRY RasConnectionNotificationFd(HRASCONN hrasconn, DWORD dwFlags, int* lpFd);

#define RasDial RasDialA
#define RasHangUp RasHangUpA
#define RasGetConnectStatus RasGetConnectStatusA
#define RasEnumConnections RasEnumConnectionsA
#define RasGetErrorString RasGetErrorStringA
#define RasGetProjectionInfo RasGetProjectionInfoA
#define RasConnectionNotification RasConnectionNotificationA
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

typedef RASDIALPARAMSA RASDIALPARAMS, *LPRASDIALPARAMS;
typedef RASCONNA RASCONN, *LPRASCONN;
typedef RASCONNSTATUSA RASCONNSTATUS, *LPRASCONNSTATUS;
typedef RASENTRYNAMEA RASENTRYNAME, *LPRASENTRYNAME;
typedef RASENTRYA RASENTRY, *LPRASENTRY;
typedef RASPPPIPA RASPPPIP, *LPRASPPPIP;
typedef RASPPPLCPA RASPPPLCP, *LPRASPPPLCP;
typedef RASCREDENTIALSA RASCREDENTIALS, *LPRASCREDENTIALS;

#ifdef __cplusplus
}
#endif

#endif /* OPENRAS_RAS_H */
