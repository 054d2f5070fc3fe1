// The network control protocols: IPCP (RFC 1332) with the DNS options of RFC 1877, and
// IPV6CP (RFC 5072) with the interface identifier.
#pragma once

#include "ppp/fsm.hpp"
#include "ppp/layer_hooks.hpp"
#include "ppp/types.hpp"

namespace openras::ppp {

class Ipcp final : public FsmProtocol {
 public:
  Ipcp(const SessionConfig& config, Negotiated& negotiated, LayerHooks& hooks,
       std::deque<OutPacket>& outbox);
  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }

  Bytes build_request() override;
  Verdict check_request(ByteView options, Bytes& reply) override;
  bool on_ack(ByteView options) override;
  void on_nak(ByteView options) override;
  void on_reject(ByteView options) override;
  void this_layer_up() override { hooks_.layer_up(kProtoIpcp); }
  void this_layer_down() override { hooks_.layer_down(kProtoIpcp); }
  void this_layer_finished(FinishReason r) override { hooks_.layer_finished(kProtoIpcp, r); }

 private:
  const SessionConfig& config_;
  Negotiated& negotiated_;
  LayerHooks& hooks_;
  Fsm fsm_;
  bool want_address_ = true;
  bool want_dns1_;
  bool want_dns2_;
  std::uint32_t address_ = 0;
  std::uint32_t dns1_ = 0;
  std::uint32_t dns2_ = 0;
};

class Ipv6cp final : public FsmProtocol {
 public:
  Ipv6cp(const SessionConfig& config, Negotiated& negotiated, Random& random, LayerHooks& hooks,
         std::deque<OutPacket>& outbox);
  Fsm& fsm() { return fsm_; }
  const Fsm& fsm() const { return fsm_; }
  bool heard_from_peer() const { return heard_; }
  void note_heard() { heard_ = true; }

  Bytes build_request() override;
  Verdict check_request(ByteView options, Bytes& reply) override;
  bool on_ack(ByteView options) override;
  void on_nak(ByteView options) override;
  void on_reject(ByteView options) override;
  void this_layer_up() override { hooks_.layer_up(kProtoIpv6cp); }
  void this_layer_down() override { hooks_.layer_down(kProtoIpv6cp); }
  void this_layer_finished(FinishReason r) override { hooks_.layer_finished(kProtoIpv6cp, r); }

 private:
  std::uint64_t fresh_id();
  Negotiated& negotiated_;
  Random& random_;
  LayerHooks& hooks_;
  Fsm fsm_;
  bool want_id_ = true;
  bool heard_ = false;
};

}  // namespace openras::ppp
