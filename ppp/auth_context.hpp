// What every authentication engine (PAP, CHAP, EAP; client and server) works with: the
// session's configuration and negotiated values, its randomness, and the queue its packets
// leave by.
#pragma once

#include <deque>

#include "ppp/fsm.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

struct AuthContext {
  const SessionConfig& config;
  Negotiated& negotiated;
  Random& random;
  std::deque<OutPacket>& outbox;
};

}  // namespace openras::ppp
