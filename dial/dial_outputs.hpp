// The ordered output stream every dial machine keeps (DialMachine::poll_output): the states it
// enters, its requests, and its releases, with the rules they share: a failed attempt's
// requests not yet taken are void; after a hang-up the caller hears nothing but releases; an
// attempt lets go of its port once, and a hung-up machine says Finished once.
#pragma once

#include <deque>
#include <optional>

#include "dial/dial_machine.hpp"
#include "ras.h"

namespace openras::dial {

class DialOutputs {
 public:
  // The machine enters `state` (with `error`, it failed there).
  void state(std::uint32_t state, std::uint32_t error = 0) {
    last_state_ = state;
    queue_.push_back(DialEvent{state, error, 0});
  }
  // A failure in the last state, or of a connected link (RASCS_Disconnected).
  void failure(std::uint32_t error, bool was_connected) {
    drop_requests();
    queue_.push_back(DialEvent{
        was_connected ? static_cast<std::uint32_t>(RASCS_Disconnected) : last_state_, error, 0});
  }
  void push(DialOutput output) { queue_.push_back(std::move(output)); }
  std::uint32_t last_state() const { return last_state_; }

  // After hang_up(): the caller hears nothing more of the dial; a release not yet taken still
  // counts.
  void hung_up() {
    hanging_up_ = true;
    std::erase_if(queue_,
                  [](const DialOutput& o) { return !std::holds_alternative<PortReleased>(o); });
  }
  // The port is free (once an attempt); after a hang-up, everything is (Finished, once).
  void release() {
    if (!released_) {
      released_ = true;
      queue_.push_back(PortReleased{});
    }
    if (hanging_up_ && !finished_) {
      finished_ = true;
      queue_.push_back(Finished{});
    }
  }
  bool released() const { return released_; }

  std::optional<DialOutput> poll() {
    if (queue_.empty()) return std::nullopt;
    DialOutput out = std::move(queue_.front());
    queue_.pop_front();
    return out;
  }

 private:
  void drop_requests() {
    std::erase_if(queue_, [](const DialOutput& o) {
      return std::holds_alternative<PortRequest>(o) || std::holds_alternative<NetworkRequest>(o);
    });
  }

  std::deque<DialOutput> queue_;
  std::uint32_t last_state_ = 0;
  bool hanging_up_ = false;
  bool released_ = false;
  bool finished_ = false;
};

}  // namespace openras::dial
