// The I/O side of a connection: its port (a tty, a TLS stream or a UDP socket) and its
// interface (TUN), in the manager's event loop. The dial machine only ever sees octets and
// packets.
#include <arpa/inet.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/ipv4.hpp"
#include "common/ras_errors.hpp"
#include "manager/connection_manager.hpp"
#include "manager/hooks.hpp"
#include "manager/interface.hpp"
#include "manager/log.hpp"
#include "manager/serial_port.hpp"
#include "manager/tun_offload.hpp"

namespace openras::manager {
namespace {

// Past a burst's worth, a stream's write buffer is let go once written.
constexpr std::size_t kKeptWriteCapacity = 256 * 1024;

HookInfo hook_info(const Connection& c) {
  HookInfo info;
  info.ifname = c.ifname;
  info.device = c.machine->device_name();
  info.link_name = c.entry_name;
  if (c.network) {
    info.local = ipv4_string(c.network->ip);
    info.remote = ipv4_string(c.network->peer_ip);
    info.dns1 = ipv4_string(c.network->dns1);
    info.dns2 = ipv4_string(c.network->dns2);
  }
  auto stats = c.machine->statistics();
  info.speed = stats.bps;
  info.bytes_sent = stats.bytes_sent;
  info.bytes_received = stats.bytes_received;
  if (c.connected_once) {
    info.connect_seconds = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - c.connected_at).count());
  }
  return info;
}

}  // namespace

Connection* ConnectionManager::find(std::uint32_t handle) {
  auto it = connections_.find(handle);
  return it == connections_.end() ? nullptr : it->second.get();
}

void ConnectionManager::open_port(Connection& c, const dial::PortRequest& request) {
  if (request.kind == dial::PortRequest::Kind::Tty) {
    std::uint32_t error = 0;
    PortCaller caller{c.owner_peer.uid, c.owner_peer.groups};
    caller.gids.push_back(c.owner_peer.gid);
    c.port = open_tty_port(io_, request, caller, error);
    if (!c.port) {
      log_line("port", "conn=%u cannot open %s for uid %u: %s", c.handle, request.device.c_str(),
               c.owner_peer.uid, std::string(error_name(error)).c_str());
      c.machine->port_failed(error, Clock::now());
      return;
    }
    log_line("port", "conn=%u opened %s at %u bps", c.handle, request.device.c_str(),
             request.speed);
    c.machine->port_opened({}, Clock::now());
    read_port(c);
    return;
  }
  const char* kind = request.kind == dial::PortRequest::Kind::Udp ? "UDP" : "TLS";
  auto opened = [this, handle = c.handle, device = request.device, kind](
                    std::unique_ptr<LinePort> port, dial::PortInfo info, std::uint32_t error) {
    Connection* c = find(handle);
    if (!c) return;
    c->opening.reset();
    if (error) {
      log_line("port", "conn=%u cannot reach %s: %s", handle, device.c_str(),
               std::string(error_name(error)).c_str());
      c->machine->port_failed(error, Clock::now());
    } else {
      log_line("port", "conn=%u %s up with %s", handle, kind, device.c_str());
      c->port = std::move(port);
      c->remote_ipv4 = info.remote_ipv4;
      c->machine->port_opened(info, Clock::now());
      read_port(*c);
    }
    pump(*c);
  };
  log_line("port", "conn=%u connecting to %s port %u", c.handle, request.device.c_str(),
           request.remote_port);
  c.opening = request.kind == dial::PortRequest::Kind::Udp
                  ? open_udp_port(io_, request, std::move(opened))
                  : open_tls_port(io_, tls_, request, std::move(opened));
}

