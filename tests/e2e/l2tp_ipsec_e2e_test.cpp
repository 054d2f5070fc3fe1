// L2TP/IPsec end to end against SoftEther VPN Server's own IKEv1 and ESP (pre-shared key
// "vpn"): rasmand in the client namespace does Main Mode, Quick Mode for transport-mode ESP in
// UDP 4500, then L2TP and PPP inside it; HTTP goes through SecureNAT. A capture on the client's
// link proves that no L2TP octet leaves outside ESP, in success, failure and hang-up. A wrong
// pre-shared key is 789, a wrong password 691, a silent server 809; SoftEther killed after
// connect ends the call; short ESP lifetimes rekey under traffic without loss.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <thread>

#include "../peers/l2tp_peers.hpp"
#include "vpn_fixture.hpp"

namespace openras::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kL2tp =
    "VpnStrategy=3\r\nMEDIA=rastapi\r\nPort=VPN1-0\r\nDevice=WAN Miniport (L2TP)\r\n";
// "L2TP/IPsec with pre-shared key", encryption required (entry keys, before MEDIA=).
const std::string kIpsec = "IpSecFlags=1\r\nDataEncryption=256\r\n";
constexpr const char* kPapOnly = "AuthRestrictions=8\r\n";

class L2tpIpsecE2E : public VpnDialFixture {
 protected:
  void SetUp() override {
    std::string why;
    if (!SoftEtherPeer::available(&why)) GTEST_SKIP() << why;
    peer_ = std::make_unique<SoftEtherPeer>();
    ASSERT_TRUE(peer_->ready());
    ASSERT_TRUE(peer_->start()) << "SoftEther did not listen on UDP 1701";
    ASSERT_TRUE(peer_->wait_for_ipsec()) << "SoftEther did not listen on UDP 500 and 4500";
    start_rasmand(peer_->client_netns(), {"--verbose"});
  }
  void TearDown() override {
    stop_capture();
    stop_rasmand();
    peer_.reset();
  }
  std::string pbk(const std::string& extra = "", const char* psk = SoftEtherPeer::kPsk) {
    std::string path = phonebook("Office", kL2tp, NetnsPair::kHost, kIpsec + extra);
    save_psk(path, "Office", psk);
    return path;
  }
  HRASCONN dial_ok(const std::string& path) {
    auto p = params("Office");
    HRASCONN h = nullptr;
    const DWORD rc = RasDialA(nullptr, path.c_str(), &p, 0, nullptr, &h);
    EXPECT_EQ(rc, 0u) << rasmand_log();
    return rc == 0 ? h : nullptr;
  }
  void hang_up_and_wait(HRASCONN h) {
    EXPECT_EQ(RasHangUpA(h), 0u);
    EXPECT_TRUE(wait_until_gone(h));
  }

  // tcpdump on the client's side of the link, for what leaves the host.
  void start_capture() {
    capture_file_ = dir_ + "/wire.pcap";
    capture_pid_ = spawn({"ip", "netns", "exec", client_ns_, "tcpdump", "--immediate-mode", "-U",
                          "-n", "-i", "v0", "-w", capture_file_},
                         dir_ + "/tcpdump.out", dir_ + "/tcpdump.out");
    for (int i = 0; i < 200 && slurp(dir_ + "/tcpdump.out").find("listening") == std::string::npos;
         ++i) {
      usleep(10000);
    }
  }
  void stop_capture() {
    if (capture_pid_ <= 0) return;
    usleep(200000);  // the last packets reach the file
    stop_process(capture_pid_);
    capture_pid_ = -1;
  }
  // The packets `filter` matches, one line each (tcpdump's own notes left out).
  std::string read_capture(const std::string& filter) const {
    std::string out;
    std::istringstream in(capture("tcpdump -n -r " + capture_file_ + " '" + filter + "'"));
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("reading from file", 0) != 0) out += line + "\n";
    }
    return out;
  }
  static int lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }
  // Only IKE and ESP in UDP to the server's 4500 left the host: no L2TP (1701) either way, no
  // UDP 500, nothing else in UDP from us. (SoftEther itself probes our NetBIOS port.)
  void expect_only_ipsec_on_the_wire() {
    stop_capture();
    const std::string ours = std::string("udp and src host ") + NetnsPair::kClientAddress;
    const std::string all = read_capture(ours);
    EXPECT_GT(lines(all), 4) << all << slurp(dir_ + "/tcpdump.out");
    EXPECT_EQ(read_capture("udp port 1701"), "");
    EXPECT_EQ(read_capture(ours + " and not dst port 4500"), "");
  }

  std::unique_ptr<SoftEtherPeer> peer_;
  std::string capture_file_;
  pid_t capture_pid_ = -1;
};

