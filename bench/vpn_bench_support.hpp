// What the VPN benchmarks share: rasmand in a peer's client namespace, timed dials, and bulk
// TCP copies from the client namespace into a sink in the server namespace (through a given
// interface, or straight over the veth for the baseline), timed from the first byte sent to
// the sink's close.
#pragma once

#include <signal.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "../tests/support/process.hpp"
#include "client/channel.hpp"
#include "dial_report.hpp"
#include "ras.h"

namespace openras::bench {

// CPU time (user + system) a process has used so far, in seconds.
inline double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14 || i == 15) ticks += std::stol(f);
  }
  return static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// One column of `openssl speed -evp CIPHER` (the `bytes` block size), in bytes per second; 0
// when openssl cannot run it.
inline double openssl_speed(const std::string& cipher, int bytes) {
  const std::string command = "openssl speed -seconds 2 -bytes " + std::to_string(bytes) +
                              " -evp " + cipher + " 2>/dev/null";
  FILE* p = popen(command.c_str(), "r");
  if (!p) return 0;
  char line[512];
  double rate = 0;
  while (fgets(line, sizeof line, p)) {
    std::string l = line;
    if (strncasecmp(l.c_str(), cipher.c_str(), cipher.size()) != 0) continue;
    std::size_t k = l.rfind(' ', l.find_last_not_of(" \nk"));
    rate = std::atof(l.c_str() + (k == std::string::npos ? 0 : k + 1)) * 1000;  // in 1000s
  }
  pclose(p);
  return rate;
}

struct VpnBench {
  std::string dir;
  std::string client_ns, server_ns;
  pid_t daemon = -1;
  pid_t sink = -1;

