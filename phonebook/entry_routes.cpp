#include "phonebook/entry_routes.hpp"

namespace openras::phonebook {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

void put_le32(std::string& out, std::uint32_t v) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (int i = 0; i < 4; ++i) {
    std::uint8_t octet = static_cast<std::uint8_t>(v >> (8 * i));
    out += kDigits[octet >> 4];
    out += kDigits[octet & 0xf];
  }
}

}  // namespace

std::optional<std::vector<EntryRoute>> parse_entry_routes(std::uint32_t count,
                                                          std::string_view hex) {
  std::vector<EntryRoute> routes;
  if (count == 0) return routes;
  // Bounded by what the text can hold, so a hostile NumRoutes reserves nothing.
  if (hex.size() / (2 * kEntryRouteOctets) < count) return std::nullopt;
  routes.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint8_t octets[kEntryRouteOctets];
    for (std::size_t j = 0; j < kEntryRouteOctets; ++j) {
      std::size_t at = (i * kEntryRouteOctets + j) * 2;
      int high = hex_value(hex[at]);
      int low = hex_value(hex[at + 1]);
      if (high < 0 || low < 0) return std::nullopt;
      octets[j] = static_cast<std::uint8_t>(high << 4 | low);
    }
    EntryRoute r;
    r.metric = le32(octets);
    r.family = le32(octets + 4);
    r.prefix_length = le32(octets + 8);
    for (std::size_t j = 0; j < 16; ++j) r.address[j] = octets[12 + j];
    const std::uint32_t bits = r.family == EntryRoute::kIpv4 ? 32 : 128;
    if ((r.family != EntryRoute::kIpv4 && r.family != EntryRoute::kIpv6) ||
        r.prefix_length > bits) {
      return std::nullopt;
    }
    routes.push_back(r);
  }
  return routes;
}

std::string format_entry_routes(const std::vector<EntryRoute>& routes) {
  std::string out;
  for (const auto& r : routes) {
    put_le32(out, r.metric);
    put_le32(out, r.family);
    put_le32(out, r.prefix_length);
    for (std::uint8_t octet : r.address) {
      static constexpr char kDigits[] = "0123456789ABCDEF";
      out += kDigits[octet >> 4];
      out += kDigits[octet & 0xf];
    }
    out += "0000000000000000";
  }
  return out;
}

}  // namespace openras::phonebook
