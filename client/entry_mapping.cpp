#include "client/entry_mapping.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>
#include <cstring>

#include "client/struct_sizes.hpp"
#include "client/util.hpp"
#include "phonebook/entry.hpp"

namespace openras::client {
namespace {

using phonebook::Scope;

constexpr std::uint32_t kDeNone = phonebook::kDataEncryptionNone,
                        kDeIfPossible = phonebook::kDataEncryptionIfPossible,
                        kDeRequire = phonebook::kDataEncryptionRequire,
                        kDeRequireMax = phonebook::kDataEncryptionRequireMax;
// ExcludedProtocols bits.
constexpr std::uint32_t kNpIp = 0x4, kNpIpv6 = 0x8;

std::uint32_t u32_or(const std::optional<std::string>& v, std::uint32_t fallback) {
  if (!v || v->empty()) return fallback;
  std::uint32_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  return ec == std::errc() ? n : fallback;
}

RASIPADDR parse_ip(const std::optional<std::string>& v) {
  RASIPADDR a{0, 0, 0, 0};
  in_addr addr{};
  if (v && inet_pton(AF_INET, v->c_str(), &addr) == 1) {
    std::memcpy(&a, &addr, 4);
  }
  return a;
}

std::string format_ip(const RASIPADDR& a) {
  return std::to_string(a.a) + "." + std::to_string(a.b) + "." + std::to_string(a.c) + "." +
         std::to_string(a.d);
}

struct AuthFlag {
  std::uint32_t option;       // RASEO_Require*
  std::uint32_t restriction;  // AuthRestrictions bit
};
constexpr AuthFlag kAuthFlags[] = {
    {RASEO_RequirePAP, phonebook::kAuthPap},
    {RASEO_RequireSPAP, phonebook::kAuthSpap},
    {RASEO_RequireCHAP, phonebook::kAuthMd5Chap},
    {RASEO_RequireMsCHAP, phonebook::kAuthMsChap},
    {RASEO_RequireMsCHAP2, phonebook::kAuthMsChapV2},
    {RASEO_RequireW95MSCHAP, phonebook::kAuthW95MsChap},
    {RASEO_RequireEAP, phonebook::kAuthEap},
};

// RASEO2_* flags with a phonebook key of their own; `inverted` keys say the opposite (1 =
// file and print sharing on, where the flag secures it). The other RASEO2_* bits are kept in
// OpenRasOptions2 so that a round trip through the file loses none.
struct Option2Key {
  std::uint32_t flag;
  const char* key;
  bool inverted;
};
constexpr Option2Key kOption2Keys[] = {
    {RASEO2_SecureFileAndPrint, "ShareMsFilePrint", true},
    {RASEO2_SecureClientForMSNet, "BindMsNetClient", true},
    {RASEO2_DontNegotiateMultilink, "NegotiateMultilinkAlways", true},
    {RASEO2_DontUseRasCredentials, "UseRasCredentials", true},
    {RASEO2_DisableNbtOverIP, "IpNBTFlags", true},
    {RASEO2_ReconnectIfDropped, "RedialOnLinkFailure", false},
    {RASEO2_SharePhoneNumbers, "SharedPhoneNumbers", false},
    {RASEO2_IPv6RemoteDefaultGateway, "Ipv6PrioritizeRemote", false},
    {RASEO2_DisableIKENameEkuCheck, "DisableIKENameEkuCheck", false},
    {RASEO2_DisableClassBasedStaticRoute, "DisableClassBasedDefaultRoute", false},
    {RASEO2_DisableMobility, "DisableMobility", false},
    {RASEO2_CacheCredentials, "CacheCredentials", false},
    {RASEO2_AuthTypeIsOtp, "AuthTypeOTP", false},
    {RASEO2_IsPrivateNetwork, "PrivateNetwork", false},
    {RASEO2_PlumbIKEv2TSAsRoutes, "PlumbIKEv2TSAsRoutes", false},
};
constexpr std::uint32_t kIpSecUsePreSharedKey = 0x1;  // IpSecFlags bit

std::uint32_t keyed_options2() {
  std::uint32_t all = RASEO2_UsePreSharedKey;
  for (const auto& k : kOption2Keys) all |= k.flag;
  return all;
}

std::uint32_t hex_or(const std::optional<std::string>& v, std::uint32_t fallback) {
  if (!v || v->empty()) return fallback;
  std::uint32_t n = 0;
  const char* b = v->data();
  const char* e = b + v->size();
  if (v->size() > 2 && (*v)[0] == '0' && ((*v)[1] == 'x' || (*v)[1] == 'X')) b += 2;
  auto [p, ec] = std::from_chars(b, e, n, 16);
  return ec == std::errc() ? n : fallback;
}

template <typename Entry>
std::string device_type_for(const Entry& in) {
  std::string t = field_string(in.szDeviceType);
  return t.empty() ? (in.dwType == RASET_Vpn ? "vpn" : "modem") : t;
}

}  // namespace

template <typename Entry>
void entry_to_rasentry(const phonebook::PbkFile& file, const std::string& name, Entry& out) {
  const DWORD size = out.dwSize;
  std::memset(reinterpret_cast<BYTE*>(&out) + sizeof(DWORD), 0, size - sizeof(DWORD));
  out.dwSize = size;
  auto get = [&](const char* key, Scope scope = Scope::Entry) {
    return file.get(name, key, scope);
  };

  std::uint32_t options = 0;
  if (u32_or(get("IpPrioritizeRemote"), 1)) options |= RASEO_RemoteDefaultGateway;
  if (u32_or(get("IpAssign"), 1) == 2) options |= RASEO_SpecificIpAddr;
  if (u32_or(get("IpNameAssign"), 1) == 2) options |= RASEO_SpecificNameServers;
  if (u32_or(get("IpHeaderCompression"), 0)) options |= RASEO_IpHeaderCompression;
  if (u32_or(get("SwCompression"), 0)) options |= RASEO_SwCompression;
  if (!u32_or(get("LcpExtensions"), 1)) options |= RASEO_DisableLcpExtensions;
  if (u32_or(get("UseCountryAndAreaCodes", Scope::Device), 0) ||
      u32_or(get("UseDialingRules", Scope::Device), 0)) {
    options |= RASEO_UseCountryAndAreaCodes;
  }
  std::uint32_t encryption = u32_or(get("DataEncryption"), kDeNone);
  if (encryption == kDeRequire || encryption == kDeRequireMax) {
    options |= RASEO_RequireDataEncryption;
  }
  std::uint32_t restrictions = u32_or(get("AuthRestrictions"), 0);
  for (const auto& f : kAuthFlags) {
    if (restrictions & f.restriction) options |= f.option;
  }
  out.dwfOptions = options;
  out.dwCountryID = u32_or(get("CountryID", Scope::Device), 0);
  out.dwCountryCode = u32_or(get("CountryCode", Scope::Device), 0);
  copy_field(out.szAreaCode, get("AreaCode", Scope::Device).value_or(""));
  copy_field(out.szLocalPhoneNumber, get("PhoneNumber", Scope::Device).value_or(""));
  out.ipaddr = parse_ip(get("IpAddress"));
  out.ipaddrDns = parse_ip(get("IpDnsAddress"));
  out.ipaddrDnsAlt = parse_ip(get("IpDns2Address"));
  out.ipaddrWins = parse_ip(get("IpWinsAddress"));
  out.ipaddrWinsAlt = parse_ip(get("IpWins2Address"));
  out.dwFrameSize = u32_or(get("IpFrameSize"), 0);
  std::uint32_t excluded = u32_or(get("ExcludedProtocols"), 0);
  out.dwfNetProtocols = (RASNP_Ip | RASNP_Ipv6) & ~((excluded & kNpIp ? RASNP_Ip : 0) |
                                                    (excluded & kNpIpv6 ? RASNP_Ipv6 : 0));
  out.dwFramingProtocol = RASFP_Ppp;
  copy_field(out.szDeviceType, get("DEVICE", Scope::Device).value_or(""));
  copy_field(out.szDeviceName, get("Device", Scope::Media).value_or(""));
  if (OPENRAS_HAS_FIELD(Entry, size, dwIdleDisconnectSeconds)) {
    out.dwSubEntries = 1;
    out.dwIdleDisconnectSeconds = u32_or(get("IdleDisconnectSeconds"), 0);
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwVpnStrategy)) {
    out.dwType = u32_or(get("Type"), RASET_Phone);
    out.dwEncryptionType = encryption == kDeRequire      ? ET_Require
                           : encryption == kDeRequireMax ? ET_RequireMax
                           : encryption == kDeIfPossible ? ET_Optional
                                                         : ET_None;
    out.dwVpnStrategy = u32_or(get("VpnStrategy"), VS_Default);
    out.dwCustomAuthKey = u32_or(get("CustomAuthKey"), 0);
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwRedialPause)) {
    copy_field(out.szDnsSuffix, get("IpDnsSuffix").value_or(""));
    out.dwRedialCount = u32_or(get("RedialAttempts"), 0);
    out.dwRedialPause = u32_or(get("RedialSeconds"), 0);
    out.dwTcpWindowSize = u32_or(get("TcpWindowSize"), 0);
    copy_field(out.szPrerequisiteEntry, get("PrerequisiteEntry").value_or(""));
    copy_field(out.szPrerequisitePbk, get("PrerequisitePbk").value_or(""));
    copy_field(out.szCustomDialDll, get("CustomDialDll").value_or(""));
    out.dwDialMode = u32_or(get("DialMode"), 0);
    out.dwDialExtraPercent = u32_or(get("DialPercent"), 0);
    out.dwDialExtraSampleSeconds = u32_or(get("DialSeconds"), 0);
    out.dwHangUpExtraPercent = u32_or(get("HangUpPercent"), 0);
    out.dwHangUpExtraSampleSeconds = u32_or(get("HangUpSeconds"), 0);
    std::uint32_t options2 = hex_or(get("OpenRasOptions2"), 0) & ~keyed_options2();
    for (const auto& k : kOption2Keys) {
      auto v = get(k.key);
      if (!v || v->empty()) continue;  // absent: the flag's default, off
      if ((u32_or(v, 0) != 0) != k.inverted) options2 |= k.flag;
    }
    if (u32_or(get("IpSecFlags"), 0) & kIpSecUsePreSharedKey) options2 |= RASEO2_UsePreSharedKey;
    out.dwfOptions2 = options2;
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwIPv6InterfaceMetric)) {
    out.dwIPv4InterfaceMetric = u32_or(get("IpInterfaceMetric"), 0);
    out.dwIPv6InterfaceMetric = u32_or(get("Ipv6InterfaceMetric"), 0);
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwNetworkOutageTime)) {
    out.dwNetworkOutageTime = u32_or(get("NetworkOutageTime"), 0);
  }
  if (OPENRAS_HAS_FIELD(Entry, size, fDisableIKEv2Fragmentation)) {
    copy_field(out.szIDi, get("IDI").value_or(""));
    copy_field(out.szIDr, get("IDR").value_or(""));
    out.fIsImsConfig = u32_or(get("ImsConfig"), 0) ? TRUE : FALSE;
    out.IdiType = static_cast<IKEV2_ID_PAYLOAD_TYPE>(u32_or(get("IdiType"), 0));
    out.IdrType = static_cast<IKEV2_ID_PAYLOAD_TYPE>(u32_or(get("IdrType"), 0));
    out.fDisableIKEv2Fragmentation = u32_or(get("Disable_IKEv2_Fragmentation"), 0) ? TRUE : FALSE;
  }
}

