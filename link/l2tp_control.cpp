#include "link/l2tp_control.hpp"

namespace openras::link::l2tp {

void ControlChannel::send(std::uint16_t tunnel_id, std::uint16_t session_id, ByteView avps,
                          TimePoint now) {
  Pending p;
  p.ns = ns_++;
  p.message = control_message(tunnel_id, session_id, p.ns, nr_, avps);
  p.timeout = config_.first_timeout;
  waiting_.push_back(std::move(p));
  fill_window(now);
}

void ControlChannel::fill_window(TimePoint now) {
  while (!waiting_.empty() && unacked_.size() < peer_window_) {
    unacked_.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
    transmit(unacked_.back(), now);
  }
}

void ControlChannel::transmit(Pending& p, TimePoint now) {
  set_nr(p.message, nr_);  // a retransmission acknowledges what has arrived since
  out_.push_back(p.message);
  if (p.sent > 0) ++retransmissions_;
  ++p.sent;
  p.deadline = now + p.timeout;
  ack_due_ = false;
}

void ControlChannel::receive(const Header& h, ByteView body, std::vector<Bytes>& in_order,
                             TimePoint now) {
  // The peer's Nr acknowledges every message before it.
  while (!unacked_.empty() && seq_before(unacked_.front().ns, h.nr)) unacked_.pop_front();
  fill_window(now);
  if (body.empty()) return;  // a ZLB carries nothing to deliver or acknowledge
  if (h.ns == nr_) {
    in_order.emplace_back(body.begin(), body.end());
    ++nr_;
    for (auto it = ahead_.find(nr_); it != ahead_.end(); it = ahead_.find(nr_)) {
      in_order.push_back(std::move(it->second));
      ahead_.erase(it);
      ++nr_;
    }
  } else if (!seq_before(h.ns, nr_) &&
             static_cast<std::uint16_t>(h.ns - nr_) < config_.receive_window) {
    ahead_.emplace(h.ns, Bytes(body.begin(), body.end()));
  }
  // Duplicates are re-acknowledged (our ack was lost); gaps tell the peer where we are.
  ack_due_ = true;
}

void ControlChannel::flush_ack() {
  if (!ack_due_) return;
  ack_due_ = false;
  out_.push_back(control_message(peer_tunnel_, 0, ns_, nr_, {}));
}

bool ControlChannel::poll_transmit(Bytes& out) {
  if (out_.empty()) return false;
  out = std::move(out_.front());
  out_.pop_front();
  return true;
}

bool ControlChannel::on_timer(TimePoint now) {
  for (auto& p : unacked_) {
    if (now < p.deadline) continue;
    if (p.sent > config_.max_retransmissions) return false;
    p.timeout = std::min(p.timeout * 2, config_.max_timeout);
    transmit(p, now);
  }
  return true;
}

std::optional<TimePoint> ControlChannel::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& p : unacked_) {
    if (!best || p.deadline < *best) best = p.deadline;
  }
  return best;
}

}  // namespace openras::link::l2tp
