// The Hayes AT dialog as a sans-I/O engine: reset/init commands, ATDT/ATDP with the number,
// result codes to Win32 errors (BUSY -> ERROR_LINE_BUSY, NO CARRIER -> ERROR_NO_CARRIER,
// NO ANSWER -> ERROR_NO_ANSWER, NO DIALTONE -> ERROR_NO_DIALTONE), and the +++ / ATH hang-up
// with its guard times. Octets in, octets out, time as a parameter.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace openras::link {

struct ModemConfig {
  std::vector<std::string> init = {"ATZ", "ATE0V1"};  // reset, then no echo and verbose codes
  std::string number;
  bool pulse = false;  // ATDP instead of ATDT
  Duration command_timeout = std::chrono::seconds(3);
  Duration connect_timeout = std::chrono::seconds(60);
  Duration guard_time = std::chrono::seconds(1);  // silence around +++
};

class ModemDialer {
 public:
  enum class Status { Idle, Initializing, Dialing, Connected, Failed, HangingUp, HungUp };

  explicit ModemDialer(ModemConfig config);
  void start(TimePoint now);
  // Octets from the line. Once Connected, whatever followed the CONNECT line belongs to PPP:
  // take it with take_after_connect().
  void feed(const std::uint8_t* data, std::size_t n, TimePoint now);
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const { return deadline_; }
  // Octets to write to the line.
  bool poll_transmit(std::vector<std::uint8_t>& out);
  // Escape to command mode and hang up (after Connected), or abandon the dial.
  void hang_up(TimePoint now);

  Status status() const { return status_; }
  std::uint32_t error() const { return error_; }
  std::uint32_t connect_speed() const { return connect_speed_; }
  std::vector<std::uint8_t> take_after_connect();

 private:
  void send_command(const std::string& command, TimePoint now, Duration timeout);
  void on_line(const std::string& line, TimePoint now);
  void fail(std::uint32_t error);

  ModemConfig config_;
  Status status_ = Status::Idle;
  std::uint32_t error_ = 0;
  std::uint32_t connect_speed_ = 0;
  std::size_t next_init_ = 0;
  std::string pending_command_;  // to recognise its echo
  std::string line_;
  std::optional<TimePoint> deadline_;
  std::deque<std::vector<std::uint8_t>> out_;
  std::vector<std::uint8_t> after_connect_;
  int hangup_step_ = 0;
};

// Result codes a modem prints as text between PPP frames once the call is up ("NO CARRIER"
// after the last flag). True when `partial` (octets since the last flag) is one of them.
bool is_carrier_lost_text(const std::uint8_t* partial, std::size_t n);

}  // namespace openras::link
