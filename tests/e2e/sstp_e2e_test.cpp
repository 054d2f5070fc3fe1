// SSTP end to end: rasmand in a client namespace dials our SSTP server (openras-sstp-server) in
// a server namespace over verified TLS with the crypto binding, gets an address, a TUN
// interface, routes and DNS, carries HTTP to a server behind it, and leaves nothing behind.
// Every way the dial can fail ends with its own Win32 code.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "../peers/sstp_peer.hpp"
#include "vpn_fixture.hpp"

namespace openras::testing {
namespace {

auto& g_last = last_notifications();

class SstpE2E : public VpnDialFixture {
 protected:
  void SetUp() override {
    std::string why;
    if (!SstpPeer::available(&why)) GTEST_SKIP() << why;
    peer_ = std::make_unique<SstpPeer>();
    ASSERT_TRUE(peer_->ready());
    setenv("SSL_CERT_FILE", test_certificates().ca.c_str(), 1);  // rasmand's "system" store
    start_rasmand(peer_->client_netns());
    unsetenv("SSL_CERT_FILE");
  }

  void TearDown() override {
    stop_rasmand();
    peer_.reset();
  }

  // A phonebook with entries `names`, each dialing `server` with `extra` entry keys.
  std::string phonebook(const std::vector<std::string>& names, const std::string& server,
                        const std::string& extra = "") {
    std::filesystem::remove(dir_ + "/vpn.pbk");
    std::string path;
    for (const auto& name : names) {
      path = VpnDialFixture::phonebook(
          name, "VpnStrategy=5\r\nMEDIA=rastapi\r\nPort=VPN3-0\r\nDevice=WAN Miniport (SSTP)\r\n",
          server, extra);
    }
    return path;
  }
  std::string phonebook(const std::string& extra = "",
                        const std::string& server = SstpPeer::kHost) {
    return phonebook(std::vector<std::string>{"Office"}, server, extra);
  }

  static RASDIALPARAMSA params(const char* entry = "Office", const char* password = "secret") {
    return VpnDialFixture::params(entry, password);
  }
  void expect_dial_fails(const std::string& pbk, DWORD error, const char* password = "secret") {
    VpnDialFixture::expect_dial_fails(pbk, "Office", error, password);
    if (::testing::Test::HasFailure()) std::printf("%s", peer_->server_log().c_str());
  }
  bool interface_gone() const { return VpnDialFixture::interface_gone("Office"); }
  // An HTTP GET through the tunnel (through `device` when given).
  std::string fetch(const std::string& device = "") const {
    std::string bind = device.empty() ? "" : ",so-bindtodevice=" + device;
    return run_in_netns(peer_->client_netns(),
                        "sh -c \"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | socat -t5 -T5 - "
                        "TCP:192.168.40.1:8080" +
                            bind + "\"");
  }

  std::unique_ptr<SstpPeer> peer_;
};

// Windows' tunnel types in turn: IKEv2 first, and a server with nothing on UDP 4500 answers
// with an ICMP "port unreachable", so SSTP follows at once; IKEv2 alone ends there, 808.
TEST_F(SstpE2E, IkevTwoThenSstpFallsBackToSstpAtOnceAndIkevTwoOnlyIsRefused) {
  ASSERT_TRUE(peer_->start_server());
  std::filesystem::remove(dir_ + "/vpn.pbk");
  VpnDialFixture::phonebook("Both", "VpnStrategy=14\r\nMEDIA=rastapi\r\nPort=VPN3-0\r\n",
                            SstpPeer::kHost);
  auto pbk = VpnDialFixture::phonebook(
      "IkeOnly", "VpnStrategy=7\r\nMEDIA=rastapi\r\nPort=VPN3-0\r\n", SstpPeer::kHost);
  auto p = params("Both");
  HRASCONN h = nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h), 0u) << rasmand_log();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_NE(fetch().find("hello through sstp"), std::string::npos) << rasmand_log();
  const std::string log = rasmand_log();  // IKEv2 tried first, then SSTP
  EXPECT_LT(log.find("port 4500"), log.find("port 443")) << log;
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  VpnDialFixture::expect_dial_fails(pbk, "IkeOnly", ERROR_VPN_REFUSED);
}

