// The dial machine for every link that carries PPP: a direct serial line (null modem, a pty),
// a Hayes modem, SSTP. The carrier does the device's own dialog and moves the frames; this
// turns the port, the carrier and the PPP session's events into RASCONNSTATE transitions and
// Win32 errors. The manager opens the port and the interface and moves the octets.
#pragma once

#include <deque>
#include <memory>

#include "dial/carrier.hpp"
#include "dial/dial_machine.hpp"
#include "dial/dial_outputs.hpp"
#include "ppp/session.hpp"

namespace openras::dial {

class PppDial final : public DialMachine {
 public:
  PppDial(const phonebook::Entry& entry, const DialParams& params,
          std::unique_ptr<ppp::Random> random, std::unique_ptr<Carrier> carrier);

  void start(TimePoint now) override;
  void on_timer(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  std::optional<DialOutput> poll_output() override;
  void hang_up(TimePoint now) override;
  std::uint32_t resume(const Credentials& credentials, TimePoint now) override;
  std::optional<Projection> projection() const override;
  LinkStatistics statistics() const override;
  std::string device_type() const override { return carrier_->device_type(); }
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
  enum class Phase { Idle, OpeningPort, Dialing, Ppp, WaitingForNetwork, Connected, Done };

  void emit(std::uint32_t state, std::uint32_t error = 0);
  void fail(std::uint32_t error, TimePoint now);
  // The port is free (PortReleased, once an attempt); after hang_up also Finished.
  void release();
  void pump(TimePoint now);
  void pump_session(TimePoint now);
  void check_carrier(TimePoint now);
  std::uint32_t lost_carrier_error(std::uint32_t carrier_error) const;
  void device_connected(TimePoint now);

  std::unique_ptr<ppp::Random> random_;
  std::unique_ptr<Carrier> carrier_;
  ppp::Session session_;
  PortRequest port_;
  std::string device_name_;
  NetworkRequest network_;
  DialParams params_;
  Phase phase_ = Phase::Idle;
  bool authenticated_emitted_ = false;
  bool port_open_ = false;
  bool hanging_up_ = false;
  bool session_finished_ = false;
  bool carrier_closing_ = false;
  std::optional<TimePoint> teardown_deadline_;
  // IdleDisconnectSeconds, checked in quarters: four quiet quarters in a row hang up.
  std::optional<Duration> idle_quarter_;
  std::optional<TimePoint> idle_check_;
  bool active_since_check_ = false;
  int quiet_quarters_ = 0;
  DialOutputs outputs_;
};

// ppp::Random from the kernel's generator (getrandom).
std::unique_ptr<ppp::Random> system_random();

}  // namespace openras::dial
