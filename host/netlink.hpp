// The few rtnetlink requests a connection needs (libmnl): link up with an MTU, a
// point-to-point IPv4 address, routes through the interface, and a host route that keeps a VPN
// server reached the way it was before the tunnel took the default route. Each returns 0 or an
// errno.
#pragma once

#include <cstdint>
#include <string>

namespace openras::host::netlink {

int set_link_up(unsigned ifindex, unsigned mtu);
int add_peer_address(unsigned ifindex, std::uint32_t local, std::uint32_t peer);  // host order
int add_route(unsigned ifindex, std::uint32_t destination, unsigned prefix, unsigned metric);

// How the kernel reaches an address now: the interface, the gateway (0: on-link), and
// whether it is one of this host's own.
struct Path {
  unsigned ifindex = 0;
  std::uint32_t gateway = 0;  // host order
  bool local = false;
};
int route_to(std::uint32_t destination, Path& path);
int add_host_route(std::uint32_t destination, const Path& via, unsigned metric);
int delete_host_route(std::uint32_t destination, const Path& via, unsigned metric);

}  // namespace openras::host::netlink
