// Test processes started by PID: stop one (SIGTERM, then SIGKILL after a second), exec a
// command line with stdout/stderr sent to files, rasmand in a namespace, an HTTP responder;
// and a shell command's output, in this namespace or another.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace openras::testing {

// The output (stdout and stderr) of a shell command.
inline std::string capture(const std::string& command) {
  std::string out;
  if (FILE* p = popen((command + " 2>&1").c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  return out;
}

// The output of `command` run inside network namespace `ns`.
inline std::string run_in_netns(const std::string& ns, const std::string& command) {
  return capture("ip netns exec " + ns + " " + command);
}

inline void stop_process(pid_t& pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(5000);
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  pid = -1;
}

// Ends a process spawned with its own group, and every child it forked (socat's per-connection
// children outlive their listener when a connection never closes).
inline void stop_process_group(pid_t& pid) {
  if (pid <= 0) return;
  kill(-pid, SIGTERM);
  stop_process(pid);
}

// Forks and execs `args` (argv[0] looked up on PATH) with stdin from /dev/null, stdout to
// `out` and stderr to `err` ("" keeps the parent's). Returns the child's PID.
inline pid_t spawn(std::vector<std::string> args, const std::string& out = "/dev/null",
                   const std::string& err = "", int out_flags = O_TRUNC, bool own_group = false) {
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (own_group) setpgid(0, 0);
  int null_fd = open("/dev/null", O_RDWR);
  dup2(null_fd, 0);
  if (!out.empty()) dup2(open(out.c_str(), O_WRONLY | O_CREAT | out_flags, 0600), 1);
  if (!err.empty()) dup2(err == out ? 1 : open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600), 2);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  _exit(127);
}

// rasmand inside network namespace `ns`, on `socket`, with DNS in `resolv`, hooks and state
// below `dir`, stderr to `log`, and `extra` options.
inline pid_t spawn_rasmand_in_netns(const std::string& ns, const std::string& rasmand,
                                    const std::string& socket, const std::string& resolv,
                                    const std::string& dir, const std::string& log,
                                    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"ip",           "netns",         "exec",        ns,
                                   rasmand,        "--socket",      socket,        "--dns",
                                   "file",         "--resolv-conf", resolv,        "--hooks-dir",
                                   dir + "/hooks", "--state-dir",   dir + "/state"};
  args.insert(args.end(), extra.begin(), extra.end());
  return spawn(args, "", log);
}

// A tiny HTTP server (socat, one child per connection) in network namespace `ns`, listening on
// `address`:`port` and answering every GET with `body` as text/plain. Its files go in `dir`.
// It reads the request head before it answers: a socket closed with the request still unread
// makes the kernel send a RST, which can destroy the answer before the client has read it.
inline pid_t spawn_http_responder(const std::string& ns, const std::string& address,
                                  std::uint16_t port, const std::string& dir,
                                  const std::string& body) {
  std::string response = dir + "/http-response";
  std::ofstream(response) << "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" << body;
  std::string responder = dir + "/http-responder";
  std::ofstream(responder) << "#!/bin/sh\nwhile read -r line; do\n"
                           << "  [ \"$line\" = \"$(printf '\\r')\" ] && break\ndone\n"
                           << "exec cat " << response << "\n";
  std::filesystem::permissions(responder, std::filesystem::perms::owner_all);
  return spawn({"ip", "netns", "exec", ns, "socat",
                "TCP-LISTEN:" + std::to_string(port) + ",bind=" + address + ",reuseaddr,fork",
                "EXEC:" + responder});
}

}  // namespace openras::testing
