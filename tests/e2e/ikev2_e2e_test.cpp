// IKEv2 end to end against strongSwan 5.9.8 from Debian (charon with kernel-libipsec, the
// responder of ../shared/peers-ipsec.md) in a server namespace: rasmand in the client
// namespace dials with EAP-MSCHAPv2 (the server proved by its certificate) and with a
// pre-shared key saved by RasSetCredentials, gets an address and name servers from the
// configuration payload, carries HTTP through ESP in UDP and deletes the SA on hang-up.
// Each failure has the code Windows gives: a wrong password 691, a wrong key or an untrusted
// or misnamed server 13801, a silent server 809, a server that deletes the SA 629.
#include <chrono>
#include <thread>

#include "../peers/strongswan_peer.hpp"
#include "vpn_fixture.hpp"

namespace openras::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kIkev2 =
    "VpnStrategy=7\r\nMEDIA=rastapi\r\nPort=VPN1-0\r\nDevice=WAN Miniport (IKEv2)\r\n";
// RASEO2_UsePreSharedKeyForIkev2Initiator, as the client library keeps it.
constexpr const char* kPskOption = "OpenRasOptions2=800000\r\n";

class Ikev2E2E : public VpnDialFixture {
 protected:
  void SetUp() override {
    std::string why;
    if (!StrongSwanPeer::available(&why)) GTEST_SKIP() << why;
    peer_ = std::make_unique<StrongSwanPeer>();
    ASSERT_TRUE(peer_->ready());
    ASSERT_TRUE(peer_->start(options())) << slurp(peer_->dir() + "/charon/charon.out");
    // rasmand's "system" trust store: the test CA.
    setenv("SSL_CERT_FILE", trust_store().c_str(), 1);
    start_rasmand(peer_->client_netns(), {"--verbose"});
    unsetenv("SSL_CERT_FILE");
  }
  void TearDown() override {
    stop_rasmand();
    peer_.reset();
  }
  virtual CharonOptions options() const { return {}; }
  virtual std::string trust_store() const { return peer_->ca_file(); }

