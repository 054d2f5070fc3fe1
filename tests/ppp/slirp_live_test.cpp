// The PPP engine against a real third-party peer: slirp on a pty (../shared/peers.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "../peers/slirp_peer.hpp"
#include "line_driver.hpp"
#include "raserror.h"
#include "test_random.hpp"

namespace openras::ppp {
namespace {

using openras::testing::SlirpOptions;
using openras::testing::SlirpPeer;

class SlirpLive : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    if (!SlirpPeer::available(&why)) GTEST_SKIP() << why;
  }
};

TEST_F(SlirpLive, ReachesIpcpOpenedWithTheAddressAndDnsSlirpAssigns) {
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  int fd = peer.open_line();
  ASSERT_GE(fd, 0);
  testing::SeededRandom random(42);
  SessionConfig config;
  config.user = "alice";
  config.password = "secret";
  Session session(config, random);
  testing::LineDriver driver(session, fd);
  session.open(Clock::now());
  ASSERT_TRUE(driver.run([&] { return driver.has(Event::Kind::NetworkUp) || driver.finished(); },
                         std::chrono::seconds(15)));
  ASSERT_TRUE(driver.has(Event::Kind::NetworkUp))
      << "finished with " << driver.finished().value_or(0);
  // IPCP must stay up: a server that cannot settle its own address would terminate it now.
  driver.run([] { return false; }, std::chrono::milliseconds(300));
  EXPECT_FALSE(driver.finished());
  const auto& n = session.negotiated();
  EXPECT_EQ(n.ip, 0x0A00020Fu);       // 10.0.2.15
  EXPECT_EQ(n.peer_ip, 0x0A404040u);  // it asked us to name its address: our placeholder
  EXPECT_EQ(n.dns1, 0x7F000001u) << std::hex << n.dns1;  // the `dns` value of .slirprc
  EXPECT_EQ(n.dns2, 0u);                                 // acked as 0.0.0.0: none
  EXPECT_FALSE(n.ipv6_up);                               // slirp drops IPV6CP silently
  EXPECT_EQ(session.ipcp_state(), FsmState::Opened);
  EXPECT_EQ(n.auth, AuthMethod::None);
  EXPECT_EQ(n.tx_accm, 0xffffffffu);  // slirp asks for no ACCM: we keep escaping
  EXPECT_EQ(n.rx_accm, 0u);           // it acked ours
  if (const char* path = std::getenv("OPENRAS_RECORD_SLIRP")) driver.save(path);

  session.close(Clock::now());
  driver.run([&] { return driver.finished().has_value(); }, std::chrono::seconds(5));
  EXPECT_EQ(driver.finished(), std::optional<std::uint32_t>(0));
  close(fd);
}

TEST_F(SlirpLive, PapWithTheRightPasswordAndTheWrongOne) {
  for (const char* password : {"secret", "wrong"}) {
    SlirpOptions options;
    options.extra_rc = "+pap\n";
    options.pap_secrets = "alice * secret *\n";
    SlirpPeer peer(options);
    ASSERT_TRUE(peer.started());
    int fd = peer.open_line();
    ASSERT_GE(fd, 0);
    testing::SeededRandom random(7);
    SessionConfig config;
    config.user = "alice";
    config.password = password;
    Session session(config, random);
    testing::LineDriver driver(session, fd);
    session.open(Clock::now());
    driver.run([&] { return driver.has(Event::Kind::NetworkUp) || driver.finished(); },
               std::chrono::seconds(15));
    EXPECT_EQ(session.negotiated().auth, AuthMethod::Pap);
    if (std::string(password) == "secret") {
      EXPECT_TRUE(driver.has(Event::Kind::NetworkUp));
      EXPECT_EQ(session.negotiated().auth_message, "Login ok");
    } else {
      EXPECT_EQ(driver.finished(), std::optional<std::uint32_t>(ERROR_AUTHENTICATION_FAILURE));
    }
    close(fd);
  }
}

}  // namespace
}  // namespace openras::ppp
