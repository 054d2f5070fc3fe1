// What connection drivers report to the control plane. A driver calls these on its own loop;
// each is posted to the control loop, in the order the driver made them, and handled there:
// states published to the dialing client and to the notifications, the network made and
// announced by the host service, the interface closed, the driver gone.
#include "common/ipv4.hpp"
#include "common/log.hpp"
#include "common/ras_errors.hpp"
#include "common/ras_states.hpp"
#include "manager/connection_manager.hpp"
#include "ras.h"

namespace openras::manager {

using ipc::MsgType;

void ConnectionManager::on_state(std::uint32_t handle, const dial::DialEvent& event) {
  asio::post(io_, [this, handle, event] {
    ConnectionRecord* c = find(handle);
    // After RasHangUp the client hears nothing more of the dial.
    if (c && !c->hung_up) publish(*c, event);
  });
}

void ConnectionManager::on_network_wanted(std::uint32_t handle, const dial::NetworkRequest& request,
                                          std::uint32_t remote_ipv4, const HookInfo& base) {
  asio::post(io_, [this, handle, request, remote_ipv4, base] {
    configure_network(handle, request, remote_ipv4, base);
  });
}

void ConnectionManager::on_interface_released(std::uint32_t handle, int fd, const HookInfo& down) {
  asio::post(io_, [this, handle, fd, down] {
    ConnectionRecord* c = find(handle);
    const unsigned loop = c ? c->loop : 0;
    host_.close_interface(handle, fd, down, [this, handle, loop, known = c != nullptr] {
      if (known) command(loop, handle, [](runtime::ConnectionDriver& d) { d.interface_closed(); });
    });
  });
}

void ConnectionManager::on_port_released(std::uint32_t handle) {
  asio::post(io_, [this, handle] {
    ConnectionRecord* c = find(handle);
    if (!c || !c->pinned_route_to) return;
    host_.unpin_route(c->pinned_route_to);
    c->pinned_route_to = 0;
  });
}

void ConnectionManager::on_driver_gone(std::uint32_t handle) {
  asio::post(io_, [this, handle] { erase(handle); });
}

void ConnectionManager::publish(ConnectionRecord& c, const dial::DialEvent& ev) {
  const std::uint32_t handle = c.handle;
  c.state = ev.state;
  if (ev.state == RASCS_OpenPort) c.error = 0;  // a new attempt (redial)
  if (ev.error) c.error = ev.error;
  log_line("state", "conn=%u entry=\"%s\" state=%s error=%u%s%s", handle, c.entry_name.c_str(),
           std::string(state_name(ev.state)).c_str(), ev.error, ev.error ? " " : "",
           ev.error ? std::string(error_name(ev.error)).c_str() : "");
  if (ev.state == RASCS_Connected && ev.error == 0) {
    c.connected_once = true;
    c.dial_session_id = 0;  // from here the connection lives on without its client
    signal(handle, RASCN_Connection);
  } else if (ev.state == RASCS_Disconnected && c.connected_once) {
    signal(handle, RASCN_Disconnection);
  }
  if (auto s = c.notify.lock()) {
    ipc::StateEvent out{handle, ev.state, ev.error, ev.extended_error, 0, monotonic_ns()};
    s->send(MsgType::StateEvent, 0, ipc::encode_body(out));
  }
  if (is_final_state(ev.state, ev.error)) c.notify.reset();
}

void ConnectionManager::configure_network(std::uint32_t handle, dial::NetworkRequest request,
                                          std::uint32_t remote_ipv4, HookInfo up) {
  ConnectionRecord* c = find(handle);
  // Hung up while the request was on its way: the driver is letting go and wants nothing.
  if (!c || c->hung_up) return;
  // The administrator's policy for connections of users who are not root or admins: without
  // it they may not take the system's default route (the tunnel gets its network's route)
  // or its name servers (the tunnel's go unused).
  const bool privileged = sees_everything(c->owner_peer);
  if (!privileged && request.default_route && !options_.policy.users_default_route) {
    log_line("net", "conn=%u uid=%u may not take the default route: network route only", handle,
             c->owner_peer.uid);
    request.default_route = false;
  }
  if (!privileged && !options_.policy.users_dns && (request.dns1 || request.dns2)) {
    log_line("net", "conn=%u uid=%u may not set name servers: the tunnel's are not used", handle,
             c->owner_peer.uid);
    request.dns1 = request.dns2 = 0;
  }
  const unsigned loop = c->loop;
  Interface iface = host_.open_interface(handle, request, remote_ipv4, c->pinned_route_to);
  if (iface.fd < 0) {
    command(loop, handle,
            [error = iface.error](runtime::ConnectionDriver& d) { d.network_ready(error); });
    return;
  }
  log_line("net", "conn=%u %s up, mtu %u, %s route", handle, iface.name.c_str(), request.mtu,
           request.default_route ? "default" : "network");
  // The driver takes the interface; should it have gone meanwhile, the interface is closed
  // as any other.
  drivers_.with_driver(loop, handle,
                       [this, handle, fd = iface.fd, vnet = iface.vnet_header, name = iface.name,
                        request, up](runtime::ConnectionDriver* d) mutable {
                         if (d) {
                           d->interface_up(fd, vnet, name, request);
                           return;
                         }
                         up.ifname = name;
                         on_interface_released(handle, fd, up);
                       });
  up.ifname = iface.name;
  up.local = ipv4_string(request.ip);
  up.remote = ipv4_string(request.peer_ip);
  up.dns1 = ipv4_string(request.dns1);
  up.dns2 = ipv4_string(request.dns2);
  NameService names;
  for (std::uint32_t dns : {request.dns1, request.dns2}) {
    if (dns) names.servers.push_back(ipv4_string(dns));
  }
  names.suffix = request.dns_suffix;
  names.default_route = request.default_route;
  // The name servers are the system's, and the ip-up scripts started, before the machine
  // hears the network is ready (and reports Connected).
  host_.announce(handle, up, names, [this, handle, loop] {
    command(loop, handle, [](runtime::ConnectionDriver& d) { d.network_ready(0); });
  });
}

}  // namespace openras::manager
