// L2TP against l2tpns + FreeRADIUS in a server namespace:
// - dial time (RasDial -> RASCS_Connected) through our UDP relay at several round-trip times,
//   against the lower bound: the round trips the exchange needs times the RTT;
// - bulk TCP throughput through 1 and 8 tunnels at once (TUN -> PPP -> L2TP -> UDP -> l2tpns
//   -> its TUN -> the sink), next to the same copy straight over the veth in the same run.
//
// The round trips with l2tpns (PAP), from the trace: SCCRQ/SCCRP (1); SCCCN+ICRQ/ICRP (2);
// ICCN with our LCP Configure-Request, answered by its Ack and l2tpns' own request (3); our
// Configure-Reject of its multilink options, answered by its second request (4); our Ack with
// the PAP request, answered by the PAP Ack (5); IPCP: our request Nak'ed (6), then acked (7).
// Its IPCP request is acked within. (The peer offers PAP first; an entry that has to Nak it
// for CHAP pays one round trip more, and CHAP itself one more: Challenge, then Success.)
#include "../tests/peers/l2tp_peers.hpp"
#include "vpn_bench_support.hpp"

namespace {

constexpr int kRoundTrips = 7;

std::string l2tp_entry(const std::string& name, const std::string& server) {
  return "[" + name +
         "]\r\nType=2\r\nAuthRestrictions=8\r\nIpPrioritizeRemote=0\r\n"
         "VpnStrategy=3\r\nMEDIA=rastapi\r\nPort=VPN1-0\r\nDevice=WAN Miniport (L2TP)\r\n"
         "DEVICE=vpn\r\nPhoneNumber=" +
         server + "\r\n";
}

}  // namespace

int bench_l2tp(int, char**) {
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

  namespace t = openras::testing;
  std::printf("l2tp: RasDial -> RASCS_Connected against l2tpns (PAP), median of 5\n");
  if (!b.dial_table(kRoundTrips, t::NetnsPair::kServerAddress, "127.0.0.1:11701",
                    std::string(t::NetnsPair::kServerAddress) + ":1701", false,
                    [](const std::string& server) { return l2tp_entry("Bench", server); })) {
    status = 1;
  }

  const int megabytes = 64;
  std::printf(
      "l2tp: bulk TCP, %d MB a connection; baseline: as many copies at once over the veth\n",
      megabytes);
  std::printf("  %12s %14s %14s %8s %16s\n", "connections", "through L2TP", "veth copies", "ratio",
              "rasmand CPU s/GB");
  for (int n : {1, 8}) {
    double direct = b.copy_rate(openras::testing::NetnsPair::kServerAddress,
                                std::vector<std::string>(n, ""), megabytes);
    std::string pbk = b.dir + "/bulk-" + std::to_string(n) + ".pbk";
    {
      std::ofstream out(pbk);
      for (int i = 0; i < n; ++i) {
        out << l2tp_entry("B" + std::to_string(i), openras::testing::NetnsPair::kServerAddress);
      }
    }
    // One user a call: l2tpns ends a user's older session when the user logs in again.
    std::vector<std::string> devices, users;
    for (int i = 0; i < n; ++i) {
      devices.push_back("B" + std::to_string(i));
      users.push_back("bench" + std::to_string(i + 1));
    }
    std::vector<HRASCONN> calls = VpnBench::dial_all(pbk, devices, users);
    if (calls.empty()) status = 1;
    if (static_cast<int>(calls.size()) == n) {
      const double cpu_before = openras::bench::cpu_seconds(b.daemon);
      double tunnel = b.copy_rate(openras::testing::NetnsPair::kBehindServer, devices, megabytes);
      const double cpu = openras::bench::cpu_seconds(b.daemon) - cpu_before;
      const double gigabytes = n * megabytes / 1000.0;
      std::printf("  %12d %9.1f MB/s %9.1f MB/s %7.2fx %16.2f\n", n, tunnel / 1e6, direct / 1e6,
                  direct > 0 ? tunnel / direct : 0.0, cpu / gigabytes);
      if (tunnel == 0) status = 1;
    }
    for (HRASCONN h : calls) VpnBench::hang_up(h);
  }
  std::printf("  (goals: >= 0.5x the plain copy; <= 2.5 rasmand CPU-seconds per GB)\n");
  return status;
}
