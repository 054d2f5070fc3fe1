// L2TP/IPsec against SoftEther (pre-shared key, PAP) in a server namespace:
// - dial time (RasDial -> RASCS_Connected) through our UDP relay at several round-trip times.
//   SoftEther's own waits (SecureNAT's address comes 1.5-2.5 s after IPCP starts) dwarf any
//   round-trip count, so the baseline is measured: raw L2TP to the same server at the same RTT,
//   plus the four round trips IPsec adds (Main Mode 3, Quick Mode 1: QM3 goes with SCCRQ).
// - bulk TCP through one call, next to the same copy straight over the veth in the same run,
//   with rasmand's CPU per GB.
// The server is restarted before every dial (peers.md: its two-tunnel bug).
#include <algorithm>

#include "../tests/peers/l2tp_peers.hpp"
#include "vpn_bench_support.hpp"

namespace {

constexpr int kIpsecRoundTrips = 4;

std::string entry(const std::string& name, const std::string& server, bool ipsec) {
  return "[" + name + "]\r\nType=2\r\nAuthRestrictions=8\r\nIpPrioritizeRemote=0\r\n" +
         (ipsec ? "IpSecFlags=1\r\nDataEncryption=256\r\n" : "") +
         "VpnStrategy=3\r\nMEDIA=rastapi\r\nPort=VPN1-0\r\nDevice=WAN Miniport (L2TP)\r\n"
         "DEVICE=vpn\r\nPhoneNumber=" +
         server + "\r\n";
}

bool save_psk(const std::string& pbk, const char* name) {
  RASCREDENTIALSA c{};
  c.dwSize = sizeof c;
  c.dwMask = RASCM_PreSharedKey;
  std::snprintf(c.szPassword, sizeof c.szPassword, "%s", openras::testing::SoftEtherPeer::kPsk);
  return RasSetCredentialsA(pbk.c_str(), name, &c, FALSE) == 0;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int bench_l2tp_ipsec(int, char**) {
  using openras::bench::VpnBench;
  namespace t = openras::testing;
  std::string why;
  if (!t::SoftEtherPeer::available(&why)) {
    std::fprintf(stderr, "l2tp-ipsec: cannot run here: %s\n", why.c_str());
    return 1;
  }
  t::SoftEtherPeer peer;
  if (!peer.ready() || !peer.start() || !peer.wait_for_ipsec()) {
    std::fprintf(stderr, "l2tp-ipsec: SoftEther did not come up\n");
    return 1;
  }
  VpnBench b(peer.client_netns(), peer.server_netns());
  int status = 0;
  std::printf(
      "l2tp-ipsec: RasDial -> RASCS_Connected against SoftEther (PSK, PAP), median of 3;\n"
      "  baseline: raw L2TP to the same server at the same RTT + %d round trips\n",
      kIpsecRoundTrips);
  std::printf("  %8s %12s %12s %12s %8s\n", "RTT", "L2TP/IPsec", "raw L2TP", "bound", "ratio");
  for (int rtt : {0, 20, 100}) {
    pid_t relay_ike = -1, relay_l2tp = -1;
    std::string server = t::NetnsPair::kHost;
    std::string ike_target = server, l2tp_target = server;
    if (rtt > 0) {
      // One relay for each port: the server is reached through 127.0.0.1 with the RTT added.
      auto relay = [&](const char* listen, const char* to) {
        return t::spawn({"ip", "netns", "exec", b.client_ns, OPENRAS_UDP_RELAY_PATH, "--listen",
                         listen, "--to", to, "--delay-ms", std::to_string(rtt / 2)});
      };
      relay_ike = relay("127.0.0.1:4500", "10.201.0.2:4500");
      relay_l2tp = relay("127.0.0.1:1701", "10.201.0.2:1701");
      usleep(100000);
      ike_target = l2tp_target = "127.0.0.1";
    }
    std::vector<double> with_ipsec, raw;
    for (int i = 0; i < 3 && status == 0; ++i) {
      for (bool ipsec : {true, false}) {
        peer.start();
        if (ipsec) peer.wait_for_ipsec();
        std::string pbk = b.dir + "/dial-" + std::to_string(rtt) + (ipsec ? "-ipsec" : "") + ".pbk";
        std::ofstream(pbk) << entry("Bench", ipsec ? ike_target : l2tp_target, ipsec);
        if (ipsec && !save_psk(pbk, "Bench")) status = 1;
        double s = VpnBench::dial_seconds(pbk, "Bench", "secret");
        if (s < 0) {
          std::fprintf(stderr, "dial failed with %d at RTT %d ms\n", static_cast<int>(-s), rtt);
          status = 1;
          break;
        }
        (ipsec ? with_ipsec : raw).push_back(s);
      }
    }
    t::stop_process(relay_ike);
    t::stop_process(relay_l2tp);
    const double bound = median(raw) + kIpsecRoundTrips * rtt / 1000.0;
    std::printf("  %6d ms %9.1f ms %9.1f ms %9.1f ms %7.2fx\n", rtt, median(with_ipsec) * 1000,
                median(raw) * 1000, bound * 1000, bound > 0 ? median(with_ipsec) / bound : 0.0);
  }
  std::printf("  (goal: <= 1.15x the bound)\n");

  const int megabytes = 32;
  peer.start();
  peer.wait_for_ipsec();
  std::string pbk = b.dir + "/bulk.pbk";
  std::ofstream(pbk) << entry("B0", t::NetnsPair::kServerAddress, true);
  if (!save_psk(pbk, "B0")) status = 1;
  double direct = b.copy_rate(t::NetnsPair::kServerAddress, {""}, megabytes);
  std::vector<HRASCONN> calls = VpnBench::dial_all(pbk, {"B0"});
  if (calls.size() == 1) {
    const double cpu_before = openras::bench::cpu_seconds(b.daemon);
    double tunnel = b.copy_rate(t::NetnsPair::kBehindServer, {"B0"}, megabytes);
    const double cpu = openras::bench::cpu_seconds(b.daemon) - cpu_before;
    std::printf(
        "l2tp-ipsec: bulk TCP up, %d MB through one call (SoftEther's userspace ESP and\n"
        "  SecureNAT on the far side); baseline: the same copy over the veth\n",
        megabytes);
    std::printf("  %14s %14s %8s %16s\n", "through IPsec", "veth copy", "ratio",
                "rasmand CPU s/GB");
    std::printf("  %9.1f MB/s %9.1f MB/s %7.3fx %16.2f\n", tunnel / 1e6, direct / 1e6,
                direct > 0 ? tunnel / direct : 0.0, tunnel > 0 ? cpu / (megabytes / 1000.0) : 0.0);
    if (tunnel == 0) status = 1;
    for (HRASCONN h : calls) VpnBench::hang_up(h);
  } else {
    status = 1;
  }
  return status;
}
