// LCP (RFC 1661 section 6, RFC 1662 ACCM): the options as a table of handlers, plus
// Protocol-Reject, Echo and Discard. Client and server roles differ only in which
// authentication protocol they ask for and accept.
#pragma once

#include <span>

#include "ppp/fsm.hpp"
#include "ppp/layer_hooks.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

class Lcp final : public FsmProtocol {
 public:
  Lcp(const SessionConfig& config, Negotiated& negotiated, Random& random, LayerHooks& hooks,
      std::deque<OutPacket>& outbox);

  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }
  // We turned down the authentication protocol the peer asked for at least once.
  bool refused_peer_auth() const { return refused_peer_auth_; }
  void send_echo_request();
  void send_protocol_reject(std::uint16_t protocol, ByteView frame_info);

  Bytes build_request() override;
  Verdict check_request(ByteView options, Bytes& reply) override;
  bool on_ack(ByteView options) override;
  void on_nak(ByteView options) override;
  void on_reject(ByteView options) override;
  bool on_extended_code(std::uint8_t code, std::uint8_t id, ByteView data) override;
  void this_layer_up() override;
  void this_layer_down() override;
  void this_layer_finished(FinishReason reason) override;

 private:
  // One row per option (lcp.cpp): how we ask for it, how we judge the peer's, and what the
  // peer's Ack, Nak or Reject of ours changes. Adding an option touches the table only.
  struct OptionRow {
    std::uint8_t type;
    void (*build)(Lcp&, Bytes& out);                    // appends ours, if we ask for it
    Verdict (*check)(Lcp&, ByteView data, Bytes& nak);  // the peer's; Nak appends to `nak`
    void (*acked)(Lcp&, ByteView data);                 // ours acked (may be null)
    void (*nakked)(Lcp&, ByteView data);                // the peer's counter-proposal to ours
    void (*rejected)(Lcp&);                             // the peer will not have ours
  };
  static std::span<const OptionRow> option_rows();
  static const OptionRow* row_for(std::uint8_t type);

  struct Wants {  // what we put in our Configure-Request
    bool mru = false;
    bool accm = false;
    bool magic = true;
    bool pfc = false;
    bool acfc = false;
    std::optional<AuthMethod> auth;  // server role
  };
  Verdict check_auth(ByteView data, Bytes& nak);
  AuthMethod preferred_auth() const;

  const SessionConfig& config_;
  Negotiated& negotiated_;
  Random& random_;
  LayerHooks& hooks_;
  Fsm fsm_;
  Wants wants_;
  std::uint16_t our_mru_;
  std::size_t server_auth_index_ = 0;
  int magic_collisions_ = 0;
  bool refused_peer_auth_ = false;
  // Values from the peer's request, committed when it is acked.
  Negotiated pending_;
};

}  // namespace openras::ppp