  std::string entry(const std::string& name, const std::string& extra = "",
                    const std::string& server = NetnsPair::kHost) {
    return phonebook(name, kIkev2, server, extra);
  }
  HRASCONN dial_ok(const std::string& pbk, const char* name, const char* password = "secret") {
    auto p = params(name, password);
    HRASCONN h = nullptr;
    const DWORD rc = RasDialA(nullptr, pbk.c_str(), &p, 0, nullptr, &h);
    EXPECT_EQ(rc, 0u) << rasmand_log() << peer_->log();
    return rc == 0 ? h : nullptr;
  }
  std::string resolv() const { return slurp(resolv_); }
  // Ends with the connection gone and nothing of it left on the host.
  void hang_up_clean(HRASCONN h, const char* name) {
    EXPECT_EQ(RasHangUpA(h), 0u);
    EXPECT_TRUE(wait_until_gone(h));
    EXPECT_TRUE(interface_gone(name)) << links();
    EXPECT_EQ(resolv().find("10.98.0.53"), std::string::npos) << resolv();
    EXPECT_EQ(run_in_netns(client_ns_, "ip route show").find("default dev"), std::string::npos);
  }
  // The server's SA list, until `wanted` is (or is not) in it.
  bool server_sas_contain(const std::string& text, bool wanted, int seconds = 5) {
    for (int i = 0; i < seconds * 20; ++i) {
      if ((peer_->swanctl("--list-sas").find(text) != std::string::npos) == wanted) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::unique_ptr<StrongSwanPeer> peer_;
};

TEST_F(Ikev2E2E, PreSharedKeyConnectsCarriesHttpAndHangsUpClean) {
  auto pbk = entry("ikepsk", kPskOption);
  save_psk(pbk, "ikepsk", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk, "ikepsk");
  ASSERT_NE(h, nullptr);
  RASPPPIPA ip{};
  ip.dwSize = sizeof ip;
  DWORD size = sizeof ip;
  ASSERT_EQ(RasGetProjectionInfoA(h, RASP_PppIp, &ip, &size), 0u);
  EXPECT_EQ(std::string(ip.szIpAddress).rfind("10.99.0.", 0), 0u) << ip.szIpAddress;
  EXPECT_NE(resolv().find("nameserver 10.98.0.53"), std::string::npos) << resolv();
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof ex;
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.type, PROJECTION_INFO_TYPE_IKEv2);
  EXPECT_EQ(ex.ikev2.dwAuthenticationProtocol, static_cast<DWORD>(RASIKEv2_AUTH_PSK));
  EXPECT_EQ(ex.ikev2.dwEncryptionMethod, 3u);  // AES-128 (strongSwan takes AES-GCM-16-128)
  const auto& a = ex.ikev2.ipv4Address;
  EXPECT_EQ(std::to_string(a.a) + "." + std::to_string(a.b) + "." + std::to_string(a.c) + "." +
                std::to_string(a.d),
            std::string(ip.szIpAddress));
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  EXPECT_TRUE(server_sas_contain("ESTABLISHED", true));
  hang_up_clean(h, "ikepsk");
  // The Delete reached the server: its SA is gone too.
  EXPECT_TRUE(server_sas_contain("ESTABLISHED", false)) << peer_->swanctl("--list-sas");
}

TEST_F(Ikev2E2E, EapMsChapV2WithTheServersCertificateConnects) {
  auto pbk = entry("ikeeap");
  HRASCONN h = dial_ok(pbk, "ikeeap");
  ASSERT_NE(h, nullptr);
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  EXPECT_NE(peer_->log().find("EAP method EAP_MSCHAPV2 succeeded"), std::string::npos);
  hang_up_clean(h, "ikeeap");
}

TEST_F(Ikev2E2E, TheMachineCertificateAuthenticatesAndItsAbsenceIs13806) {
  // RASEO2_RequireMachineCertificates, as the client library keeps it.
  auto pbk = entry("ikecert", "OpenRasOptions2=400000\r\n");
  expect_dial_fails(pbk, "ikecert", ERROR_IPSEC_IKE_NO_CERT);  // none in the store yet
  const std::string store = dir_ + "/state/machine";
  std::filesystem::create_directories(store);
  std::filesystem::copy_file(peer_->client_cert_file(), store + "/ikev2.pem");
  std::filesystem::copy_file(peer_->client_key_file(), store + "/ikev2.key");
  HRASCONN h = dial_ok(pbk, "ikecert");
  ASSERT_NE(h, nullptr);
  RAS_PROJECTION_INFO ex{};
  ex.version = RASAPIVERSION_CURRENT;
  DWORD ex_size = sizeof ex;
  ASSERT_EQ(RasGetProjectionInfoEx(h, &ex, &ex_size), 0u);
  EXPECT_EQ(ex.ikev2.dwAuthenticationProtocol,
            static_cast<DWORD>(RASIKEv2_AUTH_MACHINECERTIFICATES));
  // The request with our certificate does not fit 1,280 octets: it left as IKEv2 fragments
  // (RFC 7383), which the server put together.
  const std::string ours = rasmand_log();
  std::size_t fragments = 0;
  for (auto at = ours.find("tx IKE_AUTH request 1 ("); at != std::string::npos;
       at = ours.find("tx IKE_AUTH request 1 (", at + 1)) {
    if (ours.compare(ours.find(')', at) - 3, 3, "SKF") == 0) ++fragments;
  }
  EXPECT_GE(fragments, 2u) << ours;
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  const std::string log = peer_->log();
  EXPECT_NE(log.find("authentication of 'C=XX, O=Test, CN=laptop.openras.test' with RSA"),
            std::string::npos)
      << log;
  hang_up_clean(h, "ikecert");
}

TEST_F(Ikev2E2E, AnEcdsaMachineCertificateAuthenticatesToo) {
  auto pbk = entry("ikeecdsa", "OpenRasOptions2=400000\r\n");
  const std::string store = dir_ + "/state/machine";
  std::filesystem::create_directories(store);
  std::filesystem::copy_file(peer_->ecdsa_cert_file(), store + "/ikev2.pem");
  std::filesystem::copy_file(peer_->ecdsa_key_file(), store + "/ikev2.key");
  HRASCONN h = dial_ok(pbk, "ikeecdsa");
  ASSERT_NE(h, nullptr);
  const std::string log = peer_->log();
  EXPECT_NE(log.find("authentication of 'C=XX, O=Test, CN=tablet.openras.test' with ECDSA"),
            std::string::npos)
      << log;
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  hang_up_clean(h, "ikeecdsa");
}

TEST_F(Ikev2E2E, WrongPasswordIs691) {
  auto pbk = entry("ikebadpw");
  expect_dial_fails(pbk, "ikebadpw", ERROR_AUTHENTICATION_FAILURE, "wrong");
}

TEST_F(Ikev2E2E, WrongPreSharedKeyIs13801) {
  auto pbk = entry("ikebadpsk", kPskOption);
  save_psk(pbk, "ikebadpsk", "not-the-key");
  expect_dial_fails(pbk, "ikebadpsk", ERROR_IPSEC_IKE_AUTH_FAIL);
}

TEST_F(Ikev2E2E, AServerNotNamedByItsCertificateIsRefusedUnlessTheEntrySaysNotToCheck) {
  std::ofstream("/etc/netns/" + client_ns_ + "/hosts", std::ios::app)
      << NetnsPair::kServerAddress << " other.openras.test\n";
  auto pbk = entry("ikename", "", "other.openras.test");
  expect_dial_fails(pbk, "ikename", ERROR_IPSEC_IKE_AUTH_FAIL);
  auto pbk2 = entry("ikenocheck", "DisableIKENameEkuCheck=1\r\n", "other.openras.test");
  HRASCONN h = dial_ok(pbk2, "ikenocheck");
  ASSERT_NE(h, nullptr);
  hang_up_clean(h, "ikenocheck");
}

TEST_F(Ikev2E2E, ASilentServerIs809) {
  peer_->freeze();
  auto pbk = entry("ikesilent", "OpenRasIkeTransmissions=3\r\n");
  const auto t0 = std::chrono::steady_clock::now();
  expect_dial_fails(pbk, "ikesilent", ERROR_VPN_TIMEOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
}

TEST_F(Ikev2E2E, AServerThatDeletesTheSaEndsTheConnectionWith629) {
  auto pbk = entry("ikedel", kPskOption);
  save_psk(pbk, "ikedel", StrongSwanPeer::kPsk);
  last_notifications().clear();
  auto p = params("ikedel");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, pbk.c_str(), &p, 1, reinterpret_cast<LPVOID>(&record_notification), &h),
      0u);
  for (int i = 0; i < 500 && last_notifications()[h].first != RASCS_Connected; ++i) {
    RasDispatchNotifications(10);
  }
  ASSERT_EQ(last_notifications()[h].first, RASCS_Connected) << rasmand_log();
  const std::string terminated = peer_->swanctl("--terminate --ike psk");
  RASCONNSTATUSA st{};
  st.dwSize = sizeof st;
  for (int i = 0; i < 500; ++i) {
    ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
    if (st.rasconnstate == RASCS_Disconnected) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected) << terminated << rasmand_log();
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_REMOTE_DISCONNECTION));
  // Our answer to its Delete reached the server: no retransmission of it.
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(peer_->log().find("retransmit 1 of request"), std::string::npos) << peer_->log();
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone("ikedel")) << links();
}

