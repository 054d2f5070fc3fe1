#include "client/daemon_spawn.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace openras::client {
namespace {

std::string find_rasmand() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("OPENRAS_RASMAND"); env && *env) return env;
  std::vector<fs::path> candidates;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&find_rasmand), &info) && info.dli_fname) {
    fs::path lib = fs::absolute(info.dli_fname).parent_path();
    candidates.push_back(lib / "../bin/rasmand");
    candidates.push_back(lib / "../sbin/rasmand");
    candidates.push_back(lib / "../../sbin/rasmand");  // a multiarch libdir
    candidates.push_back(lib / "rasmand");
  }
#ifdef OPENRAS_INSTALLED_RASMAND
  candidates.emplace_back(OPENRAS_INSTALLED_RASMAND);
#endif
  for (const char* p : {"/usr/sbin/rasmand", "/usr/local/sbin/rasmand", "/usr/bin/rasmand",
                        "/usr/local/bin/rasmand"}) {
    candidates.emplace_back(p);
  }
  for (const auto& c : candidates) {
    std::error_code ec;
    if (fs::exists(c, ec) && ::access(c.c_str(), X_OK) == 0) return fs::canonical(c, ec).string();
  }
  return {};
}

}  // namespace

bool spawn_daemon(const std::string& socket_path) {
  if (const char* no = std::getenv("OPENRAS_NO_SPAWN"); no && std::string(no) == "1") return false;
  std::string binary = find_rasmand();
  if (binary.empty()) return false;
  std::string log =
      std::getenv("OPENRAS_RASMAND_LOG") ? std::getenv("OPENRAS_RASMAND_LOG") : "/dev/null";
  pid_t child = ::fork();
  if (child < 0) return false;
  if (child == 0) {
    // Detach twice so the daemon is nobody's child and outlives the dialing process.
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    int null_fd = ::open("/dev/null", O_RDWR);
    int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);
    ::dup2(log_fd >= 0 ? log_fd : null_fd, 2);
    ::close_range(3, ~0u, 0);
    const char* argv[] = {binary.c_str(), "--socket", socket_path.c_str(),
                          "--idle-exit",  "300",      nullptr};
    ::execv(binary.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return true;
}

}  // namespace openras::client
