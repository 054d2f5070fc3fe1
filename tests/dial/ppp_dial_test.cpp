// PppDial over a direct serial line (HdlcCarrier) in virtual time, against the PPP server of
// ppp/ on the far end of the "line": the states a real dial goes through, the network it asks
// for, its projection, and how it lets go (hang-up; a refused password).
#include "dial/ppp_dial.hpp"

#include <gtest/gtest.h>

#include "../ppp/test_random.hpp"
#include "dial/hdlc_carrier.hpp"
#include "phonebook/entry.hpp"
#include "ppp/hdlc_link.hpp"
#include "ras.h"
#include "raserror.h"

namespace openras::dial {
namespace {

constexpr std::uint32_t kServerIp = 0x0a000001;  // 10.0.0.1
constexpr std::uint32_t kClientIp = 0x0a000002;
constexpr std::uint32_t kDns = 0x0a000035;

class PppDialTest : public ::testing::Test {
 protected:
  PppDialTest()
      : server_random_(7), server_(server_config(), server_random_), server_link_(server_) {}

  static ppp::SessionConfig server_config() {
    ppp::SessionConfig c;
    c.server = true;
    c.server_settings.require = {ppp::AuthMethod::MsChapV2};
    c.server_settings.accounts = {{"alice", "secret"}};
    c.server_settings.local_ip = kServerIp;
    c.server_settings.assign_ip = kClientIp;
    c.server_settings.dns1 = kDns;
    c.server_settings.ipv6 = false;
    return c;
  }

  std::unique_ptr<PppDial> make(const std::string& password) {
    auto parsed = phonebook::entry_from_text(
        "[Direct]\nType=3\nMEDIA=serial\nPort=COM1\nDevice=Communications cable\n"
        "DEVICE=null\n");
    entry_ = *parsed.entry;
    DialParams params;
    params.credentials = {"alice", password, "", "", ""};
    return std::make_unique<PppDial>(entry_, params,
                                     std::make_unique<ppp::testing::SeededRandom>(3),
                                     std::make_unique<HdlcCarrier>(entry_, params, false));
  }

  // Moves octets both ways and time forward until `done` or `limit` of virtual time.
  void run(PppDial& m, const std::function<bool()>& done,
           Duration limit = std::chrono::seconds(60)) {
    const TimePoint end = now_ + limit;
    while (!done() && now_ < end) {
      bool moved = take_outputs(m);
      ppp::LineBytes line;
      while (m.poll_line(line)) {
        server_link_.feed_line(line, now_);
        line.clear();
        moved = true;
      }
      while (server_link_.poll_line(line)) {
        m.feed_line(line, now_);
        line.clear();
        moved = true;
      }
      while (server_.poll_event()) {
      }
      if (moved) continue;
      auto d = m.next_deadline();
      auto s = server_.next_deadline();
      if (s && (!d || *s < *d)) d = s;
      if (!d) break;
      now_ = std::max(now_, *d);
      m.on_timer(now_);
      server_.on_timer(now_);
    }
  }

  bool take_outputs(PppDial& m) {
    bool any = false;
    while (auto out = m.poll_output()) {
      any = true;
      if (auto* e = std::get_if<DialEvent>(&*out)) states_.push_back(*e);
      if (std::get_if<PortRequest>(&*out)) {
        m.port_opened({}, now_);
        server_.open(now_);
      }
      if (auto* n = std::get_if<NetworkRequest>(&*out)) {
        network_ = *n;
        ++network_requests_;
        m.network_ready(0, now_);
      }
      if (std::holds_alternative<PortReleased>(*out)) port_released_ = true;
      if (std::holds_alternative<Finished>(*out)) finished_ = true;
    }
    return any;
  }

  bool reached(std::uint32_t state) const {
    for (const auto& e : states_) {
      if (e.state == state && e.error == 0) return true;
    }
    return false;
  }
  std::uint32_t final_error() const {
    for (const auto& e : states_) {
      if (e.error) return e.error;
    }
    return 0;
  }

  phonebook::Entry entry_;
  ppp::testing::SeededRandom server_random_;
  ppp::Session server_;
  ppp::HdlcLink server_link_;
  TimePoint now_{};
  std::vector<DialEvent> states_;
  std::optional<NetworkRequest> network_;
  int network_requests_ = 0;
  bool port_released_ = false;
  bool finished_ = false;
};

TEST_F(PppDialTest, ConnectsThroughEveryStateAndAsksForItsNetworkOnce) {
  auto m = make("secret");
  m->start(now_);
  run(*m, [&] { return reached(RASCS_Connected); });
  ASSERT_TRUE(reached(RASCS_Connected)) << final_error();
  for (std::uint32_t s :
       {RASCS_OpenPort, RASCS_PortOpened, RASCS_ConnectDevice, RASCS_DeviceConnected,
        RASCS_AllDevicesConnected, RASCS_Authenticate, RASCS_Authenticated, RASCS_Projected}) {
    EXPECT_TRUE(reached(s)) << "state " << s;
  }
  ASSERT_TRUE(network_);
  // A little more time: no second request for the same network.
  run(
      *m, [] { return false; }, std::chrono::seconds(5));
  EXPECT_EQ(network_requests_, 1);
  EXPECT_EQ(network_->ip, kClientIp);
  EXPECT_EQ(network_->peer_ip, kServerIp);
  EXPECT_EQ(network_->dns1, kDns);
  auto p = m->projection();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ip_address, "10.0.0.2");
  EXPECT_EQ(p->auth_protocol, static_cast<std::uint32_t>(RASLCPAP_CHAP));
  EXPECT_EQ(p->auth_data, static_cast<std::uint32_t>(RASLCPAD_CHAP_MSV2));
  EXPECT_FALSE(port_released_);

  m->hang_up(now_);
  run(*m, [&] { return finished_; });
  EXPECT_TRUE(port_released_);
  EXPECT_TRUE(finished_);
  EXPECT_EQ(final_error(), 0u) << "a hang-up is no failure the caller hears";
}

TEST_F(PppDialTest, ARefusedPasswordIs691AndAsksForNoNetwork) {
  auto m = make("wrong");
  m->start(now_);
  run(*m, [&] { return port_released_; });
  EXPECT_EQ(final_error(), static_cast<std::uint32_t>(ERROR_AUTHENTICATION_FAILURE));
  EXPECT_FALSE(network_);
  EXPECT_TRUE(port_released_);
  EXPECT_FALSE(finished_) << "Finished only follows a hang-up";
  m->hang_up(now_);
  take_outputs(*m);
  EXPECT_TRUE(finished_);
}

}  // namespace
}  // namespace openras::dial
