#include "host/host_network.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/ipv4.hpp"
#include "common/log.hpp"

namespace openras::host {

HostNetwork::HostNetwork(asio::io_context& control, HostSettings settings)
    : control_(control),
      settings_(std::move(settings)),
      dns_(settings_.dns_mode, settings_.resolv_conf) {}

Interface HostNetwork::open_interface(std::uint32_t handle, const dial::NetworkRequest& request,
                                      std::uint32_t server, std::uint32_t& pinned) {
  pinned = 0;
  if (request.default_route && server) {
    auto it = host_routes_.find(server);
    if (it == host_routes_.end()) {
      netlink::Path path;
      // A server on this host, or one we cannot route to anyway, needs nothing.
      if (netlink::route_to(server, path) == 0 && !path.local && path.ifindex != 0) {
        journal_.route_added(server, path);  // before the change: a crash may come next
        int err = netlink::add_host_route(server, path, 0);
        if (err) journal_.route_removed(server);  // not made, or someone else's
        if (err && err != EEXIST) {
          log_line("net", "conn=%u cannot keep a route to %s: %s", handle,
                   ipv4_string(server).c_str(), std::strerror(err));
        } else {
          // An identical route already there is someone else's: used, never deleted.
          it = host_routes_.emplace(server, HostRoute{path, 0, err == 0}).first;
        }
      }
    }
    if (it != host_routes_.end()) {
      ++it->second.users;
      pinned = server;
    }
  }
  return create_interface(request);
}

void HostNetwork::unpin_route(std::uint32_t server) {
  auto it = host_routes_.find(server);
  if (it == host_routes_.end() || --it->second.users > 0) return;
  if (it->second.ours) {
    netlink::delete_host_route(it->first, it->second.via, 0);
    journal_.route_removed(it->first);
  }
  host_routes_.erase(it);
}

void HostNetwork::announce(std::uint32_t handle, const HookInfo& up, const NameService& names,
                           std::function<void()> done) {
  host_.run(
      [this, handle, up, names] {
        if (!names.servers.empty() && dns_.writes_file()) {
          journal_.resolv_block_added(handle, dns_.resolv_conf());
        }
        dns_.apply(handle, up.ifname, names.servers, names.suffix, names.default_route);
        journal_.link_up(handle, up);
        run_hooks(settings_.hooks_dir, "ip-up", up);
      },
      std::move(done));
}

void HostNetwork::close_interface(std::uint32_t handle, int fd, const HookInfo& down,
                                  std::function<void()> closed) {
  // The name servers go first, on the host thread after their addition; then the interface,
  // on a closer thread; ip-down once it is gone (its address and routes with it).
  host_.run(
      [this, handle, ifname = down.ifname] {
        dns_.remove(handle, ifname);
        journal_.resolv_block_removed(handle);
      },
      [this, handle, fd, down, closed = std::move(closed)]() mutable {
        closer_.run([fd] { ::close(fd); },
                    [this, handle, down, closed = std::move(closed)] {
                      host_.run([this, handle, down] {
                        run_hooks(settings_.hooks_dir, "ip-down", down);
                        journal_.link_down(handle);  // after: a crash before it runs ip-down again
                      });
                      log_line("net", "conn=%u %s removed", handle, down.ifname.c_str());
                      closed();
                    });
      });
}

void HostNetwork::recover() {
  if (settings_.state_dir.empty()) return;
  Leftovers left;
  if (!journal_.open(settings_.state_dir + "/host-journal", left)) return;
  for (const auto& block : left.resolv_blocks) {
    remove_resolv_block(block.resolv_conf, block.handle);
    log_line("journal", "removed the name servers a previous instance left in %s (conn=%u)",
             block.resolv_conf.c_str(), block.handle);
  }
  // Routes and links belong to the boot that made them: after a reboot they are gone already.
  if (!left.same_boot) return;
  for (const auto& route : left.routes) {
    int err = netlink::delete_host_route(route.destination, route.via, 0);
    log_line("journal", "host route to %s a previous instance left: %s",
             ipv4_string(route.destination).c_str(), err ? std::strerror(err) : "removed");
  }
  for (const auto& link : left.links_up) {
    log_line("journal", "%s went down with a previous instance: running ip-down",
             link.ifname.c_str());
    run_hooks(settings_.hooks_dir, "ip-down", link);
  }
}

}  // namespace openras::host
