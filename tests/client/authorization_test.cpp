// Authorization by SO_PEERCRED, with real Unix users: a user sees, queries and hangs up only
// the connections they dialed; root and the configured admin group see all of them.
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "../support/test_users.hpp"
#include "client/channel.hpp"
#include "daemon_fixture.hpp"

namespace openras::testing {
namespace {

constexpr const char* kAdminGroup = "openras-test-admins";

class AuthorizationTest : public DaemonTest {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to act as other users";
    alice_ = ensure_user("openras-test-alice");
    bob_ = ensure_user("openras-test-bob");
    carol_ = ensure_user("openras-test-carol");
    admins_ = ensure_group(kAdminGroup);
    if (!alice_ || !bob_ || !carol_ || !admins_) GTEST_SKIP() << "cannot create test users";
    DaemonTest::SetUp();
    // Other users must reach the socket and read the phonebook.
    chmod(dir().c_str(), 0755);
    restart_with_admin_group();
  }

  void restart_with_admin_group() { restart_daemon({"--admin-group", kAdminGroup, "--quiet"}); }

  // A handle written by a child and read by the parent.
  static DWORD dial_and_keep(const std::string& pbk, const char* entry) {
    auto params = params_for(entry);
    HRASCONN h = nullptr;
    if (RasDialA(nullptr, pbk.c_str(), &params, 0, nullptr, &h) != 0) return 0;
    return static_cast<DWORD>(reinterpret_cast<std::uintptr_t>(h));
  }

