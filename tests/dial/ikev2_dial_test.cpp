// Ikev2Dial in virtual time against the in-repo IKEv2 responder: the RASCONNSTATE sequence of
// a PSK dial, the UDP port it asks for (the server's 4500, a refusal final before any answer),
// the network it configures (the CP address and name server, the server's traffic selectors
// as routes where the entry says PlumbIKEv2TSAsRoutes), IP packets through ESP both ways, and
// a hang-up that deletes the SA before letting the port go.
#include "dial/ikev2_dial.hpp"

#include <gtest/gtest.h>

#include "../ike/test_responder.hpp"
#include "phonebook/entry.hpp"
#include "ras.h"
#include "raserror.h"

namespace openras::dial {
namespace {

struct DialRecord {
  std::vector<std::uint32_t> states;
  std::optional<PortRequest> port;
  std::optional<NetworkRequest> network;
  bool released = false, finished = false;
  std::uint32_t error = 0;
};

class Ikev2DialTest : public ::testing::Test {
 protected:
  std::unique_ptr<DialMachine> make(const std::string& extra = "") {
    auto parsed = phonebook::entry_from_text(
        "[Work]\nType=2\nIpPrioritizeRemote=0\nOpenRasOptions2=800000\n" + extra +
        "VpnStrategy=7\nMEDIA=rastapi\nDevice=WAN Miniport (IKEv2)\nDEVICE=vpn\n"
        "PhoneNumber=192.0.2.7\n");
    EXPECT_TRUE(parsed.entry);
    DialParams params;
    params.credentials.pre_shared_key = "sesame";
    auto made = make_dial_machine(*parsed.entry, params);
    EXPECT_TRUE(made.machine) << made.error;
    return std::move(made.machine);
  }
  void drain(DialMachine& m) {
    while (auto o = m.poll_output()) {
      if (auto* e = std::get_if<DialEvent>(&*o)) {
        run_.states.push_back(e->state);
        if (e->error) run_.error = e->error;
      }
      if (auto* p = std::get_if<PortRequest>(&*o)) run_.port = *p;
      if (auto* n = std::get_if<NetworkRequest>(&*o)) run_.network = *n;
      if (std::holds_alternative<PortReleased>(*o)) run_.released = true;
      if (std::holds_alternative<Finished>(*o)) run_.finished = true;
    }
  }
  // Carries datagrams both ways (IKE after the non-ESP marker) until nothing moves.
  void exchange(DialMachine& m) {
    for (int round = 0; round < 20; ++round) {
      bool moved = false;
      ppp::LineBytes d;
      while (m.poll_line(d)) {
        moved = true;
        if (d.size() > 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0) {
          responder_.receive(ike::ByteView(d.data() + 4, d.size() - 4));
        } else if (d.size() > 8 && responder_.esp()) {
          std::vector<std::uint8_t> packet(d.begin(), d.end());
          auto opened = responder_.esp()->open(packet);
          if (opened.verdict == ike::EspSa::Verdict::Ok) {
            delivered_.assign(opened.inner.begin(), opened.inner.end());
          }
        }
        d = {};
      }
      while (!responder_.outbox().empty()) {
        moved = true;
        ike::Bytes r = std::move(responder_.outbox().front());
        responder_.outbox().pop_front();
        ike::Bytes framed{0, 0, 0, 0};
        framed.insert(framed.end(), r.begin(), r.end());
        m.feed_line(framed, now_);
      }
      drain(m);
      if (!moved) return;
    }
  }