TEST_F(Ikev2E2E, CharonKilledAfterConnectIsALinkFailureFoundByLiveness) {
  auto pbk = entry("ikekill", std::string(kPskOption) +
                                  "OpenRasIkeLivenessSeconds=5\r\nOpenRasIkeTransmissions=3\r\n");
  save_psk(pbk, "ikekill", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk, "ikekill");
  ASSERT_NE(h, nullptr);
  peer_->kill_hard();
  RASCONNSTATUSA st{};
  st.dwSize = sizeof st;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
    if (st.rasconnstate == RASCS_Disconnected) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(st.rasconnstate, RASCS_Disconnected) << rasmand_log();
  EXPECT_EQ(st.dwError, static_cast<DWORD>(ERROR_LINK_FAILURE));
  // Five quiet seconds, then 0.5 + 1 + 2 s of unanswered checks.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 15s);
  hang_up_clean(h, "ikekill");
}

TEST_F(Ikev2E2E, CharonKilledMidDialIsAnIkeTimeout) {
  // A wrong password: charon holds its MS-CHAPv2 answer back for 2 s, and dies meanwhile.
  auto pbk = entry("ikemid", "OpenRasIkeTransmissions=3\r\n");
  last_notifications().clear();
  auto p = params("ikemid", "wrong");
  HRASCONN h = nullptr;
  ASSERT_EQ(
      RasDialA(nullptr, pbk.c_str(), &p, 1, reinterpret_cast<LPVOID>(&record_notification), &h),
      0u);
  for (int i = 0; i < 300 && last_notifications()[h].first != RASCS_Authenticate; ++i) {
    RasDispatchNotifications(10);
  }
  ASSERT_EQ(last_notifications()[h].first, RASCS_Authenticate) << rasmand_log();
  std::this_thread::sleep_for(300ms);
  peer_->kill_hard();
  for (int i = 0; i < 1000 && last_notifications()[h].second == 0; ++i)
    RasDispatchNotifications(10);
  EXPECT_EQ(last_notifications()[h].second, static_cast<DWORD>(ERROR_IPSEC_IKE_TIMED_OUT))
      << rasmand_log();
  EXPECT_EQ(RasHangUpA(h), 0u);
  EXPECT_TRUE(wait_until_gone(h));
  EXPECT_TRUE(interface_gone("ikemid")) << links();
}

