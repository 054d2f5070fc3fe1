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

/* W structures hold the compiler's wchar_t. With -fshort-wchar it is 16 bits and the W ABI of
 * librasapi (32-bit characters) would not match: W is then unavailable, said here rather than
 * at run time. docs/win32-compat.md. */
#if defined(__SIZEOF_WCHAR_T__) && __SIZEOF_WCHAR_T__ != 4 && defined(UNICODE)
#error "OpenRAS: the W (UNICODE) RAS API needs a 32-bit wchar_t; build without -fshort-wchar"
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

#define RASCF_AllUsers 0x00000001
#define RASCF_GlobalCreds 0x00000002
#define RASCF_OwnerKnown 0x00000004
#define RASCF_OwnerMatch 0x00000008
#define RASCF_IsEPDG 0x00000010

#define REN_User 0x00000000
#define REN_AllUsers 0x00000001

typedef enum { RASP_Amb = 0x10000, RASP_PppNbf = 0x803F, RASP_PppIpx = 0x802B,
               RASP_PppIp = 0x8021, RASP_PppCcp = 0x80FD, RASP_PppLcp = 0xC021,
               RASP_PppIpv6 = 0x8057, RASP_Slip = 0x20000 } RASPROJECTION, *LPRASPROJECTION;

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
#define RASLCPO_AES_128 0x00000020
#define RASLCPO_AES_256 0x00000040
#define RASLCPO_AES_192 0x00000080
#define RASLCPO_GCM_AES_128 0x00000100
#define RASLCPO_GCM_AES_192 0x00000200
#define RASLCPO_GCM_AES_256 0x00000400

#define RASCCPCA_MPPC 0x00000006
#define RASCCPCA_STAC 0x00000005
#define RASCCPO_Compression 0x00000001
#define RASCCPO_HistoryLess 0x00000002
#define RASCCPO_Encryption56bit 0x00000010
#define RASCCPO_Encryption40bit 0x00000020
#define RASCCPO_Encryption128bit 0x00000040

typedef struct tagRASPPPCCP {
  DWORD dwSize;
  DWORD dwError;
  DWORD dwCompressionAlgorithm;
  DWORD dwOptions;
  DWORD dwServerCompressionAlgorithm;
  DWORD dwServerOptions;
} RASPPPCCP, *LPRASPPPCCP;

/* RASCTRYINFO has no A and W forms: the country name follows the structure in the caller's
 * buffer, at dwCountryNameOffset, as CHAR for RasGetCountryInfoA and WCHAR for ...W. */
typedef struct RASCTRYINFO {
  DWORD dwSize;
  DWORD dwCountryID;
  DWORD dwNextCountryID;
  DWORD dwCountryCode;
  DWORD dwCountryNameOffset;
} RASCTRYINFO, *LPRASCTRYINFO;
typedef RASCTRYINFO RASCTRYINFOA, RASCTRYINFOW, *LPRASCTRYINFOA, *LPRASCTRYINFOW;

typedef struct tagRASADPARAMS {
  DWORD dwSize;
  HWND hwndOwner;
  DWORD dwFlags;
  LONG xDlg;
  LONG yDlg;
} RASADPARAMS, *LPRASADPARAMS;
#define RASADFLG_PositionDlg 0x00000001

typedef struct tagRASCOMMSETTINGS {
  DWORD dwSize;
  BYTE bParity;
  BYTE bStop;
  BYTE bByteSize;
  BYTE bAlign;
} RASCOMMSETTINGS;
typedef DWORD(WINAPI* PFNRASSETCOMMSETTINGS)(HANDLE hPort, RASCOMMSETTINGS* pRasCommSettings,
                                              PVOID pvReserved);
typedef struct tagRASCUSTOMSCRIPTEXTENSIONS {
  DWORD dwSize;
  PFNRASSETCOMMSETTINGS pfnRasSetCommSettings;
} RASCUSTOMSCRIPTEXTENSIONS;

