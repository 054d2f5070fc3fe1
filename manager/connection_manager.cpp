#include "manager/connection_manager.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "common/ras_errors.hpp"
#include "common/ras_states.hpp"
#include "manager/log.hpp"
#include "manager/replies.hpp"
#include "phonebook/entry.hpp"
#include "phonebook/pbk_file.hpp"
#include "ras.h"

namespace openras::manager {
namespace {

using ipc::MsgType;

bool has_control_character(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

ConnectionManager::ConnectionManager(asio::io_context& io, ManagerOptions options)
    : io_(io),
      options_(std::move(options)),
      dns_(options_.dns_mode, options_.resolv_conf),
      credentials_(options_.state_dir, options_.limits.saved_credentials),
      tls_context_(asio::ssl::context::tls_client) {
  // The system trust store (SSL_CERT_FILE / SSL_CERT_DIR point it elsewhere, as for any
  // OpenSSL program); nothing older than TLS 1.2.
  tls_context_.set_default_verify_paths();
  SSL_CTX_set_min_proto_version(tls_context_.native_handle(), TLS1_2_VERSION);
  // An idle session gives its record buffers back (about 34 KiB each): thousands of calls
  // sit idle most of the time.
  SSL_CTX_set_mode(tls_context_.native_handle(), SSL_MODE_RELEASE_BUFFERS);
  tls_.context = &tls_context_;
  const char* proxy = std::getenv("https_proxy");
  if (!proxy || !*proxy) proxy = std::getenv("HTTPS_PROXY");
  tls_.default_proxy = proxy_from_environment_value(proxy);
  // Handles are opaque to clients; starting at a random point keeps a stale handle from an
  // earlier daemon from naming a new connection.
  std::random_device rd;
  last_handle_ = (rd() % 0x7fff0000u) + 0x100u;
}

ConnectionManager::~ConnectionManager() {
  for (auto& s : subscriptions_) ::close(s.fd);
}

std::uint32_t ConnectionManager::next_handle() {
  do {
    ++last_handle_;
  } while (last_handle_ == 0 || connections_.count(last_handle_));
  return last_handle_;
}

void ConnectionManager::on_request(const std::shared_ptr<ClientSession>& session,
                                   const ipc::FrameHeader& header, std::span<const std::byte> body,
                                   std::vector<int>& fds) {
  ipc::Reader r(body);
  Reply reply;
  switch (header.type) {
    case MsgType::Dial:
      reply = handle_dial(session, r);
      break;
    case MsgType::Resume:
      reply = handle_resume(*session, r);
      break;
    case MsgType::HangUp:
      reply = handle_hang_up(*session, r);
      break;
    case MsgType::GetStatus:
      reply = handle_status(*session, r);
      break;
    case MsgType::EnumConnections:
      reply = handle_enum(*session);
      break;
    case MsgType::GetProjection:
      reply = handle_projection(*session, r);
      break;
    case MsgType::GetStatistics:
      reply = handle_statistics(*session, r, false);
      break;
    case MsgType::ClearStatistics:
      reply = handle_statistics(*session, r, true);
      break;
    case MsgType::Subscribe:
      reply = handle_subscribe(*session, r, fds);
      break;
    case MsgType::SetCredentials:
      reply = handle_set_credentials(*session, r);
      break;
    case MsgType::GetCredentials:
      reply = handle_get_credentials(*session, r);
      break;
    case MsgType::Ping:
      reply = done();
      break;
    default:
      log_line("ipc", "session=%llu pid=%u unknown message type %u",
               static_cast<unsigned long long>(session->id()), session->peer().pid,
               static_cast<unsigned>(header.type));
      reply = fail(ERROR_INVALID_PARAMETER);
      break;
  }
  session->send(MsgType::Reply, header.request_id, reply);
  // Events a request caused (a referenced dial's Connected) go after its reply, so the client
  // knows the handle before it hears of it.
  auto deferred = std::move(deferred_);
  deferred_.clear();
  for (auto& [target, ev] : deferred) {
    if (auto s = target.lock()) s->send(MsgType::StateEvent, 0, ipc::encode_body(ev));
  }
}

ConnectionManager::Reply ConnectionManager::handle_dial(
    const std::shared_ptr<ClientSession>& session, ipc::Reader& r) {
  ipc::DialRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);

  phonebook::Entry entry;
  if (req.entry_text.empty()) {
    // No entry: a simple modem call on the first modem port (RASDIALPARAMS with an empty
    // szEntryName); it needs a number.
    if (req.phone_number.empty()) return fail(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY);
    entry.name = "." + req.phone_number;
    entry.device_type = "modem";
  } else {
    auto parsed = phonebook::entry_from_text(req.entry_text);
    if (!parsed.entry) {
      log_line("dial", "entry \"%s\" from %s rejected: %s (%s)", req.entry_name.c_str(),
               req.phonebook.c_str(), std::string(error_name(parsed.error)).c_str(),
               parsed.detail.c_str());
      return fail(parsed.error);
    }
    entry = std::move(*parsed.entry);
  }
  // Names reach root's hook scripts (LINKNAME, DEVICE, arguments) and logs: whatever a client
  // sends, no control characters.
  if ((!req.entry_text.empty() && !phonebook::is_valid_entry_name(entry.name)) ||
      has_control_character(entry.device_name) || has_control_character(req.phonebook) ||
      has_control_character(req.phone_number)) {
    return fail(ERROR_INVALID_NAME);
  }

  const std::uint32_t uid = session->peer().uid;
  const EntryKey key{uid, req.phonebook, entry.name};
  for (auto [it, end] = by_entry_.equal_range(key); it != end; ++it) {
    Connection* c = find(it->second);
    if (!c || c->hung_up) continue;
    if (c->state == RASCS_Connected && c->error == 0) {
      // Win32: dialing a connected entry succeeds and takes a reference on the connection;
      // the caller's notifier hears Connected right after the reply.
      ++c->references;
      deferred_.push_back({session, ipc::StateEvent{c->handle, RASCS_Connected, 0, 0, req.subentry,
                                                    monotonic_ns()}});
      return ok(ipc::DialReply{c->handle});
    }
    if (!is_final_state(c->state, c->error)) return fail(ERROR_DIAL_ALREADY_IN_PROGRESS);
  }
  const auto held_it = held_by_uid_.find(uid);
  const std::size_t held = held_it == held_by_uid_.end() ? 0 : held_it->second;

  if (uid != 0 && held >= options_.limits.connections) {
    log_line("limits", "uid=%u holds %zu connections: dial refused", uid, held);
    return fail(ERROR_NOT_ENOUGH_QUOTA);
  }

  if (req.password.empty() || req.password == OPENRAS_SAVED_PASSWORD) {
    // The caller means the saved password (RasGetEntryDialParams gave it the placeholder).
    if (auto saved = credentials_.load(session->peer().uid, req.phonebook, req.entry_name)) {
      if (req.user.empty()) req.user = saved->user;
      if (req.domain.empty()) req.domain = saved->domain;
      if (saved->password) req.password = *saved->password;
    }
  }
  dial::DialParams params;
  params.credentials = {req.user, req.password, req.domain, req.callback_number};
  wipe(req.password);
  params.phone_number = req.phone_number;
  params.options = req.options;
  const std::uint32_t handle = next_handle();
  if (options_.verbose) {
    params.trace = [handle](const std::string& line) {
      log_line("trace", "conn=%u %s", handle, line.c_str());
    };
  }
  auto made = dial::make_dial_machine(entry, params);
  if (!made.machine) {
    log_line("dial", "entry \"%s\": %s", entry.name.c_str(),
             std::string(error_name(made.error)).c_str());
    return fail(made.error);
  }

  auto c = std::make_unique<Connection>(io_);
  c->handle = handle;
  c->entry_name = entry.name;
  c->phonebook = req.phonebook;
  c->phone_number = req.phone_number.empty() ? entry.phone_number : req.phone_number;
  c->machine = std::move(made.machine);
  c->owner_peer = session->peer();
  c->notify = session;
  c->dial_session_id = session->id();
  c->state = RASCS_OpenPort;
  Connection& conn = *c;
  connections_.emplace(conn.handle, std::move(c));
  by_entry_.emplace(key, conn.handle);
  ++held_by_uid_[uid];
  log_line("dial", "conn=%u entry=\"%s\" uid=%u pid=%u dialing", conn.handle,
           conn.entry_name.c_str(), conn.owner_peer.uid, conn.owner_peer.pid);
  conn.machine->start(Clock::now());
  // The first states go out after the reply (posted), so the client knows the handle first.
  asio::post(io_, [this, handle = conn.handle] {
    if (Connection* c = find(handle)) pump(*c);
  });
  return ok(ipc::DialReply{conn.handle});
}

bool ConnectionManager::sees_everything(const PeerCredentials& peer) const {
  return peer.uid == 0 || (options_.admin_group && peer.in_group(*options_.admin_group));
}

Connection* ConnectionManager::find_visible(const ClientSession& session, std::uint32_t handle) {
  Connection* c = find(handle);
  if (!c) return nullptr;
  // A user sees the connections they dialed; root and the admin group see every connection.
  // Anything else is answered as if the handle did not exist.
  const auto& peer = session.peer();
  if (!sees_everything(peer) && peer.uid != c->owner_peer.uid) return nullptr;
  return c;
}

ConnectionManager::Reply ConnectionManager::handle_resume(const ClientSession& session,
                                                          ipc::Reader& r) {
  ipc::ResumeRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  Connection* c = find_visible(session, req.handle);
  if (!c || c->hung_up) return fail(ERROR_INVALID_HANDLE);
  std::uint32_t error =
      c->machine->resume({req.user, req.password, req.domain, req.callback_number}, Clock::now());
  if (error) return fail(error);
  arm_timer(*c);
  return done();
}

ConnectionManager::Reply ConnectionManager::handle_hang_up(const ClientSession& session,
                                                           ipc::Reader& r) {
  ipc::HandleRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  Connection* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  if (c->hung_up) return done();  // repeated RasHangUp while the port is released: harmless
  if (c->references > 1) {
    --c->references;
    return done();
  }
  log_line("dial", "conn=%u hang-up requested by uid=%u pid=%u", c->handle, session.peer().uid,
           session.peer().pid);
  begin_hang_up(*c);
  return done();
}

void ConnectionManager::begin_hang_up(Connection& c) {
  if (c.hung_up) return;
  c.hung_up = true;
  if (auto s = c.notify.lock()) {
    // Notifications stop at RasHangUp; tell the dialing thread to drop the notifier.
    s->send(MsgType::DialDetached, 0, ipc::encode_body(ipc::HandleRequest{c.handle}));
  }
  c.notify.reset();
  bool was_up = c.state == RASCS_Connected && c.error == 0;
  c.state = RASCS_Disconnected;
  c.machine->hang_up(Clock::now());
  if (was_up) signal(c.handle, RASCN_Disconnection);
  pump(c);
}

ConnectionManager::Reply ConnectionManager::handle_status(const ClientSession& session,
                                                          ipc::Reader& r) {
  ipc::HandleRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  Connection* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  ipc::StatusReply reply{c->state, c->error, c->machine->device_type(), c->machine->device_name(),
                         c->phone_number};
  if (auto redial = c->machine->redial_status(Clock::now())) {
    reply.redial_error = redial->last_error;
    reply.redial_next_attempt = redial->next_attempt;
    reply.redial_attempts = redial->attempts;
    reply.redial_in_ms = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(redial->starts_in).count());
  }
  return ok(reply);
}

ConnectionManager::Reply ConnectionManager::handle_enum(const ClientSession& session) {
  ipc::EnumReply reply;
  for (auto& [handle, c] : connections_) {
    // As on Windows NT, a connection is listed once it has connected, until it goes down.
    if (c->hung_up || c->state != RASCS_Connected || c->error != 0) continue;
    if (!find_visible(session, handle)) continue;
    reply.connections.push_back({handle, c->entry_name, c->machine->device_type(),
                                 c->machine->device_name(), c->phonebook, 0, c->owner_peer.uid});
  }
  return ok(reply);
}

ConnectionManager::Reply ConnectionManager::handle_projection(const ClientSession& session,
                                                              ipc::Reader& r) {
  ipc::ProjectionRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  Connection* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  auto p = c->machine->projection();
  if (!p) return fail(ERROR_PROJECTION_NOT_COMPLETE);
  if (req.protocol == RASP_PppIpv6 && !p->ipv6) return fail(ERROR_PROTOCOL_NOT_CONFIGURED);
  if (req.protocol != RASP_PppIp && req.protocol != RASP_PppIpv6 && req.protocol != RASP_PppLcp) {
    return fail(ERROR_PROTOCOL_NOT_CONFIGURED);
  }
  ipc::ProjectionReply reply;
  reply.ip_address = p->ip_address;
  reply.server_ip_address = p->server_ip_address;
  reply.dns1 = p->dns1;
  reply.dns2 = p->dns2;
  reply.local_interface_id = p->local_interface_id;
  reply.peer_interface_id = p->peer_interface_id;
  reply.auth_protocol = p->auth_protocol;
  reply.auth_data = p->auth_data;
  reply.lcp_options = p->lcp_options;
  reply.lcp_server_options = p->lcp_server_options;
  return ok(reply);
}

ConnectionManager::Reply ConnectionManager::handle_statistics(const ClientSession& session,
                                                              ipc::Reader& r, bool clear) {
  ipc::HandleRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  Connection* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  auto now = Clock::now();
  auto s = c->machine->statistics();
  if (clear) {
    c->statistics_baseline = s;
    c->statistics_since = now;
    return done();
  }
  const auto& b = c->statistics_baseline;
  ipc::StatisticsReply reply;
  reply.bytes_sent = s.bytes_sent - b.bytes_sent;
  reply.bytes_received = s.bytes_received - b.bytes_received;
  reply.frames_sent = s.frames_sent - b.frames_sent;
  reply.frames_received = s.frames_received - b.frames_received;
  reply.crc_errors = s.crc_errors - b.crc_errors;
  reply.timeout_errors = s.timeout_errors - b.timeout_errors;
  reply.framing_errors = s.framing_errors - b.framing_errors;
  reply.bps = s.bps;
  if (c->connected_once) {
    auto since = std::max(c->connected_at, c->statistics_since);
    reply.duration_ms = static_cast<std::uint32_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(now - since).count());
  }
  return ok(reply);
}