  ike::testing::TestResponder responder_;
  TimePoint now_{};
  DialRecord run_;
  std::vector<std::uint8_t> delivered_;
};

TEST_F(Ikev2DialTest, APskDialGoesThroughWindowsStatesAndCarriesPackets) {
  auto m = make("PlumbIKEv2TSAsRoutes=1\n");
  m->start(now_);
  drain(*m);
  ASSERT_TRUE(run_.port);
  EXPECT_EQ(run_.port->kind, PortRequest::Kind::Udp);
  EXPECT_EQ(run_.port->remote_port, 4500);
  EXPECT_TRUE(run_.port->refused_is_final);
  m->port_opened(PortInfo{{}, 0xc0000207}, now_);
  exchange(*m);
  ASSERT_TRUE(run_.network) << run_.error;
  EXPECT_EQ(run_.network->ip, 0x0a630001u);
  EXPECT_EQ(run_.network->dns1, 0x0a620035u);
  EXPECT_EQ(run_.network->mtu, 1400);
  EXPECT_FALSE(run_.network->default_route);
  ASSERT_EQ(run_.network->routes.size(), 1u);  // the server's TSr, 10.0.0.0/8
  EXPECT_EQ(run_.network->routes[0].destination, 0x0a000000u);
  EXPECT_EQ(run_.network->routes[0].prefix_length, 8);
  m->network_ready(0, now_);
  drain(*m);
  const std::vector<std::uint32_t> expected = {
      RASCS_OpenPort,        RASCS_PortOpened,          RASCS_ConnectDevice,
      RASCS_DeviceConnected, RASCS_AllDevicesConnected, RASCS_Authenticate,
      RASCS_Authenticated,   RASCS_Projected,           RASCS_Connected};
  EXPECT_EQ(run_.states, expected);
  auto p = m->projection();
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->ikev2);
  EXPECT_EQ(p->ikev2_auth, static_cast<std::uint32_t>(RASIKEv2_AUTH_PSK));

  std::vector<std::uint8_t> packet(60, 0x5a);
  packet[0] = 0x45;
  ASSERT_TRUE(m->data_path().send_packet(packet));
  exchange(*m);
  EXPECT_EQ(delivered_, packet);
  EXPECT_EQ(m->statistics().frames_sent, 1u);

  m->hang_up(now_);
  exchange(*m);
  EXPECT_TRUE(responder_.ike_deleted());
  EXPECT_TRUE(run_.released);
  EXPECT_TRUE(run_.finished);
}

TEST_F(Ikev2DialTest, WithoutPlumbingTheTrafficSelectorsAreNoRoutes) {
  auto m = make();
  m->start(now_);
  drain(*m);
  m->port_opened(PortInfo{{}, 0xc0000207}, now_);
  exchange(*m);
  ASSERT_TRUE(run_.network);
  EXPECT_TRUE(run_.network->routes.empty());
}

TEST_F(Ikev2DialTest, ARefusalBeforeAnyAnswerIs808AndAfterOneIsTheLineLost) {
  auto m = make();
  m->start(now_);
  drain(*m);
  m->port_opened(PortInfo{{}, 0xc0000207}, now_);
  drain(*m);
  m->line_closed(now_);  // the port reported ICMP "port unreachable"
  drain(*m);
  EXPECT_EQ(run_.error, static_cast<std::uint32_t>(ERROR_VPN_REFUSED));
  EXPECT_TRUE(run_.released);
}

TEST_F(Ikev2DialTest, AnEntryWithoutAKeyOrAGroupWeDoIsRefusedAtOnce) {
  auto parsed = phonebook::entry_from_text(
      "[Work]\nType=2\nOpenRasOptions2=800000\nVpnStrategy=7\nDEVICE=vpn\nPhoneNumber=h\n");
  auto made = make_dial_machine(*parsed.entry, {});
  EXPECT_EQ(made.error, static_cast<std::uint32_t>(ERROR_IPSEC_IKE_AUTH_FAIL));
  auto groups = phonebook::entry_from_text(
      "[Work]\nType=2\nOpenRasIkeDhGroups=5,99\nVpnStrategy=7\nDEVICE=vpn\nPhoneNumber=h\n");
  EXPECT_EQ(make_dial_machine(*groups.entry, {}).error,
            static_cast<std::uint32_t>(ERROR_IPSEC_IKE_POLICY_MATCH));
  auto machine = phonebook::entry_from_text(
      "[Work]\nType=2\nOpenRasOptions2=400000\nVpnStrategy=7\nDEVICE=vpn\nPhoneNumber=h\n");
  EXPECT_EQ(make_dial_machine(*machine.entry, {}).error,
            static_cast<std::uint32_t>(ERROR_IPSEC_IKE_NO_CERT));
}

}  // namespace
}  // namespace openras::dial
