// PPP over SSTP: the manager opens a verified TLS stream to the entry's server and moves its
// plaintext; link/sstp's client engine does the HTTPS exchange, the call and the crypto
// binding, and carries PPP frames whole.
#pragma once

#include "dial/carrier.hpp"
#include "link/sstp_client.hpp"
#include "phonebook/entry.hpp"

namespace openras::dial {

class SstpCarrier final : public Carrier {
 public:
  SstpCarrier(PortRequest port, link::sstp::ClientConfig config);

  PortRequest port() const override { return port_; }
  void configure(ppp::SessionConfig& config) const override;
  void attach(ppp::Session& session) override { session_ = &session; }
  void start(const PortInfo& info, TimePoint now) override;
  void ppp_started(TimePoint now) override;
  void feed_line(std::span<const std::uint8_t> octets, TimePoint now) override;
  bool poll_line(ppp::LineBytes& out) override;
  void on_timer(TimePoint now) override { client_.on_timer(now); }
  std::optional<TimePoint> next_deadline() const override { return client_.next_deadline(); }
  Status status() const override;
  std::uint32_t error() const override { return client_.error(); }
  void authenticated(const ppp::Negotiated& negotiated, TimePoint now) override;
  void close(bool hang_up, TimePoint now) override;
  std::uint32_t line_lost_error() const override;
  std::string device_type() const override { return "vpn"; }
  void set_trace(std::function<void(const std::string&)> trace) override;

 private:
  void deliver_frames(TimePoint now);  // the frames the client holds, to PPP

  PortRequest port_;
  link::sstp::Client client_;
  ppp::Session* session_ = nullptr;
  ppp::Bytes frame_;  // reused for each outgoing PPP frame
  // The server's first LCP request can come in the same read as the Call Connect Ack, before
  // PPP is opened: the client keeps such frames until ppp_started().
  bool ppp_started_ = false;
};

// The SSTP port and client settings an entry asks for: the server from PhoneNumber (or
// /PHONE:), "host:port" or "[v6]:port" with 443 by default, the certificate pin and the
// insecure switch, the proxy. Returns a Win32 error when the entry cannot be dialed this way.
struct SstpSetup {
  PortRequest port;
  link::sstp::ClientConfig client;
  std::uint32_t error = 0;
};
SstpSetup sstp_setup(const phonebook::Entry& entry, const DialParams& params, ppp::Random& random);

}  // namespace openras::dial
