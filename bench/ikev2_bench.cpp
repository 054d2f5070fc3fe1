// IKEv2 against strongSwan (charon with kernel-libipsec) in a server namespace:
// - dial time (RasDial -> RASCS_Connected, PSK) through our UDP delay relay at several
//   round-trip times, against the lower bound: 2 round trips (IKE_SA_INIT, then IKE_AUTH
//   with the CHILD_SA; our first KE is Curve25519, which strongSwan takes), times the RTT;
//   and, at RTT 0, EAP-MSCHAPv2 (6 round trips: IKE_SA_INIT, then IKE_AUTH for the server's
//   certificate with EAP-Identity, the MS-CHAPv2 challenge, its success, EAP-Success, AUTH);
// - ESP throughput up (client -> a sink behind the server) and down (server -> a sink on the
//   call's own address) for 1 and 8 calls, with rasmand's CPU seconds per GB moved, against,
//   in the same run: `openssl speed -evp aes-128-gcm` (the cipher both ends chose), the plain
//   copy over the veth, and strongSwan's own userspace client (a second charon with
//   kernel-libipsec in the client namespace) moving the same data to the same server, with
//   its CPU seconds per GB. The server's libipsec may be the limit for both clients; CPU per
//   GB is what tells the clients apart.
#include <fstream>

#include "../tests/peers/strongswan_peer.hpp"
#include "vpn_bench_support.hpp"

namespace {

namespace t = openras::testing;
using openras::bench::VpnBench;

constexpr int kPskRoundTrips = 2;
constexpr int kEapRoundTrips = 6;

std::string ikev2_entry(const std::string& name, const std::string& server, bool psk,
                        const std::string& idi = "") {
  return "[" + name + "]\r\nType=2\r\nIpPrioritizeRemote=0\r\n" +
         (psk ? "OpenRasOptions2=800000\r\n" : "") + (idi.empty() ? "" : "IDi=" + idi + "\r\n") +
         "VpnStrategy=7\r\nMEDIA=rastapi\r\nPort=VPN1-0\r\nDevice=WAN Miniport (IKEv2)\r\n"
         "DEVICE=vpn\r\nPhoneNumber=" +
         server + "\r\n";
}

void save_psk(const std::string& pbk, const std::string& entry) {
  RASCREDENTIALSA c{};
  c.dwSize = sizeof c;
  c.dwMask = RASCM_PreSharedKey;
  std::snprintf(c.szPassword, sizeof c.szPassword, "%s", t::StrongSwanPeer::kPsk);
  RasSetCredentialsA(pbk.c_str(), entry.c_str(), &c, FALSE);
}

struct Rates {
  double up = 0, down = 0, cpu_per_gb = 0;
};

}  // namespace

