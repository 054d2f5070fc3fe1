// RedialingDial in virtual time, around scripted attempts: what the caller hears of failed
// attempts, what RasGetConnectStatus would report between them, which failures are final at
// once, a hang-up during the pause, and a redial after a connected link drops.
#include "dial/redial.hpp"

#include <gtest/gtest.h>

#include "dial/test_link.hpp"
#include "phonebook/entry.hpp"
#include "ras.h"
#include "raserror.h"

namespace openras::dial {
namespace {

struct Heard {
  std::vector<DialEvent> events;
  int port_releases = 0;
  bool finished = false;
};

class RedialTest : public ::testing::Test {
 protected:
  // Every attempt runs `script` (a TestLinkDial), counted in `attempts_made`.
  std::unique_ptr<RedialingDial> make(const std::string& script, RedialPolicy policy,
                                      const std::string& extra = "") {
    auto parsed = phonebook::entry_from_text(
        "[T]\nOpenRasTestStepMs=10\nOpenRasTestScript=" + script + "\n" + extra);
    entry_ = *parsed.entry;
    return std::make_unique<RedialingDial>(policy, [this](std::uint32_t) {
      ++attempts_made;
      return std::make_unique<TestLinkDial>(entry_, DialParams{},
                                            *parse_test_script(*entry_.key("OpenRasTestScript")));
    });
  }
  void drain(DialMachine& m) {
    while (auto out = m.poll_output()) {
      if (auto* e = std::get_if<DialEvent>(&*out)) heard.events.push_back(*e);
      if (std::holds_alternative<PortReleased>(*out)) ++heard.port_releases;
      if (std::holds_alternative<Finished>(*out)) heard.finished = true;
    }
  }
  // Runs timers until `until` or until the machine has no deadline.
  void run_until(DialMachine& m, TimePoint until) {
    drain(m);
    for (int i = 0; i < 1000; ++i) {
      auto d = m.next_deadline();
      if (!d || *d > until) break;
      now = std::max(now, *d);
      m.on_timer(now);
      drain(m);
    }
  }
  std::vector<std::uint32_t> errors() const {
    std::vector<std::uint32_t> out;
    for (const auto& e : heard.events) {
      if (e.error) out.push_back(e.error);
    }
    return out;
  }

  phonebook::Entry entry_;
  int attempts_made = 0;
  TimePoint now{};
  Heard heard;
};

TEST_F(RedialTest, FailedAttemptsAreSwallowedUntilTheLastOne) {
  RedialPolicy policy{2, std::chrono::seconds(5), false};
  auto m = make("OpenPort,ConnectDevice!678", policy);
  m->start(now);
  run_until(*m, now + std::chrono::milliseconds(100));
  // The first attempt failed: the caller heard no error, and the status names the next attempt.
  EXPECT_TRUE(errors().empty());
  auto status = m->redial_status(now);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->last_error, static_cast<std::uint32_t>(ERROR_NO_ANSWER));
  EXPECT_EQ(status->next_attempt, 2u);
  EXPECT_EQ(status->attempts, 3u);
  EXPECT_GT(status->starts_in, std::chrono::seconds(4));
  EXPECT_LE(status->starts_in, std::chrono::seconds(5));
  EXPECT_EQ(attempts_made, 1);
  // The pause, then the second and third attempts; the third's failure is the caller's.
  run_until(*m, now + std::chrono::seconds(30));
  EXPECT_EQ(attempts_made, 3);
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_EQ(errors()[0], static_cast<std::uint32_t>(ERROR_NO_ANSWER));
  EXPECT_FALSE(m->redial_status(now));
  EXPECT_EQ(heard.port_releases, 3) << "each attempt lets go of its port";
}

TEST_F(RedialTest, AFailureAnotherAttemptCannotCureIsFinalAtOnce) {
  auto m = make("OpenPort,Authenticate!691", {5, std::chrono::seconds(1), false});
  m->start(now);
  run_until(*m, now + std::chrono::seconds(30));
  EXPECT_EQ(attempts_made, 1);
  ASSERT_EQ(errors().size(), 1u);
  EXPECT_EQ(errors()[0], static_cast<std::uint32_t>(ERROR_AUTHENTICATION_FAILURE));
}

TEST_F(RedialTest, HangUpDuringThePauseStartsNoAttemptAndFinishes) {
  auto m = make("OpenPort,ConnectDevice!678", {3, std::chrono::seconds(5), false});
  m->start(now);
  run_until(*m, now + std::chrono::milliseconds(100));
  ASSERT_TRUE(m->redial_status(now));
  m->hang_up(now);
  run_until(*m, now + std::chrono::seconds(30));
  EXPECT_EQ(attempts_made, 1);
  EXPECT_TRUE(heard.finished);
  EXPECT_FALSE(m->redial_status(now));
}

TEST_F(RedialTest, ADroppedLinkIsReportedThenDialedAgain) {
  auto m = make("OpenPort,Connected", {1, std::chrono::seconds(2), true},
                "OpenRasTestDropAfterMs=1000\n");
  m->start(now);
  run_until(*m, now + std::chrono::milliseconds(500));
  ASSERT_FALSE(heard.events.empty());
  EXPECT_EQ(heard.events.back().state, static_cast<std::uint32_t>(RASCS_Connected));
  run_until(*m, now + std::chrono::seconds(1));
  // The drop is heard (RASCN_Disconnection goes out), then a new attempt starts after the pause.
  ASSERT_FALSE(errors().empty());
  EXPECT_EQ(errors().back(), static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
  EXPECT_TRUE(m->redial_status(now));
  heard.events.clear();
  run_until(*m, now + std::chrono::seconds(3));
  EXPECT_EQ(attempts_made, 2);
  ASSERT_FALSE(heard.events.empty());
  EXPECT_EQ(heard.events.back().state, static_cast<std::uint32_t>(RASCS_Connected));
}

}  // namespace
}  // namespace openras::dial