TEST_F(L2tpIpsecE2E, PreSharedKeyAndMsChapV2ConnectCarryHttpAndHangUpWithNothingInClear) {
  start_capture();
  const std::string path = pbk();
  HRASCONN h = dial_ok(path);
  ASSERT_TRUE(h);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  EXPECT_STREQ(st.szDeviceName, "WAN Miniport (L2TP)");
  RASPPPIPA ip{};
  ip.dwSize = sizeof(ip);
  DWORD cb = sizeof(ip);
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0u);
  EXPECT_STREQ(ip.szIpAddress, SoftEtherPeer::kAddress);
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof(ex);
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.ppp.dwAuthenticationData, static_cast<DWORD>(RASLCPAD_CHAP_MSV2));
  const std::string log = rasmand_log();
  EXPECT_NE(log.find("IPsec SA up"), std::string::npos) << log;
  EXPECT_NE(log.find("rx L2TP SCCRP"), std::string::npos) << log;
  std::string page = fetch();
  EXPECT_NE(page.find("hello through l2tp"), std::string::npos) << "[" << page << "]\n"
                                                                << rasmand_log();
  // SecureNAT's name server, as IPCP gave it.
  EXPECT_NE(slurp(resolv_).find("nameserver 192.168.30.1"), std::string::npos) << slurp(resolv_);
  hang_up_and_wait(h);
  EXPECT_TRUE(interface_gone("Office")) << links();
  EXPECT_EQ(slurp(resolv_), "nameserver 192.0.2.53\n");
  EXPECT_NE(rasmand_log().find("tx L2TP StopCCN"), std::string::npos);
  expect_only_ipsec_on_the_wire();
  // The server's log records our Main Mode and Quick Mode and the Delete.
  EXPECT_EQ(run_in_netns(client_ns_, "ip route show 10.201.0.2"), "");
}

TEST_F(L2tpIpsecE2E, PapConnects) {
  HRASCONN h = dial_ok(pbk(kPapOnly));
  ASSERT_TRUE(h);
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof(ex);
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.ppp.dwAuthenticationProtocol, static_cast<DWORD>(RASLCPAP_PAP));
  EXPECT_NE(fetch().find("hello through l2tp"), std::string::npos) << rasmand_log();
  hang_up_and_wait(h);
}

TEST_F(L2tpIpsecE2E, WrongPreSharedKeyIs789AndNothingLeavesInClear) {
  start_capture();
  // SoftEther stays silent on a proof it cannot decrypt: three transmissions of MM5.
  expect_dial_fails(pbk("OpenRasIkeTransmissions=3\r\n", "not-the-key"), "Office",
                    ERROR_OAKLEY_GENERAL_PROCESSING);
  expect_only_ipsec_on_the_wire();
}

TEST_F(L2tpIpsecE2E, WrongPasswordIs691AndNothingLeavesInClear) {
  start_capture();
  expect_dial_fails(pbk(), "Office", ERROR_AUTHENTICATION_FAILURE, "wrong");
  expect_only_ipsec_on_the_wire();
}

TEST_F(L2tpIpsecE2E, AnEntryWithoutASavedKeyHasNoPolicyAndSendsNothing) {
  start_capture();
  std::string path = phonebook("Office", kL2tp, NetnsPair::kHost, kIpsec);
  expect_dial_fails(path, "Office", ERROR_OAKLEY_NO_POLICY);
  stop_capture();
  EXPECT_EQ(read_capture(std::string("udp and src host ") + NetnsPair::kClientAddress), "");
}

