// openras-delay-relay: our own line delay, since this kernel has no netem. It opens the pty
// at --peer (say, slirp's), makes a new pty whose slave it links at --link for the dialer,
// and copies octets both ways, each held back by --delay-ms (half the round trip).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Pending {
  Clock::time_point due;
  std::vector<unsigned char> data;
};

void make_raw(int fd) {
  termios t{};
  if (tcgetattr(fd, &t) == 0) {
    cfmakeraw(&t);
    tcsetattr(fd, TCSANOW, &t);
  }
}

volatile sig_atomic_t g_stop = 0;

}  // namespace

int main(int argc, char** argv) {
  std::string peer_path, link_path;
  int delay_ms = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--peer") peer_path = argv[i + 1];
    if (flag == "--link") link_path = argv[i + 1];
    if (flag == "--delay-ms") delay_ms = std::atoi(argv[i + 1]);
  }
  if (peer_path.empty() || link_path.empty()) {
    std::fprintf(stderr, "usage: openras-delay-relay --peer PTY --link PATH --delay-ms N\n");
    return 2;
  }
  signal(SIGTERM, [](int) { g_stop = 1; });
  int peer = open(peer_path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK);
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
  if (peer < 0 || master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return 1;
  make_raw(peer);
  // Keep a slave descriptor open ourselves so the master never sees a hang-up between users.
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  make_raw(slave);
  unlink(link_path.c_str());
  if (symlink(ptsname(master), link_path.c_str()) != 0) return 1;
  const auto delay = std::chrono::milliseconds(delay_ms);
  std::deque<Pending> to_peer, to_dialer;
  unsigned char buf[4096];
  while (!g_stop) {
    auto now = Clock::now();
    for (auto* q : {&to_peer, &to_dialer}) {
      int out = q == &to_peer ? peer : master;
      while (!q->empty() && q->front().due <= now) {
        [[maybe_unused]] auto n = write(out, q->front().data.data(), q->front().data.size());
        q->pop_front();
      }
    }
    int timeout = 50;
    for (auto* q : {&to_peer, &to_dialer}) {
      if (q->empty()) continue;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(q->front().due - now);
      timeout = std::min<int>(timeout, std::max<int>(0, static_cast<int>(left.count())));
    }
    pollfd fds[2] = {{peer, POLLIN, 0}, {master, POLLIN, 0}};
    if (poll(fds, 2, timeout) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & POLLIN)) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n <= 0) continue;
      auto& q = i == 0 ? to_dialer : to_peer;
      q.push_back({Clock::now() + delay, std::vector<unsigned char>(buf, buf + n)});
    }
  }
  unlink(link_path.c_str());
  close(slave);
  return 0;
}