void ConnectionManager::pump(Connection& c) {
  const std::uint32_t handle = c.handle;
  // Each step can enable the next (port open -> PPP -> projected -> interface -> Connected),
  // so go round until nothing moves.
  for (bool progress = true; progress;) {
    progress = false;
    if (auto request = c.machine->port_request()) {
      open_port(c, *request);
      progress = true;
    }
    if (!c.network_configured && !c.hung_up) {
      if (auto request = c.machine->network_request()) {
        configure_network(c, *request);
        progress = true;
      }
    }
    while (auto ev = c.machine->poll_event()) {
      progress = true;
      if (c.hung_up) continue;
      // The link ended: its interface goes first (off the loop), and whoever hears of the end
      // finds the interface gone. Events wait behind a closing interface, in order.
      const bool link_ended = ev->error != 0 || ev->state == RASCS_Disconnected;
      if (link_ended && c.tun) close_tun(c);
      if (c.tun_closing) {
        c.held_events.push_back(*ev);
        continue;
      }
      publish(c, *ev);
    }
    flush_output(c);
  }
  if (c.machine->released()) {
    release_io(c);
    if (c.hung_up && !c.tun_closing) {
      erase(handle);
      return;
    }
  }
  arm_timer(c);
}

void ConnectionManager::publish(Connection& c, const dial::DialEvent& ev) {
  const std::uint32_t handle = c.handle;
  c.state = ev.state;
  if (ev.state == RASCS_OpenPort) c.error = 0;  // a new attempt (redial)
  if (ev.error) c.error = ev.error;
  log_line("state", "conn=%u entry=\"%s\" state=%s error=%u%s%s", handle, c.entry_name.c_str(),
           std::string(state_name(ev.state)).c_str(), ev.error, ev.error ? " " : "",
           ev.error ? std::string(error_name(ev.error)).c_str() : "");
  if (ev.state == RASCS_Connected && ev.error == 0) {
    c.connected_once = true;
    c.connected_at = c.statistics_since = Clock::now();
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

void ConnectionManager::tun_closed(std::uint32_t handle) {
  Connection* c = find(handle);
  if (!c) return;
  c->tun_closing = false;
  finish_network_release(*c);
  auto held = std::move(c->held_events);
  c->held_events.clear();
  for (const auto& ev : held) {
    if (!c->hung_up) publish(*c, ev);
  }
  // A redial asked for its network while the old interface was going.
  if (auto deferred = std::move(c->deferred_network)) {
    c->deferred_network.reset();
    if (!c->hung_up) configure_network(*c, *deferred);
  }
  pump(*c);
}

void ConnectionManager::arm_timer(Connection& c) {
  auto deadline = c.machine->next_deadline();
  // Every packet pumps the connection: re-arming an unchanged deadline would cost a cancel
  // and a new wait each time.
  if (deadline == c.timer_deadline) return;
  c.timer_deadline = deadline;
  if (!deadline) {
    c.timer.cancel();
    return;
  }
  c.timer.expires_at(*deadline);
  c.timer.async_wait([this, handle = c.handle](const std::error_code& ec) {
    if (ec) return;
    Connection* c = find(handle);
    if (!c) return;
    c->timer_deadline.reset();
    c->machine->on_timer(Clock::now());
    pump(*c);
  });
}

void ConnectionManager::erase(std::uint32_t handle) {
  log_line("dial", "conn=%u port released", handle);
  if (Connection* c = find(handle)) {
    const std::uint32_t uid = c->owner_peer.uid;
    for (auto [it, end] = by_entry_.equal_range(EntryKey{uid, c->phonebook, c->entry_name});
         it != end; ++it) {
      if (it->second == handle) {
        by_entry_.erase(it);
        break;
      }
    }
    if (auto held = held_by_uid_.find(uid); held != held_by_uid_.end() && --held->second == 0) {
      held_by_uid_.erase(held);
    }
  }
  connections_.erase(handle);
  drop_subscriptions([handle](const Subscription& s) { return s.handle == handle; });
  if (on_all_released_ && connections_.empty()) {
    auto done = std::move(on_all_released_);
    on_all_released_ = nullptr;
    done();
  }
}

bool ConnectionManager::session_opened(const ClientSession& session) {
  const std::uint32_t uid = session.peer().uid;
  std::size_t& held = sessions_by_uid_[uid];
  if (uid != 0 && held >= options_.limits.sessions) {
    log_line("limits", "uid=%u pid=%u holds %zu sessions: refused", uid, session.peer().pid, held);
    if (held == 0) sessions_by_uid_.erase(uid);
    return false;
  }
  ++held;
  ++live_sessions_;
  return true;
}

void ConnectionManager::on_session_closed(ClientSession& session) {
  if (live_sessions_ > 0) --live_sessions_;
  if (auto it = sessions_by_uid_.find(session.peer().uid); it != sessions_by_uid_.end()) {
    if (--it->second == 0) sessions_by_uid_.erase(it);
  }
  const std::uint64_t id = session.id();
  std::vector<std::uint32_t> abandoned;
  for (auto& [handle, c] : connections_) {
    if (c->dial_session_id == id && !c->hung_up) abandoned.push_back(handle);
  }
  for (std::uint32_t handle : abandoned) {
    Connection* c = find(handle);
    if (!c) continue;
    log_line("dial", "conn=%u the dialing client went away before a final state: aborting", handle);
    begin_hang_up(*c);
  }
  drop_subscriptions([id](const Subscription& s) { return s.session_id == id; });
}

void ConnectionManager::shutdown(std::function<void()> done) {
  if (connections_.empty()) {
    done();
    return;
  }
  on_all_released_ = std::move(done);
  std::vector<std::uint32_t> handles;
  for (auto& [handle, c] : connections_) handles.push_back(handle);
  for (auto handle : handles) {
    if (Connection* c = find(handle)) begin_hang_up(*c);
  }
}

}  // namespace openras::manager
