// The dial machine for IKEv2 (VpnStrategy 7, 8, 14 and Automatic's first try): the IKE
// initiator over one UDP port to the server's 4500 (RFC 7296 2.23 lets an initiator start
// there; every IKE message after the non-ESP marker), ESP in the same port (RFC 3948), IP
// packets between the TUN and the CHILD_SA. No PPP: the address and name servers come from
// IKE's configuration payload.
#pragma once

#include <deque>
#include <memory>

#include "dial/dial_machine.hpp"
#include "dial/dial_outputs.hpp"
#include "dial/nat_keepalive.hpp"
#include "ike/initiator.hpp"

namespace openras::dial {

struct Ikev2Setup {
  std::uint32_t error = 0;
  PortRequest port;
  ike::InitiatorConfig config;
  std::unique_ptr<ike::CertificateVerifier> verifier;
  std::unique_ptr<ike::Signer> signer;
};
// The entry and the caller's credentials as the initiator's settings, or the Win32 error.
Ikev2Setup ikev2_setup(const phonebook::Entry& entry, const DialParams& params);
// Whether an entry authenticates its IKEv2 calls with the machine's certificate.
bool ikev2_wants_machine_certificate(const phonebook::Entry& entry);
// OpenRasIkeDhGroups=2,14 (IKEv2 and L2TP/IPsec): the DH groups to offer, in order, so that
// MODP-1024 is offered only where an entry asks for Windows' legacy suites; groups this build
// does not do are left out (empty: none usable). Without the key, `defaults`.
std::vector<std::uint16_t> entry_dh_groups(const phonebook::Entry& entry,
                                           std::vector<std::uint16_t> defaults);

class Ikev2Dial final : public DialMachine {
 public:
  Ikev2Dial(const phonebook::Entry& entry, const DialParams& params, Ikev2Setup setup,
            std::unique_ptr<ppp::Random> random);
  ~Ikev2Dial() override;

  void start(TimePoint now) override;
  void on_timer(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  std::optional<DialOutput> poll_output() override;
  void hang_up(TimePoint now) override;
  std::uint32_t resume(const Credentials& credentials, TimePoint now) override;
  std::optional<Projection> projection() const override;
  LinkStatistics statistics() const override;
  std::string device_type() const override { return "vpn"; }
  std::string device_name() const override { return device_name_; }

  void port_opened(const PortInfo& info, TimePoint now) override;
  void port_failed(std::uint32_t error, TimePoint now) override;
  void feed_line(std::span<const std::uint8_t> octets, TimePoint now) override;
  bool poll_line(ppp::LineBytes& out) override;
  void line_closed(TimePoint now) override;
  void network_ready(std::uint32_t error, TimePoint now) override;
  bool send_packet(std::span<const std::uint8_t> packet) override;
  bool poll_packet(std::vector<std::uint8_t>& out) override;

 private:
  enum class Phase { Idle, OpeningPort, Negotiating, WaitingForNetwork, Connected, Closing, Done };

  void emit(std::uint32_t state, std::uint32_t error = 0);
  void fail(std::uint32_t error);
  void release();
  void pump(TimePoint now);
  void on_established(const ike::NetworkConfig& network);

  std::unique_ptr<ppp::Random> random_;
  Ikev2Setup setup_;
  std::unique_ptr<ike::Initiator> ike_;
  std::string device_name_;
  NetworkRequest network_;
  bool plumb_ts_routes_ = false;
  Phase phase_ = Phase::Idle;
  bool hanging_up_ = false;
  DialOutputs outputs_;
  // CHILD_SAs: the newest carries what we send; any of them may still bring packets in.
  std::vector<std::shared_ptr<ike::EspSa>> children_;
  std::deque<ppp::LineBytes> datagrams_;
  std::deque<std::vector<std::uint8_t>> packets_in_;
  std::vector<ppp::LineBytes> spare_out_;
  std::vector<std::vector<std::uint8_t>> spare_in_;
  NatKeepalive keepalive_;
  ike::NetworkConfig config_;
  std::uint32_t server_ipv4_ = 0;
  ike::InitiatorConfig::Method method_ = ike::InitiatorConfig::Method::Eap;
  bool mobike_ = false;
  LinkStatistics stats_;
  std::function<void(const std::string&)> trace_;
};

}  // namespace openras::dial