TEST_F(SstpE2E, MsChapV2ConnectsWithCryptoBindingCarriesHttpAndLeavesNothing) {
  ASSERT_TRUE(peer_->start_server());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 0, nullptr, &h), 0u) << rasmand_log();
  RASCONNSTATUSA st{};
  st.dwSize = sizeof(st);
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  EXPECT_STREQ(st.szDeviceType, "vpn");
  EXPECT_STREQ(st.szDeviceName, "WAN Miniport (SSTP)");

  RASPPPIPA ip{};
  ip.dwSize = sizeof(ip);
  DWORD cb = sizeof(ip);
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &cb), 0u);
  EXPECT_STREQ(ip.szIpAddress, "192.168.40.10");
  EXPECT_STREQ(ip.szServerIpAddress, "192.168.40.1");
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof(ex);
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.ppp.dwAuthenticationProtocol, static_cast<DWORD>(RASLCPAP_CHAP));
  EXPECT_EQ(ex.ppp.dwAuthenticationData, static_cast<DWORD>(RASLCPAD_CHAP_MSV2));

  // The server checked the binding with its own keys; the call was MS-SSTP all the way.
  std::string log = peer_->server_log();
  EXPECT_NE(log.find("duplex post host=vpn.openras.test"), std::string::npos) << log;
  EXPECT_NE(log.find("auth ok user=alice method=MS-CHAPv2"), std::string::npos) << log;
  EXPECT_NE(log.find("binding ok sha256 keyed"), std::string::npos) << log;

  std::string routes = run_in_netns(peer_->client_netns(), "ip route show");
  EXPECT_NE(routes.find("default dev Office"), std::string::npos) << routes;
  // The server stays reached the way it was before the default route moved into the tunnel.
  EXPECT_NE(routes.find("10.201.0.2 dev v0"), std::string::npos) << routes;
  EXPECT_NE(slurp(resolv_).find("nameserver 192.168.40.1"), std::string::npos);
  std::string page = fetch();
  EXPECT_NE(page.find("hello through sstp"), std::string::npos) << "[" << page << "]";

  RAS_STATS stats{};
  stats.dwSize = sizeof(stats);
  ASSERT_EQ(RasGetConnectionStatistics(h, &stats), 0u);
  EXPECT_GT(stats.dwBytesRcved, 100u);

  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone()) << links();
  EXPECT_EQ(slurp(resolv_), "nameserver 192.0.2.53\n");
  EXPECT_EQ(run_in_netns(peer_->client_netns(), "ip route show 10.201.0.2"), "");
  for (int i = 0; i < 100 && peer_->server_log().find("client disconnected") == std::string::npos;
       ++i) {
    usleep(10000);
  }
  EXPECT_NE(peer_->server_log().find("client disconnected"), std::string::npos)
      << "no SSTP Call Disconnect reached the server";
}

TEST_F(SstpE2E, PapAndChapConnectWithAnUnkeyedBinding) {
  for (const char* method : {"pap", "chap"}) {
    ASSERT_TRUE(peer_->start_server({"--auth", method}));
    auto p = params();
    HRASCONN h = nullptr;
    ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 0, nullptr, &h), 0u) << method;
    EXPECT_NE(fetch().find("hello through sstp"), std::string::npos)
        << method << peer_->server_log() << rasmand_log();
    EXPECT_NE(peer_->server_log().find("binding ok sha256 unkeyed"), std::string::npos) << method;
    ASSERT_EQ(RasHangUpA(h), 0u);
    EXPECT_TRUE(wait_until_gone(h));
  }
}

// An entry set to EAP (AuthRestrictions' EAP bit, CustomAuthKey 26) against a server that
// offers MS-CHAPv2 first and EAP on a Nak: EAP-MSCHAPv2, bound with its keys.
constexpr const char* kEapOnly = "AuthRestrictions=128\r\nCustomAuthKey=26\r\n";

TEST_F(SstpE2E, EapMsChapV2ConnectsWithAKeyedBinding) {
  ASSERT_TRUE(peer_->start_server({"--auth", "mschapv2,eap-mschapv2"}));
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook(kEapOnly).c_str(), &p, 0, nullptr, &h), 0u)
      << rasmand_log() << peer_->server_log();
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof(ex);
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.ppp.dwAuthenticationProtocol, static_cast<DWORD>(RASLCPAP_EAP));
  std::string log = peer_->server_log();
  EXPECT_NE(log.find("auth ok user=alice method=EAP-MSCHAPv2"), std::string::npos) << log;
  // The server's binding check used the EAP-MSCHAPv2 keys: a wrong HLAK would have failed it.
  EXPECT_NE(log.find("binding ok sha256 keyed"), std::string::npos) << log;
  EXPECT_NE(fetch().find("hello through sstp"), std::string::npos);
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone()) << links();
}

