/* The constants of RASENTRY's fields (the structure itself is in ras_text.inc). Part of ras.h:
 * include <ras.h>, which includes this. */
#ifndef OPENRAS_RAS_ENTRY_H
#define OPENRAS_RAS_ENTRY_H


/* Device type names are TCHAR strings, as the SDK's TEXT("modem"). */
#ifdef UNICODE
#define OPENRAS_TEXT(s) L##s
#else
#define OPENRAS_TEXT(s) s
#endif

/* RASENTRY dwfOptions */
#define RASEO_UseCountryAndAreaCodes 0x00000001
#define RASEO_SpecificIpAddr 0x00000002
#define RASEO_SpecificNameServers 0x00000004
#define RASEO_IpHeaderCompression 0x00000008
#define RASEO_RemoteDefaultGateway 0x00000010
#define RASEO_DisableLcpExtensions 0x00000020
#define RASEO_TerminalBeforeDial 0x00000040
#define RASEO_TerminalAfterDial 0x00000080
#define RASEO_ModemLights 0x00000100
#define RASEO_SwCompression 0x00000200
#define RASEO_RequireEncryptedPw 0x00000400
#define RASEO_RequireMsEncryptedPw 0x00000800
#define RASEO_RequireDataEncryption 0x00001000
#define RASEO_NetworkLogon 0x00002000
#define RASEO_UseLogonCredentials 0x00004000
#define RASEO_PromoteAlternates 0x00008000
#define RASEO_SecureLocalFiles 0x00010000
#define RASEO_RequireEAP 0x00020000
#define RASEO_RequirePAP 0x00040000
#define RASEO_RequireSPAP 0x00080000
#define RASEO_Custom 0x00100000
#define RASEO_PreviewPhoneNumber 0x00200000
#define RASEO_SharedPhoneNumbers 0x00800000
#define RASEO_PreviewUserPw 0x01000000
#define RASEO_PreviewDomain 0x02000000
#define RASEO_ShowDialingProgress 0x04000000
#define RASEO_RequireCHAP 0x08000000
#define RASEO_RequireMsCHAP 0x10000000
#define RASEO_RequireMsCHAP2 0x20000000
#define RASEO_RequireW95MSCHAP 0x40000000
#define RASEO_CustomScript 0x80000000

/* RASENTRY dwfOptions2 */
#define RASEO2_SecureFileAndPrint 0x00000001
#define RASEO2_SecureClientForMSNet 0x00000002
#define RASEO2_DontNegotiateMultilink 0x00000004
#define RASEO2_DontUseRasCredentials 0x00000008
#define RASEO2_UsePreSharedKey 0x00000010
#define RASEO2_Internet 0x00000020
#define RASEO2_DisableNbtOverIP 0x00000040
#define RASEO2_UseGlobalDeviceSettings 0x00000080
#define RASEO2_ReconnectIfDropped 0x00000100
#define RASEO2_SharePhoneNumbers 0x00000200
#define RASEO2_SecureRoutingCompartment 0x00000400
#define RASEO2_UseTypicalSettings 0x00000800
#define RASEO2_IPv6SpecificNameServers 0x00001000
#define RASEO2_IPv6RemoteDefaultGateway 0x00002000
#define RASEO2_RegisterIpWithDNS 0x00004000
#define RASEO2_UseDNSSuffixForRegistration 0x00008000
#define RASEO2_IPv4ExplicitMetric 0x00010000
#define RASEO2_IPv6ExplicitMetric 0x00020000
#define RASEO2_DisableIKENameEkuCheck 0x00040000
#define RASEO2_DisableClassBasedStaticRoute 0x00080000
#define RASEO2_SpecificIPv6Addr 0x00100000
#define RASEO2_DisableMobility 0x00200000
#define RASEO2_RequireMachineCertificates 0x00400000
#define RASEO2_UsePreSharedKeyForIkev2Initiator 0x00800000
#define RASEO2_UsePreSharedKeyForIkev2Responder 0x01000000
#define RASEO2_CacheCredentials 0x02000000
#define RASEO2_AutoTriggerCapable 0x04000000
#define RASEO2_IsThirdPartyProfile 0x08000000
#define RASEO2_AuthTypeIsOtp 0x10000000
#define RASEO2_IsAlwaysOn 0x20000000
#define RASEO2_IsPrivateNetwork 0x40000000
#define RASEO2_PlumbIKEv2TSAsRoutes 0x80000000

#define RASNP_NetBEUI 0x00000001
#define RASNP_Ipx 0x00000002
#define RASNP_Ip 0x00000004
#define RASNP_Ipv6 0x00000008

#define RASFP_Ppp 0x00000001
#define RASFP_Slip 0x00000002
#define RASFP_Ras 0x00000004

#define RASDT_Modem OPENRAS_TEXT("modem")
#define RASDT_Isdn OPENRAS_TEXT("isdn")
#define RASDT_X25 OPENRAS_TEXT("x25")
#define RASDT_Vpn OPENRAS_TEXT("vpn")
#define RASDT_Pad OPENRAS_TEXT("pad")
#define RASDT_Generic OPENRAS_TEXT("GENERIC")
#define RASDT_Serial OPENRAS_TEXT("SERIAL")
#define RASDT_FrameRelay OPENRAS_TEXT("FRAMERELAY")
#define RASDT_Atm OPENRAS_TEXT("ATM")
#define RASDT_Sonet OPENRAS_TEXT("SONET")
#define RASDT_SW56 OPENRAS_TEXT("SW56")
#define RASDT_Irda OPENRAS_TEXT("IRDA")
#define RASDT_Parallel OPENRAS_TEXT("PARALLEL")
#define RASDT_PPPoE OPENRAS_TEXT("PPPoE")

#define RASET_Phone 1
#define RASET_Vpn 2
#define RASET_Direct 3
#define RASET_Internet 4
#define RASET_Broadband 5

#define VS_Default 0
#define VS_PptpOnly 1
#define VS_PptpFirst 2
#define VS_L2tpOnly 3
#define VS_L2tpFirst 4
#define VS_SstpOnly 5
#define VS_SstpFirst 6
#define VS_Ikev2Only 7
#define VS_Ikev2First 8
#define VS_GREOnly 9
#define VS_PptpSstp 12
#define VS_L2tpSstp 13
#define VS_Ikev2Sstp 14
#define VS_ProtocolList 15

#define ET_None 0
#define ET_Require 1
#define ET_RequireMax 2
#define ET_Optional 3

#endif /* OPENRAS_RAS_ENTRY_H */
