#include "manager/connection_manager.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "common/log.hpp"
#include "common/ras_errors.hpp"
#include "common/ras_states.hpp"
#include "dial/ikev2_dial.hpp"
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
      credentials_(options_.state_dir, options_.limits.saved_credentials),
      host_(io_, HostSettings{options_.dns_mode, options_.resolv_conf, options_.hooks_dir,
                              options_.state_dir}),
      drivers_(options_.loops ? options_.loops
                              : std::max(1u, std::thread::hardware_concurrency())) {
  const char* proxy = std::getenv("https_proxy");
  if (!proxy || !*proxy) proxy = std::getenv("HTTPS_PROXY");
  // One TLS context a loop: OpenSSL's certificate store caches what it looks up, and loops
  // that shared one raced in it (ThreadSanitizer, two SSTP dials verifying at once).
  for (unsigned loop = 0; loop < drivers_.size(); ++loop) {
    auto tls = std::make_unique<LoopTls>();
    // The system trust store (SSL_CERT_FILE / SSL_CERT_DIR point it elsewhere, as for any
    // OpenSSL program); nothing older than TLS 1.2.
    tls->context.set_default_verify_paths();
    SSL_CTX_set_min_proto_version(tls->context.native_handle(), TLS1_2_VERSION);
    // An idle session gives its record buffers back (about 34 KiB each): thousands of calls
    // sit idle most of the time.
    SSL_CTX_set_mode(tls->context.native_handle(), SSL_MODE_RELEASE_BUFFERS);
    tls->settings.context = &tls->context;
    tls->settings.default_proxy = proxy_from_environment_value(proxy);
    tls_by_loop_.push_back(std::move(tls));
  }
  // Handles are opaque to clients; starting at a random point keeps a stale handle from an
  // earlier daemon from naming a new connection.
  std::random_device rd;
  last_handle_ = (rd() % 0x7fff0000u) + 0x100u;
}

ConnectionManager::~ConnectionManager() {
  // The drivers' loops stop first: nothing of this object is used from them afterwards.
  drivers_.stop();
  for (auto& s : subscriptions_) ::close(s.fd);
}

void ConnectionManager::Answer::operator()(const Reply& reply) const {
  if (auto s = session.lock()) s->send(MsgType::Reply, request_id, reply);
}

void ConnectionManager::command(const ConnectionRecord& c,
                                std::function<void(runtime::ConnectionDriver&)> work) {
  command(c.loop, c.handle, std::move(work));
}

void ConnectionManager::command(unsigned loop, std::uint32_t handle,
                                std::function<void(runtime::ConnectionDriver&)> work) {
  drivers_.with_driver(loop, handle, [work = std::move(work)](runtime::ConnectionDriver* d) {
    if (d) work(*d);
  });
}

