// The typed view of one phonebook entry that the dial layer needs. Built from the entry's
// .pbk section text, so rasmand parses exactly what the client read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "phonebook/entry_routes.hpp"
#include "phonebook/pbk_file.hpp"

namespace openras::phonebook {

// AuthRestrictions bits, [MS-RRASM] 2.2.2.2.58 (bit numbers counted from 1 at the LSB).
enum AuthRestriction : std::uint32_t {
  kAuthPap = 1u << 3,
  kAuthSpap = 1u << 4,
  kAuthMd5Chap = 1u << 5,
  kAuthMsChap = 1u << 6,
  kAuthEap = 1u << 7,
  kAuthMsChapV2 = 1u << 9,
  kAuthW95MsChap = 1u << 10,
};

// DataEncryption key values ([MS-RRASM] 2.2.2.2.7).
constexpr std::uint32_t kDataEncryptionNone = 0, kDataEncryptionIfPossible = 8,
                        kDataEncryptionRequire = 256, kDataEncryptionRequireMax = 512;

struct Entry {
  std::string name;
  std::uint32_t type = 1;   // RASET_Phone
  std::string media;        // MEDIA=
  std::string port;         // Port=
  std::string device_name;  // Device= (in the MEDIA block)
  std::string device_type;  // DEVICE= (opens the DEVICE block)
  std::string phone_number;
  std::uint32_t vpn_strategy = 0;
  std::uint32_t redial_attempts = 0;
  std::uint32_t redial_seconds = 0;
  bool redial_on_link_failure = false;
  std::uint32_t idle_disconnect_seconds = 0;
  std::uint32_t auth_restrictions = 0;  // 0: the default set
  std::uint32_t data_encryption = 0;    // DataEncryption: one of kDataEncryption*
  bool remote_default_gateway = true;   // IpPrioritizeRemote
  std::vector<EntryRoute> routes;       // NumRoutes + Routes= (Add-VpnConnectionRoute)
  std::string dns_suffix;               // IpDnsSuffix: the connection's DNS domain
  std::map<std::string, std::string, std::less<>> keys;  // every Entry-scope key, raw

  std::optional<std::string> key(std::string_view k) const;
  std::uint32_t key_u32(std::string_view k, std::uint32_t fallback) const;
};

struct EntryParse {
  std::optional<Entry> entry;
  std::uint32_t error = 0;  // ERROR_CANNOT_FIND_PHONEBOOK_ENTRY / ERROR_CORRUPT_PHONEBOOK
  std::string detail;       // "line 7: line is not Key=Value"
};

EntryParse entry_from_pbk(const PbkFile& file, std::string_view name);
// Letters, digits, '-' and '.', at most 253 octets: what a DNS suffix may hold.
bool is_dns_name(std::string_view name);
EntryParse entry_from_text(std::string_view section_text);

}  // namespace openras::phonebook
