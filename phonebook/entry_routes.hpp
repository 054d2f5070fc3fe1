// The routes an entry adds to its tunnel when it connects (Windows' Add-VpnConnectionRoute),
// as its phonebook keeps them: NumRoutes=N and the routes as hexadecimal in one or more
// "Routes=" lines that continue one another. Each route is 36 octets, as phonebooks written by
// Windows show them (public reports; no specification describes them): the metric, the
// address family (2 for IPv4, 23 for IPv6) and the prefix length, each 32 bits
// little-endian, the address in 16 octets (an IPv4 address in the first four), then 8
// octets whose meaning is not known (zero in every phonebook seen) and which are ignored.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace openras::phonebook {

struct EntryRoute {
  static constexpr std::uint32_t kIpv4 = 2;   // AF_INET on Windows
  static constexpr std::uint32_t kIpv6 = 23;  // AF_INET6 on Windows
  std::uint32_t family = kIpv4;
  std::uint32_t prefix_length = 0;
  std::array<std::uint8_t, 16> address{};  // network order; IPv4 in the first four
  std::uint32_t metric = 1;
};

constexpr std::size_t kEntryRouteOctets = 36;

// The routes of NumRoutes=`count` from the concatenated Routes= values; std::nullopt when the
// text is not hexadecimal, holds fewer routes than `count`, or a route is malformed (a family
// other than 2 or 23, a prefix longer than its address). Hex past the last route is ignored
// (Windows pads the last line).
std::optional<std::vector<EntryRoute>> parse_entry_routes(std::uint32_t count,
                                                          std::string_view hex);

// The Routes= text for `routes` (one string of hexadecimal; the phonebook splits it).
std::string format_entry_routes(const std::vector<EntryRoute>& routes);

}  // namespace openras::phonebook
