// Host networking as one service of the control plane: the TUN interfaces (made on the control
// loop, closed on closer threads), the reference-counted host routes that keep each VPN
// server off the tunnels' default routes, name servers and hook scripts (on one host thread,
// in order), each change recorded in the journal just before it is made, and undoing what a
// crashed instance left. Called on the control loop only; its completions come back there.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dial/port_and_network.hpp"
#include "host/dns.hpp"
#include "host/hooks.hpp"
#include "host/host_journal.hpp"
#include "host/interface.hpp"
#include "host/netlink.hpp"
#include "host/worker_pool.hpp"

namespace openras::host {

// What a connection's name service is: its servers, its DNS suffix, whether it takes every
// name (a full tunnel) or only its suffix's (a split tunnel; see DnsManager::apply).
struct NameService {
  std::vector<std::string> servers;
  std::string suffix;
  bool default_route = true;
};

struct HostSettings {
  DnsMode dns_mode = DnsMode::Auto;
  std::string resolv_conf = "/etc/resolv.conf";
  std::string hooks_dir = "/etc/openras";  // ip-up.d / ip-down.d below it
  std::string state_dir;                   // the journal; "" keeps none
};

class HostNetwork {
 public:
  HostNetwork(asio::io_context& control, HostSettings settings);

  // Undoes what a previous instance left on the host (its journal in the state directory):
  // host routes, resolv.conf blocks, ip-down scripts that never ran. Call once, at start.
  void recover();

  // Makes the interface for `request`. When it takes the default route, a host route to
  // `server` is kept first, so that the tunnel's own packets go on the way they went;
  // `pinned` is set to the server whose route this connection now holds (0: none).
  Interface open_interface(std::uint32_t handle, const dial::NetworkRequest& request,
                           std::uint32_t server, std::uint32_t& pinned);
  // The connection no longer needs the route to `server` (the last user's removes ours).
  void unpin_route(std::uint32_t server);

  // Sets the name servers and starts ip-up, off the loops and in order; then `done` runs on
  // the control loop, so the machine hears the network is ready only once they are made.
  void announce(std::uint32_t handle, const HookInfo& up, const NameService& names,
                std::function<void()> done);
  // Removes the name servers, closes the interface (`fd`, on a closer thread: the kernel waits
  // 15-50 ms for each), then `closed` runs on the control loop and ip-down is started.
  void close_interface(std::uint32_t handle, int fd, const HookInfo& down,
                       std::function<void()> closed);

 private:
  asio::io_context& control_;
  HostSettings settings_;
  DnsManager dns_;
  HostJournal journal_;
  // Blocking host work (docs/architecture.md): TUN closes, several at once; DNS changes and
  // hook scripts on one thread, in order. Declared after what their jobs use.
  WorkerPool closer_{control_, 64};
  WorkerPool host_{control_, 1};
  // Host routes to VPN servers: the path that was taken to each before, and how many
  // connections rely on it.
  struct HostRoute {
    netlink::Path via;
    int users = 0;
    bool ours = true;  // false: it was there before us
  };
  std::map<std::uint32_t, HostRoute> host_routes_;
};

}  // namespace openras::host
