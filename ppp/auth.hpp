// Authentication after LCP: PAP (RFC 1334), CHAP-MD5 (RFC 1994), MS-CHAPv2 (RFC 2759) and
// EAP-MSCHAPv2 (eap.hpp).
// AuthClient is the side OpenRAS plays; AuthServer is the tiny server the back-to-back tests
// and the project's SSTP test server use.
#pragma once

#include <optional>
#include <string>

#include "ppp/auth_context.hpp"
#include "ppp/eap.hpp"
#include "ppp/fsm.hpp"
#include "ppp/mschapv2.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

class AuthClient {
 public:
  AuthClient(const SessionConfig& config, Negotiated& negotiated, Random& random,
             std::deque<OutPacket>& outbox);
  void start(AuthMethod method, TimePoint now);
  void receive(std::uint16_t protocol, ByteView packet, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> deadline() const { return deadline_; }
  // New credentials after a retryable failure (the RASCS_RetryAuthentication pause).
  void resume(const std::string& user, const std::string& password, TimePoint now);

  AuthStatus status() const { return status_; }
  std::uint32_t error() const { return error_; }
  // The peer has started an NCP while we wait for its verdict: a server opens the network
  // only for a client it accepted, so its Ack (PAP) or Success (CHAP) was lost on the way.
  // MS-CHAPv2 is left waiting: its Success carries the authenticator response we must check.
  bool take_network_as_success();

 private:
  void send(std::uint16_t protocol, std::uint8_t code, std::uint8_t id, const Bytes& data);
  void send_pap(TimePoint now);
  void answer_challenge(std::uint8_t id, ByteView value, TimePoint now);
  void on_chap(std::uint8_t code, std::uint8_t id, ByteView data, TimePoint now);
  void on_pap(std::uint8_t code, ByteView data);
  void fail(std::uint32_t error);
  void take_eap_state();

  AuthContext ctx_;
  std::string user_;
  std::string password_;
  AuthMethod method_ = AuthMethod::None;
  AuthStatus status_ = AuthStatus::Idle;
  std::uint32_t error_ = 0;
  std::optional<TimePoint> deadline_;
  int requests_left_ = 0;
  std::uint8_t id_ = 0;
  // The last CHAP exchange, to answer a retransmitted challenge the same way and to check the
  // MS-CHAPv2 authenticator response.
  std::optional<std::uint8_t> answered_id_;
  Bytes last_response_;
  mschap::ClientExchange exchange_;
  std::optional<mschap::Challenge16> retry_challenge_;
  EapPeer eap_;
};

class AuthServer {
 public:
  AuthServer(const SessionConfig& config, Negotiated& negotiated, Random& random,
             std::deque<OutPacket>& outbox);
  void start(AuthMethod method, TimePoint now);
  void receive(std::uint16_t protocol, ByteView packet, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> deadline() const { return deadline_; }
  AuthStatus status() const { return status_; }

 private:
  void send_challenge(TimePoint now);
  void send(std::uint16_t protocol, std::uint8_t code, std::uint8_t id, const Bytes& data);
  void take_eap_state();

  AuthContext ctx_;
  AuthMethod method_ = AuthMethod::None;
  AuthStatus status_ = AuthStatus::Idle;
  std::optional<TimePoint> deadline_;
  int challenges_left_ = 0;
  std::uint8_t id_ = 0;
  mschap::Challenge16 challenge_{};
  EapAuthenticator eap_;
};

}  // namespace openras::ppp
