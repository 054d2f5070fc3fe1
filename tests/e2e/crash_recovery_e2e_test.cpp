// rasmand killed with SIGKILL in every phase of a real dial and after connect: the kernel
// takes the TUN with the process, and the next instance undoes the rest from its journal (the
// resolv.conf block, ip-down scripts that never ran), so the host ends as it was before the
// first dial.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../support/wait_gone.hpp"
#include "serial_fixture.hpp"
#include "win32/windows.h"

namespace openras::testing {
namespace {

struct KillAtState {
  static inline RASCONNSTATE target = RASCS_OpenPort;
  static inline pid_t daemon = -1;
  static inline bool killed = false;
  static void WINAPI on_state(UINT, RASCONNSTATE state, DWORD) {
    if (!killed && state == target) {
      kill(daemon, SIGKILL);
      killed = true;
    }
  }
};

class CrashRecoveryE2E : public SerialE2E, public ::testing::WithParamInterface<RASCONNSTATE> {
 protected:
  void SetUp() override {
    SerialE2E::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const char* which : {"ip-up", "ip-down"}) {
      std::string d = dir_ + "/hooks/" + which + ".d";
      std::filesystem::create_directories(d);
      std::string script = d + "/10-count";
      std::ofstream(script) << "#!/bin/sh\necho \"$1 $6\" >> " << dir_ << "/" << which << ".log\n";
      std::filesystem::permissions(script, std::filesystem::perms::owner_all);
    }
  }

  void kill_and_restart() {
    waitpid(daemon_, nullptr, 0);
    daemon_ = -1;
    client::reset_this_thread_channel();
    std::filesystem::remove(socket_);
    start_daemon({"--quiet"}, dir_ + "/restarted.log");
  }

  static std::size_t lines(const std::string& path) {
    std::string text = slurp(path);
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  }
};

TEST_P(CrashRecoveryE2E, ARestartLeavesTheHostAsBeforeTheDial) {
  const std::string resolv_before = slurp(resolv_);
  const std::string routes_before = routes();
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  KillAtState::target = GetParam();
  KillAtState::daemon = daemon_;
  KillAtState::killed = false;
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0,
                     reinterpret_cast<LPVOID>(&KillAtState::on_state), &h),
            0u);
  for (int i = 0; i < 500 && !KillAtState::killed; ++i) RasDispatchNotifications(10);
  ASSERT_TRUE(KillAtState::killed) << "the dial never reached the state";
  kill_and_restart();
  // The new instance undoes the old one's changes before it serves its first client.
  RASCONNA conns[2]{};
  conns[0].dwSize = sizeof(RASCONNA);
  DWORD cb = sizeof(conns), count = 0;
  ASSERT_EQ(RasEnumConnectionsA(conns, &cb, &count), 0u);
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(slurp(resolv_), resolv_before) << "resolv.conf kept a dead connection's block";
  EXPECT_EQ(routes(), routes_before);
  EXPECT_TRUE(interface_gone()) << links();
  // Every ip-up has its ip-down (the scripts run detached: give them a moment). The journal
  // records a link just before its ip-up starts, so a crash in between runs an ip-down whose
  // ip-up never ran; never the reverse.
  usleep(100 * 1000);
  std::size_t ups = lines(dir_ + "/ip-up.log");
  for (int i = 0; i < 200 && lines(dir_ + "/ip-down.log") < ups; ++i) usleep(10 * 1000);
  ups = lines(dir_ + "/ip-up.log");
  EXPECT_GE(lines(dir_ + "/ip-down.log"), ups) << slurp(dir_ + "/ip-down.log");
  EXPECT_LE(lines(dir_ + "/ip-down.log"), 1u) << slurp(dir_ + "/ip-down.log");
  if (GetParam() == RASCS_Connected) {
    EXPECT_EQ(ups, 1u) << "connected: ip-up ran before the crash";
    EXPECT_EQ(slurp(dir_ + "/ip-down.log"), "Slirp Slirp\n");
  }
  // And the restarted daemon dials again from a clean host.
  auto again = params();
  HRASCONN h2 = nullptr;
  SlirpPeer second;
  ASSERT_TRUE(second.started());
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(second.pty_path()).c_str(), &again, 0, nullptr, &h2),
            0u);
  RasHangUpA(h2);
  EXPECT_TRUE(wait_until_gone(h2));
  EXPECT_EQ(slurp(resolv_), resolv_before);
}

INSTANTIATE_TEST_SUITE_P(EveryPhase, CrashRecoveryE2E,
                         ::testing::Values(RASCS_OpenPort, RASCS_PortOpened, RASCS_ConnectDevice,
                                           RASCS_Authenticate, RASCS_Authenticated,
                                           RASCS_AuthProject, RASCS_Projected, RASCS_Connected),
                         [](const auto& info) { return "State" + std::to_string(info.param); });

}  // namespace
}  // namespace openras::testing
