// What an unprivileged user cannot make the root daemon do with a serial entry or an entry's
// name (issue 18): open a terminal they could not open themselves, leave a line raw, or take
// over an interface somebody else made.
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <filesystem>

#include "../support/test_users.hpp"
#include "../support/wait_gone.hpp"
#include "serial_fixture.hpp"
#include "win32/windows.h"

namespace openras::testing {
namespace {

bool same_settings(const termios& a, const termios& b) {
  return a.c_iflag == b.c_iflag && a.c_oflag == b.c_oflag && a.c_cflag == b.c_cflag &&
         a.c_lflag == b.c_lflag && cfgetospeed(&a) == cfgetospeed(&b);
}

// A pty pair made by root: the slave is root's (mode 0620, group tty), as a terminal of
// another user would be.
struct Pty {
  Pty() {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0) slave = ptsname(master);
    if (!slave.empty()) {
      // Hold the slave open so the line keeps its settings between the dial's opens.
      holder = open(slave.c_str(), O_RDWR | O_NOCTTY);
      tcgetattr(holder, &original);
    }
  }
  ~Pty() {
    if (holder >= 0) close(holder);
    if (master >= 0) close(master);
  }
  termios now() const {
    termios t{};
    tcgetattr(holder, &t);
    return t;
  }
  bool nothing_written() const {
    char c;
    return read(master, &c, 1) < 0 && errno == EAGAIN;
  }
  int master = -1;
  int holder = -1;
  std::string slave;
  termios original{};
};

class SerialSecurityE2E : public SerialE2E {
 protected:
  void SetUp() override {
    SerialE2E::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    if (geteuid() != 0) GTEST_SKIP() << "needs root to act as another user";
    user_ = ensure_user("openras-test-dave");
    if (!user_) GTEST_SKIP() << "cannot create the test user";
    // The user reaches the socket and reads the phonebook.
    chmod(dir_.c_str(), 0755);
  }

  // RasDialA of the Slirp entry on `port`, as the test user; the Win32 code (0..255).
  DWORD dial_as_user(const std::string& port) {
    std::string pbk = phonebook_with(port);
    chmod(pbk.c_str(), 0644);
    return static_cast<DWORD>(run_as(*user_, std::nullopt, [&] {
      auto p = params();
      HRASCONN h = nullptr;
      DWORD rc = RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h);
      if (rc != 0 && h) RasHangUpA(h);
      return rc > 255 ? 255 : static_cast<int>(rc);
    }));
  }

  // The user's dial outlives the user's process: root (this test) hangs it up.
  static void hang_up_the_only_connection() {
    RASCONNA conns[2]{};
    conns[0].dwSize = sizeof(RASCONNA);
    DWORD cb = sizeof(conns), count = 0;
    ASSERT_EQ(RasEnumConnectionsA(conns, &cb, &count), 0u);
    ASSERT_EQ(count, 1u);
    RasHangUpA(conns[0].hrasconn);
    ASSERT_TRUE(wait_until_gone(conns[0].hrasconn));
  }

  std::optional<TestUser> user_;
};