TEST_F(SstpE2E, EapMsChapV2WrongPasswordIsAuthenticationFailure) {
  ASSERT_TRUE(peer_->start_server({"--auth", "eap-mschapv2"}));
  expect_dial_fails(phonebook(kEapOnly), ERROR_AUTHENTICATION_FAILURE, "wrong");
}

TEST_F(SstpE2E, WrongPasswordIsAuthenticationFailure) {
  ASSERT_TRUE(peer_->start_server());
  expect_dial_fails(phonebook(), ERROR_AUTHENTICATION_FAILURE, "wrong");
}

TEST_F(SstpE2E, UnknownHostIsNameNotResolvable) {
  expect_dial_fails(phonebook("", "nosuch.openras.test"), ERROR_DNSNAME_NOT_RESOLVABLE);
}

TEST_F(SstpE2E, ClosedPortIsRefused) {
  expect_dial_fails(phonebook(), ERROR_VPN_REFUSED);  // no server listening
}

TEST_F(SstpE2E, UntrustedCertificateIsRefused) {
  ASSERT_TRUE(peer_->start_server({}, test_certificates().untrusted_cert));
  expect_dial_fails(phonebook(), ERROR_VALIDATING_SERVER_CERT);
  EXPECT_EQ(peer_->server_log().find("duplex post"), std::string::npos)
      << "the client talked to a server it does not trust";
}

TEST_F(SstpE2E, CertificateForAnotherNameIsRefused) {
  ASSERT_TRUE(peer_->start_server({}, test_certificates().wrong_name_cert));
  expect_dial_fails(phonebook(), ERROR_INVALID_SERVER_CERT);
}

TEST_F(SstpE2E, PinnedHashMustMatch) {
  ASSERT_TRUE(peer_->start_server());
  std::string wrong(64, '0');
  expect_dial_fails(phonebook("OpenRasCertificateSha256=" + wrong + "\r\n"), ERROR_VPN_BAD_CERT);
  auto p = params();
  HRASCONN h = nullptr;
  std::string pin = "OpenRasCertificateSha256=" + test_certificates().server_sha256 + "\r\n";
  ASSERT_EQ(RasDialA(nullptr, phonebook(pin).c_str(), &p, 0, nullptr, &h), 0u) << rasmand_log();
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(SstpE2E, InsecureOptionIsExplicitAndLogged) {
  ASSERT_TRUE(peer_->start_server({}, test_certificates().untrusted_cert));
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook("OpenRasInsecureSkipCertificateCheck=1\r\n").c_str(), &p, 0,
                     nullptr, &h),
            0u);
  EXPECT_NE(rasmand_log().find("NOT verified"), std::string::npos);
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
}

