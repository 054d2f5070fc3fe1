// One PPP session, sans-I/O, in the shape of ngtcp2: frames in (feed), frames out
// (poll_transmit), time in (on_timer / next_deadline), events out (poll_event). The same
// engine runs over every link: HDLC-framed serial lines wrap it with ppp/hdlc.hpp, SSTP and
// L2TP carry its frames whole. Randomness and the clock are injected.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "ppp/auth.hpp"
#include "ppp/layer_hooks.hpp"
#include "ppp/lcp.hpp"
#include "ppp/ncp.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

struct ReceivedPacket {
  std::uint16_t protocol;  // kProtoIp or kProtoIpv6
  Bytes data;
};

class Session final : private LayerHooks {
 public:
  Session(SessionConfig config, Random& random);

  void open(TimePoint now);        // the link is up: start LCP
  void close(TimePoint now);       // hang up: LCP Terminate-Request, then Finished
  void lower_down(TimePoint now);  // the link under us is gone

  // A whole PPP frame as it came off the link (address/control and PFC accepted).
  void feed(ByteView frame, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  // The next frame to put on the link (address/control added unless ACFC applies).
  bool poll_transmit(Bytes& frame);
  std::optional<Event> poll_event();

  // Data path.
  bool send_packet(std::uint16_t protocol, ByteView packet);
  std::optional<ReceivedPacket> poll_packet();

  // Continue after Event::AuthRetry with what the user typed.
  void resume_authentication(const std::string& user, const std::string& password, TimePoint now);

  // Sees every frame in and out (the --verbose packet trace).
  using FrameObserver = std::function<void(bool sent, ByteView frame)>;
  void set_frame_observer(FrameObserver observer) { observer_ = std::move(observer); }

  Phase phase() const { return phase_; }
  // Why PPP is closing of its own accord (an authentication failure, a timeout); 0 if it is not.
  std::uint32_t closing_error() const { return pending_error_; }
  const Negotiated& negotiated() const { return negotiated_; }
  const SessionConfig& config() const { return config_; }
  const Counters& counters() const { return counters_; }
  FsmState lcp_state() const;
  FsmState ipcp_state() const;
  FsmState ipv6cp_state() const;

 private:
  // LayerHooks
  void layer_up(std::uint16_t protocol) override;
  void layer_down(std::uint16_t protocol) override;
  void layer_finished(std::uint16_t protocol, FinishReason reason) override;
  void loopback_detected() override;
  void protocol_rejected(std::uint16_t protocol) override;
  void echo_reply_received() override;

  void set_phase(Phase p);
  void emit(Event::Kind kind, std::uint32_t error = 0) { events_.push_back({kind, error}); }
  void start_network(TimePoint now);
  void check_auth(TimePoint now);
  void maybe_network_up();
  void fail(std::uint32_t error, TimePoint now);
  void dispatch(std::uint16_t protocol, ByteView info, TimePoint now);
  void ncp_done(std::uint16_t protocol);
  void put_frame_header(Bytes& frame, std::uint16_t protocol) const;

  SessionConfig config_;
  Random& random_;
  Negotiated negotiated_;
  std::deque<OutPacket> outbox_;
  std::deque<Bytes> data_out_;  // whole frames, header included
  std::deque<ReceivedPacket> data_in_;
  std::deque<Event> events_;
  Lcp lcp_;
  Ipcp ipcp_;
  Ipv6cp ipv6cp_;
  AuthClient auth_client_;
  AuthServer auth_server_;
  Phase phase_ = Phase::Dead;
  Phase phase_at_down_ = Phase::Dead;  // where LCP was when it last left Opened
  std::uint32_t pending_error_ = 0;    // why we are closing
  bool finished_ = false;
  bool network_up_ = false;
  bool ipcp_done_ = false;
  bool ipv6cp_done_ = false;
  TimePoint now_{};
  std::optional<TimePoint> echo_deadline_;
  int echo_outstanding_ = 0;
  std::optional<TimePoint> last_heard_;  // the last well-formed frame from the peer
  Counters counters_;
  FrameObserver observer_;
};

}  // namespace openras::ppp
