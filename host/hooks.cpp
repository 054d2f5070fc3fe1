#include "host/hooks.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "common/log.hpp"

namespace openras::host {

int run_hooks(const std::string& hooks_dir, const char* which, const HookInfo& info) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::path(hooks_dir) / (std::string(which) + ".d");
  if (hooks_dir.empty() || !fs::is_directory(dir, ec)) return 0;
  std::vector<std::string> scripts;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    // run-parts rules: no dot files, no editor backups, executables only.
    if (name.empty() || name[0] == '.' || name.back() == '~') continue;
    if (e.is_regular_file(ec) && access(e.path().c_str(), X_OK) == 0) {
      scripts.push_back(e.path().string());
    }
  }
  std::sort(scripts.begin(), scripts.end());
  if (scripts.empty()) return 0;
  std::vector<std::pair<std::string, std::string>> env = {
      {"IFNAME", info.ifname},
      {"DEVICE", info.device},
      {"IPLOCAL", info.local},
      {"IPREMOTE", info.remote},
      {"DNS1", info.dns1},
      {"DNS2", info.dns2},
      {"SPEED", std::to_string(info.speed)},
      {"LINKNAME", info.link_name},
      {"PPPLOGNAME", "root"},
      {"CONNECT_TIME", std::to_string(info.connect_seconds)},
      {"BYTES_SENT", std::to_string(info.bytes_sent)},
      {"BYTES_RCVD", std::to_string(info.bytes_received)},
  };
  pid_t child = fork();
  if (child == 0) {
    // Detach twice so the manager never waits on a script; the scripts run one after another.
    setsid();
    if (fork() != 0) _exit(0);
    // The scripts get no descriptor of the daemon's (sockets, TUNs, ports, the lock).
    close_range(3, ~0u, 0);
    for (const auto& [k, v] : env) {
      if (v.empty()) {
        unsetenv(k.c_str());
      } else {
        setenv(k.c_str(), v.c_str(), 1);
      }
    }
    std::string speed = std::to_string(info.speed);
    for (const auto& script : scripts) {
      pid_t pid = fork();
      if (pid == 0) {
        execl(script.c_str(), script.c_str(), info.ifname.c_str(), info.device.c_str(),
              speed.c_str(), info.local.c_str(), info.remote.c_str(), info.link_name.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
      }
      int status = 0;
      waitpid(pid, &status, 0);
    }
    _exit(0);
  }
  if (child > 0) waitpid(child, nullptr, 0);
  log_line("hooks", "%s: %zu script(s) for %s", which, scripts.size(), info.ifname.c_str());
  return static_cast<int>(scripts.size());
}

}  // namespace openras::host
