// SSTP against our SSTP server (openras-sstp-server) in a server namespace:
// - dial time (RasDial -> RASCS_Connected) through our TCP delay relay at several round-trip
//   times, against the lower bound: the round trips the exchange needs times the RTT;
// - bulk TCP throughput through 1 and 8 calls at once, up (TUN -> PPP -> SSTP -> TLS -> the
//   server's TUN -> a sink behind the server) and down (from the server's namespace to a sink
//   on the calls' own addresses), next to as many plain TLS copies the same way over the same
//   veth (socat) and `openssl speed -evp aes-256-gcm`, all measured in the same run.
//
// The round trips (MS-CHAPv2): TCP connect (1); TLS 1.3 (2: the client's Finished travels
// with the HTTP request); SSTP_DUPLEX_POST and its 200 (3); Call Connect Request and Ack,
// with the server's LCP Configure-Request (4); our LCP request acked, the server's Challenge
// on the heels of our Ack (5); Response and Success (6); IPCP request Nak'ed (7), then
// acked (8). Call Connected needs no answer.
#include <algorithm>
#include <fstream>

#include "../tests/peers/sstp_peer.hpp"
#include "vpn_bench_support.hpp"

namespace {

constexpr int kRoundTrips = 8;

std::string sstp_entry(const std::string& name, const std::string& server) {
  // The relay's address is not in the certificate: the bench skips the name check everywhere
  // so that every row does the same work.
  return "[" + name +
         "]\r\nType=2\r\nIpPrioritizeRemote=0\r\nOpenRasInsecureSkipCertificateCheck=1\r\n"
         "VpnStrategy=5\r\nMEDIA=rastapi\r\nPort=VPN3-0\r\nDevice=WAN Miniport (SSTP)\r\n"
         "DEVICE=vpn\r\nPhoneNumber=" +
         server + "\r\n";
}

}  // namespace