int bench_ikev2(int argc, char** argv) {
  (void)argc;
  (void)argv;
  std::string why;
  if (!t::StrongSwanPeer::available(&why)) {
    std::fprintf(stderr, "ikev2: cannot run here: %s\n", why.c_str());
    return 1;
  }
  t::StrongSwanPeer peer;
  if (!peer.ready() || !peer.start()) {
    std::fprintf(stderr, "ikev2: charon did not come up\n");
    return 1;
  }
  setenv("SSL_CERT_FILE", peer.ca_file().c_str(), 1);
  VpnBench b(peer.client_netns(), peer.server_netns());
  unsetenv("SSL_CERT_FILE");
  int status = 0;

  std::printf("ikev2: RasDial -> RASCS_Connected against strongSwan 5.9.8 (PSK), median of 5\n");
  print_dial_header();
  for (int rtt : {0, 20, 100}) {
    pid_t relay = -1;
    std::string target = t::NetnsPair::kServerAddress;
    if (rtt > 0) {
      target = "127.0.0.1:14500";
      relay =
          t::spawn({"ip", "netns", "exec", peer.client_netns(), OPENRAS_UDP_RELAY_PATH, "--listen",
                    target, "--to", std::string(t::NetnsPair::kServerAddress) + ":4500",
                    "--delay-ms", std::to_string(rtt / 2)});
      usleep(100000);
    }
    const std::string pbk = b.dir + "/dial-" + std::to_string(rtt) + ".pbk";
    std::ofstream(pbk) << ikev2_entry("Bench", target, true);
    save_psk(pbk, "Bench");
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
      double s = VpnBench::dial_seconds(pbk, "Bench", "secret");
      if (s < 0) {
        std::fprintf(stderr, "dial failed with %d at RTT %d ms\n", static_cast<int>(-s), rtt);
        status = 1;
        break;
      }
      times.push_back(s);
    }
    t::stop_process(relay);
    print_dial_row(rtt, times, kPskRoundTrips);
  }
  {
    const std::string pbk = b.dir + "/dial-eap.pbk";
    std::ofstream(pbk) << ikev2_entry("Bench", t::NetnsPair::kHost, false);
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
      double s = VpnBench::dial_seconds(pbk, "Bench", "secret");
      if (s > 0) times.push_back(s);
    }
    std::sort(times.begin(), times.end());
    if (!times.empty()) {
      std::printf("  EAP-MSCHAPv2 with the server's certificate, RTT 0: %.1f ms (%d round trips)\n",
                  times[times.size() / 2] * 1000, kEapRoundTrips);
    } else {
      status = 1;
    }
  }
  print_dial_goal();

  const double aes = openras::bench::openssl_speed("aes-128-gcm", 1408);
  const double direct = b.copy_rate(t::NetnsPair::kServerAddress, {""}, 64);
  pid_t source = t::spawn({"ip", "netns", "exec", peer.server_netns(), "socat", "-u",
                           "TCP-LISTEN:9002,reuseaddr,fork,backlog=64",
                           "SYSTEM:head -c " + std::to_string(64) + "M /dev/zero"},
                          "/dev/null", "", O_TRUNC, true);
  usleep(200000);
  const int megabytes = 64;
  std::printf(
      "ikev2: bulk TCP, %d MB a call, best of 3; openssl speed aes-128-gcm (1408 octets): "
      "%.1f MB/s; one plain copy over the veth: %.1f MB/s\n",
      megabytes, aes / 1e6, direct / 1e6);
  std::printf("  %-22s %6s %12s %12s %14s\n", "client", "calls", "up", "down", "client CPU s/GB");
  auto row = [&](const char* who, int n, const Rates& r) {
    std::printf("  %-22s %6d %7.1f MB/s %7.1f MB/s %14.2f\n", who, n, r.up / 1e6, r.down / 1e6,
                r.cpu_per_gb);
    if (r.up == 0) status = 1;
  };
  // Best of three of each direction; the CPU is what the client spent over all of them.
  // Down: the client connects (through the tunnel) to a source behind the server that sends
  // `megabytes` and closes; timed to the last byte in. The source's backlog takes every call's
  // connection at once: with socat's default (5), a handshake whose last ACK found the queue
  // full leaves a client that only reads waiting for ever.
  auto download = [&](const std::vector<std::string>& devices) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<pid_t> copies;
    for (const auto& d : devices) {
      std::string bind = d.empty() ? "" : ",so-bindtodevice=" + d;
      copies.push_back(t::spawn({"ip", "netns", "exec", peer.client_netns(), "socat", "-u",
                                 "TCP:" + std::string(t::NetnsPair::kBehindServer) + ":9002" + bind,
                                 "OPEN:/dev/null"}));
    }
    bool ok = true;
    for (pid_t c : copies) {
      int st = 0;
      waitpid(c, &st, 0);
      ok = ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return ok ? megabytes * 1048576.0 * static_cast<double>(devices.size()) / s : 0.0;
  };
  auto measure = [&](pid_t client, const std::vector<std::string>& devices) {
    Rates r;
    const double cpu0 = openras::bench::cpu_seconds(client);
    double moved_mb = 0;
    for (int round = 0; round < 3; ++round) {
      r.up = std::max(r.up, b.copy_rate(t::NetnsPair::kBehindServer, devices, megabytes));
      r.down = std::max(r.down, download(devices));
      moved_mb += 2.0 * megabytes * static_cast<double>(devices.size());
    }
    r.cpu_per_gb = (openras::bench::cpu_seconds(client) - cpu0) / (moved_mb * 1.048576 / 1000);
    return r;
  };
  Rates ours1;
  for (int n : {1, 8}) {
    const std::string pbk = b.dir + "/bulk-" + std::to_string(n) + ".pbk";
    std::vector<std::string> devices;
    {
      std::ofstream out(pbk);
      for (int i = 0; i < n; ++i) {
        devices.push_back("K" + std::to_string(i));
        // One identity a call: strongSwan leases one address an identity.
        out << ikev2_entry(devices.back(), t::NetnsPair::kServerAddress, true,
                           "bench" + std::to_string(i) + "@openras.test");
      }
    }
    for (const auto& d : devices) save_psk(pbk, d);
    std::vector<HRASCONN> calls = VpnBench::dial_all(pbk, devices);
    if (static_cast<int>(calls.size()) != n) {
      status = 1;
      continue;
    }
    Rates r = measure(b.daemon, devices);
    if (n == 1) ours1 = r;
    row("OpenRAS (rasmand)", n, r);
    for (HRASCONN h : calls) VpnBench::hang_up(h);
  }
  // strongSwan's client: its CHILD_SA covers only the service address behind the server.
  {
    t::StrongSwanClient sw(peer.client_netns(), b.dir + "/sw-client");
    if (!sw.start() || !sw.connect()) {
      std::fprintf(stderr, "ikev2: strongSwan's client did not connect\n%s", sw.log().c_str());
      status = 1;
    } else {
      Rates r = measure(sw.pid(), {""});
      row("strongSwan 5.9.8", 1, r);
      if (r.cpu_per_gb > 0 && ours1.cpu_per_gb > 0) {
        std::printf("  OpenRAS / strongSwan, 1 call: up %.2fx, down %.2fx, CPU per GB %.2fx\n",
                    ours1.up / std::max(r.up, 1.0), ours1.down / std::max(r.down, 1.0),
                    ours1.cpu_per_gb / r.cpu_per_gb);
      }
    }
  }
  t::stop_process_group(source);
  std::printf(
      "  (goals: dial <= 1.15x the bound; client CPU per GB <= 0.5x strongSwan's; throughput "
      "no lower than strongSwan's client)\n");
  return status;
}