TEST_F(SerialSecurityE2E, AnotherUsersTerminalIsRefusedAndLeftUntouched) {
  Pty pty;
  ASSERT_FALSE(pty.slave.empty());
  EXPECT_EQ(dial_as_user(pty.slave), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_TRUE(same_settings(pty.now(), pty.original)) << "the terminal's settings changed";
  EXPECT_TRUE(pty.nothing_written()) << "frames reached another user's terminal";
  EXPECT_EQ(dial_as_user("/dev/console"), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_EQ(dial_as_user("/dev/tty"), static_cast<DWORD>(ERROR_ACCESS_DENIED));
  EXPECT_TRUE(interface_gone());
}

TEST_F(SerialSecurityE2E, AUserDialsALineTheyMayOpen) {
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  std::string line = std::filesystem::canonical(peer.pty_path()).string();
  ASSERT_EQ(chown(line.c_str(), user_->uid, user_->gid), 0);
  EXPECT_EQ(dial_as_user(line), 0u);
  // The user's process has gone; the connection lives on until its owner or root hangs up.
  EXPECT_FALSE(interface_gone());
  hang_up_the_only_connection();
}

struct WatchPortOpened {
  static inline bool opened = false;
  static void WINAPI on_state(UINT, RASCONNSTATE state, DWORD) {
    if (state == RASCS_PortOpened) opened = true;
  }
};

TEST_F(SerialSecurityE2E, TheLineSettingsComeBackWhenTheDialLetsGo) {
  Pty pty;
  ASSERT_FALSE(pty.slave.empty());
  ASSERT_TRUE(pty.original.c_lflag & ICANON) << "a fresh pty starts cooked";
  WatchPortOpened::opened = false;
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(pty.slave).c_str(), &p, 0,
                     reinterpret_cast<LPVOID>(&WatchPortOpened::on_state), &h),
            0u);
  for (int i = 0; i < 500 && !WatchPortOpened::opened; ++i) RasDispatchNotifications(10);
  ASSERT_TRUE(WatchPortOpened::opened);
  EXPECT_FALSE(pty.now().c_lflag & ICANON) << "the dial runs the line raw";
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(same_settings(pty.now(), pty.original)) << "the line was left raw";
}

TEST_F(SerialSecurityE2E, AnExistingInterfaceNamedLikeTheEntryIsNeitherTakenNorChanged) {
  // An administrator's persistent TUN called like the entry.
  ASSERT_EQ(run_in_netns(netns_, "ip tuntap add dev Slirp mode tun && echo made"), "made\n");
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(peer.pty_path()).c_str(), &p, 0, nullptr, &h), 0u);
  std::string theirs = run_in_netns(netns_, "ip -o addr show dev Slirp");
  EXPECT_EQ(theirs.find("inet "), std::string::npos) << "an address landed on it: " << theirs;
  std::string r = routes();
  EXPECT_EQ(r.find("dev Slirp"), std::string::npos) << r;
  EXPECT_NE(r.find("default dev ras"), std::string::npos) << "the dial took a fresh rasN: " << r;
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_NE(links().find("Slirp"), std::string::npos) << "their interface was removed";
  EXPECT_EQ(run_in_netns(netns_, "ip -o addr show dev Slirp").find("inet "), std::string::npos);
}

TEST_F(SerialSecurityE2E, AnAdministratorCanKeepUsersOffTheDefaultRouteAndDns) {
  start_daemon({"--quiet", "--allow-users-default-route", "false", "--allow-users-dns", "false"},
               "/dev/null");
  SlirpPeer peer;
  ASSERT_TRUE(peer.started());
  std::string line = std::filesystem::canonical(peer.pty_path()).string();
  ASSERT_EQ(chown(line.c_str(), user_->uid, user_->gid), 0);
  ASSERT_EQ(dial_as_user(line), 0u);
  std::string r = routes();
  EXPECT_EQ(r.find("default"), std::string::npos)
      << "a user's tunnel took the default route: " << r;
  EXPECT_NE(r.find("10.0.0.0/8 dev Slirp"), std::string::npos) << r;
  EXPECT_EQ(slurp(resolv_), "nameserver 192.0.2.53\n") << "a user's tunnel set the name servers";
  hang_up_the_only_connection();
  // Root's own dial is not bound by the policy.
  SlirpPeer second;
  ASSERT_TRUE(second.started());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook_with(second.pty_path()).c_str(), &p, 0, nullptr, &h), 0u);
  EXPECT_NE(routes().find("default dev Slirp"), std::string::npos) << routes();
  EXPECT_NE(slurp(resolv_).find("nameserver 127.0.0.1"), std::string::npos);
  RasHangUpA(h);
  EXPECT_TRUE(wait_until_gone(h));
}

}  // namespace
}  // namespace openras::testing
