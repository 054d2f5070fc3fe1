// PPP in HDLC-like framing on a serial line or pty, with the Hayes AT dialog first when the
// entry is a modem.
#pragma once

#include <memory>
#include <optional>

#include "dial/carrier.hpp"
#include "link/modem.hpp"
#include "phonebook/entry.hpp"
#include "ppp/hdlc_link.hpp"

namespace openras::dial {

class HdlcCarrier final : public Carrier {
 public:
  HdlcCarrier(const phonebook::Entry& entry, const DialParams& params, bool modem);

  PortRequest port() const override { return port_; }
  void configure(ppp::SessionConfig& config) const override { config.framed = true; }
  void attach(ppp::Session& session) override;
  void start(const PortInfo& info, TimePoint now) override;
  void ppp_started(TimePoint now) override;
  void feed_line(std::span<const std::uint8_t> octets, TimePoint now) override;
  bool poll_line(ppp::LineBytes& out) override;
  void on_timer(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  Status status() const override;
  std::uint32_t error() const override { return error_; }
  void close(bool hang_up, TimePoint now) override;
  std::uint32_t line_lost_error() const override;
  std::string device_type() const override { return modem_ ? "modem" : "serial"; }
  void add_statistics(LinkStatistics& s) const override;

 private:
  PortRequest port_;
  std::optional<link::ModemDialer> modem_;
  std::unique_ptr<ppp::HdlcLink> link_;
  std::vector<std::uint8_t> after_connect_;
  bool closing_ = false;
  bool closed_ = false;
  std::uint32_t error_ = 0;
};

}  // namespace openras::dial