template <typename Entry>
void rasentry_to_entry(const Entry& in, const std::string& name, phonebook::PbkFile& file) {
  const DWORD size = in.dwSize;
  if (!file.has_entry(name)) file.add_entry(name);
  auto set = [&](const char* key, const std::string& value, Scope scope = Scope::Entry) {
    file.set(name, key, value, scope);
  };
  auto num = [](std::uint32_t v) { return std::to_string(v); };
  if (OPENRAS_HAS_FIELD(Entry, size, dwVpnStrategy)) {
    set("Encoding", "1");
    set("Type", num(in.dwType));
  }
  set("IpPrioritizeRemote", num(in.dwfOptions & RASEO_RemoteDefaultGateway ? 1 : 0));
  set("IpHeaderCompression", num(in.dwfOptions & RASEO_IpHeaderCompression ? 1 : 0));
  set("SwCompression", num(in.dwfOptions & RASEO_SwCompression ? 1 : 0));
  set("LcpExtensions", num(in.dwfOptions & RASEO_DisableLcpExtensions ? 0 : 1));
  std::uint32_t restrictions = 0;
  for (const auto& f : kAuthFlags) {
    if (in.dwfOptions & f.option) restrictions |= f.restriction;
  }
  if (restrictions) set("AuthRestrictions", num(restrictions));
  std::uint32_t encryption = (in.dwfOptions & RASEO_RequireDataEncryption) ? kDeRequire : kDeNone;
  if (OPENRAS_HAS_FIELD(Entry, size, dwVpnStrategy)) {
    encryption = in.dwEncryptionType == ET_Require      ? kDeRequire
                 : in.dwEncryptionType == ET_RequireMax ? kDeRequireMax
                 : in.dwEncryptionType == ET_Optional   ? kDeIfPossible
                                                        : encryption;
    set("VpnStrategy", num(in.dwVpnStrategy));
    // The EAP type of an entry that uses EAP (26: EAP-MSCHAPv2, the one OpenRAS speaks).
    if (in.dwCustomAuthKey) set("CustomAuthKey", num(in.dwCustomAuthKey));
  }
  set("DataEncryption", num(encryption));
  if (OPENRAS_HAS_FIELD(Entry, size, dwIdleDisconnectSeconds)) {
    set("IdleDisconnectSeconds", num(in.dwIdleDisconnectSeconds));
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwRedialPause)) {
    set("RedialAttempts", num(in.dwRedialCount));
    set("RedialSeconds", num(in.dwRedialPause));
    set("IpDnsSuffix", field_string(in.szDnsSuffix));
    set("TcpWindowSize", num(in.dwTcpWindowSize));
    set("PrerequisiteEntry", field_string(in.szPrerequisiteEntry));
    set("PrerequisitePbk", field_string(in.szPrerequisitePbk));
    set("CustomDialDll", field_string(in.szCustomDialDll));
    set("DialMode", num(in.dwDialMode));
    set("DialPercent", num(in.dwDialExtraPercent));
    set("DialSeconds", num(in.dwDialExtraSampleSeconds));
    set("HangUpPercent", num(in.dwHangUpExtraPercent));
    set("HangUpSeconds", num(in.dwHangUpExtraSampleSeconds));
    for (const auto& k : kOption2Keys) {
      set(k.key, num(((in.dwfOptions2 & k.flag) != 0) != k.inverted ? 1 : 0));
    }
    set("IpSecFlags", num(in.dwfOptions2 & RASEO2_UsePreSharedKey ? kIpSecUsePreSharedKey : 0));
    std::uint32_t rest = in.dwfOptions2 & ~keyed_options2();
    if (rest) {
      char hex[16];
      std::snprintf(hex, sizeof(hex), "0x%08x", rest);
      set("OpenRasOptions2", hex);
    } else if (file.get(name, "OpenRasOptions2")) {
      set("OpenRasOptions2", "0");
    }
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwIPv6InterfaceMetric)) {
    set("IpInterfaceMetric", num(in.dwIPv4InterfaceMetric));
    set("Ipv6InterfaceMetric", num(in.dwIPv6InterfaceMetric));
  }
  if (OPENRAS_HAS_FIELD(Entry, size, dwNetworkOutageTime)) {
    set("NetworkOutageTime", num(in.dwNetworkOutageTime));
  }
  if (OPENRAS_HAS_FIELD(Entry, size, fDisableIKEv2Fragmentation)) {
    set("IDI", field_string(in.szIDi));
    set("IDR", field_string(in.szIDr));
    set("ImsConfig", num(in.fIsImsConfig ? 1 : 0));
    set("IdiType", num(static_cast<std::uint32_t>(in.IdiType)));
    set("IdrType", num(static_cast<std::uint32_t>(in.IdrType)));
    set("Disable_IKEv2_Fragmentation", num(in.fDisableIKEv2Fragmentation ? 1 : 0));
  }
  set("IpAssign", in.dwfOptions & RASEO_SpecificIpAddr ? "2" : "1");
  if (in.dwfOptions & RASEO_SpecificIpAddr) set("IpAddress", format_ip(in.ipaddr));
  set("IpNameAssign", in.dwfOptions & RASEO_SpecificNameServers ? "2" : "1");
  if (in.dwfOptions & RASEO_SpecificNameServers) {
    set("IpDnsAddress", format_ip(in.ipaddrDns));
    set("IpDns2Address", format_ip(in.ipaddrDnsAlt));
  }
  if (in.dwFrameSize) set("IpFrameSize", num(in.dwFrameSize));
  std::uint32_t excluded = 0;
  if (!(in.dwfNetProtocols & RASNP_Ip)) excluded |= kNpIp;
  if (!(in.dwfNetProtocols & RASNP_Ipv6)) excluded |= kNpIpv6;
  set("ExcludedProtocols", num(excluded));
  set("MEDIA", "rastapi", Scope::Media);
  set("Device", field_string(in.szDeviceName), Scope::Media);
  set("DEVICE", device_type_for(in), Scope::Device);
  set("PhoneNumber", field_string(in.szLocalPhoneNumber), Scope::Device);
  set("AreaCode", field_string(in.szAreaCode), Scope::Device);
  set("CountryCode", num(in.dwCountryCode), Scope::Device);
  set("CountryID", num(in.dwCountryID), Scope::Device);
  set("UseDialingRules", in.dwfOptions & RASEO_UseCountryAndAreaCodes ? "1" : "0", Scope::Device);
}

template void entry_to_rasentry(const phonebook::PbkFile&, const std::string&, RASENTRYA&);
template void entry_to_rasentry(const phonebook::PbkFile&, const std::string&, RASENTRYW&);
template void rasentry_to_entry(const RASENTRYA&, const std::string&, phonebook::PbkFile&);
template void rasentry_to_entry(const RASENTRYW&, const std::string&, phonebook::PbkFile&);

}  // namespace openras::client