template <typename T>
void ConnectionManager::ask(const ConnectionRecord& c,
                            std::function<T(runtime::ConnectionDriver&)> work,
                            std::function<Reply(ConnectionRecord&, T)> reply,
                            const Answer& answer) {
  drivers_.with_driver(c.loop, c.handle,
                       [this, handle = c.handle, work = std::move(work), reply = std::move(reply),
                        answer](runtime::ConnectionDriver* d) {
                         std::optional<T> result;
                         if (d) result = work(*d);
                         asio::post(io_, [this, handle, result = std::move(result), reply, answer] {
                           ConnectionRecord* c = find(handle);
                           answer(c && result ? reply(*c, *result) : fail(ERROR_INVALID_HANDLE));
                         });
                       });
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
  const Answer answer{session, header.request_id};
  MaybeReply reply;
  switch (header.type) {
    case MsgType::Dial:
      reply = handle_dial(session, r);
      break;
    case MsgType::Resume:
      reply = handle_resume(*session, r, answer);
      break;
    case MsgType::HangUp:
      reply = handle_hang_up(*session, r);
      break;
    case MsgType::GetStatus:
      reply = handle_status(*session, r, answer);
      break;
    case MsgType::EnumConnections:
      reply = handle_enum(*session);
      break;
    case MsgType::GetProjection:
      reply = handle_projection(*session, r, answer);
      break;
    case MsgType::GetStatistics:
      reply = handle_statistics(*session, r, false, answer);
      break;
    case MsgType::ClearStatistics:
      reply = handle_statistics(*session, r, true, answer);
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
  // No reply yet: the handler asked a driver and answers when it replies.
  if (!reply) return;
  answer(*reply);
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
    ConnectionRecord* c = find(it->second);
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

  // One read of the saved credentials serves the password and the pre-shared key.
  const auto saved = credentials_.load(session->peer().uid, req.phonebook, req.entry_name);
  if (saved && (req.password.empty() || req.password == OPENRAS_SAVED_PASSWORD)) {
    // The caller means the saved password (RasGetEntryDialParams gave it the placeholder).
    if (req.user.empty()) req.user = saved->user;
    if (req.domain.empty()) req.domain = saved->domain;
    if (saved->password) req.password = *saved->password;
  }
  dial::DialParams params;
  params.credentials = {req.user, req.password, req.domain, req.callback_number, {}};
  wipe(req.password);
  if (dial::ikev2_wants_machine_certificate(entry)) {
    const std::string dir = options_.machine_certificates.empty() ? options_.state_dir + "/machine"
                                                                  : options_.machine_certificates;
    auto read = [](const std::string& path) {
      std::ifstream in(path);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    params.machine_certificate_pem = read(dir + "/ikev2.pem");
    params.machine_key_pem = read(dir + "/ikev2.key");
  }
  // The pre-shared key is only ever the saved one (RasSetCredentials(RASCM_PreSharedKey)).
  if (saved && saved->pre_shared_key) params.credentials.pre_shared_key = *saved->pre_shared_key;
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

  auto c = std::make_unique<ConnectionRecord>();
  c->handle = handle;
  c->loop = drivers_.pick();
  c->entry_name = entry.name;
  c->phonebook = req.phonebook;
  c->phone_number = req.phone_number.empty() ? entry.phone_number : req.phone_number;
  c->device_type = made.machine->device_type();
  c->device_name = made.machine->device_name();
  c->owner_peer = session->peer();
  c->notify = session;
  c->dial_session_id = session->id();
  c->state = RASCS_OpenPort;
  ConnectionRecord& conn = *c;
  connections_.emplace(conn.handle, std::move(c));
  by_entry_.emplace(key, conn.handle);
  ++held_by_uid_[uid];
  log_line("dial", "conn=%u entry=\"%s\" uid=%u pid=%u dialing on loop %u", conn.handle,
           conn.entry_name.c_str(), conn.owner_peer.uid, conn.owner_peer.pid, conn.loop);
  runtime::DriverSetup setup;
  setup.handle = handle;
  setup.machine = std::move(made.machine);
  setup.entry_name = entry.name;
  setup.caller.uid = conn.owner_peer.uid;
  setup.caller.gids = conn.owner_peer.groups;
  setup.caller.gids.push_back(conn.owner_peer.gid);
  setup.tls = &tls_by_loop_[conn.loop]->settings;
  const unsigned loop = conn.loop;
  auto driver = std::make_shared<runtime::ConnectionDriver>(
      drivers_.io(loop), std::move(setup), static_cast<runtime::DriverObserver&>(*this),
      [this, loop, handle] { drivers_.retire(loop, handle); });
  // The first states reach the control loop after this reply, so the client knows the handle
  // first.
  drivers_.place(loop, handle, std::move(driver), [](runtime::ConnectionDriver& d) { d.start(); });
  return ok(ipc::DialReply{conn.handle});
}

bool ConnectionManager::sees_everything(const PeerCredentials& peer) const {
  return peer.uid == 0 || (options_.admin_group && peer.in_group(*options_.admin_group));
}

ConnectionRecord* ConnectionManager::find(std::uint32_t handle) {
  auto it = connections_.find(handle);
  return it == connections_.end() ? nullptr : it->second.get();
}

ConnectionRecord* ConnectionManager::find_visible(const ClientSession& session,
                                                  std::uint32_t handle) {
  ConnectionRecord* c = find(handle);
  if (!c) return nullptr;
  // A user sees the connections they dialed; root and the admin group see every connection.
  // Anything else is answered as if the handle did not exist.
  const auto& peer = session.peer();
  if (!sees_everything(peer) && peer.uid != c->owner_peer.uid) return nullptr;
  return c;
}

ConnectionManager::MaybeReply ConnectionManager::handle_resume(const ClientSession& session,
                                                               ipc::Reader& r,
                                                               const Answer& answer) {
  ipc::ResumeRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  ConnectionRecord* c = find_visible(session, req.handle);
  if (!c || c->hung_up) return fail(ERROR_INVALID_HANDLE);
  dial::Credentials credentials{req.user, req.password, req.domain, req.callback_number, {}};
  wipe(req.password);
  // The driver answers before the resumed dial's first state, so the reply goes out first.
  command(*c, [this, credentials = std::move(credentials),
               answer](runtime::ConnectionDriver& d) mutable {
    d.resume(credentials, [this, answer](std::uint32_t error) {
      asio::post(io_, [answer, error] { answer(error ? fail(error) : done()); });
    });
    wipe(credentials.password);
  });
  return std::nullopt;
}

ConnectionManager::Reply ConnectionManager::handle_hang_up(const ClientSession& session,
                                                           ipc::Reader& r) {
  ipc::HandleRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  ConnectionRecord* c = find_visible(session, req.handle);
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

void ConnectionManager::begin_hang_up(ConnectionRecord& c) {
  if (c.hung_up) return;
  c.hung_up = true;
  if (auto s = c.notify.lock()) {
    // Notifications stop at RasHangUp; tell the dialing thread to drop the notifier.
    s->send(MsgType::DialDetached, 0, ipc::encode_body(ipc::HandleRequest{c.handle}));
  }
  c.notify.reset();
  bool was_up = c.state == RASCS_Connected && c.error == 0;
  c.state = RASCS_Disconnected;
  command(c, [](runtime::ConnectionDriver& d) { d.hang_up(); });
  if (was_up) signal(c.handle, RASCN_Disconnection);
}

ConnectionManager::MaybeReply ConnectionManager::handle_status(const ClientSession& session,
                                                               ipc::Reader& r,
                                                               const Answer& answer) {
  ipc::HandleRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  ConnectionRecord* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  // The state is the control plane's (what the client has heard); a pending redial the
  // driver's.
  using Redial = std::optional<dial::RedialStatus>;
  ask<Redial>(
      *c, [](runtime::ConnectionDriver& d) { return d.redial_status(); },
      [](ConnectionRecord& c, Redial redial) {
        ipc::StatusReply reply{c.state, c.error, c.device_type, c.device_name, c.phone_number};
        if (redial) {
          reply.redial_error = redial->last_error;
          reply.redial_next_attempt = redial->next_attempt;
          reply.redial_attempts = redial->attempts;
          reply.redial_in_ms = static_cast<std::uint32_t>(
              std::chrono::duration_cast<std::chrono::milliseconds>(redial->starts_in).count());
        }
        return ok(reply);
      },
      answer);
  return std::nullopt;
}

ConnectionManager::Reply ConnectionManager::handle_enum(const ClientSession& session) {
  ipc::EnumReply reply;
  for (auto& [handle, c] : connections_) {
    // As on Windows NT, a connection is listed once it has connected, until it goes down.
    if (c->hung_up || c->state != RASCS_Connected || c->error != 0) continue;
    if (!find_visible(session, handle)) continue;
    reply.connections.push_back({handle, c->entry_name, c->device_type, c->device_name,
                                 c->phonebook, 0, c->owner_peer.uid});
  }
  return ok(reply);
}

ConnectionManager::MaybeReply ConnectionManager::handle_projection(const ClientSession& session,
                                                                   ipc::Reader& r,
                                                                   const Answer& answer) {
  ipc::ProjectionRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  ConnectionRecord* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  using Projected = std::optional<dial::Projection>;
  ask<Projected>(
      *c, [](runtime::ConnectionDriver& d) { return d.projection(); },
      [protocol = req.protocol](ConnectionRecord&, Projected p) {
        if (!p) return fail(ERROR_PROJECTION_NOT_COMPLETE);
        if (protocol == RASP_PppIpv6 && !p->ipv6) return fail(ERROR_PROTOCOL_NOT_CONFIGURED);
        if (protocol != RASP_PppIp && protocol != RASP_PppIpv6 && protocol != RASP_PppLcp) {
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
        if (p->ikev2) {
          reply.link_type = PROJECTION_INFO_TYPE_IKEv2;
          reply.ikev2_auth = p->ikev2_auth;
          reply.eap_type = p->eap_type;
          reply.ikev2_flags = p->ikev2_flags;
          reply.encryption_method = p->encryption_method;
        }
        return ok(reply);
      },
      answer);
  return std::nullopt;
}

ConnectionManager::MaybeReply ConnectionManager::handle_statistics(const ClientSession& session,
                                                                   ipc::Reader& r, bool clear,
                                                                   const Answer& answer) {
  ipc::HandleRequest req;
  if (!req.decode(r) || !r.at_end()) return fail(ERROR_INVALID_PARAMETER);
  ConnectionRecord* c = find_visible(session, req.handle);
  if (!c) return fail(ERROR_INVALID_HANDLE);
  if (clear) {
    // Whatever is asked next reaches the driver after this (one loop, in order).
    command(*c, [](runtime::ConnectionDriver& d) { d.clear_statistics(); });
    return done();
  }
  ask<ipc::StatisticsReply>(
      *c, [](runtime::ConnectionDriver& d) { return d.statistics(); },
      [](ConnectionRecord&, ipc::StatisticsReply stats) { return ok(stats); }, answer);
  return std::nullopt;
}

void ConnectionManager::erase(std::uint32_t handle) {
  log_line("dial", "conn=%u port released", handle);
  if (ConnectionRecord* c = find(handle)) {
    if (c->pinned_route_to) host_.unpin_route(c->pinned_route_to);
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
    ConnectionRecord* c = find(handle);
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
    if (ConnectionRecord* c = find(handle)) begin_hang_up(*c);
  }
}

}  // namespace openras::manager