  std::optional<TestUser> alice_, bob_, carol_;
  std::optional<gid_t> admins_;
};

TEST_F(AuthorizationTest, UsersSeeOnlyTheirOwnConnections) {
  add_entry("AliceVpn", kFullScript, 1);
  add_entry("BobVpn", kFullScript, 1);
  chmod(phonebook().c_str(), 0644);
  std::string pbk = phonebook();

  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  // Alice dials; the connection outlives her process.
  ASSERT_EQ(run_as(*alice_, std::nullopt,
                   [&] {
                     DWORD h = dial_and_keep(pbk, "AliceVpn");
                     return write(pipefd[1], &h, sizeof(h)) == sizeof(h) && h ? 0 : 1;
                   }),
            0);
  DWORD alice_handle = 0;
  ASSERT_EQ(read(pipefd[0], &alice_handle, sizeof(alice_handle)),
            static_cast<ssize_t>(sizeof(alice_handle)));
  HRASCONN alice_conn = reinterpret_cast<HRASCONN>(static_cast<std::uintptr_t>(alice_handle));

  // Bob cannot see, query or hang up Alice's connection; he sees his own.
  EXPECT_EQ(run_as(*bob_, std::nullopt,
                   [&] {
                     if (!connections().empty()) return 1;
                     RASCONNSTATUSA st{};
                     st.dwSize = sizeof(st);
                     if (RasGetConnectStatusA(alice_conn, &st) != ERROR_INVALID_HANDLE) return 2;
                     if (RasHangUpA(alice_conn) != ERROR_INVALID_HANDLE) return 3;
                     RAS_STATS stats{};
                     stats.dwSize = sizeof(stats);
                     if (RasGetConnectionStatistics(alice_conn, &stats) != ERROR_INVALID_HANDLE) {
                       return 4;
                     }
                     if (dial_and_keep(pbk, "BobVpn") == 0) return 5;
                     auto mine = connections();
                     if (mine.size() != 1 || std::string(mine[0].szEntryName) != "BobVpn") return 6;
                     return 0;
                   }),
            0);

  // Root sees both; so does Carol through the admin group.
  EXPECT_EQ(connections().size(), 2u);
  EXPECT_EQ(run_as(*carol_, admins_, [&] { return connections().size() == 2 ? 0 : 1; }), 0);
  // Carol without the group sees nothing.
  EXPECT_EQ(run_as(*carol_, std::nullopt, [&] { return connections().empty() ? 0 : 1; }), 0);

  // Alice can still hang up her own connection from a new process.
  EXPECT_EQ(run_as(*alice_, std::nullopt,
                   [&] {
                     if (RasHangUpA(alice_conn) != 0) return 1;
                     return wait_until_gone(alice_conn) ? 0 : 2;
                   }),
            0);
  EXPECT_EQ(connections().size(), 1u);
  close(pipefd[0]);
  close(pipefd[1]);
}

TEST_F(AuthorizationTest, SavedCredentialsBelongToTheUserWhoSavedThem) {
  add_entry("Vpn", kFullScript, 1, "OpenRasTestPassword=secret\r\n");
  chmod(phonebook().c_str(), 0644);
  std::string pbk = phonebook();
  // Alice saves her password and dials without typing it.
  EXPECT_EQ(run_as(*alice_, std::nullopt,
                   [&] {
                     RASCREDENTIALSA c{};
                     c.dwSize = sizeof(c);
                     c.dwMask = RASCM_UserName | RASCM_Password;
                     std::snprintf(c.szUserName, sizeof(c.szUserName), "alice");
                     std::snprintf(c.szPassword, sizeof(c.szPassword), "secret");
                     if (RasSetCredentialsA(pbk.c_str(), "Vpn", &c, FALSE) != 0) return 1;
                     RASDIALPARAMSA p{};
                     p.dwSize = sizeof(p);
                     std::snprintf(p.szEntryName, sizeof(p.szEntryName), "Vpn");
                     BOOL has_password = FALSE;
                     if (RasGetEntryDialParamsA(pbk.c_str(), &p, &has_password) != 0) return 2;
                     if (!has_password || std::string(p.szUserName) != "alice") return 3;
                     if (std::string(p.szPassword) != OPENRAS_SAVED_PASSWORD) return 4;
                     HRASCONN h = nullptr;
                     if (RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h) != 0) return 5;
                     RasHangUpA(h);
                     return wait_until_gone(h) ? 0 : 6;
                   }),
            0);
  // Bob sees nothing saved for the same entry, and his dial without a password fails.
  EXPECT_EQ(run_as(*bob_, std::nullopt,
                   [&] {
                     RASCREDENTIALSA c{};
                     c.dwSize = sizeof(c);
                     if (RasGetCredentialsA(pbk.c_str(), "Vpn", &c) != 0) return 1;
                     if (c.dwMask != 0 || c.szUserName[0] || c.szPassword[0]) return 2;
                     auto p = params_for("Vpn");
                     HRASCONN h = nullptr;
                     DWORD e = RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h);
                     RasHangUpA(h);
                     return e == ERROR_AUTHENTICATION_FAILURE ? 0 : 3;
                   }),
            0);
  // The store is root's, 0700 directories and 0600 files, and holds no entry names.
  struct stat st {};
  std::string user_dir = dir() + "/state/credentials/" + std::to_string(alice_->uid);
  ASSERT_EQ(stat(user_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(st.st_uid, 0u);
  for (const auto& f : std::filesystem::directory_iterator(user_dir)) {
    ASSERT_EQ(stat(f.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(f.path().filename().string().find("Vpn"), std::string::npos);
  }
  // Alice forgets the password: dialing with the placeholder no longer works.
  EXPECT_EQ(run_as(*alice_, std::nullopt,
                   [&] {
                     RASCREDENTIALSA c{};
                     c.dwSize = sizeof(c);
                     c.dwMask = RASCM_Password;
                     if (RasSetCredentialsA(pbk.c_str(), "Vpn", &c, TRUE) != 0) return 1;
                     RASCREDENTIALSA back{};
                     back.dwSize = sizeof(back);
                     if (RasGetCredentialsA(pbk.c_str(), "Vpn", &back) != 0) return 2;
                     if (back.dwMask & RASCM_Password) return 3;
                     return std::string(back.szUserName) == "alice" ? 0 : 4;
                   }),
            0);
}

TEST_F(AuthorizationTest, AnOrdinaryUserWithNoSystemDaemonGetsAPerUserOne) {
  add_entry("Mine", kFullScript, 1);
  chmod(phonebook().c_str(), 0644);
  std::string pbk = phonebook();
  std::string home = dir() + "/alice-home";
  std::filesystem::create_directories(home);
  ASSERT_EQ(chown(home.c_str(), alice_->uid, alice_->gid), 0);
  std::string user_dir = "/tmp/openras-" + std::to_string(alice_->uid);
  std::filesystem::remove_all(user_dir);
  EXPECT_EQ(run_as(*alice_, std::nullopt,
                   [&] {
                     // What a user's shell has: no socket named, no runtime directory.
                     unsetenv("OPENRAS_SOCKET");
                     unsetenv("XDG_RUNTIME_DIR");
                     setenv("OPENRAS_NO_SPAWN", "0", 1);
                     setenv("OPENRAS_RASMAND", OPENRAS_RASMAND_PATH, 1);
                     setenv("HOME", home.c_str(), 1);
                     // The user's own rasdial, as they would type it; its exit status is ours.
                     std::string phonebook_switch = "/PHONEBOOK:" + pbk;
                     int null_fd = open("/dev/null", O_WRONLY);
                     dup2(null_fd, 1);
                     execl(OPENRAS_RASDIAL_PATH, "rasdial", "Mine", phonebook_switch.c_str(),
                           nullptr);
                     return 127;
                   }),
            0);
  std::string sock = user_dir + "/rasmand.sock";
  struct stat st {};
  ASSERT_EQ(stat(sock.c_str(), &st), 0) << "no per-user daemon at " << sock;
  EXPECT_EQ(st.st_uid, alice_->uid);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  pid_t pid = 0;
  std::ifstream(sock + ".lock") >> pid;
  ASSERT_GT(pid, 0);
  kill(pid, SIGTERM);
  for (int i = 0; i < 300 && kill(pid, 0) == 0; ++i) usleep(10000);
  std::filesystem::remove_all(user_dir);
}

}  // namespace
}  // namespace openras::testing
