// The library starts rasmand when none answers, as Windows starts its service on first use.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "client/channel.hpp"
#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

using SpawnTest = DaemonTest;

TEST_F(SpawnTest, FirstRasCallStartsTheDaemon) {
  stop_daemon();
  client::reset_this_thread_channel();
  std::string spawned_socket = dir() + "/spawned/rasmand.sock";
  setenv("OPENRAS_SOCKET", spawned_socket.c_str(), 1);
  setenv("OPENRAS_NO_SPAWN", "0", 1);
  setenv("OPENRAS_RASMAND", OPENRAS_RASMAND_PATH, 1);
  add_entry("E", kFullScript, 1);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  EXPECT_TRUE(std::filesystem::exists(spawned_socket));
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  client::reset_this_thread_channel();
  // The spawned daemon names itself in its lock file; end it.
  pid_t pid = 0;
  std::ifstream(spawned_socket + ".lock") >> pid;
  ASSERT_GT(pid, 0);
  EXPECT_EQ(kill(pid, SIGTERM), 0);
  for (int i = 0; i < 300 && kill(pid, 0) == 0; ++i) usleep(10000);
  EXPECT_NE(kill(pid, 0), 0) << "the spawned rasmand did not exit on SIGTERM";
  setenv("OPENRAS_NO_SPAWN", "1", 1);
}

TEST_F(SpawnTest, ASecondDaemonOnTheSameSocketLeavesTheFirstServing) {
  pid_t second = fork();
  if (second == 0) {
    execl(OPENRAS_RASMAND_PATH, "rasmand", "--socket", socket_path().c_str(), "--quiet", nullptr);
    _exit(127);
  }
  int status = 0;
  waitpid(second, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  add_entry("E", kFullScript, 1);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  RasHangUpA(h);
}

}  // namespace
}  // namespace openras::testing
