#include "client/notify.hpp"

#include <poll.h>

#include <cerrno>
#include <map>

#include "client/channel.hpp"
#include "common/ras_states.hpp"
#include "win32/windows.h"

namespace openras::client {
namespace {

thread_local std::map<std::uint32_t, Notifier> t_notifiers;
thread_local int t_dispatch_depth = 0;
thread_local std::uint64_t t_current_stamp_ns = 0;

HRASCONN to_hrasconn(std::uint32_t handle) {
  return reinterpret_cast<HRASCONN>(static_cast<std::uintptr_t>(handle));
}

// Calls the user's notifier; returns false when RasDialFunc2 asked for no more.
bool invoke(const Notifier& n, const ipc::StateEvent& ev) {
  auto state = static_cast<RASCONNSTATE>(ev.state);
  switch (n.kind) {
    case NotifierKind::Func:
      reinterpret_cast<RASDIALFUNC>(n.target)(WM_RASDIALEVENT, state, ev.error);
      return true;
    case NotifierKind::Func1:
      reinterpret_cast<RASDIALFUNC1>(n.target)(to_hrasconn(ev.handle), WM_RASDIALEVENT, state,
                                               ev.error, ev.extended_error);
      return true;
    case NotifierKind::Func2:
      return reinterpret_cast<RASDIALFUNC2>(n.target)(n.callback_id, n.subentry,
                                                      to_hrasconn(ev.handle), WM_RASDIALEVENT,
                                                      state, ev.error, ev.extended_error) != 0;
    case NotifierKind::Window:
      PostMessageA(static_cast<HWND>(n.target), WM_RASDIALEVENT, ev.state, ev.error);
      return true;
    case NotifierKind::Sync:
      return true;
  }
  return true;
}

}  // namespace

std::uint64_t current_event_stamp_ns() {
  return t_current_stamp_ns;
}

void register_notifier(std::uint32_t handle, const Notifier& notifier) {
  t_notifiers[handle] = notifier;
}

void forget_notifier(std::uint32_t handle) {
  t_notifiers.erase(handle);
}

std::optional<Notifier> find_notifier(std::uint32_t handle) {
  auto it = t_notifiers.find(handle);
  if (it == t_notifiers.end()) return std::nullopt;
  return it->second;
}

void note_channel_lost(std::deque<Incoming>& queue) {
  // rasmand went away: every dial still waiting on this thread ends with its own error, once.
  for (auto& [handle, n] : t_notifiers) {
    if (n.finished || n.lost) continue;
    n.lost = true;
    Incoming in;
    in.event = {handle, n.last_state, ERROR_RASMAN_SERVICE_STOPPED, 0, n.subentry, 0};
    queue.push_back(in);
  }
}

void dispatch_pending() {
  Channel* ch = Channel::current();
  if (!ch) return;
  if (ch->broken()) note_channel_lost(ch->queue());
  auto& queue = ch->queue();
  const bool nested = t_dispatch_depth > 0;
  ++t_dispatch_depth;
  for (auto it = queue.begin(); it != queue.end();) {
    Incoming in = *it;
    auto reg = t_notifiers.find(in.event.handle);
    if (in.type == ipc::MsgType::DialDetached) {
      if (reg != t_notifiers.end() && reg->second.kind != NotifierKind::Sync) {
        t_notifiers.erase(reg);
      } else if (reg != t_notifiers.end()) {
        reg->second.finished = true;
        reg->second.final_error = ERROR_USER_DISCONNECTION;
      }
      it = queue.erase(it);
      continue;
    }
    if (reg == t_notifiers.end()) {
      it = queue.erase(it);
      continue;
    }
    if (nested && reg->second.kind != NotifierKind::Sync) {
      ++it;  // a callback is running on this thread: keep the order, deliver later
      continue;
    }
    it = queue.erase(it);
    Notifier& n = reg->second;
    const bool final = is_final_state(in.event.state, in.event.error);
    n.last_state = in.event.state;
    n.paused = is_paused_state(in.event.state) && in.event.error == 0;
    if (final) {
      n.finished = true;
      n.final_error = in.event.error;
    }
    Notifier copy = n;
    t_current_stamp_ns = in.event.stamp_ns;
    if (!copy.stopped && !invoke(copy, in.event)) {
      auto again = t_notifiers.find(in.event.handle);
      if (again != t_notifiers.end()) again->second.stopped = true;
    }
    // A finished asynchronous dial has nothing more to tell; synchronous waiters read their
    // result and forget the registration themselves.
    if (final && copy.kind != NotifierKind::Sync) t_notifiers.erase(in.event.handle);
    // The user's callback may have changed the queue (RasHangUp reads replies): restart.
    it = queue.begin();
    if (nested) {
      while (it != queue.end()) {
        auto r = t_notifiers.find(it->event.handle);
        if (r != t_notifiers.end() && r->second.kind == NotifierKind::Sync) break;
        ++it;
      }
    }
  }
  --t_dispatch_depth;
}

bool pump_once(int timeout_ms, int extra_fd) {
  dispatch_pending();
  Channel* ch = Channel::existing();
  if (timeout_ms == 0 && extra_fd < 0) {
    // A caller whose own poll loop saw the descriptor readable: read without polling again.
    if (ch) ch->read_available();
    dispatch_pending();
    return false;
  }
  pollfd fds[2];
  int n = 0;
  if (extra_fd >= 0) fds[n++] = {extra_fd, POLLIN, 0};
  if (ch) fds[n++] = {ch->fd(), POLLIN, 0};
  int ready;  // with no descriptor at all, poll just sleeps for the timeout

  do {
    ready = ::poll(fds, static_cast<nfds_t>(n), timeout_ms);
  } while (ready < 0 && errno == EINTR);
  bool extra_ready = false;
  if (ready > 0) {
    if (extra_fd >= 0 && (fds[0].revents & POLLIN)) extra_ready = true;
    if (ch && (fds[n - 1].revents & (POLLIN | POLLHUP | POLLERR))) ch->read_available();
  }
  dispatch_pending();
  return extra_ready;
}

std::uint32_t wait_for_final(std::uint32_t handle) {
  for (;;) {
    auto it = t_notifiers.find(handle);
    if (it == t_notifiers.end()) return ERROR_USER_DISCONNECTION;
    if (it->second.finished) return it->second.final_error;
    if (it->second.paused) return 0;
    Channel* ch = Channel::current();
    if (!ch) return ERROR_RASMAN_SERVICE_STOPPED;
    dispatch_pending();
    it = t_notifiers.find(handle);
    if (it == t_notifiers.end() || it->second.finished || it->second.paused) continue;
    ch->wait_and_read(-1);
    dispatch_pending();
  }
}

}  // namespace openras::client
