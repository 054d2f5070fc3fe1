// PPP over L2TP (RFC 2661): the manager opens a connected UDP socket to the entry's server
// and moves datagrams; link/l2tp's client engine sets up the tunnel and the call and carries
// PPP frames whole in data messages.
#pragma once

#include "dial/carrier.hpp"
#include "link/l2tp_client.hpp"
#include "phonebook/entry.hpp"

namespace openras::dial {

class L2tpCarrier final : public Carrier {
 public:
  L2tpCarrier(PortRequest port, link::l2tp::ClientConfig config);

  PortRequest port() const override { return port_; }
  void configure(ppp::SessionConfig& config) const override;
  void attach(ppp::Session& session) override { session_ = &session; }
  void start(const PortInfo& info, TimePoint now) override;
  void feed_line(std::span<const std::uint8_t> octets, TimePoint now) override;
  bool poll_line(ppp::LineBytes& out) override;
  void on_timer(TimePoint now) override { client_.on_timer(now); }
  std::optional<TimePoint> next_deadline() const override { return client_.next_deadline(); }
  Status status() const override;
  std::uint32_t error() const override { return client_.error(); }
  void close(bool hang_up, TimePoint now) override;
  std::uint32_t line_lost_error() const override;
  std::string device_type() const override { return "vpn"; }
  void set_trace(std::function<void(const std::string&)> trace) override;

 private:
  PortRequest port_;
  link::l2tp::Client client_;
  ppp::Session* session_ = nullptr;
};

// The UDP port and client settings an entry asks for: the server from PhoneNumber (or
// /PHONE:) with port 1701 by default, the tunnel secret (OpenRasL2tpSecret), random tunnel
// and session ids. An entry that needs IPsec (a pre-shared key, or encryption required, which
// on L2TP only IPsec gives) gets `ipsec` when it has a saved pre-shared key, and is refused
// with the Win32 code for a missing IPsec policy otherwise (certificates are not built).
struct L2tpSetup {
  PortRequest port;
  link::l2tp::ClientConfig client;
  bool ipsec = false;
  std::uint32_t error = 0;
};
L2tpSetup l2tp_setup(const phonebook::Entry& entry, const DialParams& params, ppp::Random& random);

}  // namespace openras::dial