  // `rasmand_args` are added to rasmand's command line (e.g. "--loops", "1").
  VpnBench(const std::string& client, const std::string& server,
           const std::vector<std::string>& rasmand_args = {})
      : client_ns(client), server_ns(server) {
    char tmpl[] = "/tmp/openras-bench-vpn-XXXXXX";
    dir = mkdtemp(tmpl);
    std::string socket = dir + "/rasmand.sock";
    setenv("OPENRAS_SOCKET", socket.c_str(), 1);
    setenv("OPENRAS_NO_SPAWN", "1", 1);
    std::vector<std::string> command = {
        "ip",       "netns", "exec",  client_ns, OPENRAS_RASMAND_PATH,
        "--socket", socket,  "--dns", "none",    "--quiet"};
    command.insert(command.end(), rasmand_args.begin(), rasmand_args.end());
    daemon = testing::spawn(command);
    for (int i = 0; i < 500 && !std::filesystem::exists(socket); ++i) usleep(2000);
    start_sink();
  }
  // The sink: every connection read to its end and thrown away. (Again after a peer whose
  // restart ends every process in the server's namespace.)
  void start_sink() {
    testing::stop_process_group(sink);
    sink = testing::spawn({"ip", "netns", "exec", server_ns, "socat", "-u",
                           "TCP-LISTEN:9000,reuseaddr,fork,backlog=64", "OPEN:/dev/null"},
                          "/dev/null", "", O_TRUNC, true);
    usleep(200000);
  }
  ~VpnBench() {
    client::reset_this_thread_channel();
    testing::stop_process(daemon);
    testing::stop_process_group(sink);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // Seconds from RasDial to Connected (negative: the Win32 error), then hung up.
  static double dial_seconds(const std::string& pbk, const char* entry, const char* password,
                             HRASCONN* keep = nullptr, const std::string& user = "alice") {
    RASDIALPARAMSA p{};
    p.dwSize = sizeof(p);
    std::snprintf(p.szEntryName, sizeof(p.szEntryName), "%s", entry);
    std::snprintf(p.szUserName, sizeof(p.szUserName), "%s", user.c_str());
    std::snprintf(p.szPassword, sizeof(p.szPassword), "%s", password);
    HRASCONN h = nullptr;
    auto t0 = std::chrono::steady_clock::now();
    DWORD error = RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (keep && !error) {
      *keep = h;
      return s;
    }
    if (h) hang_up(h);
    return error ? -static_cast<double>(error) : s;
  }

  static void hang_up(HRASCONN h) {
    RasHangUpA(h);
    for (int i = 0; i < 300; ++i) {
      RASCONNSTATUSA st{};
      st.dwSize = sizeof(st);
      if (RasGetConnectStatusA(h, &st) == ERROR_INVALID_HANDLE) break;
      usleep(10000);
    }
  }

  // The dial-time table: for RTT 0, 20 and 100 ms, the entry `entry(server)` dialed 5 times,
  // straight to `server` at 0 and through our relay (TCP or UDP, `relay_to`) otherwise; the
  // median against `round_trips` x RTT. False if a dial failed.
  bool dial_table(int round_trips, const std::string& server, const std::string& relay_listen,
                  const std::string& relay_to, bool tcp,
                  const std::function<std::string(const std::string&)>& entry) const {
    print_dial_header();
    bool ok = true;
    for (int rtt : {0, 20, 100}) {
      pid_t relay = -1;
      std::string target = server;
      if (rtt > 0) {
        target = relay_listen;
        std::vector<std::string> args = {
            "ip",         "netns", "exec",   client_ns,    OPENRAS_UDP_RELAY_PATH, "--listen",
            relay_listen, "--to",  relay_to, "--delay-ms", std::to_string(rtt / 2)};
        if (tcp) args.push_back("--tcp");
        relay = testing::spawn(args);
        usleep(100000);
      }
      std::string pbk = dir + "/dial-" + std::to_string(rtt) + ".pbk";
      std::ofstream(pbk) << entry(target);
      std::vector<double> times;
      for (int i = 0; i < 5; ++i) {
        double s = dial_seconds(pbk, "Bench", "secret");
        if (s < 0) {
          std::fprintf(stderr, "dial failed with %d at RTT %d ms\n", static_cast<int>(-s), rtt);
          ok = false;
          break;
        }
        times.push_back(s);
      }
      testing::stop_process(relay);
      print_dial_row(rtt, times, round_trips);
    }
    print_dial_goal();
    return ok;
  }

  // Dials entries `names` (user `users[i]`, or alice) and keeps the calls; empty on failure.
  static std::vector<HRASCONN> dial_all(const std::string& pbk,
                                        const std::vector<std::string>& names,
                                        const std::vector<std::string>& users = {}) {
    std::vector<HRASCONN> calls;
    for (std::size_t i = 0; i < names.size(); ++i) {
      HRASCONN h = nullptr;
      std::string user = i < users.size() ? users[i] : "alice";
      if (dial_seconds(pbk, names[i].c_str(), "secret", &h, user) < 0) {
        std::fprintf(stderr, "dial %s failed\n", names[i].c_str());
        for (HRASCONN c : calls) hang_up(c);
        return {};
      }
      calls.push_back(h);
    }
    return calls;
  }

  // Copies `megabytes` to `address`:9000 over each of `devices` at once ("" = no binding),
  // plain TCP or TLS (port 9443); returns the aggregate bytes per second.
  double copy_rate(const std::string& address, const std::vector<std::string>& devices,
                   int megabytes, bool tls = false, const std::string& tls_options = "") const {
    std::vector<std::string> targets;
    for (const auto& device : devices) {
      std::string bind = device.empty() ? "" : ",so-bindtodevice=" + device;
      targets.push_back(tls ? "OPENSSL:" + address + ":9443" + tls_options + bind
                            : "TCP:" + address + ":9000" + bind);
    }
    return timed_copies(client_ns, targets, megabytes);
  }

  // The other way: `megabytes` from the server namespace to each socat address in `targets`
  // (a sink in the client namespace) at once; the aggregate bytes per second.
  double download_rate(const std::vector<std::string>& targets, int megabytes) const {
    return timed_copies(server_ns, targets, megabytes);
  }

  // The client's IPv4 address on call `h`, "" when it has none.
  static std::string ppp_address(HRASCONN h) {
    RASPPPIPA ip{};
    ip.dwSize = sizeof(ip);
    DWORD size = sizeof(ip);
    if (RasGetProjectionInfoA(h, RASP_PppIp, &ip, &size) != 0) return "";
    return ip.szIpAddress;
  }

 private:
  // One `socat` copy of `megabytes` zeroes from namespace `ns` to each target at once, timed
  // from the start to the last copy's end; 0 when one failed.
  static double timed_copies(const std::string& ns, const std::vector<std::string>& targets,
                             int megabytes) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<pid_t> copies;
    for (const auto& target : targets) {
      copies.push_back(testing::spawn({"ip", "netns", "exec", ns, "sh", "-c",
                                       "head -c " + std::to_string(megabytes) +
                                           "M /dev/zero | socat -b 65536 -u - " + target}));
    }
    bool ok = true;
    for (pid_t c : copies) {
      int status = 0;
      waitpid(c, &status, 0);
      ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ok) return 0;
    return static_cast<double>(megabytes) * 1024 * 1024 * static_cast<double>(targets.size()) / s;
  }
};

}  // namespace openras::bench