// Through a real HTTP CONNECT proxy (Debian's tinyproxy) in the client namespace.
TEST_F(SstpE2E, DialsThroughAnHttpConnectProxy) {
  if (std::system("command -v tinyproxy >/dev/null 2>&1") != 0) GTEST_SKIP() << "no tinyproxy";
  ASSERT_TRUE(peer_->start_server());
  std::string conf = dir_ + "/tinyproxy.conf", log = dir_ + "/tinyproxy.log";
  std::ofstream(conf) << "Port 8888\nListen 127.0.0.1\nTimeout 60\nLogFile \"" << log
                      << "\"\nLogLevel Connect\nAllow 127.0.0.1\nConnectPort 443\n";
  pid_t proxy =
      spawn({"ip", "netns", "exec", peer_->client_netns(), "tinyproxy", "-d", "-c", conf});
  bool listening = false;
  for (int i = 0; i < 200 && !listening; ++i) {
    listening =
        run_in_netns(peer_->client_netns(), "ss -tln").find("127.0.0.1:8888") != std::string::npos;
    if (!listening) usleep(10000);
  }
  ASSERT_TRUE(listening);
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, phonebook("OpenRasProxy=127.0.0.1:8888\r\n").c_str(), &p, 0, nullptr, &h),
      0u)
      << rasmand_log();
  EXPECT_NE(fetch().find("hello through sstp"), std::string::npos);
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  stop_process(proxy);
  std::string said = slurp(log);
  EXPECT_NE(said.find("vpn.openras.test"), std::string::npos) << said;
  // A proxy that refuses the tunnel (the port is not allowed) is the server refusing us.
  std::ofstream(conf) << "Port 8888\nListen 127.0.0.1\nLogFile \"" << log
                      << "\"\nAllow 127.0.0.1\nConnectPort 8443\n";
  proxy = spawn({"ip", "netns", "exec", peer_->client_netns(), "tinyproxy", "-d", "-c", conf});
  for (int i = 0;
       i < 200 &&
       run_in_netns(peer_->client_netns(), "ss -tln").find("127.0.0.1:8888") == std::string::npos;
       ++i) {
    usleep(10000);
  }
  expect_dial_fails(phonebook("OpenRasProxy=127.0.0.1:8888\r\n"), ERROR_VPN_REFUSED);
  stop_process(proxy);
}

// A split tunnel with the entry's own routes (Add-VpnConnectionRoute) and DNS suffix: the
// routes go through the tunnel and nothing else does; the suffix is the search domain of the
// tunnel's name servers; all of it goes with the connection.
TEST_F(SstpE2E, EntryRoutesAndDnsSuffixComeAndGoWithTheConnection) {
  ASSERT_TRUE(peer_->start_server());
  const std::string zeros(40, '0');
  // 172.16.0.0/12 and 198.51.100.0/24, metric 1, over two Routes= lines as Windows wraps them.
  const std::string routes =
      "01000000020000000C000000AC100000" + zeros + "010000000200000018000000C6336400" + zeros;
  std::string pbk =
      phonebook(std::vector<std::string>{"Office"}, SstpPeer::kHost,
                "IpPrioritizeRemote=0\r\nIpDnsSuffix=corp.example\r\nNumRoutes=2\r\n"
                "Routes=" +
                    routes.substr(0, 128) + "\r\nRoutes=" + routes.substr(128) + "\r\n");
  auto p = params("Office");
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h), 0u) << rasmand_log();
  auto show = [&](const char* what) {
    return run_in_netns(peer_->client_netns(), std::string("ip route show ") + what);
  };
  EXPECT_NE(show("172.16.0.0/12").find("dev Office"), std::string::npos) << show("");
  EXPECT_NE(show("198.51.100.0/24").find("dev Office"), std::string::npos) << show("");
  EXPECT_EQ(show("default").find("dev Office"), std::string::npos) << "a split tunnel";
  std::string resolv = slurp(resolv_);
  EXPECT_NE(resolv.find("nameserver 192.168.40.1"), std::string::npos) << resolv;
  EXPECT_NE(resolv.find("search corp.example"), std::string::npos) << resolv;
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_EQ(show("172.16.0.0/12"), "");
  EXPECT_EQ(show("198.51.100.0/24"), "");
  EXPECT_EQ(slurp(resolv_), "nameserver 192.0.2.53\n");
}

// Two connections that both take the default route: the newest wins, and when it goes the
// first one's is still there; the server's host route lives until the last one goes.
TEST_F(SstpE2E, DefaultRoutesOfTwoConnectionsStack) {
  ASSERT_TRUE(peer_->start_server());
  std::string pbk = phonebook(std::vector<std::string>{"First", "Second"}, SstpPeer::kHost);
  auto first = params("First"), second = params("Second");
  HRASCONN h1 = nullptr, h2 = nullptr;
  ASSERT_EQ(RasDialA(nullptr, pbk.c_str(), &first, 0, nullptr, &h1), 0u) << rasmand_log();
  ASSERT_EQ(RasDialA(nullptr, pbk.c_str(), &second, 0, nullptr, &h2), 0u) << rasmand_log();
  auto route = [&](const char* what) {
    return run_in_netns(peer_->client_netns(), std::string("ip route show ") + what);
  };
  std::string defaults = route("default");
  EXPECT_NE(defaults.find("dev First"), std::string::npos) << defaults;
  EXPECT_NE(defaults.find("dev Second"), std::string::npos) << defaults;
  // Where an address only the default route covers would go (ip route get sends nothing).
  auto via = [&] { return run_in_netns(peer_->client_netns(), "ip route get 192.0.2.1"); };
  EXPECT_NE(via().find("dev Second"), std::string::npos) << via();
  ASSERT_EQ(RasHangUpA(h2), 0u);
  EXPECT_TRUE(wait_until_gone(h2));
  EXPECT_NE(via().find("dev First"), std::string::npos) << route("");
  EXPECT_NE(route("10.201.0.2").find("dev v0"), std::string::npos);
  EXPECT_NE(fetch().find("hello through sstp"), std::string::npos);
  ASSERT_EQ(RasHangUpA(h1), 0u);
  EXPECT_TRUE(wait_until_gone(h1));
  EXPECT_EQ(route("default"), "");
  EXPECT_EQ(route("10.201.0.2"), "");
}

