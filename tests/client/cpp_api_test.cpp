// The C++ API: RAII hang-up, callbacks, coroutine awaiting, std::error_code in the ras category.
#include <coroutine>

#include "daemon_fixture.hpp"
#include "openras/openras.hpp"

namespace openras::testing {
namespace {

using CppApiTest = DaemonTest;

struct Task {
  struct promise_type {
    Task get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
};

TEST_F(CppApiTest, ErrorsAreRasCategoryCodes) {
  auto ec = make_ras_error_code(ERROR_LINE_BUSY);
  EXPECT_EQ(ec.category().name(), std::string("ras"));
  EXPECT_EQ(ec.value(), ERROR_LINE_BUSY);
  EXPECT_EQ(ec.message(), "The phone line is busy.");
  EXPECT_FALSE(make_ras_error_code(0));
}

TEST_F(CppApiTest, DroppingTheConnectionHangsUp) {
  add_entry("E", kFullScript, 1);
  HRASCONN h = nullptr;
  {
    std::error_code ec;
    auto c = Connection::dial_sync({.entry = "E", .phonebook = phonebook()}, ec);
    ASSERT_FALSE(ec) << ec.message();
    h = c.handle();
    RASCONNSTATUSA st{};
    ASSERT_FALSE(c.status(st));
    EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  }
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(CppApiTest, DetachKeepsTheConnection) {
  add_entry("E", kFullScript, 1);
  HRASCONN h = nullptr;
  {
    std::error_code ec;
    auto c = Connection::dial_sync({.entry = "E", .phonebook = phonebook()}, ec);
    ASSERT_FALSE(ec);
    h = c.detach();
  }
  usleep(50 * 1000);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  EXPECT_EQ(RasGetConnectStatusA(h, &st), 0u);
  RasHangUpA(h);
}

TEST_F(CppApiTest, CallbackHearsStatesAndTheFinalError) {
  add_entry("Bad", "OpenPort,PortOpened,Authenticate!691", 1);
  std::vector<StateChange> heard;
  std::error_code ec;
  auto c = Connection::dial(
      {.entry = "Bad", .phonebook = phonebook()}, [&](const StateChange& s) { heard.push_back(s); },
      ec);
  ASSERT_FALSE(ec);
  ASSERT_TRUE(pump_until([&] { return !heard.empty() && heard.back().is_final(); }));
  EXPECT_EQ(heard.front().state, RASCS_OpenPort);
  EXPECT_EQ(heard.back().error, make_ras_error_code(ERROR_AUTHENTICATION_FAILURE));
}

TEST_F(CppApiTest, CoroutineAwaitsEachStateOnTheDialingThread) {
  add_entry("E", kFullScript, 1);
  std::error_code ec;
  auto c = Connection::dial({.entry = "E", .phonebook = phonebook()}, nullptr, ec);
  ASSERT_FALSE(ec);
  std::vector<RASCONNSTATE> states;
  bool done = false;
  auto watch = [&]() -> Task {
    for (;;) {
      StateChange s = co_await c.next_state();
      states.push_back(s.state);
      if (s.is_final()) break;
    }
    done = true;
  };
  watch();
  ASSERT_TRUE(pump_until([&] { return done; }));
  ASSERT_EQ(states.size(), 11u);
  EXPECT_EQ(states.front(), RASCS_OpenPort);
  EXPECT_EQ(states.back(), RASCS_Connected);
}

}  // namespace
}  // namespace openras::testing
