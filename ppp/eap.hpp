// EAP over PPP (RFC 3748) with the one method OpenRAS speaks, EAP-MSCHAPv2 (type 26,
// draft-kamath-pppext-eap-mschapv2): Identity, Notification and Nak, and MS-CHAPv2 inside.
// EapPeer is the client's side; EapAuthenticator the tiny server's (back-to-back tests and the
// project's SSTP test server). Both keep the MS-CHAPv2 master key: SSTP binds to it.
#pragma once

#include <deque>
#include <optional>
#include <string>

#include "ppp/auth_context.hpp"
#include "ppp/mschapv2.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

enum class AuthStatus { Idle, Running, Succeeded, Failed, Paused };

class EapPeer {
 public:
  EapPeer(const SessionConfig& config, Negotiated& negotiated, Random& random,
          std::deque<OutPacket>& outbox);
  // The authenticator speaks first; give it as long as its retransmissions would take.
  void start(const std::string& user, const std::string& password, TimePoint now);
  void receive(ByteView packet, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> deadline() const { return deadline_; }
  AuthStatus status() const { return status_; }
  std::uint32_t error() const { return error_; }

 private:
  void on_request(std::uint8_t id, std::uint8_t type, ByteView data);
  void on_mschapv2(std::uint8_t id, ByteView data);
  void respond(std::uint8_t id, std::uint8_t type, const Bytes& data);
  void fail(std::uint32_t error);

  AuthContext ctx_;
  std::string user_;
  std::string password_;
  AuthStatus status_ = AuthStatus::Idle;
  std::uint32_t error_ = 0;
  std::optional<TimePoint> deadline_;
  // A Request repeated with the same identifier gets the same Response (RFC 3748 4.1).
  std::optional<std::uint8_t> last_id_;
  Bytes last_request_;
  Bytes last_response_;
  mschap::ClientExchange exchange_;
  bool server_proved_ = false;  // its MS-CHAPv2 Success carried the right "S=" proof
};

class EapAuthenticator {
 public:
  EapAuthenticator(const SessionConfig& config, Negotiated& negotiated, Random& random,
                   std::deque<OutPacket>& outbox);
  void start(TimePoint now);
  void receive(ByteView packet, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> deadline() const { return deadline_; }
  AuthStatus status() const { return status_; }

 private:
  void request(std::uint8_t type, const Bytes& data, TimePoint now);
  void finish(bool ok, std::uint8_t id);

  AuthContext ctx_;
  AuthStatus status_ = AuthStatus::Idle;
  std::optional<TimePoint> deadline_;
  int requests_left_ = 0;
  std::uint8_t id_ = 0;
  OutPacket last_request_;
  enum class Step { Identity, Challenge, Success, Failure } step_ = Step::Identity;
  std::string identity_;
  mschap::Challenge16 challenge_{};
  std::optional<mschap::Hash16> master_key_;
};

}  // namespace openras::ppp
