// Socket activation as systemd does it: the listening socket arrives as fd 3 with LISTEN_FDS
// and LISTEN_PID, and rasmand serves it without binding anything itself.
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "client/channel.hpp"
#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

using ActivationTest = DaemonTest;

TEST_F(ActivationTest, RasmandServesTheSocketItWasHanded) {
  stop_daemon();
  client::reset_this_thread_channel();
  std::string path = dir() + "/activated.sock";
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, path.c_str());
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(listener, 16), 0);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(listener, 3);
    setenv("LISTEN_FDS", "1", 1);
    setenv("LISTEN_PID", std::to_string(getpid()).c_str(), 1);
    // --socket names a path it must not create: it serves fd 3 instead.
    execl(OPENRAS_RASMAND_PATH, "rasmand", "--socket", (dir() + "/unused.sock").c_str(), "--quiet",
          nullptr);
    _exit(127);
  }
  close(listener);
  setenv("OPENRAS_SOCKET", path.c_str(), 1);
  add_entry("E", kFullScript, 1);
  auto params = params_for("E");
  HRASCONN h = nullptr;
  EXPECT_EQ(RasDialA(nullptr, phonebook().c_str(), &params, 0, nullptr, &h), 0u);
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_FALSE(std::filesystem::exists(dir() + "/unused.sock"));
  client::reset_this_thread_channel();
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  EXPECT_TRUE(std::filesystem::exists(path)) << "the activated socket belongs to systemd";
}

}  // namespace
}  // namespace openras::testing