TEST_F(Ikev2E2E, ThirtyPercentLossEachWayStillConnects) {
  std::string relay_log = dir_ + "/relay.log";
  pid_t relay = spawn(
      {"ip", "netns", "exec", client_ns_, OPENRAS_UDP_RELAY_PATH, "--listen", "127.0.0.1:14500",
       "--to", std::string(NetnsPair::kServerAddress) + ":4500", "--loss", "0.3", "--seed", "7"},
      relay_log);
  for (int i = 0; i < 200 && slurp(relay_log).find("ready") == std::string::npos; ++i) usleep(5000);
  auto pbk = entry("ikeloss", std::string(kPskOption) + "OpenRasIkeTransmissions=9\r\n",
                   "127.0.0.1:14500");
  save_psk(pbk, "ikeloss", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk, "ikeloss");
  ASSERT_NE(h, nullptr);
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  hang_up_clean(h, "ikeloss");
  stop_process(relay);
  const std::string counts = slurp(relay_log);
  std::printf("relay: %s", counts.c_str());
  EXPECT_EQ(counts.find("dropped=0"), std::string::npos) << counts;
}

class Ikev2RekeyE2E : public Ikev2E2E {
 protected:
  CharonOptions options() const override {
    CharonOptions o;
    o.child_lifetime = "3s";
    return o;
  }
};

TEST_F(Ikev2RekeyE2E, ChildSasRekeyedByTheServerUnderTrafficLoseNothing) {
  auto pbk = entry("ikerekey", kPskOption);
  save_psk(pbk, "ikerekey", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk, "ikerekey");
  ASSERT_NE(h, nullptr);
  // Ten seconds of pings through the tunnel: three rekeys or more on the way.
  const std::string ping = run_in_netns(
      client_ns_, std::string("ping -n -q -i 0.1 -c 100 -W 1 ") + NetnsPair::kBehindServer);
  EXPECT_NE(ping.find(" 0% packet loss"), std::string::npos) << ping << rasmand_log();
  const std::string log = peer_->log();
  std::size_t rekeys = 0;
  const std::string answered = "parsed CREATE_CHILD_SA response";
  for (std::size_t at = log.find(answered); at != std::string::npos;
       at = log.find(answered, at + 1)) {
    ++rekeys;
  }
  EXPECT_GE(rekeys, 2u) << log;
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  hang_up_clean(h, "ikerekey");
}

class Ikev2IkeRekeyE2E : public Ikev2E2E {
 protected:
  CharonOptions options() const override {
    CharonOptions o;
    o.ike_lifetime = "3s";
    return o;
  }
};

