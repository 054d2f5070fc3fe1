#include "phonebook/entry.hpp"

#include <algorithm>
#include <charconv>

#include "raserror.h"

namespace openras::phonebook {
namespace {

std::uint32_t parse_u32(std::string_view s, std::uint32_t fallback) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return (ec == std::errc() && p == s.data() + s.size()) ? v : fallback;
}

// Numeric keys and the values that make sense for them: a value outside (or not a number) is
// a broken entry, found when it is read rather than as a strange failure mid-dial.
struct KeyRange {
  std::string_view key;
  std::uint32_t min;
  std::uint32_t max;
};
constexpr KeyRange kKeyRanges[] = {
    {"Type", 1, 5},
    {"VpnStrategy", 0, 14},
    {"RedialAttempts", 0, 999'999'999},
    {"RedialSeconds", 0, 86'400},
    {"RedialOnLinkFailure", 0, 1},
    {"IdleDisconnectSeconds", 0, 0xFFFF'FFFF},
    {"OpenRasLcpEchoSeconds", 1, 3'600},
    {"OpenRasLcpEchoFailures", 1, 100},
    {"OpenRasSstpHelloSeconds", 1, 3'600},
    {"OpenRasSstpNegotiationSeconds", 1, 600},
    {"OpenRasModemConnectSeconds", 1, 600},
    {"OpenRasRedialMs", 0, 86'400'000},
};

// "" when every ranged key of `e` is in range, else what is wrong.
std::string out_of_range_key(const Entry& e) {
  for (const auto& range : kKeyRanges) {
    auto value = e.key(range.key);
    if (!value || value->empty()) continue;
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(value->data(), value->data() + value->size(), v);
    if (ec != std::errc() || p != value->data() + value->size() || v < range.min || v > range.max) {
      return std::string(range.key) + "=" + *value + " is not a number from " +
             std::to_string(range.min) + " to " + std::to_string(range.max);
    }
  }
  return {};
}

}  // namespace

std::optional<std::string> Entry::key(std::string_view k) const {
  auto it = keys.find(k);
  if (it == keys.end()) return std::nullopt;
  return it->second;
}

std::uint32_t Entry::key_u32(std::string_view k, std::uint32_t fallback) const {
  auto v = key(k);
  return v && !v->empty() ? parse_u32(*v, fallback) : fallback;
}

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

EntryParse entry_from_pbk(const PbkFile& file, std::string_view name) {
  EntryParse out;
  if (!file.has_entry(name)) {
    out.error = ERROR_CANNOT_FIND_PHONEBOOK_ENTRY;
    return out;
  }
  for (const auto& d : file.diagnostics()) {
    if (d.entry == name) {
      out.error = ERROR_CORRUPT_PHONEBOOK;
      out.detail = "line " + std::to_string(d.line) + ": " + d.message;
      return out;
    }
  }
  Entry e;
  e.name = std::string(name);
  auto text = file.entry_text(name).value_or("");
  PbkFile one = PbkFile::parse(text);
  // Entry-scope keys, in file order; the first occurrence wins as on Windows.
  std::size_t pos = 0;
  bool in_entry_scope = true;
  std::string route_hex;  // every Routes= line, in order: they continue one another
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line(text.data() + pos, (nl == std::string::npos ? text.size() : nl) - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view k, v;
    if (!split_key_line(line, k, v)) continue;
    if (k == "MEDIA" || k == "DEVICE" || k == "NETCOMPONENTS") in_entry_scope = false;
    if (in_entry_scope) e.keys.emplace(std::string(k), std::string(v));
    if (in_entry_scope && k == "Routes") route_hex.append(v);
  }
  if (std::string wrong = out_of_range_key(e); !wrong.empty()) {
    out.error = ERROR_CORRUPT_PHONEBOOK;
    out.detail = std::move(wrong);
    return out;
  }
  e.type = e.key_u32("Type", 1);
  e.vpn_strategy = e.key_u32("VpnStrategy", 0);
  e.redial_attempts = e.key_u32("RedialAttempts", 0);
  e.redial_seconds = e.key_u32("RedialSeconds", 0);
  e.redial_on_link_failure = e.key_u32("RedialOnLinkFailure", 0) != 0;
  e.idle_disconnect_seconds = e.key_u32("IdleDisconnectSeconds", 0);
  e.auth_restrictions = e.key_u32("AuthRestrictions", 0);
  e.data_encryption = e.key_u32("DataEncryption", 0);
  e.remote_default_gateway = e.key_u32("IpPrioritizeRemote", 1) != 0;
  // A suffix reaches resolv.conf and resolvectl: only a DNS name is taken.
  e.dns_suffix = e.key("IpDnsSuffix").value_or("");
  if (!is_dns_name(e.dns_suffix)) e.dns_suffix.clear();
  auto routes = parse_entry_routes(e.key_u32("NumRoutes", 0), route_hex);
  if (!routes) {
    out.error = ERROR_CORRUPT_PHONEBOOK;
    out.detail = "NumRoutes and Routes do not describe that many routes";
    return out;
  }
  e.routes = std::move(*routes);
  e.media = one.get(name, "MEDIA", Scope::Media).value_or("");
  e.port = one.get(name, "Port", Scope::Media).value_or("");
  e.device_name = one.get(name, "Device", Scope::Media).value_or("");
  e.device_type = one.get(name, "DEVICE", Scope::Device).value_or("");
  e.phone_number = one.get(name, "PhoneNumber", Scope::Device).value_or("");
  out.entry = std::move(e);
  return out;
}

EntryParse entry_from_text(std::string_view section_text) {
  PbkFile file = PbkFile::parse(section_text);
  auto names = file.entry_names();
  if (names.size() != 1) {
    EntryParse out;
    out.error = ERROR_CORRUPT_PHONEBOOK;
    out.detail = "expected exactly one entry";
    return out;
  }
  return entry_from_pbk(file, names.front());
}

}  // namespace openras::phonebook