void ConnectionManager::read_port(Connection& c) {
  if (!c.port) return;
  // The handler keeps the port alive: a TLS stream must outlive every operation on it, even
  // one cancelled because the connection let go of its port.
  // For overwrite: an idle connection's RSS holds only the pages its reads have touched.
  if (!c.port_buffer) c.port_buffer = std::make_shared_for_overwrite<Connection::PortBuffer>();
  auto buffer = c.port_buffer;
  c.port->async_read(asio::buffer(*buffer), [this, handle = c.handle, keep = c.port, buffer](
                                                const std::error_code& ec, std::size_t n) {
    Connection* c = find(handle);
    if (!c || keep != c->port || ec == asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      // The other end of the line went away (EOF, EIO on a pty).
      close_port(*c);
      c->machine->line_closed(Clock::now());
    } else {
      c->machine->feed_line({buffer->data(), n}, Clock::now());
      read_port(*c);
    }
    pump(*c);
  });
}

void ConnectionManager::write_port(Connection& c) {
  if (c.port && c.port->concurrent_writes()) {
    // Datagrams: all at once, so a StopCCN queued just before the port is let go still leaves;
    // many a system call where the port can (sendmmsg).
    if (c.port_writing) return;  // waiting for the socket to take more
    if (c.port->send_queued(c.port_out, [this, handle = c.handle, keep = c.port] {
          Connection* c = find(handle);
          if (!c || keep != c->port) return;
          c->port_writing = false;
          write_port(*c);
        })) {
      c.port_writing = !c.port_out.empty();
      return;
    }
    while (!c.port_out.empty()) {
      auto bytes = std::make_shared<ppp::LineBytes>(std::move(c.port_out.front()));
      c.port_out.pop_front();
      c.port->async_write(asio::buffer(*bytes),
                          [keep = c.port, bytes](const std::error_code&, std::size_t) {});
    }
    return;
  }
  if (c.port_writing || c.port_pending.empty() || !c.port) return;
  c.port_writing = true;
  // A stream takes all that is pending as one write: one syscall for a burst.
  if (!c.port_sending) c.port_sending = std::make_shared<ppp::LineBytes>();
  auto bytes = c.port_sending;
  bytes->swap(c.port_pending);
  c.port_pending.clear();
  c.port->async_write(asio::buffer(*bytes), [this, handle = c.handle, keep = c.port, bytes](
                                                const std::error_code& ec, std::size_t) {
    // A backlog that once piled up need not stay allocated.
    if (bytes->capacity() > kKeptWriteCapacity) *bytes = {};
    Connection* c = find(handle);
    if (!c || keep != c->port) return;
    c->port_writing = false;
    if (ec) return;  // the read side reports the line closing
    write_port(*c);
  });
}

void ConnectionManager::close_port(Connection& c) {
  if (c.opening) {
    c.opening->cancel();
    c.opening.reset();
  }
  if (!c.port) return;
  c.port->close();
  c.port.reset();
  // What the port's data path grew goes with it (a failed dial is kept until RasHangUp).
  c.port_out = {};
  c.port_pending = {};
  c.port_sending.reset();  // a cancelled write may still hold it
  c.port_buffer.reset();   // so may a cancelled read
  c.port_writing = false;
}

void ConnectionManager::pin_route_to_server(Connection& c) {
  std::uint32_t server = c.remote_ipv4;
  if (!server || c.pinned_route_to) return;
  auto it = host_routes_.find(server);
  if (it == host_routes_.end()) {
    netlink::Path path;
    // A server on this host, or one we cannot route to anyway, needs nothing.
    if (netlink::route_to(server, path) != 0 || path.local || path.ifindex == 0) return;
    journal_.route_added(server, path);  // before the change: a crash may come next
    int err = netlink::add_host_route(server, path, 0);
    if (err) journal_.route_removed(server);  // not made, or someone else's
    if (err && err != EEXIST) {
      log_line("net", "conn=%u cannot keep a route to %s: %s", c.handle,
               ipv4_string(server).c_str(), std::strerror(err));
      return;
    }
    // An identical route already there is someone else's: used, never deleted.
    it = host_routes_.emplace(server, HostRoute{path, 0, err == 0}).first;
  }
  ++it->second.users;
  c.pinned_route_to = server;
}

void ConnectionManager::unpin_route_to_server(Connection& c) {
  auto it = host_routes_.find(c.pinned_route_to);
  c.pinned_route_to = 0;
  if (it == host_routes_.end() || --it->second.users > 0) return;
  if (it->second.ours) {
    netlink::delete_host_route(it->first, it->second.via, 0);
    journal_.route_removed(it->first);
  }
  host_routes_.erase(it);
}

