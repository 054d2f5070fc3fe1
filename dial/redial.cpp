#include "dial/redial.hpp"

#include <algorithm>

#include "ras.h"
#include "raserror.h"

namespace openras::dial {

RedialPolicy redial_policy(const phonebook::Entry& entry) {
  RedialPolicy p;
  p.attempts = entry.redial_attempts;
  p.pause = std::chrono::seconds(entry.redial_seconds ? entry.redial_seconds : 60);
  if (auto ms = entry.key("OpenRasRedialMs")) {
    p.pause = std::chrono::milliseconds(entry.key_u32("OpenRasRedialMs", 0));
  }
  p.on_link_failure = entry.redial_on_link_failure;
  return p;
}

bool redial_can_help(std::uint32_t error) {
  switch (error) {
    case ERROR_AUTHENTICATION_FAILURE:
    case ERROR_RESTRICTED_LOGON_HOURS:
    case ERROR_ACCT_DISABLED:
    case ERROR_PASSWD_EXPIRED:
    case ERROR_NO_DIALIN_PERMISSION:
    case ERROR_ACCT_EXPIRED:
    case ERROR_CHANGING_PASSWORD:
    case ERROR_UNABLE_TO_AUTHENTICATE_SERVER:
    case ERROR_USER_DISCONNECTION:
    case ERROR_IDLE_TIMEOUT:
    case ERROR_DEVICETYPE_DOES_NOT_EXIST:
      return false;
    default:
      return true;
  }
}

bool fallback_can_help(std::uint32_t error) {
  return redial_can_help(error) && error != ERROR_IPSEC_IKE_AUTH_FAIL;
}

RedialingDial::RedialingDial(RedialPolicy policy, Factory factory)
    : policy_(policy),
      factory_(std::move(factory)),
      inner_(factory_(0)),
      redials_left_(policy.attempts),
      attempts_total_(policy.attempts + 1) {}

void RedialingDial::start(TimePoint now) {
  inner_->start(now);
}

std::optional<DialOutput> RedialingDial::poll_output() {
  auto out = inner_->poll_output();
  if (!out) return out;
  if (std::holds_alternative<PortReleased>(*out)) inner_released_ = true;
  auto* e = std::get_if<DialEvent>(&*out);
  if (!e || hung_up_) return out;
  if (e->state == RASCS_Connected && e->error == 0) connected_ = true;
  const bool failed_dial = e->error != 0 && !connected_;
  const bool link_dropped = connected_ && e->state == RASCS_Disconnected;
  const bool may_retry = policy_.fallback ? fallback_can_help(e->error) : redial_can_help(e->error);
  if (failed_dial && policy_.fallback && first_error_ == 0) first_error_ = e->error;
  if (failed_dial && redials_left_ > 0 && may_retry) {
    // Swallow the failure: the caller hears the next attempt's states instead, and can ask
    // what failed and when the next attempt starts (redial_status).
    last_error_ = e->error;
    --redials_left_;
    redial_pending_ = true;  // the pause starts once the port is let go
    return poll_output();
  }
  if (failed_dial && policy_.fallback && may_retry) {
    // Every tunnel type failed for want of a server: the preferred type's reason says most.
    e->error = first_error_;
  }
  if (link_dropped && policy_.on_link_failure && redial_can_help(e->error)) {
    // The connection reports the drop (RASCN_Disconnection), then dials again.
    connected_ = false;
    redials_left_ = policy_.attempts;
    attempts_total_ = policy_.attempts + 1;
    last_error_ = e->error;
    redial_pending_ = true;
  }
  return out;
}

std::optional<RedialStatus> RedialingDial::redial_status(TimePoint now) const {
  if (!redial_pending_ || hung_up_ || policy_.fallback) return std::nullopt;
  RedialStatus status;
  status.last_error = last_error_;
  status.attempts = attempts_total_;
  status.next_attempt = attempts_total_ - redials_left_;
  // Before the pause starts (the failed attempt still letting go of its port) the whole
  // pause is ahead.
  status.starts_in = redial_at_ ? std::max(Duration::zero(), *redial_at_ - now) : policy_.pause;
  return status;
}

void RedialingDial::on_timer(TimePoint now) {
  if (redial_pending_ && !redial_at_ && inner_released_) redial_at_ = now + policy_.pause;
  if (redial_at_ && now >= *redial_at_) {
    redial_pending_ = false;
    redial_at_.reset();
    inner_released_ = false;
    inner_ = factory_(++attempt_);
    inner_->start(now);
    return;
  }
  inner_->on_timer(now);
}

std::optional<TimePoint> RedialingDial::next_deadline() const {
  if (!redial_pending_) return inner_->next_deadline();
  if (redial_at_) return redial_at_;
  // Until the old attempt has let go of its port keep its timers; once it has, ask for a
  // tick right away (a deadline already past) to start the pause.
  return inner_released_ ? std::optional<TimePoint>(TimePoint{}) : inner_->next_deadline();
}

void RedialingDial::hang_up(TimePoint now) {
  hung_up_ = true;
  redial_pending_ = false;
  redial_at_.reset();
  inner_->hang_up(now);
}

}  // namespace openras::dial
