// Many sessions from one rasmand (issue 20): N SSTP calls dialed at once through the C API
// against the project's SSTP server, each with a real TUN on both sides, then all hung up at
// once while one more call (the survivor) carries pings. For each N it prints setup time and
// rate, failures by Win32 code, rasmand's RSS and KiB per session, its descriptors, its idle
// CPU with N up, the time to hang all up and the survivor's worst ping meanwhile, and what is
// left behind. rasmand runs with the limits systemd gives a service (soft 1,024 descriptors;
// it raises that itself).
//
//   openras-bench sessions [--counts 100,1000] [--loops 1,0] [--sigterm]
//
// --loops runs each N once per driver-loop count (0: rasmand's default, one a core) and
// prints the setup and hang-up rates against the first as a ratio measured in the same run.
// --sigterm ends the N calls by stopping rasmand (SIGTERM) instead of RasHangUp: the hang-up
// columns are then the time until rasmand has exited.
#include <sys/resource.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "../tests/peers/sstp_peer.hpp"
#include "common/ras_errors.hpp"
#include "vpn_bench_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::map<HRASCONN, DWORD>& finals() {
  static std::map<HRASCONN, DWORD> f;
  return f;
}
void WINAPI on_state(HRASCONN h, UINT, RASCONNSTATE state, DWORD error, DWORD) {
  if (error || state == RASCS_Connected) finals()[h] = error;
}

std::string entry(const std::string& name) {
  // No default route: N default routes would measure the kernel's route table, not rasmand.
  return "[" + name +
         "]\r\nType=2\r\nIpPrioritizeRemote=0\r\nOpenRasInsecureSkipCertificateCheck=1\r\n"
         "VpnStrategy=5\r\nMEDIA=rastapi\r\nPort=VPN3-0\r\nDevice=WAN Miniport (SSTP)\r\n"
         "DEVICE=vpn\r\nPhoneNumber=" +
         std::string(openras::testing::NetnsPair::kHost) + "\r\n";
}

long proc_kib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  }
  return 0;
}

