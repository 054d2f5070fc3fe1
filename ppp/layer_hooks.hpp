// How the control protocols tell the session what happened to them.
#pragma once

#include <cstdint>

#include "ppp/fsm.hpp"

namespace openras::ppp {

class LayerHooks {
 public:
  virtual ~LayerHooks() = default;
  virtual void layer_up(std::uint16_t protocol) = 0;
  virtual void layer_down(std::uint16_t protocol) = 0;
  virtual void layer_finished(std::uint16_t protocol, FinishReason reason) = 0;
  virtual void loopback_detected() = 0;
  virtual void protocol_rejected(std::uint16_t protocol) = 0;  // LCP Protocol-Reject from peer
  virtual void echo_reply_received() = 0;
};

}  // namespace openras::ppp
