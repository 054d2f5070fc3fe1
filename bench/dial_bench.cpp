// Dial time against real slirp on a pty, through our delay relay at several round-trip times,
// against the lower bound the protocol allows: the round trips it needs times the RTT.
//
// The exchange with slirp (tests/ppp/fixtures/slirp_no_auth.txt) needs four round trips:
// slirp speaks only after our LCP Configure-Request and acks it with its own (1). Its IPCP
// request then carries VJ compression and address 0.0.0.0: RFC 1661 has us Configure-Reject
// the VJ option first (2), Configure-Nak the address next (3) and Ack the third request (4).
// Our own IPCP request (Nak'ed to 10.0.2.15, then acked) completes within those.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../tests/peers/slirp_peer.hpp"
#include "client/channel.hpp"
#include "dial_report.hpp"
#include "ras.h"

namespace {

constexpr int kRoundTrips = 4;

pid_t spawn(std::vector<std::string> argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

void stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}

// One dial: seconds from RasDial to Connected, or a negative value on failure.
double dial_once(const std::string& dir, int rtt_ms) {
  openras::testing::SlirpPeer peer;
  if (!peer.started()) return -1;
  std::string port = peer.pty_path();
  pid_t relay = -1;
  if (rtt_ms > 0) {
    port = dir + "/relay.pty";
    std::filesystem::remove(port);
    relay = spawn({OPENRAS_RELAY_PATH, "--peer", peer.pty_path(), "--link", port, "--delay-ms",
                   std::to_string(rtt_ms / 2)});
    for (int i = 0; i < 500 && !std::filesystem::exists(port); ++i) usleep(2000);
  }
  std::string pbk = dir + "/bench.pbk";
  std::ofstream(pbk) << "[Bench]\nType=3\nMEDIA=serial\nPort=" << port << "\nDEVICE=serial\n";
  RASDIALPARAMSA p{};
  p.dwSize = sizeof(p);
  std::snprintf(p.szEntryName, sizeof(p.szEntryName), "Bench");
  HRASCONN h = nullptr;
  auto t0 = std::chrono::steady_clock::now();
  DWORD error = RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (h) RasHangUpA(h);
  for (int i = 0; i < 300 && h; ++i) {
    RASCONNSTATUSA st{};
    st.dwSize = sizeof(st);
    if (RasGetConnectStatusA(h, &st) == ERROR_INVALID_HANDLE) break;
    usleep(10000);
  }
  stop(relay);
  return error ? -static_cast<double>(error) : seconds;
}

}  // namespace

int bench_dial(int, char**) {
  std::string why;
  if (!openras::testing::SlirpPeer::available(&why)) {
    std::fprintf(stderr, "dial: cannot run here: %s\n", why.c_str());
    return 1;
  }
  char tmpl[] = "/tmp/openras-bench-dial-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string ns = "openras-bench-" + std::to_string(getpid());
  std::system(("ip netns add " + ns + " && ip netns exec " + ns + " ip link set lo up").c_str());
  std::string socket = dir + "/rasmand.sock";
  setenv("OPENRAS_SOCKET", socket.c_str(), 1);
  setenv("OPENRAS_NO_SPAWN", "1", 1);
  pid_t daemon = spawn({"ip", "netns", "exec", ns, OPENRAS_RASMAND_PATH, "--socket", socket,
                        "--dns", "none", "--quiet"});
  for (int i = 0; i < 500 && !std::filesystem::exists(socket); ++i) usleep(2000);

  std::printf("dial: RasDial -> RASCS_Connected against slirp on a pty (median of 5)\n");
  print_dial_header();
  int status = 0;
  for (int rtt : {0, 20, 100}) {
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
      double t = dial_once(dir, rtt);
      if (t < 0) {
        std::fprintf(stderr, "dial failed with %d at RTT %d ms\n", static_cast<int>(-t), rtt);
        status = 1;
        break;
      }
      times.push_back(t);
    }
    print_dial_row(rtt, times, kRoundTrips);
  }
  print_dial_goal();
  openras::client::reset_this_thread_channel();
  stop(daemon);
  std::system(("ip netns del " + ns).c_str());
  std::filesystem::remove_all(dir);
  return status;
}
