// Synchronous dials, hang-up, the caller going away, and what handles mean afterwards.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "client/channel.hpp"
#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

using LifecycleTest = DaemonTest;

bool listed(HRASCONN h) {
  for (const auto& c : DaemonTest::connections()) {
    if (c.hrasconn == h) return true;
  }
  return false;
}

TEST_F(LifecycleTest, SyncDialBlocksUntilConnected) {
  add_entry("E", kFullScript, 5);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(50));  // 11 steps of 5 ms happened before return
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  EXPECT_STREQ(st.szDeviceType, "test");
  EXPECT_STREQ(st.szPhoneNumber, "5551234");
  EXPECT_TRUE(listed(h));
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_FALSE(listed(h));
}

TEST_F(LifecycleTest, SyncDialReturnsTheFinalError) {
  add_entry("E", "OpenPort,PortOpened,ConnectDevice!676");
  auto params = params_for("E");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_LINE_BUSY));
  ASSERT_NE(h, nullptr);  // a handle was stored: the caller must hang up
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_ConnectDevice);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_LINE_BUSY));
  EXPECT_FALSE(listed(h));
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_EQ(RasHangUpA(h), 0u) << "a repeated hang-up must be harmless";
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_EQ(RasHangUpA(h), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST_F(LifecycleTest, HangUpReturnsAtOnceAndThePortIsReleasedShortlyAfter) {
  add_entry("E", kFullScript, 1, "OpenRasTestTeardownMs=150\r\n");
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  // Still readable while the port is being released...
  EXPECT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  // ...then gone.
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(LifecycleTest, CallerThreadExitingMidDialAbortsTheDial) {
  add_entry("Slow", kFullScript, 100);
  HRASCONN h = nullptr;
  std::thread dialer([&] {
    auto params = params_for("Slow");
    auto on_state = [](UINT, RASCONNSTATE, DWORD) {};
    ASSERT_EQ(
        RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state), &h),
        0u);
    RasDispatchNotifications(150);
  });
  dialer.join();  // the thread ends with the dial in progress
  ASSERT_NE(h, nullptr);
  EXPECT_TRUE(wait_until_gone(h)) << "rasmand kept a dial whose caller went away";
  EXPECT_FALSE(listed(h));
}

TEST_F(LifecycleTest, ClientProcessKilledMidDialAbortsTheDial) {
  add_entry("Slow", kFullScript, 100);
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t child = fork();
  if (child == 0) {
    auto params = params_for("Slow");
    auto on_state = [](UINT, RASCONNSTATE, DWORD) {};
    HRASCONN h = nullptr;
    if (RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state),
                 &h) != 0) {
      _exit(1);
    }
    [[maybe_unused]] auto n = write(pipefd[1], &h, sizeof(h));
    pause();
    _exit(0);
  }
  HRASCONN h = nullptr;
  ASSERT_EQ(read(pipefd[0], &h, sizeof(h)), static_cast<ssize_t>(sizeof(h)));
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);  // root sees the child's dial
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_FALSE(listed(h));
  close(pipefd[0]);
  close(pipefd[1]);
}

TEST_F(LifecycleTest, AConnectedConnectionOutlivesTheThreadThatDialedIt) {
  add_entry("E", kFullScript);
  HRASCONN h = nullptr;
  std::thread dialer([&] {
    auto params = params_for("E");
    ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  });
  dialer.join();
  usleep(50 * 1000);
  EXPECT_TRUE(listed(h));
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(LifecycleTest, DialingAConnectedEntryTakesAReference) {
  add_entry("E", kFullScript);
  auto params = params_for("E");
  HRASCONN first = nullptr, second = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &first), 0u);
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &second), 0u);
  EXPECT_EQ(first, second);
  EXPECT_EQ(RasHangUpA(first), 0u);
  usleep(50 * 1000);
  EXPECT_TRUE(listed(first)) << "one reference is still held";
  EXPECT_EQ(RasHangUpA(second), 0u);
  EXPECT_TRUE(wait_until_gone(first));
}

TEST_F(LifecycleTest, DialingAnEntryBeingDialedIsRefused) {
  add_entry("Slow", kFullScript, 50);
  auto params = params_for("Slow");
  auto on_state = [](UINT, RASCONNSTATE, DWORD) {};
  HRASCONN first = nullptr, second = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state),
                     &first),
            0u);
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &second),
            static_cast<DWORD>(ERROR_DIAL_ALREADY_IN_PROGRESS));
  EXPECT_EQ(second, nullptr);
  RasHangUpA(first);
}

TEST_F(LifecycleTest, PausedRetryAuthenticationResumesWithTheNewPassword) {
  add_entry("E", kFullScript, 2, "OpenRasTestPassword=secret\r\n");
  static std::vector<std::pair<RASCONNSTATE, DWORD>> heard;
  heard.clear();
  auto on_state = [](UINT, RASCONNSTATE state, DWORD error) { heard.emplace_back(state, error); };
  RASDIALEXTENSIONS ext{};
  ext.dwSize = sizeof(ext);
  ext.dwfOptions = RDEOPT_PausedStates;
  auto params = params_for("E", "wrong");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(&ext, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state), &h), 0u);
  ASSERT_TRUE(
      pump_until([] { return !heard.empty() && heard.back().first == RASCS_RetryAuthentication; }));
  snprintf(params.szPassword, sizeof(params.szPassword), "secret");
  ASSERT_EQ(
      RasDialA(&ext, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state), &h), 0u);
  ASSERT_TRUE(pump_until([] { return heard.back().first == RASCS_Connected; }));
  EXPECT_EQ(heard.back().second, 0u);
  RasHangUpA(h);
}

