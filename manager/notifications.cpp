// RasConnectionNotification on rasmand's side: the eventfds clients hand over with Subscribe,
// which of them a connect or disconnect signals, and dropping them (client_event.hpp says how
// a signal never blocks).
#include <unistd.h>

#include <algorithm>

#include "common/log.hpp"
#include "manager/client_event.hpp"
#include "manager/connection_manager.hpp"
#include "manager/replies.hpp"
#include "ras.h"

namespace openras::manager {

ConnectionManager::Reply ConnectionManager::handle_subscribe(const ClientSession& session,
                                                             ipc::Reader& r,
                                                             std::vector<int>& fds) {
  ipc::SubscribeRequest req;
  if (!req.decode(r) || !r.at_end() || fds.size() != 1) return fail(ERROR_INVALID_PARAMETER);
  if (req.flags == 0) return fail(ERROR_INVALID_PARAMETER);
  if (req.handle != 0 && !find_visible(session, req.handle)) return fail(ERROR_INVALID_HANDLE);
  // Only an eventfd, made non-blocking: the daemon must never block writing to it.
  if (!adopt_client_event(fds.front())) return fail(ERROR_INVALID_PARAMETER);
  const std::uint32_t uid = session.peer().uid;
  if (uid != 0 && static_cast<std::size_t>(std::count_if(
                      subscriptions_.begin(), subscriptions_.end(), [uid](const Subscription& s) {
                        return s.uid == uid;
                      })) >= options_.limits.subscriptions) {
    return fail(ERROR_NOT_ENOUGH_QUOTA);
  }
  Subscription sub;
  sub.session_id = session.id();
  sub.handle = req.handle;
  sub.flags = req.flags;
  sub.fd = fds.front();
  sub.session = const_cast<ClientSession&>(session).weak_from_this();
  sub.uid = session.peer().uid;
  sub.sees_everything = sees_everything(session.peer());
  fds.clear();
  subscriptions_.push_back(sub);
  return done();
}

void ConnectionManager::signal(std::uint32_t handle, std::uint32_t flag) {
  const ConnectionRecord* c = find(handle);
  std::uint32_t owner = c ? c->owner_peer.uid : 0;
  std::vector<int> failed;
  for (const auto& sub : subscriptions_) {
    if (!(sub.flags & flag)) continue;
    bool matches =
        sub.handle == handle || (sub.handle == 0 && (sub.sees_everything || sub.uid == owner));
    if (matches && !signal_client_event(sub.fd)) failed.push_back(sub.fd);
  }
  if (failed.empty()) return;
  log_line("notify", "dropping %zu notification(s) whose event could not be signalled",
           failed.size());
  drop_subscriptions([&](const Subscription& s) {
    return std::find(failed.begin(), failed.end(), s.fd) != failed.end();
  });
}

void ConnectionManager::drop_subscriptions(const std::function<bool(const Subscription&)>& which) {
  std::erase_if(subscriptions_, [&](const Subscription& s) {
    if (!which(s)) return false;
    ::close(s.fd);
    return true;
  });
}

}  // namespace openras::manager