typedef DWORD(WINAPI* PFNRASGETBUFFER)(PBYTE* ppBuffer, PDWORD pdwSize);
typedef DWORD(WINAPI* PFNRASFREEBUFFER)(PBYTE pBufer);
typedef DWORD(WINAPI* PFNRASSENDBUFFER)(HANDLE hPort, PBYTE pBuffer, DWORD dwSize);
typedef DWORD(WINAPI* PFNRASRECEIVEBUFFER)(HANDLE hPort, PBYTE pBuffer, PDWORD pdwSize,
                                           DWORD dwTimeOut, HANDLE hEvent);
typedef DWORD(WINAPI* PFNRASRETRIEVEBUFFER)(HANDLE hPort, PBYTE pBuffer, PDWORD pdwSize);
typedef DWORD(WINAPI* RasCustomHangUpFn)(HRASCONN hRasConn);
typedef DWORD(WINAPI* RasCustomDeleteEntryNotifyFn)(LPCWSTR lpszPhonebook, LPCWSTR lpszEntry,
                                                    DWORD dwFlags);
typedef BOOL(WINAPI* ORASADFUNC)(HWND, LPSTR, DWORD, LPDWORD);
#define RCD_SingleUser 0
#define RCD_AllUsers 0x00000001
#define RCD_Eap 0x00000002
#define RCD_Logon 0x00000004

#define RASEAPF_NonInteractive 0x00000002
#define RASEAPF_Logon 0x00000004
#define RASEAPF_Preview 0x00000008

#define RASADP_DisableConnectionQuery 0
#define RASADP_LoginSessionDisable 1
#define RASADP_SavedAddressesLimit 2
#define RASADP_FailedConnectionTimeout 3
#define RASADP_ConnectionQueryTimeout 4

#define RASNOUSER_SmartCard 0x00000001

#define RASEDM_DialAll 1
#define RASEDM_DialAsNeeded 2
#define RASIDS_Disabled 0xffffffff
#define RASIDS_UseGlobalValue 0

#define NETBIOS_NAME_LEN 16

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

#define RASIKEv2_FLAGS_MOBIKESUPPORTED 0x00000001
#define RASIKEv2_FLAGS_BEHIND_NAT 0x00000002
#define RASIKEv2_FLAGS_SERVERBEHIND_NAT 0x00000004
#define RASIKEv2_AUTH_MACHINECERTIFICATES 1
#define RASIKEv2_AUTH_EAP 2
#define RASIKEv2_AUTH_PSK 3

typedef enum _IKEV2_ID_PAYLOAD_TYPE {
  IKEV2_ID_PAYLOAD_TYPE_INVALID = 0,
  IKEV2_ID_PAYLOAD_TYPE_IPV4_ADDR = 1,
  IKEV2_ID_PAYLOAD_TYPE_FQDN = 2,
  IKEV2_ID_PAYLOAD_TYPE_RFC822_ADDR = 3,
  IKEV2_ID_PAYLOAD_TYPE_RESERVED1 = 4,
  IKEV2_ID_PAYLOAD_TYPE_ID_IPV6_ADDR = 5,
  IKEV2_ID_PAYLOAD_TYPE_RESERVED2 = 6,
  IKEV2_ID_PAYLOAD_TYPE_RESERVED3 = 7,
  IKEV2_ID_PAYLOAD_TYPE_RESERVED4 = 8,
  IKEV2_ID_PAYLOAD_TYPE_DER_ASN1_DN = 9,
  IKEV2_ID_PAYLOAD_TYPE_DER_ASN1_GN = 10,
  IKEV2_ID_PAYLOAD_TYPE_KEY_ID = 11,
  IKEV2_ID_PAYLOAD_TYPE_MAX
} IKEV2_ID_PAYLOAD_TYPE;

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

/* RasUpdateConnection (WINVER >= 0x601): a MOBIKE move of an IKEv2 connection. */
typedef struct tagRASUPDATECONN {
  RASAPIVERSION version;
  DWORD dwSize;
  DWORD dwFlags;
  DWORD dwIfIndex;
  RASTUNNELENDPOINT localEndPoint;
  RASTUNNELENDPOINT remoteEndPoint;
} RASUPDATECONN, *LPRASUPDATECONN;

