// RFC 2661 section 5.8: reliable delivery of control messages. Ns/Nr, the peer's receive
// window, retransmission with exponential back-off (capped), duplicate re-acknowledgement,
// a small reorder buffer for messages that arrive ahead of a lost one, and ZLB acks when
// nothing else carries Nr back. Sans-I/O: datagrams and time in, datagrams out.
#pragma once

#include <deque>
#include <map>
#include <optional>

#include "common/clock.hpp"
#include "link/l2tp_packet.hpp"

namespace openras::link::l2tp {

struct ReliableConfig {
  Duration first_timeout = std::chrono::seconds(1);
  Duration max_timeout = std::chrono::seconds(8);
  int max_retransmissions = 5;
  std::uint16_t receive_window = 8;  // what we hold ahead of a gap (we advertise it)
};

class ControlChannel {
 public:
  explicit ControlChannel(ReliableConfig config) : config_(config) {}

  // Queues a message (AVPs already built) for the peer's tunnel and session.
  void send(std::uint16_t tunnel_id, std::uint16_t session_id, ByteView avps, TimePoint now);
  // A control datagram's header and body: the messages now deliverable, in order (a message
  // ahead of a gap waits in the reorder buffer; a duplicate is only re-acknowledged).
  void receive(const Header& h, ByteView body, std::vector<Bytes>& in_order, TimePoint now);
  // Acks what receive() accepted, with a ZLB unless a queued message already carries Nr.
  void flush_ack();
  bool poll_transmit(Bytes& out);

  // False once a message has gone unacknowledged through every retransmission.
  bool on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;

  void set_peer_window(std::uint16_t window) { peer_window_ = window ? window : 1; }
  void set_peer_tunnel(std::uint16_t tunnel_id) { peer_tunnel_ = tunnel_id; }
  bool all_acked() const { return unacked_.empty() && waiting_.empty(); }
  std::uint64_t retransmissions() const { return retransmissions_; }
  std::uint16_t next_ns() const { return ns_; }

 private:
  struct Pending {
    Bytes message;
    std::uint16_t ns = 0;
    TimePoint deadline;
    Duration timeout;
    int sent = 0;
  };
  void transmit(Pending& p, TimePoint now);
  void fill_window(TimePoint now);

  ReliableConfig config_;
  std::uint16_t ns_ = 0;           // the Ns of the next new message
  std::uint16_t nr_ = 0;           // the next Ns we expect from the peer
  std::uint16_t peer_window_ = 4;  // section 5.8: 4 until the peer says otherwise
  std::uint16_t peer_tunnel_ = 0;
  std::deque<Pending> unacked_;           // sent, in Ns order
  std::deque<Pending> waiting_;           // queued behind a full window
  std::map<std::uint16_t, Bytes> ahead_;  // received past a gap, keyed by Ns
  std::deque<Bytes> out_;
  bool ack_due_ = false;
  std::uint64_t retransmissions_ = 0;
};

}  // namespace openras::link::l2tp
