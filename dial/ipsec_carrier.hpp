// L2TP/IPsec: the L2TP carrier's datagrams inside transport-mode ESP in UDP (RFC 3948) to the
// server's port 4500, keyed by IKEv1 (ike/Initiator in ike::v1). The L2TP engine starts only
// once an ESP SA pair is up, and nothing it sends ever leaves outside ESP: with no SA its
// datagrams wait in it. On close the L2TP call ends through ESP first, then the SAs are
// deleted.
#pragma once

#include <memory>

#include "dial/l2tp_carrier.hpp"
#include "dial/nat_keepalive.hpp"
#include "ike/ikev1_initiator.hpp"

namespace openras::dial {

class IpsecCarrier final : public Carrier {
 public:
  IpsecCarrier(PortRequest port, ike::v1::InitiatorConfig config,
               std::unique_ptr<L2tpCarrier> inner, std::unique_ptr<ppp::Random> random);
  ~IpsecCarrier() override;

  PortRequest port() const override { return port_; }
  void configure(ppp::SessionConfig& config) const override;
  void attach(ppp::Session& session) override { inner_->attach(session); }
  void start(const PortInfo& info, TimePoint now) override;
  void ppp_started(TimePoint now) override { inner_->ppp_started(now); }
  void feed_line(std::span<const std::uint8_t> octets, TimePoint now) override;
  bool poll_line(ppp::LineBytes& out) override;
  void on_timer(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  Status status() const override;
  std::uint32_t error() const override;
  void close(bool hang_up, TimePoint now) override;
  std::uint32_t line_lost_error() const override { return inner_->line_lost_error(); }
  std::string device_type() const override { return "vpn"; }
  void set_trace(std::function<void(const std::string&)> trace) override;
  // The newest ESP SA pair's transforms (the projection's cipher), or nullptr.
  const ike::EspSa* current_sa() const { return sas_.empty() ? nullptr : sas_.back().get(); }

 private:
  void take_events(TimePoint now);
  void take_retiring_events(TimePoint now);
  // Phase 1 is near its end: a new Main Mode and Quick Mode beside the old SAs, which go
  // once the new pair is up.
  void renew_phase1(TimePoint now);
  void open_esp(std::span<const std::uint8_t> packet, TimePoint now);
  bool seal_l2tp(const ppp::LineBytes& datagram, ppp::LineBytes& out);

  PortRequest port_;
  ike::v1::InitiatorConfig config_;
  std::unique_ptr<L2tpCarrier> inner_;
  std::unique_ptr<ppp::Random> random_;
  std::unique_ptr<ike::v1::Initiator> ike_;
  // The ISAKMP SA being replaced, with the ESP SAs made under it (by inbound SPI).
  std::unique_ptr<ike::v1::Initiator> retiring_;
  std::vector<std::uint32_t> retiring_spis_;
  bool renewal_refused_ = false;  // the server refused a second Main Mode: no more tries
  PortInfo info_;
  std::vector<std::shared_ptr<ike::EspSa>> sas_;  // newest last: it carries what we send
  bool inner_started_ = false;
  bool closing_ = false;
  bool ike_done_ = false;  // Closed or Failed
  std::uint32_t ike_error_ = 0;
  NatKeepalive keepalive_;
  bool keepalive_wanted_ = false;
  std::optional<TimePoint> close_deadline_;  // the L2TP call gets this long to end
  ppp::LineBytes inner_datagram_;
  std::vector<std::uint8_t> opened_;
  std::function<void(const std::string&)> trace_;
};

// The IKEv1 settings of an L2TP entry that asks for IPsec: the pre-shared key from the saved
// credentials, the DH groups (OpenRasIkeDhGroups), transmissions and lifetimes; the port is the
// server's UDP 4500. Zero error, or the Win32 code that refuses the entry.
struct IpsecSetup {
  PortRequest port;
  ike::v1::InitiatorConfig config;
  std::uint32_t error = 0;
};
IpsecSetup ipsec_setup(const phonebook::Entry& entry, const DialParams& params,
                       const PortRequest& l2tp_port);

}  // namespace openras::dial
