// A captured exchange with the real slirp (tests/ppp/fixtures/, recorded by slirp_live_test
// with OPENRAS_RECORD_SLIRP) replayed in virtual time: with the same seed the engine must send
// exactly what it sent to slirp, and reach the same negotiated values, without slirp.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ppp/session.hpp"
#include "test_random.hpp"

namespace openras::ppp {
namespace {

struct Line {
  std::int64_t ms;
  bool sent;
  Bytes frame;
};

std::vector<Line> load(const std::string& name) {
  std::ifstream in(std::string(OPENRAS_PPP_FIXTURES) + "/" + name);
  std::vector<Line> lines;
  std::string dir, hex;
  std::int64_t ms;
  while (in >> ms >> dir >> hex) lines.push_back({ms, dir == "tx", testing::from_hex(hex.c_str())});
  return lines;
}

TEST(SlirpReplay, TheEngineReplaysTheCapturedExchangeExactly) {
  auto lines = load("slirp_no_auth.txt");
  ASSERT_GT(lines.size(), 10u);
  testing::SeededRandom random(42);  // the seed the capture was recorded with
  SessionConfig config;
  config.user = "alice";
  config.password = "secret";
  Session session(config, random);
  TimePoint t0{};
  session.open(t0);
  std::size_t sent = 0;
  for (const auto& line : lines) {
    TimePoint now = t0 + std::chrono::milliseconds(line.ms);
    if (line.sent) {
      Bytes frame;
      ASSERT_TRUE(session.poll_transmit(frame)) << "expected to send frame " << sent;
      EXPECT_EQ(frame, line.frame) << "frame " << sent;
      ++sent;
    } else {
      session.feed(line.frame, now);
    }
  }
  Bytes extra;
  EXPECT_FALSE(session.poll_transmit(extra));
  bool up = false;
  while (auto e = session.poll_event()) up |= e->kind == Event::Kind::NetworkUp;
  EXPECT_TRUE(up);
  EXPECT_EQ(session.negotiated().ip, 0x0A00020Fu);
  EXPECT_EQ(session.negotiated().dns1, 0x7F000001u);
  EXPECT_EQ(session.counters().unknown_protocols, 1u);  // slirp's CCP, Protocol-Rejected
}

}  // namespace
}  // namespace openras::ppp