TEST_F(LifecycleTest, WithoutPausedStatesAWrongPasswordIsAuthenticationFailure) {
  add_entry("E", kFullScript, 2, "OpenRasTestPassword=secret\r\n");
  auto params = params_for("E", "wrong");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_AUTHENTICATION_FAILURE));
  RasHangUpA(h);
}

TEST_F(LifecycleTest, DaemonGoingAwayEndsTheDialWithItsOwnError) {
  add_entry("Slow", kFullScript, 200);
  static DWORD last_error;
  last_error = 0;
  auto on_state = [](UINT, RASCONNSTATE, DWORD error) {
    if (error) last_error = error;
  };
  auto params = params_for("Slow");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state), &h),
      0u);
  kill(daemon_pid(), SIGKILL);
  EXPECT_TRUE(pump_until([] { return last_error != 0; }));
  EXPECT_EQ(last_error, static_cast<DWORD>(ERROR_RASMAN_SERVICE_STOPPED));
  stop_daemon();
}

TEST_F(LifecycleTest, RedialAttemptsRetryAFailedDialUnderTheSameHandle) {
  add_entry("Flaky", kFullScript, 1,
            "RedialAttempts=2\r\nOpenRasRedialMs=30\r\nOpenRasTestFailAttempts=2\r\n");
  static int open_ports;
  open_ports = 0;
  static DWORD last_error;
  last_error = 0;
  auto on_state = [](UINT, RASCONNSTATE state, DWORD error) {
    if (state == RASCS_OpenPort && error == 0) ++open_ports;
    if (error) last_error = error;
  };
  auto params = params_for("Flaky");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, phonebook().c_str(), &params, 0, reinterpret_cast<LPVOID>(+on_state), &h),
      0u);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_TRUE(pump_until(
      [&] { return RasGetConnectStatusA(h, &st) == 0 && st.rasconnstate == RASCS_Connected; }));
  for (int i = 0; i < 5; ++i) RasDispatchNotifications(5);
  EXPECT_EQ(open_ports, 3);  // two failures swallowed, the third attempt connects
  EXPECT_EQ(last_error, 0u);
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(LifecycleTest, RedialsRunOutWithTheLastError) {
  add_entry("Busy", kFullScript, 1,
            "RedialAttempts=1\r\nOpenRasRedialMs=20\r\nOpenRasTestFailAttempts=5\r\n");
  auto params = params_for("Busy");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_LINE_BUSY));
  RasHangUpA(h);
}

TEST_F(LifecycleTest, AWrongPasswordIsNotRedialed) {
  add_entry("E", "OpenPort,PortOpened,Authenticate!691", 1,
            "RedialAttempts=3\r\nOpenRasRedialMs=5000\r\n");
  auto params = params_for("E");
  HRASCONN h = nullptr;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h),
            static_cast<DWORD>(ERROR_AUTHENTICATION_FAILURE));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  RasHangUpA(h);
}

}  // namespace
}  // namespace openras::testing

namespace openras::testing {
namespace {

TEST_F(LifecycleTest, PasswordsNeverReachTheLog) {
  std::string log = dir() + "/rasmand.log";
  restart_daemon({}, log);
  add_entry("E", kFullScript, 1, "OpenRasTestPassword=Sw0rdfish-Secret\r\n");
  RASCREDENTIALSA c{};
  c.dwSize = sizeof(c);
  c.dwMask = RASCM_Password;
  std::snprintf(c.szPassword, sizeof(c.szPassword), "Sw0rdfish-Secret");
  ASSERT_EQ(RasSetCredentialsA(phonebook().c_str(), "E", &c, FALSE), 0u);
  auto params = params_for("E", "Sw0rdfish-Secret");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  RasHangUpA(h);
  ASSERT_TRUE(wait_until_gone(h));
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("RASCS_Connected"), std::string::npos) << "the log is empty?";
  EXPECT_EQ(text.find("Sw0rdfish"), std::string::npos) << text;
}

}  // namespace
}  // namespace openras::testing

namespace openras::testing {
namespace {

TEST_F(LifecycleTest, LogLinesGoToJournaldWithTheirTopic) {
  // A stand-in for journald's native socket: a datagram socket we read.
  std::string journal = dir() + "/journal.sock";
  int sink = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, journal.c_str());
  ASSERT_EQ(bind(sink, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  restart_daemon({"--log", "journal", "--journal-socket", journal});
  // Read the datagrams as journald would, while the dial runs.
  std::string all;
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    char buf[2048];
    while (!stop) {
      ssize_t n = recv(sink, buf, sizeof(buf), MSG_DONTWAIT);
      if (n > 0) {
        all.append(buf, static_cast<std::size_t>(n));
      } else {
        usleep(1000);
      }
    }
  });
  add_entry("E", kFullScript, 1);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  usleep(50 * 1000);
  stop = true;
  reader.join();
  close(sink);
  EXPECT_NE(all.find("MESSAGE=rasmand[state]: conn="), std::string::npos) << all;
  EXPECT_NE(all.find("OPENRAS_TOPIC=state\n"), std::string::npos);
  EXPECT_NE(all.find("SYSLOG_IDENTIFIER=rasmand\n"), std::string::npos);
  EXPECT_NE(all.find("RASCS_Connected"), std::string::npos);
}

}  // namespace
}  // namespace openras::testing
