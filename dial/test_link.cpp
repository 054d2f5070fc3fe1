#include "dial/test_link.hpp"

#include <charconv>

#include "common/ras_states.hpp"
#include "ras.h"

namespace openras::dial {
namespace {

std::optional<std::uint32_t> parse_number(std::string_view s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::vector<ScriptStep>> parse_test_script(std::string_view text) {
  std::vector<ScriptStep> steps;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    ScriptStep step;
    auto bang = item.find('!');
    std::string_view state = item.substr(0, bang);
    if (auto n = parse_number(state)) {
      step.state = *n;
    } else if (auto named = state_from_name(state)) {
      step.state = *named;
    } else {
      return std::nullopt;
    }
    if (bang != std::string_view::npos) {
      auto err = parse_number(item.substr(bang + 1));
      if (!err || *err == 0) return std::nullopt;
      step.error = *err;
    }
    steps.push_back(step);
  }
  if (steps.empty()) return std::nullopt;
  return steps;
}

TestLinkDial::TestLinkDial(const phonebook::Entry& entry, const DialParams& params,
                           std::vector<ScriptStep> script)
    : script_(params.attempt < entry.key_u32("OpenRasTestFailAttempts", 0)
                  ? std::vector<ScriptStep>{{RASCS_OpenPort, 0},
                                            {RASCS_PortOpened, 0},
                                            {RASCS_ConnectDevice,
                                             entry.key_u32("OpenRasTestFailError", 676)}}
                  : std::move(script)),
      step_delay_(std::chrono::milliseconds(entry.key_u32("OpenRasTestStepMs", 5))),
      teardown_delay_(std::chrono::milliseconds(entry.key_u32("OpenRasTestTeardownMs", 20))),
      drop_error_(entry.key_u32("OpenRasTestDropError", ERROR_REMOTE_DISCONNECTION)),
      expected_password_(entry.key("OpenRasTestPassword")),
      params_(params) {
  if (auto drop = entry.key("OpenRasTestDropAfterMs")) {
    drop_after_ = std::chrono::milliseconds(entry.key_u32("OpenRasTestDropAfterMs", 0));
  }
  projection_.ip_address = entry.key("OpenRasTestIp").value_or("10.254.0.2");
  projection_.server_ip_address = entry.key("OpenRasTestServerIp").value_or("10.254.0.1");
  projection_.dns1 = entry.key("OpenRasTestDns").value_or("");
  projection_.auth_protocol = RASLCPAP_CHAP;
  projection_.auth_data = RASLCPAD_CHAP_MSV2;
  projection_.lcp_options = RASLCPO_PFC | RASLCPO_ACFC;
  projection_.lcp_server_options = RASLCPO_PFC | RASLCPO_ACFC;
}

void TestLinkDial::start(TimePoint now) {
  phase_ = Phase::Running;
  deadline_ = now + step_delay_;
}

void TestLinkDial::emit(std::uint32_t state, std::uint32_t error) {
  outputs_.push_back(DialEvent{state, error, 0});
}

void TestLinkDial::release() {
  if (released_) return;
  released_ = true;
  outputs_.push_back(PortReleased{});
}

void TestLinkDial::fail(std::uint32_t state, std::uint32_t error) {
  emit(state, error);
  phase_ = Phase::Failed;
  deadline_.reset();
  release();
}

void TestLinkDial::run_step(TimePoint now) {
  if (next_step_ >= script_.size()) {
    // A script that ends before a final state: the peer went silent.
    fail(script_.back().state, ERROR_PPP_TIMEOUT);
    return;
  }
  ScriptStep step = script_[next_step_++];
  if (is_paused_state(step.state)) {
    if (!(params_.options & RDEOPT_PausedStates)) {
      // Without paused states Windows reports the pause as the failure it stands for.
      std::uint32_t error = step.state == RASCS_PasswordExpired       ? ERROR_PASSWD_EXPIRED
                            : step.state == RASCS_RetryAuthentication ? ERROR_AUTHENTICATION_FAILURE
                                                                      : ERROR_INTERACTIVE_MODE;
      fail(script_[next_step_ > 1 ? next_step_ - 2 : 0].state, error);
      return;
    }
    emit(step.state);
    phase_ = Phase::Paused;
    deadline_.reset();
    return;
  }
  emit(step.state);
  if (step.state == RASCS_Projected) projected_ = true;
  if (step.error != 0) {
    fail(step.state, step.error);
    return;
  }
  if (step.state == RASCS_Authenticate && expected_password_ &&
      params_.credentials.password != *expected_password_) {
    if (params_.options & RDEOPT_PausedStates) {
      emit(RASCS_RetryAuthentication);
      phase_ = Phase::Paused;
      --next_step_;  // retry this state after resume
      deadline_.reset();
      return;
    }
    fail(step.state, ERROR_AUTHENTICATION_FAILURE);
    return;
  }
  if (step.state == RASCS_Connected) {
    phase_ = Phase::Connected;
    deadline_ = drop_after_ ? std::optional<TimePoint>(now + *drop_after_) : std::nullopt;
    return;
  }
  deadline_ = now + step_delay_;
}

void TestLinkDial::on_timer(TimePoint now) {
  if (!deadline_ || now < *deadline_) return;
  deadline_.reset();
  switch (phase_) {
    case Phase::Running:
      run_step(now);
      break;
    case Phase::Connected:
      emit(RASCS_Disconnected, drop_error_);
      phase_ = Phase::Failed;
      release();
      break;
    case Phase::TearingDown:
      phase_ = Phase::Released;
      release();
      outputs_.push_back(Finished{});
      break;
    default:
      break;
  }
}

std::optional<TimePoint> TestLinkDial::next_deadline() const {
  return deadline_;
}

std::optional<DialOutput> TestLinkDial::poll_output() {
  if (outputs_.empty()) return std::nullopt;
  DialOutput out = std::move(outputs_.front());
  outputs_.pop_front();
  return out;
}

void TestLinkDial::hang_up(TimePoint now) {
  if (phase_ == Phase::TearingDown || phase_ == Phase::Released) return;
  phase_ = Phase::TearingDown;
  // The caller hears nothing more of the dial; a release not yet taken still counts.
  std::erase_if(outputs_,
                [](const DialOutput& o) { return !std::holds_alternative<PortReleased>(o); });
  deadline_ = now + teardown_delay_;
}

std::uint32_t TestLinkDial::resume(const Credentials& credentials, TimePoint now) {
  if (phase_ != Phase::Paused) return ERROR_INVALID_AUTH_STATE;
  if (!credentials.user.empty()) params_.credentials.user = credentials.user;
  params_.credentials.password = credentials.password;
  if (!credentials.domain.empty()) params_.credentials.domain = credentials.domain;
  phase_ = Phase::Running;
  deadline_ = now + step_delay_;
  return 0;
}

std::optional<Projection> TestLinkDial::projection() const {
  if (!projected_) return std::nullopt;
  return projection_;
}

}  // namespace openras::dial