void ConnectionManager::configure_network(Connection& c, const dial::NetworkRequest& asked) {
  c.network_configured = true;
  if (c.tun_closing) {
    // A redial's new interface waits for the old one (it may want the same name).
    c.deferred_network = asked;
    return;
  }
  // The administrator's policy for connections of users who are not root or admins: without
  // it they may not take the system's default route (the tunnel gets its network's route)
  // or its name servers (the tunnel's go unused).
  dial::NetworkRequest request = asked;
  const bool privileged = sees_everything(c.owner_peer);
  if (!privileged && request.default_route && !options_.policy.users_default_route) {
    log_line("net", "conn=%u uid=%u may not take the default route: network route only", c.handle,
             c.owner_peer.uid);
    request.default_route = false;
  }
  if (!privileged && !options_.policy.users_dns && (request.dns1 || request.dns2)) {
    log_line("net", "conn=%u uid=%u may not set name servers: the tunnel's are not used", c.handle,
             c.owner_peer.uid);
    request.dns1 = request.dns2 = 0;
  }
  // Before the default route moves into the tunnel: the tunnel's own packets must keep going
  // to the server the way they went so far.
  if (request.default_route) pin_route_to_server(c);
  Interface iface = create_interface(request);
  if (iface.fd < 0) {
    c.machine->network_ready(iface.error, Clock::now());
    return;
  }
  c.tun = std::make_unique<asio::posix::stream_descriptor>(io_, iface.fd);
  c.tun_vnet = iface.vnet_header;
  c.tun_buffer.resize(c.tun_vnet ? offload::kVnetHeaderSize + 65536 : 2048);
  c.ifname = iface.name;
  c.network = request;
  std::vector<std::string> servers;
  for (std::uint32_t dns : {request.dns1, request.dns2}) {
    if (dns) servers.push_back(ipv4_string(dns));
  }
  log_line("net", "conn=%u %s up, mtu %u, %s route", c.handle, c.ifname.c_str(), request.mtu,
           request.default_route ? "default" : "network");
  // The name servers are the system's, and the ip-up scripts started, before the machine
  // hears the network is ready (and reports Connected): on the host thread, in order with
  // their removal and ip-down, each recorded in the journal just before it is made.
  host_.run(
      [this, handle = c.handle, up = hook_info(c), servers] {
        if (!servers.empty() && dns_.writes_file()) {
          journal_.resolv_block_added(handle, dns_.resolv_conf());
        }
        dns_.apply(handle, up.ifname, servers);
        journal_.link_up(handle, up);
        run_hooks(options_.hooks_dir, "ip-up", up);
      },
      [this, handle = c.handle] { network_applied(handle); });
}

void ConnectionManager::network_applied(std::uint32_t handle) {
  Connection* c = find(handle);
  if (!c) return;
  if (c->tun && !c->tun_closing && !c->hung_up) {
    c->machine->network_ready(0, Clock::now());
    read_tun(*c);
  }
  pump(*c);
}

void ConnectionManager::read_tun(Connection& c) {
  if (!c.tun) return;
  c.tun->async_read_some(asio::buffer(c.tun_buffer), [this, handle = c.handle](
                                                         const std::error_code& ec, std::size_t n) {
    Connection* c = find(handle);
    if (!c || !c->tun || ec) return;
    auto deliver = [c](std::size_t got) {
      std::span<std::uint8_t> read(c->tun_buffer.data(), got);
      if (!c->tun_vnet) {
        c->machine->send_packet(read);
      } else if (!offload::split(read, c->tun_segment, [c](std::span<const std::uint8_t> p) {
                   c->machine->send_packet(p);
                 })) {
        ++c->tun_malformed;
      }
    };
    deliver(n);
    // Take what else is queued (the descriptor is non-blocking) before pumping once: a burst
    // leaves as one write on the port.
    for (int more = 0; more < 32; ++more) {
      ssize_t got = ::read(c->tun->native_handle(), c->tun_buffer.data(), c->tun_buffer.size());
      if (got <= 0) break;
      deliver(static_cast<std::size_t>(got));
    }
    read_tun(*c);
    pump(*c);
  });
}

