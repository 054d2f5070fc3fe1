// The SSTP client (MS-SSTP section 3.2) as a sans-I/O engine over the TLS byte stream that the
// manager provides: the SSTP_DUPLEX_POST exchange, Call Connect Request / Ack / Nak, the crypto
// binding in Call Connected once PPP has authenticated, Echo keepalive, and Call Abort /
// Disconnect both ways. PPP frames travel whole in data packets.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "link/http_head.hpp"
#include "link/sstp_binding.hpp"
#include "link/sstp_packet.hpp"

namespace openras::link::sstp {

struct ClientConfig {
  std::string host;            // the Host header: the name the entry dials
  std::string correlation_id;  // a GUID, without braces
  Duration negotiation_timeout = std::chrono::seconds(60);
  Duration hello_interval = std::chrono::seconds(60);  // quiet this long: Echo Request
  Duration disconnect_timeout = std::chrono::seconds(5);
};

class Client {
 public:
  enum class State {
    Idle,
    HttpSent,       // waiting for "HTTP/1.1 200"
    RequestSent,    // Call Connect Request sent
    Negotiating,    // Call Connect Ack received: PPP runs
    Connected,      // Call Connected sent
    Disconnecting,  // Call Disconnect sent, waiting for its Ack
    Closed,         // ended cleanly (either side disconnected)
    Failed,         // error() says why
  };

  explicit Client(ClientConfig config);

  // The TLS session is up; `certificate_der` is the server's certificate (for the binding).
  void start(ByteView certificate_der, TimePoint now);
  void feed(ByteView bytes, TimePoint now);
  bool poll_transmit(Bytes& out);
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;

  // PPP frames, both ways. Frames offered before the Ack are dropped.
  bool poll_frame(Bytes& frame);
  bool send_frame(ByteView frame);
  // The same straight into `out`, after whatever poll_transmit() has given: the data path.
  bool append_frame(ByteView frame, ppp::LineBytes& out) const;

  // PPP authentication succeeded: send Call Connected with the binding. `mschapv2_master_key`
  // is absent for methods that derive no keys.
  void authenticated(const std::optional<std::array<std::uint8_t, 16>>& mschapv2_master_key,
                     TimePoint now);
  // Hang up: Call Disconnect, then Closed on its Ack or after the disconnect timer.
  void disconnect(TimePoint now);

  State state() const { return state_; }
  bool ppp_may_run() const { return state_ == State::Negotiating || state_ == State::Connected; }
  bool finished() const { return state_ == State::Closed || state_ == State::Failed; }
  std::uint32_t error() const { return error_; }
  std::uint64_t malformed() const { return malformed_; }
  std::uint8_t hash_protocol() const { return binding_.hash_protocol; }

  // Sees every control message in and out (the --verbose trace).
  using Observer = std::function<void(bool sent, const ControlMessage& message)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }

 private:
  void send(const ControlMessage& m);
  void handle_control(const ControlMessage& m, TimePoint now);
  void fail(std::uint32_t error, bool abort);
  void arm_hello(TimePoint now);

  ClientConfig config_;
  State state_ = State::Idle;
  std::uint32_t error_ = 0;
  HttpHead http_;
  PacketReader reader_;
  Bytes certificate_;
  CryptoBinding binding_;
  bool binding_requested_ = false;
  std::deque<Bytes> out_;
  std::deque<Bytes> frames_in_;
  std::optional<TimePoint> negotiation_deadline_;
  std::optional<TimePoint> hello_deadline_;
  std::optional<TimePoint> disconnect_deadline_;
  bool echo_outstanding_ = false;
  std::uint64_t malformed_ = 0;
  Observer observer_;
};

}  // namespace openras::link::sstp