std::size_t descriptors(pid_t pid) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int bench_sessions(int argc, char** argv) {
  using openras::bench::VpnBench;
  namespace t = openras::testing;
  std::vector<int> counts = {100, 1000};
  std::vector<int> loop_counts = {0};
  bool sigterm = false;
  auto parse_list = [](const char* text) {
    std::vector<int> out;
    std::stringstream list(text);
    std::string n;
    while (std::getline(list, n, ',')) out.push_back(std::atoi(n.c_str()));
    return out;
  };
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--counts" && i + 1 < argc) counts = parse_list(argv[++i]);
    if (std::string(argv[i]) == "--loops" && i + 1 < argc) loop_counts = parse_list(argv[++i]);
    if (std::string(argv[i]) == "--sigterm") sigterm = true;
  }
  std::string why;
  if (!t::SstpPeer::available(&why)) {
    std::fprintf(stderr, "sessions: cannot run here: %s\n", why.c_str());
    return 1;
  }
  int status = 0;
  std::printf("sessions: N SSTP calls at once from one rasmand (real TUNs both sides)\n");
  std::printf("  %6s %5s %8s %8s %9s %9s %7s %6s %9s %8s %10s %13s %6s %s\n", "N", "loops",
              "setup s", "conn/s", "failures", "RSS MiB", "KiB/s.", "fds", "idle CPU",
              sigterm ? "term s" : "hangup s", sigterm ? "term/s" : "hangup/s", "ping p99/max",
              "left", "vs first loops");
  for (int n : counts) {
    double first_setup_rate = 0, first_hangup_rate = 0;
    for (int loops : loop_counts) {
      t::SstpPeer peer;
      if (!peer.ready() || !peer.start_server()) {
        std::fprintf(stderr, "sessions: the SSTP server did not come up\n");
        return 1;
      }
      // What systemd gives a service: rasmand inherits it and raises the soft limit itself.
      rlimit files{1024, 524288};
      setrlimit(RLIMIT_NOFILE, &files);
      std::vector<std::string> rasmand_args;
      if (loops > 0) rasmand_args = {"--loops", std::to_string(loops)};
      VpnBench b(peer.client_netns(), peer.server_netns(), rasmand_args);
      const pid_t daemon = b.daemon;
      std::string pbk = b.dir + "/sessions.pbk";
      {
        std::ofstream out(pbk);
        out << entry("Survivor");
        for (int i = 0; i < n; ++i) out << entry("S" + std::to_string(i));
      }
      finals().clear();
      HRASCONN survivor = nullptr;
      if (VpnBench::dial_seconds(pbk, "Survivor", "secret", &survivor) < 0) {
        std::fprintf(stderr, "sessions: the survivor did not connect\n");
        return 1;
      }
      const long rss_before = proc_kib(daemon, "VmRSS:");
      // Dial all N at once.
      std::vector<HRASCONN> calls;
      const double cpu_before_setup = openras::bench::cpu_seconds(daemon);
      auto start = Clock::now();
      for (int i = 0; i < n; ++i) {
        RASDIALPARAMSA p{};
        p.dwSize = sizeof(p);
        std::snprintf(p.szEntryName, sizeof(p.szEntryName), "S%d", i);
        std::snprintf(p.szUserName, sizeof(p.szUserName), "alice");
        std::snprintf(p.szPassword, sizeof(p.szPassword), "secret");
        HRASCONN h = nullptr;
        DWORD error =
            RasDialA(nullptr, pbk.c_str(), &p, 1, reinterpret_cast<LPVOID>(&on_state), &h);
        if (error) {
          finals()[h ? h : reinterpret_cast<HRASCONN>(static_cast<std::uintptr_t>(0x1000000 + i))] =
              error;
        }
        if (h) calls.push_back(h);
        RasDispatchNotifications(0);
      }
      while (finals().size() < static_cast<std::size_t>(n) && seconds_since(start) < 600) {
        RasDispatchNotifications(50);
      }
      const double setup = seconds_since(start);
      // rasmand's own share of a setup: the rest of the machine's time goes to the peer (TLS,
      // PPP, its TUN) and the kernel, on the same two cores.
      const double setup_cpu = openras::bench::cpu_seconds(daemon) - cpu_before_setup;
      std::map<DWORD, int> failures;
      int connected = 0;
      for (const auto& [h, error] : finals()) {
        if (error) {
          ++failures[error];
        } else {
          ++connected;
        }
      }
      if (static_cast<int>(finals().size()) < n)
        failures[ERROR_TIMEOUT] += n - static_cast<int>(finals().size());
      const long rss = proc_kib(daemon, "VmRSS:");
      const std::size_t fds = descriptors(daemon);
      double idle_before = openras::bench::cpu_seconds(daemon);
      usleep(5 * 1000 * 1000);
      double idle_cpu = (openras::bench::cpu_seconds(daemon) - idle_before) / 5.0;
      // The survivor's pings to the server's side while everything else hangs up.
      std::string survivor_if = "Survivor";
      pid_t pinger = t::spawn({"ip", "netns", "exec", peer.client_netns(), "ping", "-n", "-i",
                               "0.01", "-I", survivor_if, "192.168.40.1"},
                              b.dir + "/ping.log");
      usleep(300 * 1000);
      const double cpu_before_hangup = openras::bench::cpu_seconds(daemon);
      start = Clock::now();
      if (sigterm) {
        // rasmand hangs every call up and exits (the survivor's pings end with it).
        kill(daemon, SIGTERM);
        while (kill(daemon, 0) == 0 && seconds_since(start) < 600) {
          int status = 0;
          if (waitpid(daemon, &status, WNOHANG) == daemon) break;
          usleep(2000);
        }
      } else {
        for (HRASCONN h : calls) RasHangUpA(h);
        for (HRASCONN h : calls) {
          RASCONNSTATUSA st{};
          st.dwSize = sizeof(st);
          while (RasGetConnectStatusA(h, &st) != ERROR_INVALID_HANDLE &&
                 seconds_since(start) < 600) {
            usleep(2000);
          }
        }
      }
      const double hangup = seconds_since(start);
      const double hangup_cpu =
          sigterm ? 0.0 : openras::bench::cpu_seconds(daemon) - cpu_before_hangup;
      usleep(300 * 1000);
      t::stop_process(pinger);
      std::vector<double> pings;
      {
        std::ifstream in(b.dir + "/ping.log");
        std::string line;
        while (std::getline(in, line)) {
          auto at = line.find("time=");
          if (at != std::string::npos) pings.push_back(std::atof(line.c_str() + at + 5));
        }
      }
      std::sort(pings.begin(), pings.end());
      const double ping_max = pings.empty() ? 0 : pings.back();
      const double ping_p99 = pings.empty() ? 0 : pings[pings.size() * 99 / 100];
      if (!sigterm) VpnBench::hang_up(survivor);
      usleep(500 * 1000);
      std::string links = t::run_in_netns(peer.client_netns(), "ip -o link show type tun | wc -l");
      std::string failure_text;
      for (const auto& [code, count] : failures) {
        failure_text += std::to_string(count) + "x" + std::to_string(code) + " ";
      }
      if (failure_text.empty()) failure_text = "0";
      const double setup_rate = connected / setup;
      const double hangup_rate = calls.size() / hangup;
      if (first_setup_rate == 0) {
        first_setup_rate = setup_rate;
        first_hangup_rate = hangup_rate;
      }
      std::printf(
          "  %6d %5s %8.2f %8.0f %9s %9.1f %7.1f %6zu %8.1f%% %8.2f %10.0f %5.1f/%5.1fms %6s "
          "setup %.2fx, %s %.2fx; rasmand CPU %.2f ms a setup, %.2f ms a hang-up\n",
          n, loops ? std::to_string(loops).c_str() : "cores", setup, setup_rate,
          failure_text.c_str(), rss / 1024.0,
          connected ? static_cast<double>(rss - rss_before) / connected : 0.0, fds, idle_cpu * 100,
          hangup, hangup_rate, ping_p99, ping_max, links.substr(0, links.find('\n')).c_str(),
          setup_rate / first_setup_rate, sigterm ? "term" : "hang-up",
          hangup_rate / first_hangup_rate, connected ? setup_cpu * 1000 / connected : 0.0,
          calls.empty() ? 0.0 : hangup_cpu * 1000 / static_cast<double>(calls.size()));
      if (connected < n) status = 1;
      std::fflush(stdout);
    }
  }
  std::printf(
      "  (goals, issue 20: 10,000 up; <= 64 KiB a session; >= 500/s up and down; ping p99 <= "
      "10 ms during a mass hang-up; idle CPU <= 5%%)\n");
  return status;
}
