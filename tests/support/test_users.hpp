// Real Unix users for tests about users: system accounts created once (root only), and a way
// to run a body in a child process as one of them.
#pragma once

#include <grp.h>
#include <pwd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>

#include "client/channel.hpp"

namespace openras::testing {

struct TestUser {
  uid_t uid = 0;
  gid_t gid = 0;
};

// Runs an account command until the account exists: ctest runs tests in parallel processes,
// and on a fresh machine two useradd/groupadd at once find /etc/passwd locked.
template <typename Exists>
void create_account(const std::string& cmd, Exists exists) {
  for (int attempt = 0; attempt < 50 && !exists(); ++attempt) {
    if (std::system(cmd.c_str()) == 0) return;
    usleep(100 * 1000);
  }
}

// Creates (once) a system user for the tests; nullopt where that is not possible.
inline std::optional<TestUser> ensure_user(const std::string& name) {
  create_account(
      "useradd --system --no-create-home --shell /usr/sbin/nologin " + name + " >/dev/null 2>&1",
      [&] { return getpwnam(name.c_str()) != nullptr; });
  passwd* pw = getpwnam(name.c_str());
  if (!pw) return std::nullopt;
  return TestUser{pw->pw_uid, pw->pw_gid};
}

inline std::optional<gid_t> ensure_group(const std::string& name) {
  create_account("groupadd --system " + name + " >/dev/null 2>&1",
                 [&] { return getgrnam(name.c_str()) != nullptr; });
  group* g = getgrnam(name.c_str());
  if (!g) return std::nullopt;
  return g->gr_gid;
}

// Runs `body` in a child process as `user` (with `extra_group` as a supplementary group when
// set) and returns its exit status: the body's verdict.
inline int run_as(const TestUser& user, std::optional<gid_t> extra_group,
                  const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    client::reset_this_thread_channel();
    gid_t groups[1] = {extra_group.value_or(user.gid)};
    if (setgroups(1, groups) != 0 || setgid(user.gid) != 0 || setuid(user.uid) != 0) _exit(100);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}

}  // namespace openras::testing
