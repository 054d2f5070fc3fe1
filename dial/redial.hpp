// The entry's redial policy around any dial machine: RedialAttempts / RedialSeconds when a
// dial fails before it connects, and RedialOnLinkFailure when a connected link drops. Each
// attempt is a fresh machine from the factory; the connection (and its handle) stays. A
// failure that another attempt cannot cure (a refused password, a hang-up) is final at once.
#pragma once

#include <functional>

#include "dial/dial_machine.hpp"

namespace openras::dial {

struct RedialPolicy {
  std::uint32_t attempts = 0;  // extra attempts after the first fails
  Duration pause = std::chrono::seconds(60);
  bool on_link_failure = false;
  // The attempts are the entry's tunnel types in turn (VpnStrategy fallback), not redials:
  // no pause, no redial status, and when all fail the first type's error is the answer.
  bool fallback = false;
};

RedialPolicy redial_policy(const phonebook::Entry& entry);
bool redial_can_help(std::uint32_t error);
// Whether the next tunnel type may succeed where one failed: not after the server refused our
// credentials or proved to be the wrong one.
bool fallback_can_help(std::uint32_t error);

class RedialingDial final : public DialMachine {
 public:
  using Factory = std::function<std::unique_ptr<DialMachine>(std::uint32_t attempt)>;
  RedialingDial(RedialPolicy policy, Factory factory);

  void start(TimePoint now) override;
  void on_timer(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  std::optional<DialOutput> poll_output() override;
  void hang_up(TimePoint now) override;
  std::uint32_t resume(const Credentials& c, TimePoint now) override {
    return inner_->resume(c, now);
  }
  std::optional<Projection> projection() const override { return inner_->projection(); }
  LinkStatistics statistics() const override { return inner_->statistics(); }
  std::string device_type() const override { return inner_->device_type(); }
  std::string device_name() const override { return inner_->device_name(); }

  void port_opened(const PortInfo& info, TimePoint now) override { inner_->port_opened(info, now); }
  void port_failed(std::uint32_t e, TimePoint now) override { inner_->port_failed(e, now); }
  void feed_line(std::span<const std::uint8_t> o, TimePoint now) override {
    inner_->feed_line(o, now);
  }
  bool poll_line(ppp::LineBytes& out) override { return inner_->poll_line(out); }
  void line_closed(TimePoint now) override { inner_->line_closed(now); }
  void network_ready(std::uint32_t e, TimePoint now) override { inner_->network_ready(e, now); }
  DialMachine& data_path() override { return inner_->data_path(); }
  bool send_packet(std::span<const std::uint8_t> p) override { return inner_->send_packet(p); }
  bool poll_packet(std::vector<std::uint8_t>& out) override { return inner_->poll_packet(out); }

  std::uint32_t attempt() const { return attempt_; }
  std::optional<RedialStatus> redial_status(TimePoint now) const override;

 private:
  RedialPolicy policy_;
  Factory factory_;
  std::unique_ptr<DialMachine> inner_;
  std::uint32_t attempt_ = 0;
  std::uint32_t redials_left_;
  std::uint32_t attempts_total_;  // of the current run of attempts, the first included
  bool connected_ = false;
  bool hung_up_ = false;
  bool inner_released_ = false;  // the attempt's PortReleased has gone by
  // Between attempts: first until the failed attempt lets go of its port, then the pause.
  bool redial_pending_ = false;
  std::optional<TimePoint> redial_at_;
  std::uint32_t last_error_ = 0;   // what the attempt being redialed failed with
  std::uint32_t first_error_ = 0;  // fallback: what the first tunnel type failed with
};

}  // namespace openras::dial
