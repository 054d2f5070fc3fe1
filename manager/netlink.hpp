// The few rtnetlink requests a connection needs (libmnl): link up with an MTU, a
// point-to-point IPv4 address, and routes through the interface. Each returns 0 or an errno.
#pragma once

#include <cstdint>
#include <string>

namespace openras::manager::netlink {

int set_link_up(unsigned ifindex, unsigned mtu);
int add_peer_address(unsigned ifindex, std::uint32_t local, std::uint32_t peer);  // host order
int add_route(unsigned ifindex, std::uint32_t destination, unsigned prefix, unsigned metric);

}  // namespace openras::manager::netlink
