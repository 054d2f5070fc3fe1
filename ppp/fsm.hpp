// The RFC 1661 option negotiation automaton (section 4), shared by LCP, IPCP and IPV6CP.
// It owns the states, the restart timer and the counters; what the options mean is the
// protocol's business, behind FsmProtocol. Sans-I/O: packets to send go into an outbox,
// time comes in as a parameter.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "ppp/bytes.hpp"

namespace openras::ppp {

enum class FsmState {
  Initial,
  Starting,
  Closed,
  Stopped,
  Closing,
  Stopping,
  ReqSent,
  AckRcvd,
  AckSent,
  Opened
};
const char* fsm_state_name(FsmState s);

enum Code : std::uint8_t {
  kConfigureRequest = 1,
  kConfigureAck = 2,
  kConfigureNak = 3,
  kConfigureReject = 4,
  kTerminateRequest = 5,
  kTerminateAck = 6,
  kCodeReject = 7,
  kProtocolReject = 8,  // LCP only
  kEchoRequest = 9,
  kEchoReply = 10,
  kDiscardRequest = 11,
};

enum class Verdict { Ack, Nak, Reject };

// RFC 1661 5.2-5.4: an option list we cannot walk is rejected whole; otherwise any rejected
// option makes a Configure-Reject of just those, else any Nak'ed option a Configure-Nak, else
// the request is acked. Puts the reply's options in `reply`.
Verdict settle_request(bool well_formed, ByteView options, Bytes& rejects, Bytes& naks,
                       Bytes& reply);

// Why a layer finished; the session turns these into Win32 errors.
enum class FinishReason { None, Closed, Timeout, PeerTerminated, NotConverging, Rejected };

class FsmProtocol {
 public:
  virtual ~FsmProtocol() = default;
  virtual Bytes build_request() = 0;  // our options as they stand
  // Judge the peer's request; put the options of the Nak/Reject (or the acked list) in `reply`.
  virtual Verdict check_request(ByteView options, Bytes& reply) = 0;
  virtual bool on_ack(ByteView options) = 0;  // false: the ack does not match what we sent
  virtual void on_nak(ByteView options) = 0;
  virtual void on_reject(ByteView options) = 0;
  // Codes beyond 1..7 (LCP's Protocol-Reject, Echo, Discard). True when handled.
  virtual bool on_extended_code(std::uint8_t code, std::uint8_t id, ByteView data) {
    (void)code;
    (void)id;
    (void)data;
    return false;
  }
  virtual void this_layer_up() = 0;
  virtual void this_layer_down() = 0;
  virtual void this_layer_started() {}
  virtual void this_layer_finished(FinishReason reason) = 0;
};

struct FsmConfig {
  Duration restart_timer = std::chrono::seconds(3);
  int max_configure = 10;
  int max_terminate = 2;
  int max_failure = 5;
};

struct OutPacket {
  std::uint16_t protocol;
  Bytes packet;  // code, id, length, data
};

class Fsm {
 public:
  Fsm(std::uint16_t protocol, FsmProtocol& handler, std::deque<OutPacket>& outbox,
      FsmConfig config = {});

  // Administrative and lower-layer events.
  void up(TimePoint now);
  void down();
  void open(TimePoint now);
  void close(TimePoint now, std::string reason = {});

  void receive(ByteView packet, TimePoint now);  // a whole control packet (code .. data)
  void on_timer(TimePoint now);
  std::optional<TimePoint> deadline() const { return deadline_; }

  FsmState state() const { return state_; }
  std::uint16_t protocol() const { return protocol_; }
  void send(std::uint8_t code, std::uint8_t id, ByteView data);
  std::uint8_t next_id() { return ++id_; }
  std::uint64_t malformed() const { return malformed_; }

 private:
  void set_state(FsmState s) { state_ = s; }
  void init_restart(int count, TimePoint now);
  void zero_restart(TimePoint now);
  void send_configure_request(TimePoint now, bool retransmission = false);
  void send_terminate_request(TimePoint now);
  void finish(FinishReason reason);
  void on_configure_request(std::uint8_t id, ByteView options, TimePoint now);
  void on_configure_ack(std::uint8_t id, ByteView options, TimePoint now);
  void on_configure_nak_or_reject(std::uint8_t code, std::uint8_t id, ByteView options,
                                  TimePoint now);
  void on_terminate_request(std::uint8_t id, TimePoint now);
  void on_terminate_ack(TimePoint now);
  void on_code_reject(ByteView data, TimePoint now);

  std::uint16_t protocol_;
  FsmProtocol& handler_;
  std::deque<OutPacket>& outbox_;
  FsmConfig config_;
  FsmState state_ = FsmState::Initial;
  std::uint8_t id_ = 0;
  std::uint8_t request_id_ = 0;    // id of our outstanding Configure-Request
  bool request_answered_ = false;  // a reply to it came: later ones with its id are duplicates
  int restart_count_ = 0;
  int failure_count_ = 0;
  std::optional<TimePoint> deadline_;
  Bytes last_request_;
  std::string terminate_reason_;
  std::uint64_t malformed_ = 0;
};

}  // namespace openras::ppp