#pragma pack(pop)

#include "openras/ras_entry.h"

#define RASCN_Connection 0x00000001
#define RASCN_Disconnection 0x00000002
#define RASCN_BandwidthAdded 0x00000004
#define RASCN_BandwidthRemoved 0x00000008
#define RASCN_Dormant 0x00000010
#define RASCN_ReConnection 0x00000020
#define RASCN_EPDGPacketArrival 0x00000040

/* ---- The structures and functions that carry text, A (UTF-8) and W (wchar_t) ---- */
#define OPENRAS_TCHAR CHAR
#define OPENRAS_AW(x) x##A
#include "openras/ras_text.inc"
#undef OPENRAS_TCHAR
#undef OPENRAS_AW
#if !defined(__SIZEOF_WCHAR_T__) || __SIZEOF_WCHAR_T__ == 4
#define OPENRAS_HAS_W_API 1
#define OPENRAS_TCHAR WCHAR
#define OPENRAS_AW(x) x##W
#include "openras/ras_text.inc"
#undef OPENRAS_TCHAR
#undef OPENRAS_AW
#endif

/* ---- Functions without text ---- */
DWORD APIENTRY RasGetProjectionInfoEx(HRASCONN hrasconn, PRAS_PROJECTION_INFO pRasProjection,
                                      LPDWORD lpdwSize);
DWORD APIENTRY RasGetConnectionStatistics(HRASCONN hRasConn, RAS_STATS* lpStatistics);
DWORD APIENTRY RasClearConnectionStatistics(HRASCONN hRasConn);
DWORD APIENTRY RasGetLinkStatistics(HRASCONN hRasConn, DWORD dwSubEntry, RAS_STATS* lpStatistics);
DWORD APIENTRY RasClearLinkStatistics(HRASCONN hRasConn, DWORD dwSubEntry);
DWORD APIENTRY RasInvokeEapUI(HRASCONN hRasConn, DWORD dwSubEntry,
                              LPRASDIALEXTENSIONS lpExtensions, HWND hwnd);
DWORD APIENTRY RasUpdateConnection(HRASCONN hrasconn, LPRASUPDATECONN lprasupdateconn);
DWORD APIENTRY RasGetPCscf(LPWSTR lpszPCscf);

/* Saved credentials live in rasmand's store (never in the .pbk). As on Windows since Vista,
 * a saved password or pre-shared key is never handed back: szPassword holds
 * OPENRAS_SAVED_PASSWORD instead, and RasDial with that (or an empty password) uses the saved
 * one. */
#define OPENRAS_SAVED_PASSWORD "********"

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

/* The bare names (RasDial, RASENTRY, ...): W with UNICODE, else A. */
#include "openras/ras_names.h"

#ifdef __cplusplus
}

/* C++ callers pass a RasDialFunc, RasDialFunc1 or RasDialFunc2 as RasDial's notifier without
 * a cast, as MSVC accepts; g++ and clang convert no function pointer to LPVOID implicitly.
 * A template (not three overloads) keeps RasDial(..., 0, NULL, &h) unambiguous. */
extern "C++" {
template <typename Result, typename... Params>
inline DWORD RasDialA(LPRASDIALEXTENSIONS extensions, LPCSTR phonebook, LPRASDIALPARAMSA params,
                      DWORD notifier_type, Result(WINAPI* notifier)(Params...),
                      LPHRASCONN handle) {
  return RasDialA(extensions, phonebook, params, notifier_type,
                  reinterpret_cast<LPVOID>(notifier), handle);
}
#ifdef OPENRAS_HAS_W_API
template <typename Result, typename... Params>
inline DWORD RasDialW(LPRASDIALEXTENSIONS extensions, LPCWSTR phonebook, LPRASDIALPARAMSW params,
                      DWORD notifier_type, Result(WINAPI* notifier)(Params...),
                      LPHRASCONN handle) {
  return RasDialW(extensions, phonebook, params, notifier_type,
                  reinterpret_cast<LPVOID>(notifier), handle);
}
#endif
}
#endif

#endif /* OPENRAS_RAS_H */
