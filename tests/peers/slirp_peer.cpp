#include "slirp_peer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../support/process.hpp"

namespace openras::testing {
namespace {

bool on_path(const char* name) {
  std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

int run(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str());
}

}  // namespace

bool SlirpPeer::available(std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return false;
  };
  if (geteuid() != 0) return fail("needs root for a network namespace");
  if (!on_path("slirp-fullbolt")) return fail("slirp-fullbolt is not installed");
  if (!on_path("socat")) return fail("socat is not installed");
  if (!on_path("ip")) return fail("iproute2 is not installed");
  return true;
}

SlirpPeer::SlirpPeer(const SlirpOptions& options) {
  static std::atomic<int> counter{0};
  char tmpl[] = "/tmp/openras-slirp-XXXXXX";
  if (!mkdtemp(tmpl)) return;
  dir_ = tmpl;
  netns_ = "openras-slirp-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream rc(dir_ + "/.slirprc");
    rc << "ppp\nhost addr 127.0.0.1\ndns 127.0.0.1\n" << options.extra_rc;
  }
  for (auto [file, text] : {std::pair{".pap-secrets", options.pap_secrets},
                            std::pair{".chap-secrets", options.chap_secrets}}) {
    if (text.empty()) continue;
    std::string path = dir_ + "/" + file;
    std::ofstream(path) << text;
    chmod(path.c_str(), 0600);
  }
  if (run("ip netns add " + netns_) != 0) return;
  run("ip netns exec " + netns_ + " ip link set lo up");
  std::string link = dir_ + "/slirp.pty";
  if (options.http_port) {
    http_pid_ = spawn_http_responder(netns_, "127.0.0.1", options.http_port, dir_,
                                     "hello through the tunnel\r\n");
  }
  std::string exec = "EXEC:slirp-fullbolt,pty,raw,echo=0,setsid,ctty";
  if (!options.modem_mode.empty()) {
    exec = "EXEC:" + options.responder + " --mode " + options.modem_mode +
           ",pty,raw,echo=0,setsid,ctty";
  }
  pid_ = fork();
  if (pid_ == 0) {
    setenv("HOME", dir_.c_str(), 1);
    int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    std::string pty = "PTY,link=" + link + ",raw,echo=0";
    execlp("ip", "ip", "netns", "exec", netns_.c_str(), "socat", pty.c_str(), exec.c_str(),
           static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 500; ++i) {
    if (std::filesystem::exists(link)) {
      pty_path_ = link;
      return;
    }
    usleep(2000);
  }
}

int SlirpPeer::open_line() const {
  int fd = open(pty_path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return -1;
  termios t{};
  if (tcgetattr(fd, &t) == 0) {
    cfmakeraw(&t);
    tcsetattr(fd, TCSANOW, &t);
  }
  return fd;
}

// Every process of the peer's namespace (socat, slirp, the HTTP responder) at once, so that
// none of them notices the others stopping.
void SlirpPeer::signal_all(int signal) {
  if (netns_.empty()) return;
  std::string pids = capture("ip netns pids " + netns_);
  std::istringstream in(pids);
  for (pid_t pid; in >> pid;) kill(pid, signal);
  if (pid_ > 0) kill(pid_, signal);
}

void SlirpPeer::freeze() {
  signal_all(SIGSTOP);
  frozen_ = true;
}

void SlirpPeer::stop() {
  // A frozen peer ends as quickly as a running one; a running one is not delayed by asking
  // which processes it has (tests kill the peer mid-dial).
  if (frozen_) signal_all(SIGCONT);
  frozen_ = false;
  if (http_pid_ > 0) {
    kill(http_pid_, SIGTERM);
    waitpid(http_pid_, nullptr, 0);
    http_pid_ = -1;
  }
  stop_process(pid_);
  if (!netns_.empty()) {
    run("ip netns del " + netns_);
    netns_.clear();
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

SlirpPeer::~SlirpPeer() {
  stop();
}

}  // namespace openras::testing