// rasmand dies with the tunnel up: the host route it pinned to the server and its resolv.conf
// block would outlive it; the next instance removes both (its journal says they were ours).
TEST_F(SstpE2E, AfterACrashTheNextInstanceRemovesTheServersHostRouteAndDns) {
  ASSERT_TRUE(peer_->start_server());
  auto route = [&] { return run_in_netns(peer_->client_netns(), "ip route show 10.201.0.2"); };
  const std::string resolv_before = slurp(resolv_);
  ASSERT_EQ(route(), "");
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 0, nullptr, &h), 0u) << rasmand_log();
  ASSERT_NE(route().find("dev v0"), std::string::npos) << "no host route pinned";
  ASSERT_NE(slurp(resolv_), resolv_before);
  kill_and_restart_rasmand();
  RASCONNA conns[2]{};
  conns[0].dwSize = sizeof(RASCONNA);
  DWORD cb = sizeof(conns), count = 0;
  ASSERT_EQ(RasEnumConnectionsA(conns, &cb, &count), 0u);  // served: recovery is done
  EXPECT_EQ(route(), "") << "the pinned host route outlived its daemon";
  EXPECT_EQ(slurp(resolv_), resolv_before);
  EXPECT_TRUE(interface_gone()) << links();
  // The route that was there before the dial (the namespace's own) is untouched.
  EXPECT_NE(run_in_netns(peer_->client_netns(), "ip route get 10.201.0.2").find("dev v0"),
            std::string::npos);
}

TEST_F(SstpE2E, ServerKilledMidDialIsVpnDisconnect) {
  ASSERT_TRUE(peer_->start_server({"--hostile", "silent"}));  // never acknowledges the call
  g_last.clear();
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 1,
                     reinterpret_cast<LPVOID>(&record_notification), &h),
            0u);
  for (int i = 0; i < 300 && peer_->server_log().find("staying silent") == std::string::npos; ++i) {
    RasDispatchNotifications(10);
  }
  peer_->stop_server();
  for (int i = 0; i < 300 && g_last[h].second == 0; ++i) RasDispatchNotifications(10);
  EXPECT_EQ(g_last[h].first, RASCS_ConnectDevice);
  EXPECT_EQ(g_last[h].second, static_cast<DWORD>(ERROR_VPN_DISCONNECT));
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone());
}

TEST_F(SstpE2E, ServerKilledAfterConnectIsDisconnectedAndCleansUp) {
  ASSERT_TRUE(peer_->start_server());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 0, nullptr, &h), 0u);
  EXPECT_FALSE(interface_gone());
  peer_->stop_server();
  const PolledStatus polled = wait_until_disconnected(h, 3000);
  ASSERT_EQ(polled.call, 0u);
  const RASCONNSTATUSA& st = polled.status;
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_VPN_DISCONNECT));
  EXPECT_TRUE(interface_gone()) << links();
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
}

