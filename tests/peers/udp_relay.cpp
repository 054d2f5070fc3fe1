// openras-udp-relay: our own UDP loss and delay, since this kernel has no netem. It listens on
// --listen ADDR:PORT, forwards each datagram to --to ADDR:PORT and the replies back to the
// last client heard from, dropping each datagram with probability --loss (a seeded generator,
// so a run can be repeated) and holding each back by --delay-ms. Counts go to stdout on exit.
// With --tcp it relays TCP instead (one connection at a time, delay only): each chunk read is
// held back by --delay-ms before it is written on, both ways.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_stop = 0;

bool parse_endpoint(const std::string& text, sockaddr_in& out) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::memset(&out, 0, sizeof out);
  out.sin_family = AF_INET;
  out.sin_port = htons(static_cast<std::uint16_t>(std::atoi(text.c_str() + colon + 1)));
  return inet_pton(AF_INET, text.substr(0, colon).c_str(), &out.sin_addr) == 1;
}

struct Held {
  Clock::time_point due;
  bool to_server;
  std::vector<unsigned char> data;
};

// One TCP connection at a time: accept, connect on, copy with the delay until either closes.
int relay_tcp(const sockaddr_in& listen_at, const sockaddr_in& server, int delay_ms) {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listener, reinterpret_cast<const sockaddr*>(&listen_at), sizeof listen_at) != 0 ||
      listen(listener, 8) != 0) {
    std::perror("openras-udp-relay");
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  std::vector<unsigned char> buf(65536);
  while (!g_stop) {
    int client = accept(listener, nullptr, nullptr);
    if (client < 0) continue;
    int upstream = socket(AF_INET, SOCK_STREAM, 0);
    // The delay is ours to add: no Nagle on either leg.
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(upstream, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
      close(client);
      close(upstream);
      continue;
    }
    int fds[2] = {client, upstream};
    std::deque<Held> held;  // to_server: from the client to the server
    bool open_ends = true;
    while (!g_stop && (open_ends || !held.empty())) {
      int timeout = -1;
      if (!held.empty()) {
        auto wait =
            std::chrono::duration_cast<std::chrono::milliseconds>(held.front().due - Clock::now());
        timeout = static_cast<int>(std::max<long long>(0, wait.count()));
      }
      pollfd p[2] = {{client, static_cast<short>(open_ends ? POLLIN : 0), 0},
                     {upstream, static_cast<short>(open_ends ? POLLIN : 0), 0}};
      poll(p, 2, timeout);
      for (int side = 0; side < 2 && open_ends; ++side) {
        if (!(p[side].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = read(fds[side], buf.data(), buf.size());
        if (n <= 0) {
          open_ends = false;  // what is held still goes out, then both close
          break;
        }
        held.push_back({Clock::now() + std::chrono::milliseconds(delay_ms), side == 0,
                        std::vector<unsigned char>(buf.begin(), buf.begin() + n)});
      }
      while (!held.empty() && held.front().due <= Clock::now()) {
        const Held& h = held.front();
        int to = h.to_server ? upstream : client;
        std::size_t off = 0;
        while (off < h.data.size()) {
          ssize_t w = write(to, h.data.data() + off, h.data.size() - off);
          if (w <= 0) break;
          off += static_cast<std::size_t>(w);
        }
        held.pop_front();
      }
    }
    close(client);
    close(upstream);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sockaddr_in listen_at{}, server{};
  double loss = 0;
  int delay_ms = 0;
  unsigned seed = 1;
  bool have_listen = false, have_server = false, tcp = false, trace = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--tcp") tcp = true;
    if (std::string(argv[i]) == "--trace") trace = true;  // a line per datagram passed on
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string opt = argv[i];
    if (opt == "--tcp" || opt == "--trace") {
      --i;  // a flag: no value
      continue;
    }
    if (opt == "--listen") have_listen = parse_endpoint(argv[i + 1], listen_at);
    if (opt == "--to") have_server = parse_endpoint(argv[i + 1], server);
    if (opt == "--loss") loss = std::atof(argv[i + 1]);
    if (opt == "--delay-ms") delay_ms = std::atoi(argv[i + 1]);
    if (opt == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
  }
  if (!have_listen || !have_server) {
    std::fprintf(stderr,
                 "usage: openras-udp-relay [--tcp] --listen A:P --to A:P [--loss 0.3] "
                 "[--delay-ms N] [--seed N]\n");
    return 2;
  }
  signal(SIGTERM, [](int) { g_stop = 1; });
  signal(SIGINT, [](int) { g_stop = 1; });
  if (tcp) return relay_tcp(listen_at, server, delay_ms);
  int front = socket(AF_INET, SOCK_DGRAM, 0);
  int back = socket(AF_INET, SOCK_DGRAM, 0);
  int one = 1;
  setsockopt(front, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(front, reinterpret_cast<sockaddr*>(&listen_at), sizeof listen_at) != 0 ||
      connect(back, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
    std::perror("openras-udp-relay");
    return 1;
  }
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  sockaddr_in client{};
  bool have_client = false;
  std::deque<Held> held;
  unsigned long passed = 0, dropped = 0;
  std::vector<unsigned char> buf(65536);
  std::printf("ready\n");
  std::fflush(stdout);
  while (!g_stop) {
    int timeout = -1;
    if (!held.empty()) {
      auto wait =
          std::chrono::duration_cast<std::chrono::milliseconds>(held.front().due - Clock::now());
      timeout = static_cast<int>(std::max<long long>(0, wait.count()));
    }
    pollfd fds[2] = {{front, POLLIN, 0}, {back, POLLIN, 0}};
    poll(fds, 2, timeout);
    for (int side = 0; side < 2; ++side) {
      if (!(fds[side].revents & POLLIN)) continue;
      sockaddr_in from{};
      socklen_t len = sizeof from;
      ssize_t n = recvfrom(fds[side].fd, buf.data(), buf.size(), 0,
                           reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) continue;  // ICMP errors on the connected side
      if (side == 0) {
        client = from;
        have_client = true;
      }
      if (coin(rng) < loss) {
        ++dropped;
        continue;
      }
      held.push_back({Clock::now() + std::chrono::milliseconds(delay_ms), side == 0,
                      std::vector<unsigned char>(buf.begin(), buf.begin() + n)});
    }
    while (!held.empty() && held.front().due <= Clock::now()) {
      Held& h = held.front();
      if (trace) {
        auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
                .count() %
            100000;
        std::printf("%05lld %s %zu %02x%02x\n", static_cast<long long>(ms),
                    h.to_server ? "->" : "<-", h.data.size(), h.data.size() > 0 ? h.data[0] : 0,
                    h.data.size() > 1 ? h.data[1] : 0);
      }
      if (h.to_server) {
        send(back, h.data.data(), h.data.size(), 0);
      } else if (have_client) {
        sendto(front, h.data.data(), h.data.size(), 0, reinterpret_cast<sockaddr*>(&client),
               sizeof client);
      }
      ++passed;
      held.pop_front();
    }
  }
  std::printf("passed=%lu dropped=%lu\n", passed, dropped);
  return 0;
}