int bench_sstp(int argc, char** argv) {
  using openras::bench::VpnBench;
  namespace t = openras::testing;
  std::string why;
  if (!t::SstpPeer::available(&why)) {
    std::fprintf(stderr, "sstp: cannot run here: %s\n", why.c_str());
    return 1;
  }
  t::SstpPeer peer;
  if (!peer.ready() || !peer.start_server()) {
    std::fprintf(stderr, "sstp: the SSTP server did not come up\n");
    return 1;
  }
  const auto& certs = t::test_certificates();
  // --loops N: rasmand's driver loops (default: one a core).
  std::vector<std::string> rasmand_args;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--loops") rasmand_args = {"--loops", argv[i + 1]};
  }
  VpnBench b(peer.client_netns(), peer.server_netns(), rasmand_args);
  int status = 0;

  std::printf(
      "sstp: RasDial -> RASCS_Connected against openras-sstp-server (MS-CHAPv2), "
      "median of 5\n");
  // --throughput-only skips the dial table; --calls N measures N calls at once instead of 1 and
  // 8, --way up|down one direction only (for profiling one case), --loops N rasmand's loops.
  bool dial = true, measure_up = true, measure_down = true;
  std::vector<int> call_counts = {1, 8};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--throughput-only") dial = false;
    if (arg == "--calls" && i + 1 < argc) call_counts = {std::atoi(argv[++i])};
    if (arg == "--way" && i + 1 < argc) {
      std::string way = argv[++i];
      measure_up = way == "up";
      measure_down = way == "down";
    }
  }
  if (dial &&
      !b.dial_table(kRoundTrips, t::NetnsPair::kServerAddress, "127.0.0.1:10443",
                    std::string(t::NetnsPair::kServerAddress) + ":443", true,
                    [](const std::string& server) { return sstp_entry("Bench", server); })) {
    status = 1;
  }

  // Baselines: AES-256-GCM on one core, and as many plain TLS copies at once over the veth,
  // with the server's certificate, as there are calls.
  double aes = openras::bench::openssl_speed("aes-256-gcm", 16384);
  pid_t tls_sink = t::spawn({"ip", "netns", "exec", peer.server_netns(), "socat", "-u",
                             "OPENSSL-LISTEN:9443,reuseaddr,fork,cert=" + certs.server_cert +
                                 ",key=" + certs.server_key + ",verify=0",
                             "OPEN:/dev/null"},
                            "/dev/null", "", O_TRUNC, true);
  // The sinks for the download rows, in the client namespace: plain TCP on every address (the
  // calls' own among them), TLS with the same certificate for the copies over the veth.
  pid_t client_sink = t::spawn({"ip", "netns", "exec", peer.client_netns(), "socat", "-u",
                                "TCP-LISTEN:9001,reuseaddr,fork", "OPEN:/dev/null"},
                               "/dev/null", "", O_TRUNC, true);
  pid_t client_tls_sink = t::spawn({"ip", "netns", "exec", peer.client_netns(), "socat", "-u",
                                    "OPENSSL-LISTEN:9444,reuseaddr,fork,cert=" + certs.server_cert +
                                        ",key=" + certs.server_key + ",verify=0",
                                    "OPEN:/dev/null"},
                                   "/dev/null", "", O_TRUNC, true);
  usleep(300000);
  const int megabytes = 64;
  // Best of five for the copies and the tunnels alike: this machine's noise only ever slows.
  const int rounds = 5;
  const std::string tls_check = ",cafile=" + certs.ca + ",commonname=vpn.openras.test";
  std::printf("sstp: bulk TCP, %d MB a call, best of %d; openssl speed aes-256-gcm: %.1f MB/s\n",
              megabytes, rounds, aes / 1e6);
  std::printf("  %6s %5s %14s %14s %10s %11s\n", "calls", "way", "through SSTP", "TLS copies",
              "vs TLS", "vs AES-GCM");
  auto row = [&](int n, const char* way, double tunnel, double tls) {
    std::printf("  %6d %5s %9.1f MB/s %9.1f MB/s %9.2fx %10.2fx\n", n, way, tunnel / 1e6, tls / 1e6,
                tls > 0 ? tunnel / tls : 0.0, aes > 0 ? tunnel / aes : 0.0);
    if (tunnel == 0) status = 1;
  };
  for (int n : call_counts) {
    std::string pbk = b.dir + "/bulk-" + std::to_string(n) + ".pbk";
    {
      std::ofstream out(pbk);
      for (int i = 0; i < n; ++i) out << sstp_entry("S" + std::to_string(i), t::NetnsPair::kHost);
    }
    std::vector<std::string> devices;
    for (int i = 0; i < n; ++i) devices.push_back("S" + std::to_string(i));
    std::vector<HRASCONN> calls = VpnBench::dial_all(pbk, devices);
    if (calls.empty()) status = 1;
    if (static_cast<int>(calls.size()) == n) {
      // Down: to each call's own address, and as many TLS copies to the client's veth address.
      std::vector<std::string> to_calls;
      for (HRASCONN h : calls) to_calls.push_back("TCP:" + VpnBench::ppp_address(h) + ":9001");
      const std::vector<std::string> to_client_tls(
          n, "OPENSSL:" + std::string(t::NetnsPair::kClientAddress) + ":9444" + tls_check);
      // The copies and the tunnels take turns, round by round: a neighbour's load on this
      // shared machine then falls on both alike, or is skipped by both maxima.
      double tls_up = 0, up = 0, tls_down = 0, down = 0;
      for (int r = 0; r < rounds; ++r) {
        if (measure_up) {
          tls_up = std::max(
              tls_up, b.copy_rate(t::NetnsPair::kServerAddress, std::vector<std::string>(n, ""),
                                  megabytes, true, tls_check));
          up = std::max(up, b.copy_rate(t::NetnsPair::kBehindServer, devices, megabytes));
        }
        if (measure_down) {
          tls_down = std::max(tls_down, b.download_rate(to_client_tls, megabytes));
          down = std::max(down, b.download_rate(to_calls, megabytes));
        }
      }
      if (measure_up) row(n, "up", up, tls_up);
      if (measure_down) row(n, "down", down, tls_down);
    }
    for (HRASCONN h : calls) VpnBench::hang_up(h);
  }
  t::stop_process_group(client_tls_sink);
  t::stop_process_group(client_sink);
  t::stop_process_group(tls_sink);
  std::printf("  (goal: >= 0.5x the TLS copy)\n");
  return status;
}
