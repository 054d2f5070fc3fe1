// What the VPN benchmarks share: rasmand in a peer's client namespace, timed dials, and bulk
// TCP copies from the client namespace into a sink in the server namespace (through a given
// interface, or straight over the veth for the baseline), timed from the first byte sent to
// the sink's close.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "../tests/support/process.hpp"
#include "client/channel.hpp"
#include "ras.h"

namespace openras::bench {

struct VpnBench {
  std::string dir;
  std::string client_ns, server_ns;
  pid_t daemon = -1;
  pid_t sink = -1;

  VpnBench(const std::string& client, const std::string& server) : client_ns(client), server_ns(server) {
    char tmpl[] = "/tmp/openras-bench-vpn-XXXXXX";
    dir = mkdtemp(tmpl);
    std::string socket = dir + "/rasmand.sock";
    setenv("OPENRAS_SOCKET", socket.c_str(), 1);
    setenv("OPENRAS_NO_SPAWN", "1", 1);
    daemon = testing::spawn({"ip", "netns", "exec", client_ns, OPENRAS_RASMAND_PATH, "--socket",
                             socket, "--dns", "none", "--quiet"});
    for (int i = 0; i < 500 && !std::filesystem::exists(socket); ++i) usleep(2000);
    // The sink: every connection read to its end and thrown away.
    sink = testing::spawn({"ip", "netns", "exec", server_ns, "socat", "-u",
                           "TCP-LISTEN:9000,reuseaddr,fork", "OPEN:/dev/null"});
    usleep(200000);
  }
  ~VpnBench() {
    client::reset_this_thread_channel();
    testing::stop_process(daemon);
    testing::stop_process(sink);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // Seconds from RasDial to Connected (negative: the Win32 error), then hung up.
  static double dial_seconds(const std::string& pbk, const char* entry, const char* password,
                             HRASCONN* keep = nullptr) {
    RASDIALPARAMSA p{};
    p.dwSize = sizeof(p);
    std::snprintf(p.szEntryName, sizeof(p.szEntryName), "%s", entry);
    std::snprintf(p.szUserName, sizeof(p.szUserName), "alice");
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

  // Copies `megabytes` to `address`:9000 over each of `devices` at once ("" = no binding),
  // plain TCP or TLS; returns the aggregate bytes per second.
  double copy_rate(const std::string& address, const std::vector<std::string>& devices,
                   int megabytes, bool tls = false, const std::string& tls_options = "") const {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<pid_t> copies;
    for (const auto& device : devices) {
      std::string bind = device.empty() ? "" : ",so-bindtodevice=" + device;
      std::string target = tls ? "OPENSSL:" + address + ":9443" + tls_options + bind
                               : "TCP:" + address + ":9000" + bind;
      copies.push_back(testing::spawn(
          {"ip", "netns", "exec", client_ns, "sh", "-c",
           "head -c " + std::to_string(megabytes) + "M /dev/zero | socat -u - " + target}));
    }
    bool ok = true;
    for (pid_t c : copies) {
      int status = 0;
      waitpid(c, &status, 0);
      ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!ok) return 0;
    return static_cast<double>(megabytes) * 1024 * 1024 * static_cast<double>(devices.size()) / s;
  }
};

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace openras::bench