void ConnectionManager::write_tun(Connection& c) {
  if (c.tun_writing || c.tun_out.empty() || !c.tun) return;
  c.tun_writing = true;
  // With the virtio-net header, each queued write carries its own (see flush_output).
  c.tun->async_write_some(asio::buffer(c.tun_out.front()),
                          [this, handle = c.handle](const std::error_code& ec, std::size_t) {
                            // Aborted: the TUN was closed, and close_tun emptied the queue.
                            if (ec == asio::error::operation_aborted) return;
                            Connection* c = find(handle);
                            if (!c) return;
                            c->tun_writing = false;
                            c->tun_out.pop_front();  // a packet the kernel refused is dropped
                            write_tun(*c);
                          });
}

void ConnectionManager::flush_output(Connection& c) {
  if (c.port && !c.port->concurrent_writes()) {
    while (c.machine->poll_line(c.port_pending)) {
    }
  } else {
    ppp::LineBytes datagram;
    while (c.machine->poll_line(datagram)) {
      if (c.port) c.port_out.push_back(std::move(datagram));
      datagram = {};
    }
  }
  write_port(c);
  // Received TCP segments of one flow go to the TUN as one super-packet where they can.
  offload::Coalescer::Out packets;
  std::vector<std::uint8_t> buf;
  while (c.machine->poll_packet(buf)) {
    if (c.tun && c.tun_vnet) {
      c.tun_coalescer.add(buf, packets);
    } else if (c.tun) {
      packets.push_back(std::move(buf));
    }
    buf = {};
  }
  if (c.tun_vnet) c.tun_coalescer.flush(packets);
  for (auto& p : packets) c.tun_out.push_back(std::move(p));
  write_tun(c);
}

void ConnectionManager::close_tun(Connection& c) {
  if (!c.tun || c.tun_closing) return;
  // release() cancels what is pending on the descriptor and takes it out of the reactor, so a
  // closer thread may close it while the loop goes on.
  std::error_code ignored;
  c.tun->cancel(ignored);
  int fd = c.tun->release();
  c.tun.reset();
  c.tun_closing = true;
  // What the TUN's data path grew goes with it; the aborted handlers touch none of it.
  c.tun_out = {};
  c.tun_writing = false;
  c.tun_buffer = {};
  c.tun_segment = {};
  // The name servers go first, on the host thread after their addition; then the interface,
  // on a closer thread.
  host_.run(
      [this, handle = c.handle, ifname = c.ifname] {
        dns_.remove(handle, ifname);
        journal_.resolv_block_removed(handle);
      },
      [this, handle = c.handle, fd] {
        closer_.run([fd] { ::close(fd); }, [this, handle] { tun_closed(handle); });
      });
}

// Once the interface is gone (its address and routes with it).
void ConnectionManager::finish_network_release(Connection& c) {
  host_.run([this, handle = c.handle, down = hook_info(c)] {
    run_hooks(options_.hooks_dir, "ip-down", down);
    journal_.link_down(handle);  // after: a crash before it runs ip-down again
  });
  if (c.tun_malformed) {
    log_line("net", "conn=%u %s: %llu TUN reads could not be cut and were dropped", c.handle,
             c.ifname.c_str(), static_cast<unsigned long long>(c.tun_malformed));
  }
  log_line("net", "conn=%u %s removed", c.handle, c.ifname.c_str());
}

void ConnectionManager::release_io(Connection& c) {
  close_port(c);
  if (c.pinned_route_to) unpin_route_to_server(c);
  c.network_configured = false;  // a redial configures its own
  close_tun(c);
}

void ConnectionManager::recover_host_state() {
  if (options_.state_dir.empty()) return;
  Leftovers left;
  if (!journal_.open(options_.state_dir + "/host-journal", left)) return;
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
    run_hooks(options_.hooks_dir, "ip-down", link);
  }
}

}  // namespace openras::manager
