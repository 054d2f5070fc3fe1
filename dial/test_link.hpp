// A link driven by a script of states and errors, for the tests and `make demo` until the
// real links land. Selected by an entry key `OpenRasTestScript`, and only compiled in when
// OPENRAS_TEST_LINK is on (never in a Release build).
//
//   OpenRasTestScript=OpenPort,PortOpened,...,Authenticate!691   ("!code": fail in that state)
//   OpenRasTestStepMs=5          delay before each step
//   OpenRasTestPassword=secret   Authenticate checks the password (paused retry or 691)
//   OpenRasTestDropAfterMs=N     after Connected, the link drops (RASCS_Disconnected)
//   OpenRasTestDropError=629     the error of that drop
//   OpenRasTestTeardownMs=20     how long the port takes to release after a hang-up
//   OpenRasTestFailAttempts=N    the first N attempts (redials) fail in ConnectDevice with
//   OpenRasTestFailError=676     this error
//   OpenRasTestIp / OpenRasTestServerIp / OpenRasTestDns   projection values
#pragma once

#include <deque>
#include <vector>

#include "dial/dial_machine.hpp"

namespace openras::dial {

struct ScriptStep {
  std::uint32_t state = 0;
  std::uint32_t error = 0;
};

// Parses the step list; std::nullopt on an unknown state name or a bad error code.
std::optional<std::vector<ScriptStep>> parse_test_script(std::string_view text);

class TestLinkDial final : public DialMachine {
 public:
  TestLinkDial(const phonebook::Entry& entry, const DialParams& params,
               std::vector<ScriptStep> script);

  void start(TimePoint now) override;
  void on_timer(TimePoint now) override;
  std::optional<TimePoint> next_deadline() const override;
  std::optional<DialOutput> poll_output() override;
  void hang_up(TimePoint now) override;
  std::uint32_t resume(const Credentials& credentials, TimePoint now) override;
  std::optional<Projection> projection() const override;
  LinkStatistics statistics() const override { return {}; }
  std::string device_type() const override { return "test"; }
  std::string device_name() const override { return "OpenRAS scripted test link"; }

 private:
  enum class Phase { Idle, Running, Paused, Connected, Failed, TearingDown, Released };

  void run_step(TimePoint now);
  // A failed or dropped link lets go of its port at once (so a redial can take it).
  void fail(std::uint32_t state, std::uint32_t error);
  void emit(std::uint32_t state, std::uint32_t error = 0);
  void release();

  std::vector<ScriptStep> script_;
  std::size_t next_step_ = 0;
  Duration step_delay_;
  Duration teardown_delay_;
  std::optional<Duration> drop_after_;
  std::uint32_t drop_error_;
  std::optional<std::string> expected_password_;
  DialParams params_;
  Projection projection_;
  bool projected_ = false;
  Phase phase_ = Phase::Idle;
  std::optional<TimePoint> deadline_;
  std::deque<DialOutput> outputs_;
  bool released_ = false;
};

}  // namespace openras::dial
