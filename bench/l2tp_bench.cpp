// L2TP against l2tpns + FreeRADIUS in a server namespace:
// - dial time (RasDial -> RASCS_Connected) through our UDP relay at several round-trip times,
//   against the lower bound: the round trips the exchange needs times the RTT;
// - bulk TCP throughput through 1 and 8 tunnels at once (TUN -> PPP -> L2TP -> UDP -> l2tpns
//   -> its TUN -> the sink), next to the same copy straight over the veth in the same run.
//
// The round trips with l2tpns (PAP), from the trace: SCCRQ/SCCRP (1); SCCCN+ICRQ/ICRP (2);
// ICCN with our LCP Configure-Request, answered by its Ack and l2tpns' own request (3); our
// Configure-Reject of its multilink options, answered by its second request (4); PAP request
// and Ack (5); IPCP: our request Nak'ed (6), then acked (7). Its IPCP request is acked within.
#include "../tests/peers/l2tp_peers.hpp"
#include "vpn_bench_support.hpp"

namespace {

constexpr int kRoundTrips = 7;

std::string l2tp_entry(const std::string& name, const std::string& server) {
  return "[" + name + "]\r\nType=2\r\nAuthRestrictions=8\r\nIpPrioritizeRemote=0\r\n"
         "VpnStrategy=3\r\nMEDIA=rastapi\r\nPort=VPN1-0\r\nDevice=WAN Miniport (L2TP)\r\n"
         "DEVICE=vpn\r\nPhoneNumber=" + server + "\r\n";
}

}  // namespace

int bench_l2tp(int, char**) {
  using openras::bench::median;
  using openras::bench::VpnBench;
  std::string why;
  if (!openras::testing::L2tpnsPeer::available(&why)) {
    std::fprintf(stderr, "l2tp: cannot run here: %s\n", why.c_str());
    return 1;
  }
  openras::testing::L2tpnsPeer peer;
  if (!peer.ready()) {
    std::fprintf(stderr, "l2tp: l2tpns did not come up\n");
    return 1;
  }
  VpnBench b(peer.client_netns(), peer.server_netns());
  int status = 0;

  std::printf("l2tp: RasDial -> RASCS_Connected against l2tpns (PAP), median of 5\n");
  std::printf("  %8s %10s %12s %12s %8s\n", "RTT", "time", "round trips", "lower bound", "ratio");
  for (int rtt : {0, 20, 100}) {
    std::string server = openras::testing::NetnsPair::kServerAddress;
    pid_t relay = -1;
    if (rtt > 0) {
      server = "127.0.0.1:11701";
      relay = openras::testing::spawn({"ip", "netns", "exec", peer.client_netns(),
                                       OPENRAS_UDP_RELAY_PATH, "--listen", server, "--to",
                                       std::string(openras::testing::NetnsPair::kServerAddress) +
                                           ":1701",
                                       "--delay-ms", std::to_string(rtt / 2)});
      usleep(100000);
    }
    std::string pbk = b.dir + "/dial-" + std::to_string(rtt) + ".pbk";
    std::ofstream(pbk) << l2tp_entry("Bench", server);
    std::vector<double> times;
    for (int i = 0; i < 5; ++i) {
      double t = VpnBench::dial_seconds(pbk, "Bench", "secret");
      if (t < 0) {
        std::fprintf(stderr, "dial failed with %d at RTT %d ms\n", static_cast<int>(-t), rtt);
        status = 1;
        break;
      }
      times.push_back(t);
    }
    openras::testing::stop_process(relay);
    if (times.empty()) continue;
    double m = median(times);
    double bound = kRoundTrips * rtt / 1000.0;
    std::printf("  %6d ms %8.1f ms %12d %9.1f ms %7.2fx\n", rtt, m * 1000, kRoundTrips,
                bound * 1000, bound > 0 ? m / bound : 0.0);
  }
  std::printf("  (goal: <= 1.15x the bound where the RTT dominates)\n");

  const int megabytes = 64;
  double direct = b.copy_rate(openras::testing::NetnsPair::kServerAddress, {""}, megabytes);
  std::printf("l2tp: bulk TCP, %d MB a connection; baseline: the same copy over the veth\n",
              megabytes);
  std::printf("  %12s %14s %14s %8s\n", "connections", "through L2TP", "veth copy", "ratio");
  for (int n : {1, 8}) {
    std::string pbk = b.dir + "/bulk-" + std::to_string(n) + ".pbk";
    {
      std::ofstream out(pbk);
      for (int i = 0; i < n; ++i) {
        out << l2tp_entry("B" + std::to_string(i), openras::testing::NetnsPair::kServerAddress);
      }
    }
    std::vector<HRASCONN> calls;
    std::vector<std::string> devices;
    for (int i = 0; i < n; ++i) {
      HRASCONN h = nullptr;
      std::string name = "B" + std::to_string(i);
      if (VpnBench::dial_seconds(pbk, name.c_str(), "secret", &h) < 0) {
        std::fprintf(stderr, "dial %s failed\n", name.c_str());
        status = 1;
        break;
      }
      calls.push_back(h);
      devices.push_back(name);
    }
    if (static_cast<int>(calls.size()) == n) {
      double tunnel = b.copy_rate(openras::testing::NetnsPair::kBehindServer, devices, megabytes);
      std::printf("  %12d %9.1f MB/s %9.1f MB/s %7.2fx\n", n, tunnel / 1e6, direct / 1e6,
                  direct > 0 ? tunnel / direct : 0.0);
      if (tunnel == 0) status = 1;
    }
    for (HRASCONN h : calls) VpnBench::hang_up(h);
  }
  std::printf("  (goal: >= 0.5x the plain copy)\n");
  return status;
}
