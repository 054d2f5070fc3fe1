#include "host/interface.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>

#include "common/log.hpp"
#include "host/netlink.hpp"
#include "raserror.h"

namespace openras::host {
namespace {

// The metric Windows gives a VPN default route sits below the LAN's; a low one here too.
constexpr unsigned kDefaultRouteMetric = 50;

// With a virtio-net header and TCP segmentation offload where the kernel has them: the
// kernel then hands over TCP super-packets, one read for up to 64 KB (see tun_offload.hpp).
// Only a new interface: IFF_TUN_EXCL makes TUNSETIFF fail on a name that exists (an
// administrator's persistent TUN, another connection's), and the dial takes a fresh rasN.
int open_tun(const std::string& wanted, std::string& name, bool& vnet_header) {
  for (bool vnet : {true, false}) {
    int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return -1;
    for (const std::string& pattern : {wanted, std::string("ras%d")}) {
      if (pattern.empty()) continue;
      ifreq ifr{};
      ifr.ifr_flags =
          static_cast<short>(IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL | (vnet ? IFF_VNET_HDR : 0));
      std::strncpy(ifr.ifr_name, pattern.c_str(), IFNAMSIZ - 1);
      if (::ioctl(fd, TUNSETIFF, &ifr) != 0) continue;
      if (vnet && ::ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) != 0) {
        log_line("net", "%s: no TCP segmentation offload: %s", ifr.ifr_name, std::strerror(errno));
      }
      name = ifr.ifr_name;
      vnet_header = vnet;
      return fd;
    }
    ::close(fd);
  }
  return -1;
}

unsigned classful_prefix(std::uint32_t ip) {
  if ((ip >> 31) == 0) return 8;
  if ((ip >> 30) == 2) return 16;
  return 24;
}

}  // namespace

Interface create_interface(const dial::NetworkRequest& request) {
  Interface out;
  out.fd = open_tun(request.interface_name, out.name, out.vnet_header);
  if (out.fd < 0) {
    log_line("net", "cannot create a TUN interface: %s", std::strerror(errno));
    out.error = ERROR_NO_IP_RAS_ADAPTER;
    return out;
  }
  unsigned index = if_nametoindex(out.name.c_str());
  int err = index ? netlink::set_link_up(index, request.mtu) : ENODEV;
  if (!err) err = netlink::add_peer_address(index, request.ip, request.peer_ip);
  if (!err) {
    if (request.default_route) {
      err = netlink::add_route(index, 0, 0, kDefaultRouteMetric);
    } else {
      unsigned prefix = classful_prefix(request.ip);
      std::uint32_t mask = prefix == 0 ? 0 : ~0u << (32 - prefix);
      err = netlink::add_route(index, request.ip & mask, prefix, kDefaultRouteMetric);
    }
  }
  // The entry's own routes; they go with the interface.
  for (const auto& route : request.routes) {
    if (err) break;
    const std::uint32_t mask = route.prefix_length == 0 ? 0 : ~0u << (32 - route.prefix_length);
    err = netlink::add_route(index, route.destination & mask, route.prefix_length,
                             kDefaultRouteMetric + route.metric);
    if (err == EEXIST) err = 0;  // the same route twice in the entry, or the network route
  }
  if (err) {
    log_line("net", "cannot configure %s: %s", out.name.c_str(), std::strerror(err));
    ::close(out.fd);
    out.fd = -1;
    out.error = ERROR_IP_CONFIGURATION;
  }
  return out;
}

}  // namespace openras::host
