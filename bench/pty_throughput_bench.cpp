// Throughput of the data path TUN -> PPP over a pty -> slirp -> TCP on slirp's loopback,
// against a plain copy of the same octets through a pty pair, in the same run.
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../tests/peers/slirp_peer.hpp"
#include "client/channel.hpp"
#include "ras.h"

namespace {

constexpr std::size_t kBytes = 4 * 1024 * 1024;

double pty_copy_rate(const std::vector<unsigned char>& data) {
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return 0;
  termios t{};
  tcgetattr(slave, &t);
  cfmakeraw(&t);
  tcsetattr(slave, TCSANOW, &t);
  auto t0 = std::chrono::steady_clock::now();
  std::thread writer([&] {
    std::size_t off = 0;
    while (off < data.size()) {
      ssize_t n = write(master, data.data() + off, std::min<std::size_t>(4096, data.size() - off));
      if (n > 0) off += static_cast<std::size_t>(n);
    }
  });
  std::size_t got = 0;
  unsigned char buf[8192];
  while (got < data.size()) {
    ssize_t n = read(slave, buf, sizeof(buf));
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  writer.join();
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  close(master);
  close(slave);
  return static_cast<double>(got) / s;
}

}  // namespace

int bench_pty_throughput(int, char**) {
  std::string why;
  if (!openras::testing::SlirpPeer::available(&why)) {
    std::fprintf(stderr, "pty-throughput: cannot run here: %s\n", why.c_str());
    return 1;
  }
  char tmpl[] = "/tmp/openras-bench-tput-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::vector<unsigned char> data(kBytes);
  std::mt19937 rng(5);
  for (auto& b : data) b = static_cast<unsigned char>(rng());
  std::ofstream(dir + "/payload", std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));

  openras::testing::SlirpPeer peer;
  std::string ns = "openras-tput-" + std::to_string(getpid());
  std::system(("ip netns add " + ns + " && ip netns exec " + ns + " ip link set lo up").c_str());
  // The sink: TCP on slirp's loopback, reached as 10.0.2.2 through the tunnel.
  pid_t sink = fork();
  if (sink == 0) {
    execlp("ip", "ip", "netns", "exec", peer.netns().c_str(), "socat", "-u",
           "TCP-LISTEN:9000,bind=127.0.0.1,reuseaddr", "OPEN:/dev/null", nullptr);
    _exit(127);
  }
  std::string socket = dir + "/rasmand.sock";
  setenv("OPENRAS_SOCKET", socket.c_str(), 1);
  setenv("OPENRAS_NO_SPAWN", "1", 1);
  pid_t daemon = fork();
  if (daemon == 0) {
    execlp("ip", "ip", "netns", "exec", ns.c_str(), OPENRAS_RASMAND_PATH, "--socket",
           socket.c_str(), "--dns", "none", "--quiet", nullptr);
    _exit(127);
  }
  for (int i = 0; i < 500 && !std::filesystem::exists(socket); ++i) usleep(2000);
  std::ofstream(dir + "/t.pbk") << "[T]\nType=3\nMEDIA=serial\nPort=" << peer.pty_path()
                                << "\nDEVICE=serial\n";
  RASDIALPARAMSA p{};
  p.dwSize = sizeof(p);
  std::snprintf(p.szEntryName, sizeof(p.szEntryName), "T");
  HRASCONN h = nullptr;
  int status = 1;
  if (RasDialA(nullptr, (dir + "/t.pbk").c_str(), &p, 0, nullptr, &h) == 0) {
    usleep(100 * 1000);
    std::string cmd =
        "ip netns exec " + ns + " socat -u OPEN:" + dir + "/payload TCP:10.0.2.2:9000";
    auto t0 = std::chrono::steady_clock::now();
    int rc = std::system(cmd.c_str());
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double tunnel = static_cast<double>(kBytes) / s;
    double copy = pty_copy_rate(data);
    std::printf("pty-throughput: %zu random octets, TUN -> PPP on a pty -> slirp -> TCP sink\n",
                kBytes);
    std::printf("  tunnel    %8.2f MB/s%s\n", tunnel / 1e6, rc ? "   (sender failed)" : "");
    std::printf("  pty copy  %8.2f MB/s   (the same octets through a raw pty pair)\n", copy / 1e6);
    std::printf("  ratio     %8.3fx\n", tunnel / copy);
    status = rc ? 1 : 0;
  } else {
    std::fprintf(stderr, "pty-throughput: the dial failed\n");
  }
  if (h) RasHangUpA(h);
  usleep(200 * 1000);
  openras::client::reset_this_thread_channel();
  kill(daemon, SIGTERM);
  waitpid(daemon, nullptr, 0);
  kill(sink, SIGTERM);
  waitpid(sink, nullptr, 0);
  peer.stop();
  std::system(("ip netns del " + ns).c_str());
  std::filesystem::remove_all(dir);
  return status;
}
