#include "dial/port_and_network.hpp"

namespace openras::dial {

std::vector<NetworkRequest::Route> entry_ipv4_routes(const phonebook::Entry& entry) {
  std::vector<NetworkRequest::Route> out;
  for (const auto& route : entry.routes) {
    if (route.family != phonebook::EntryRoute::kIpv4) continue;
    const auto& a = route.address;
    out.push_back({static_cast<std::uint32_t>(a[0]) << 24 | a[1] << 16 | a[2] << 8 | a[3],
                   static_cast<std::uint8_t>(route.prefix_length), route.metric});
  }
  return out;
}

}  // namespace openras::dial