TEST_F(L2tpIpsecE2E, SoftEtherKilledAfterConnectEndsTheCall) {
  HRASCONN h = dial_ok(pbk("OpenRasIkeLivenessSeconds=5\r\nOpenRasIkeTransmissions=3\r\n"));
  ASSERT_TRUE(h);
  peer_->stop_namespace_processes(0);
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  for (int i = 0; i < 3000; ++i) {
    ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
    if (st.rasconnstate == RASCS_Disconnected) break;
    usleep(10000);
  }
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected) << rasmand_log();
  EXPECT_NE(st.dwError, 0u);
  EXPECT_TRUE(interface_gone("Office")) << links();
  hang_up_and_wait(h);
}

TEST_F(L2tpIpsecE2E, ShortEspLifetimesRekeyUnderTrafficWithoutLoss) {
  start_capture();
  HRASCONN h = dial_ok(pbk("OpenRasIkeChildRekeySeconds=4\r\n"));
  ASSERT_TRUE(h);
  // Ten seconds of pings through the tunnel: two rekeys or more on the way.
  const std::string ping = run_in_netns(
      client_ns_, std::string("ping -n -q -i 0.1 -c 100 -W 1 ") + NetnsPair::kBehindServer);
  EXPECT_NE(ping.find(" 0% packet loss"), std::string::npos) << ping << rasmand_log();
  const std::string log = rasmand_log();
  int sas = 0;
  for (std::size_t at = log.find("IPsec SA up"); at != std::string::npos;
       at = log.find("IPsec SA up", at + 1)) {
    ++sas;
  }
  EXPECT_GE(sas, 3) << log;
  hang_up_and_wait(h);
  expect_only_ipsec_on_the_wire();
}

TEST_F(L2tpIpsecE2E, AnIsakmpSaNearItsEndIsReplacedByANewMainModeUnderTraffic) {
  // A 20 s ISAKMP SA (SoftEther takes our lifetime): a new Main Mode and Quick Mode at 18 s,
  // then the old SAs are deleted, while pings cross.
  HRASCONN h = dial_ok(pbk("OpenRasIkeRekeySeconds=20\r\n"));
  ASSERT_TRUE(h);
  const std::string ping = run_in_netns(
      client_ns_, std::string("ping -n -q -i 0.2 -c 120 -W 1 ") + NetnsPair::kBehindServer);
  EXPECT_NE(ping.find(" 0% packet loss"), std::string::npos) << ping << rasmand_log();
  const std::string log = rasmand_log();
  EXPECT_NE(log.find("a new Main Mode before the ISAKMP SA expires"), std::string::npos) << log;
  EXPECT_EQ(log.find("the new Main Mode failed"), std::string::npos) << log;
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  hang_up_and_wait(h);
  EXPECT_TRUE(interface_gone("Office")) << links();
}

class L2tpIpsecSilentE2E : public VpnDialFixture {
 protected:
  void SetUp() override {
    net_ = std::make_unique<NetnsPair>("ipsil");
    ASSERT_TRUE(net_->ready());
    start_rasmand(net_->client_netns(), {"--verbose"});
  }
  void TearDown() override {
    stop_rasmand();
    net_.reset();
  }
  std::unique_ptr<NetnsPair> net_;
};

TEST_F(L2tpIpsecSilentE2E, ASilentServerIs809) {
  // Something bound to 4500 that never answers (no ICMP refusal either).
  const std::string ns = net_->server_netns();
  pid_t sink = spawn({"ip", "netns", "exec", ns, "socat", "-u",
                      std::string("UDP-RECV:4500,bind=") + NetnsPair::kServerAddress, "/dev/null"});
  for (int i = 0; i < 100 && run_in_netns(ns, "ss -uln").find(":4500 ") == std::string::npos; ++i) {
    usleep(20000);
  }
  std::string path = phonebook("Office", kL2tp, NetnsPair::kServerAddress,
                               kIpsec + "OpenRasIkeTransmissions=3\r\n");
  save_psk(path, "Office", "vpn");
  expect_dial_fails(path, "Office", ERROR_VPN_TIMEOUT);
  stop_process(sink);
}

}  // namespace
}  // namespace openras::testing