// A server that freezes with the TLS connection open (no FIN, no RST): LCP echo inside the
// tunnel finds it in the entry's time (1 s x 2 here; 10 s x 3, 40 s, by default), not the
// two minutes of SSTP's own hello timer.
TEST_F(SstpE2E, AFrozenServerIsALinkFailureFoundByLcpEcho) {
  ASSERT_TRUE(peer_->start_server());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr,
                     phonebook("OpenRasLcpEchoSeconds=1\r\nOpenRasLcpEchoFailures=2\r\n").c_str(),
                     &p, 0, nullptr, &h),
            0u)
      << rasmand_log();
  peer_->freeze_server();
  const PolledStatus polled = wait_until_disconnected(h, 10000);
  ASSERT_EQ(polled.call, 0u);
  const RASCONNSTATUSA& st = polled.status;
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected);
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_LINK_FAILURE)) << rasmand_log();
  EXPECT_TRUE(interface_gone()) << links();
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(SstpE2E, HostileServersGetClearCodes) {
  const std::pair<const char*, DWORD> cases[] = {
      {"garbage", ERROR_UNRECOGNIZED_RESPONSE},
      {"http-error", ERROR_VPN_REFUSED},
      {"nak", ERROR_VPN_REFUSED},
      {"bad-packet", ERROR_UNRECOGNIZED_RESPONSE},
  };
  for (auto [mode, error] : cases) {
    SCOPED_TRACE(mode);
    ASSERT_TRUE(peer_->start_server({"--hostile", mode}));
    expect_dial_fails(phonebook("OpenRasSstpNegotiationSeconds=5\r\n"), error);
  }
  // The daemon is still there and dials the real thing afterwards.
  ASSERT_TRUE(peer_->start_server());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 0, nullptr, &h), 0u);
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
}

TEST_F(SstpE2E, SilentServerTimesOut) {
  ASSERT_TRUE(peer_->start_server({"--hostile", "silent"}));
  expect_dial_fails(phonebook("OpenRasSstpNegotiationSeconds=1\r\n"), ERROR_VPN_TIMEOUT);
}

// Megabytes of random data through the tunnel and back, compared octet for octet: upward
// rasmand reads TCP super-packets from its TUN and cuts them, downward it merges the segments
// it receives into super-packets for its TUN (and the test server does the reverse).
TEST_F(SstpE2E, BulkDataCrossesTheTunnelIntactBothWays) {
  ASSERT_TRUE(peer_->start_server());
  auto p = params();
  HRASCONN h = nullptr;
  ASSERT_EQ(RasDialA(nullptr, phonebook().c_str(), &p, 0, nullptr, &h), 0u) << rasmand_log();
  expect_bulk_data_intact(peer_->server_netns());
  ASSERT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
}

// Twenty calls from one rasmand to one server at once, every one carrying its own traffic.

TEST_F(SstpE2E, TwentyConnectionsAtOnceAllCarryTraffic) {
  ASSERT_TRUE(peer_->start_server());
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("Sstp" + std::to_string(i));
  std::string pbk = phonebook(names, SstpPeer::kHost, "IpPrioritizeRemote=0\r\n");
  g_last.clear();
  std::vector<HRASCONN> handles;
  for (const auto& name : names) {
    auto p = params(name.c_str());
    HRASCONN h = nullptr;
    ASSERT_EQ(
        RasDialA(nullptr, pbk.c_str(), &p, 1, reinterpret_cast<LPVOID>(&record_notification), &h),
        0u);
    handles.push_back(h);
  }
  auto all_done = [&] {
    for (auto h : handles) {
      auto it = g_last.find(h);
      if (it == g_last.end() || (it->second.first != RASCS_Connected && it->second.second == 0)) {
        return false;
      }
    }
    return true;
  };
  for (int i = 0; i < 300 && !all_done(); ++i) RasDispatchNotifications(50);
  for (auto h : handles) {
    EXPECT_EQ(g_last[h].first, RASCS_Connected);
    EXPECT_EQ(g_last[h].second, 0u);
  }
  for (const auto& name : names) {
    std::string page = fetch(name);
    EXPECT_NE(page.find("hello through sstp"), std::string::npos) << name << "[" << page << "]";
  }
  std::string log = peer_->server_log();
  std::size_t bindings = 0;
  for (std::size_t at = 0; (at = log.find("binding ok", at)) != std::string::npos; ++at) ++bindings;
  EXPECT_EQ(bindings, 20u);
  for (auto h : handles) EXPECT_EQ(RasHangUpA(h), 0u);
  for (auto h : handles) EXPECT_TRUE(wait_until_gone(h));
  EXPECT_EQ(links().find("Sstp"), std::string::npos) << links();
}

}  // namespace
}  // namespace openras::testing
