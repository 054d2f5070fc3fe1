// The L2TP client (RFC 2661) as a LAC placing one incoming call, sans-I/O over the UDP
// datagrams the manager moves: the control connection (SCCRQ / SCCRP / SCCCN, with the
// tunnel secret's challenge and hidden AVPs when the entry has one), the session (ICRQ /
// ICRP / ICCN), HELLO keepalive, StopCCN and CDN both ways, and PPP frames in data messages.
#pragma once

#include <functional>

#include "link/l2tp_control.hpp"

namespace openras::link::l2tp {

struct ClientConfig {
  std::string host_name = "openras";
  std::string secret;           // the tunnel secret; empty: no tunnel authentication
  std::uint16_t tunnel_id = 1;  // ours, non-zero: pick at random (peers.md: SoftEther)
  std::uint16_t session_id = 1;
  std::uint32_t call_serial = 1;
  std::array<std::uint8_t, 16> challenge{};  // random, sent when there is a secret
  std::uint32_t connect_speed = 100'000'000;
  Duration hello_interval = std::chrono::seconds(60);  // quiet this long: HELLO
  // SCCRQ to ICCN; longer than the retransmissions, which decide for a silent server.
  Duration setup_timeout = std::chrono::seconds(60);
  ReliableConfig reliable;
};

class Client {
 public:
  enum class State {
    Idle,
    WaitTunnel,   // SCCRQ sent
    WaitSession,  // SCCCN and ICRQ sent
    Established,  // ICCN sent: PPP runs
    Closing,      // StopCCN sent, waiting for its ack
    Closed,       // ended cleanly
    Failed,       // error() says why
  };

  explicit Client(ClientConfig config);

  void start(TimePoint now);
  void feed(ByteView datagram, TimePoint now);
  // One datagram per call.
  bool poll_transmit(ppp::LineBytes& out);
  bool poll_transmit(Bytes& out);  // the same as Bytes (tests)
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;

  bool poll_frame(Bytes& frame);
  bool send_frame(ByteView frame);

  // Hang up: CDN, StopCCN, Closed once the peer acknowledges (or gives up retransmitting).
  void disconnect(TimePoint now);

  State state() const { return state_; }
  std::uint32_t error() const { return error_; }
  const ResultCode& peer_result() const { return peer_result_; }
  std::uint64_t malformed() const { return malformed_; }
  std::uint64_t retransmissions() const { return control_.retransmissions(); }
  std::uint16_t peer_tunnel_id() const { return peer_tunnel_; }
  std::uint16_t peer_session_id() const { return peer_session_; }

  using Observer = std::function<void(bool sent, const ControlMessage& message)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }

 private:
  void send(std::uint16_t session_id, Bytes avps, TimePoint now);
  void handle(const ControlMessage& m, TimePoint now);
  void on_sccrp(const ControlMessage& m, TimePoint now);
  void on_icrp(const ControlMessage& m, TimePoint now);
  void peer_closed(const ControlMessage& m, bool whole_tunnel, TimePoint now);
  void stop_tunnel(std::uint16_t result, std::uint16_t error, std::uint32_t win32, TimePoint now);
  void send_stop_ccn(std::uint16_t result, std::uint16_t error, TimePoint now);
  void finish(std::uint32_t error);
  Bytes begin(std::uint16_t type) const;

  ClientConfig config_;
  ControlChannel control_;
  State state_ = State::Idle;
  std::uint32_t error_ = 0;
  std::uint16_t peer_tunnel_ = 0;
  std::uint16_t peer_session_ = 0;
  ResultCode peer_result_;
  std::deque<ppp::LineBytes> data_out_;
  std::deque<Bytes> frames_in_;
  std::optional<TimePoint> setup_deadline_;
  std::optional<TimePoint> hello_deadline_;
  std::optional<TimePoint> closing_deadline_;
  std::uint64_t malformed_ = 0;
  Observer observer_;
};

// The Win32 error for a StopCCN or CDN from the server: before the call is up the server
// refused it, after it the server ended it.
std::uint32_t error_for_peer_close(std::uint16_t message_type, const ResultCode& result,
                                   bool established);

}  // namespace openras::link::l2tp