TEST_F(Ikev2IkeRekeyE2E, IkeSasRekeyedByTheServerKeepTheCallUpAndItsDeleteWorks) {
  auto pbk = entry("ikeikerekey", kPskOption);
  save_psk(pbk, "ikeikerekey", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk, "ikeikerekey");
  ASSERT_NE(h, nullptr);
  const std::string ping = run_in_netns(
      client_ns_, std::string("ping -n -q -i 0.1 -c 80 -W 1 ") + NetnsPair::kBehindServer);
  EXPECT_NE(ping.find(" 0% packet loss"), std::string::npos) << ping << rasmand_log();
  const std::string log = peer_->log();
  EXPECT_NE(log.find("IKE_SA psk[3] rekeyed"), std::string::npos) << log;  // twice at least
  EXPECT_EQ(log.find("retransmit"), std::string::npos) << log;
  RASCONNSTATUSA st{};
  st.dwSize = sizeof st;
  ASSERT_EQ(RasGetConnectStatusA(h, &st), 0u);
  EXPECT_EQ(st.rasconnstate, RASCS_Connected);
  hang_up_clean(h, "ikeikerekey");
  // Our Delete went on the newest IKE SA: the server has none left.
  EXPECT_TRUE(server_sas_contain("ESTABLISHED", false)) << peer_->swanctl("--list-sas");
}

TEST_F(Ikev2E2E, OurOwnRekeysOfBothSasUnderTrafficLoseNothing) {
  auto pbk =
      entry("ikeownrekey", std::string(kPskOption) +
                               "OpenRasIkeChildRekeySeconds=2\r\nOpenRasIkeRekeySeconds=3\r\n");
  save_psk(pbk, "ikeownrekey", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk, "ikeownrekey");
  ASSERT_NE(h, nullptr);
  const std::string ping = run_in_netns(
      client_ns_, std::string("ping -n -q -i 0.1 -c 80 -W 1 ") + NetnsPair::kBehindServer);
  EXPECT_NE(ping.find(" 0% packet loss"), std::string::npos) << ping << rasmand_log();
  const std::string log = peer_->log();
  auto count = [&](const std::string& what) {
    std::size_t n = 0;
    for (auto at = log.find(what); at != std::string::npos; at = log.find(what, at + 1)) ++n;
    return n;
  };
  // The server answered our CREATE_CHILD_SA requests (CHILD_SAs and the IKE SA) and deleted
  // what they replaced.
  EXPECT_GE(count("parsed CREATE_CHILD_SA request"), 3u) << log;
  EXPECT_GE(count("received DELETE for ESP CHILD_SA"), 1u) << log;
  EXPECT_GE(count("received DELETE for IKE_SA"), 1u) << log;
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  hang_up_clean(h, "ikeownrekey");
  EXPECT_TRUE(server_sas_contain("ESTABLISHED", false)) << peer_->swanctl("--list-sas");
}

// A server that takes only Windows' legacy suite (AES-256, SHA-1, DH group 2).
class Ikev2LegacyE2E : public Ikev2E2E {
 protected:
  CharonOptions options() const override {
    CharonOptions o;
    o.ike_proposals = "aes256-sha1-modp1024";
    return o;
  }
};

TEST_F(Ikev2LegacyE2E, NoProposalInCommonIs13868AndAnEntryAskingForGroupTwoConnects) {
  auto pbk = entry("ikemodern", kPskOption);
  save_psk(pbk, "ikemodern", StrongSwanPeer::kPsk);
  expect_dial_fails(pbk, "ikemodern", ERROR_IPSEC_IKE_POLICY_MATCH);
  auto pbk2 = entry("ikelegacy", std::string(kPskOption) + "OpenRasIkeDhGroups=2\r\n");
  save_psk(pbk2, "ikelegacy", StrongSwanPeer::kPsk);
  HRASCONN h = dial_ok(pbk2, "ikelegacy");
  ASSERT_NE(h, nullptr);
  EXPECT_NE(peer_->log().find("MODP_1024"), std::string::npos);
  EXPECT_NE(fetch().find("hello through ikev2"), std::string::npos) << rasmand_log();
  hang_up_clean(h, "ikelegacy");
}

class Ikev2UntrustedE2E : public Ikev2E2E {
 protected:
  std::string trust_store() const override { return peer_->other_ca_file(); }
};

TEST_F(Ikev2UntrustedE2E, AServerCertificateFromAnUntrustedCaIs13801) {
  auto pbk = entry("ikeuntrusted");
  expect_dial_fails(pbk, "ikeuntrusted", ERROR_IPSEC_IKE_AUTH_FAIL);
}

}  // namespace
}  // namespace openras::testing
