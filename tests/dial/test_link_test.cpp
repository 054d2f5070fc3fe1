#include "dial/test_link.hpp"

#include <gtest/gtest.h>

#include "phonebook/entry.hpp"
#include "ras.h"

namespace openras::dial {
namespace {

phonebook::Entry entry_with(const std::string& keys) {
  auto parsed = phonebook::entry_from_text("[T]\n" + keys);
  return *parsed.entry;
}

// Takes what the machine emitted: its states into `events`; whether it let go of its port
// and whether it finished.
struct Drained {
  bool port_released = false;
  bool finished = false;
};
Drained drain(DialMachine& m, std::vector<DialEvent>& events) {
  Drained d;
  while (auto out = m.poll_output()) {
    if (auto* e = std::get_if<DialEvent>(&*out)) events.push_back(*e);
    if (std::holds_alternative<PortReleased>(*out)) d.port_released = true;
    if (std::holds_alternative<Finished>(*out)) d.finished = true;
  }
  return d;
}

// Runs the machine in virtual time until it has no deadline; returns the states it entered.
std::vector<DialEvent> run(DialMachine& m, TimePoint& now) {
  std::vector<DialEvent> out;
  m.start(now);
  for (int i = 0; i < 100; ++i) {
    drain(m, out);
    auto d = m.next_deadline();
    if (!d) break;
    now = *d;
    m.on_timer(now);
  }
  drain(m, out);
  return out;
}

// The port the machine asks for first, once started.
std::optional<PortRequest> port_request(DialMachine& m) {
  m.start({});
  while (auto out = m.poll_output()) {
    if (auto* port = std::get_if<PortRequest>(&*out)) return *port;
  }
  return std::nullopt;
}

TEST(TestLink, ParsesNamesNumbersAndErrors) {
  auto s = parse_test_script("OpenPort, 1 ,ConnectDevice!676");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->size(), 3u);
  EXPECT_EQ((*s)[1].state, 1u);
  EXPECT_EQ((*s)[2].error, 676u);
  EXPECT_FALSE(parse_test_script("Nonsense"));
  EXPECT_FALSE(parse_test_script("OpenPort!x"));
  EXPECT_FALSE(parse_test_script(""));
}

TEST(TestLink, StepsFollowTheClock) {
  auto e = entry_with("OpenRasTestScript=OpenPort,PortOpened,Connected\nOpenRasTestStepMs=10\n");
  TestLinkDial m(e, {}, *parse_test_script(*e.key("OpenRasTestScript")));
  TimePoint t0{};
  TimePoint now = t0;
  auto events = run(m, now);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events.back().state, static_cast<std::uint32_t>(RASCS_Connected));
  EXPECT_EQ(now - t0, std::chrono::milliseconds(30));
  EXPECT_TRUE(m.projection() == std::nullopt);  // never reached Projected
}

TEST(TestLink, ErrorInAStateIsReportedTwice) {
  auto e = entry_with("OpenRasTestScript=OpenPort,ConnectDevice!679\n");
  TestLinkDial m(e, {}, *parse_test_script(*e.key("OpenRasTestScript")));
  TimePoint now{};
  auto events = run(m, now);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].state, static_cast<std::uint32_t>(RASCS_ConnectDevice));
  EXPECT_EQ(events[1].error, 0u);
  EXPECT_EQ(events[2].error, static_cast<std::uint32_t>(ERROR_NO_CARRIER));
}

TEST(TestLink, ScriptEndingEarlyIsAPppTimeout) {
  auto e = entry_with("OpenRasTestScript=OpenPort,Authenticate\n");
  TestLinkDial m(e, {}, *parse_test_script(*e.key("OpenRasTestScript")));
  TimePoint now{};
  auto events = run(m, now);
  EXPECT_EQ(events.back().error, static_cast<std::uint32_t>(ERROR_PPP_TIMEOUT));
}

TEST(TestLink, HangUpReleasesAfterTheTeardownDelay) {
  auto e = entry_with(
      "OpenRasTestScript=OpenPort,Connected\nOpenRasTestTeardownMs=40\nOpenRasTestStepMs=1\n");
  TestLinkDial m(e, {}, *parse_test_script(*e.key("OpenRasTestScript")));
  TimePoint now{};
  run(m, now);
  m.hang_up(now);
  std::vector<DialEvent> after;
  EXPECT_FALSE(drain(m, after).finished);
  ASSERT_TRUE(m.next_deadline());
  EXPECT_EQ(*m.next_deadline() - now, std::chrono::milliseconds(40));
  m.on_timer(*m.next_deadline());
  auto released = drain(m, after);
  EXPECT_TRUE(released.port_released);
  EXPECT_TRUE(released.finished);
  EXPECT_TRUE(after.empty()) << "a hung-up dial reports no more states";
}

TEST(TestLink, AFailedLinkLetsGoOfItsPortAtOnceAndFinishesOnlyWhenHungUp) {
  auto e = entry_with("OpenRasTestScript=OpenPort,ConnectDevice!679\nOpenRasTestTeardownMs=40\n");
  TestLinkDial m(e, {}, *parse_test_script(*e.key("OpenRasTestScript")));
  TimePoint now{};
  m.start(now);
  std::vector<DialEvent> events;
  Drained seen;
  for (int i = 0; i < 10 && !seen.port_released; ++i) {
    now = *m.next_deadline();
    m.on_timer(now);
    seen = drain(m, events);
  }
  EXPECT_TRUE(seen.port_released);
  EXPECT_FALSE(seen.finished);
  m.hang_up(now);
  m.on_timer(*m.next_deadline());
  EXPECT_TRUE(drain(m, events).finished);
}

TEST(TestLink, PausedRetryAndResume) {
  auto e =
      entry_with("OpenRasTestScript=OpenPort,Authenticate,Connected\nOpenRasTestPassword=pw\n");
  DialParams params;
  params.options = RDEOPT_PausedStates;
  params.credentials.password = "bad";
  TestLinkDial m(e, params, *parse_test_script(*e.key("OpenRasTestScript")));
  TimePoint now{};
  auto events = run(m, now);
  EXPECT_EQ(events.back().state, static_cast<std::uint32_t>(RASCS_RetryAuthentication));
  EXPECT_FALSE(m.next_deadline());
  EXPECT_EQ(m.resume({"", "pw", "", "", ""}, now), 0u);
  std::vector<DialEvent> rest;
  for (int i = 0; i < 10; ++i) {
    drain(m, rest);
    auto d = m.next_deadline();
    if (!d) break;
    m.on_timer(*d);
  }
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().state, static_cast<std::uint32_t>(RASCS_Connected));
  EXPECT_EQ(m.resume({}, now), static_cast<std::uint32_t>(ERROR_INVALID_AUTH_STATE));
}

TEST(TestLink, FactoryRefusesEntriesWithNoLink) {
  for (const char* refused : {"VpnStrategy=1\nMEDIA=rastapi\n", "VpnStrategy=9\nMEDIA=rastapi\n",
                              "VpnStrategy=1\nMEDIA=rastapi\nDevice=WAN Miniport (PPTP)\n"}) {
    auto e = entry_with(std::string("Type=2\n") + refused + "DEVICE=vpn\nPhoneNumber=x\n");
    auto made = make_dial_machine(e, {});
    EXPECT_FALSE(made.machine) << refused;
    EXPECT_EQ(made.error, static_cast<std::uint32_t>(ERROR_DEVICETYPE_DOES_NOT_EXIST)) << refused;
  }
  // IKEv2 alone, or first of the types tried in turn (PPTP first: PPTP is skipped).
  for (const char* ikev2 : {"VpnStrategy=7\nMEDIA=rastapi\n", "VpnStrategy=8\nMEDIA=rastapi\n",
                            "VpnStrategy=14\nMEDIA=rastapi\n", "VpnStrategy=2\nMEDIA=rastapi\n",
                            "MEDIA=rastapi\nDevice=WAN Miniport (IKEv2)\n", "MEDIA=rastapi\n"}) {
    auto e = entry_with(std::string("Type=2\n") + ikev2 + "DEVICE=vpn\nPhoneNumber=x\n");
    auto made = make_dial_machine(e, {});
    ASSERT_TRUE(made.machine) << ikev2;
    EXPECT_EQ(made.machine->device_name(),
              e.device_name.empty() ? "WAN Miniport (IKEv2)" : e.device_name);
  }
  for (const char* sstp : {"VpnStrategy=5\nMEDIA=rastapi\n", "VpnStrategy=6\nMEDIA=rastapi\n",
                           "VpnStrategy=0\nMEDIA=rastapi\nDevice=WAN Miniport (SSTP)\n",
                           "MEDIA=rastapi\nDevice=WAN Miniport (SSTP)\n"}) {
    auto e =
        entry_with(std::string("Type=2\n") + sstp + "DEVICE=vpn\nPhoneNumber=vpn.example.com\n");
    auto made = make_dial_machine(e, {});
    ASSERT_TRUE(made.machine) << sstp;
    EXPECT_EQ(made.machine->device_type(), "vpn");
    auto port = port_request(*made.machine);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->kind, PortRequest::Kind::Tls);
    EXPECT_EQ(port->device, "vpn.example.com");
    EXPECT_EQ(port->remote_port, 443);
  }
  auto bad_server = make_dial_machine(
      entry_with("Type=2\nVpnStrategy=5\nDEVICE=vpn\nPhoneNumber=vpn.example.com:99999\n"), {});
  EXPECT_EQ(bad_server.error, static_cast<std::uint32_t>(ERROR_BAD_ADDRESS_SPECIFIED));
  auto bad_pin = make_dial_machine(
      entry_with(
          "Type=2\nVpnStrategy=5\nOpenRasCertificateSha256=abc\nDEVICE=vpn\nPhoneNumber=h\n"),
      {});
  EXPECT_EQ(bad_pin.error, static_cast<std::uint32_t>(ERROR_CORRUPT_PHONEBOOK));
  auto broken = make_dial_machine(entry_with("OpenRasTestScript=Bogus\n"), {});
  EXPECT_EQ(broken.error, static_cast<std::uint32_t>(ERROR_CORRUPT_PHONEBOOK));
}

TEST(TestLink, FactoryPicksL2tpAndRefusesItsIpsec) {
  for (const char* l2tp : {"VpnStrategy=3\nMEDIA=rastapi\n", "VpnStrategy=4\nMEDIA=rastapi\n",
                           "MEDIA=rastapi\nDevice=WAN Miniport (L2TP)\n"}) {
    auto e = entry_with(std::string("Type=2\n") + l2tp + "DEVICE=vpn\nPhoneNumber=lns.example\n");
    auto made = make_dial_machine(e, {});
    ASSERT_TRUE(made.machine) << l2tp;
    auto port = port_request(*made.machine);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->kind, PortRequest::Kind::Udp);
    EXPECT_EQ(port->device, "lns.example");
    EXPECT_EQ(port->remote_port, 1701);
  }
  auto custom_port = make_dial_machine(
      entry_with("Type=2\nVpnStrategy=3\nDEVICE=vpn\nPhoneNumber=[fd00::1]:1702\n"), {});
  ASSERT_TRUE(custom_port.machine);
  EXPECT_EQ(port_request(*custom_port.machine)->remote_port, 1702);
  // Encryption required (on L2TP only IPsec gives it) or a pre-shared key: no IPsec policy.
  for (const char* ipsec : {"DataEncryption=256\n", "DataEncryption=512\n", "IpSecFlags=1\n"}) {
    auto e = entry_with(std::string("Type=2\nVpnStrategy=3\n") + ipsec +
                        "DEVICE=vpn\nPhoneNumber=lns.example\n");
    auto made = make_dial_machine(e, {});
    EXPECT_FALSE(made.machine) << ipsec;
    EXPECT_EQ(made.error, static_cast<std::uint32_t>(ERROR_OAKLEY_NO_POLICY)) << ipsec;
  }
  auto optional = make_dial_machine(
      entry_with("Type=2\nVpnStrategy=3\nDataEncryption=8\nDEVICE=vpn\nPhoneNumber=h\n"), {});
  EXPECT_TRUE(optional.machine);
  // With a saved pre-shared key, L2TP/IPsec: IKE and ESP to the server's UDP 4500.
  DialParams with_psk;
  with_psk.credentials.pre_shared_key = "vpn";
  for (const char* ipsec : {"IpSecFlags=1\n", "IpSecFlags=1\nDataEncryption=256\n"}) {
    auto made = make_dial_machine(entry_with(std::string("Type=2\nVpnStrategy=3\n") + ipsec +
                                             "DEVICE=vpn\nPhoneNumber=lns.example\n"),
                                  with_psk);
    ASSERT_TRUE(made.machine) << ipsec;
    auto port = port_request(*made.machine);
    ASSERT_TRUE(port);
    EXPECT_EQ(port->kind, PortRequest::Kind::Udp);
    EXPECT_EQ(port->device, "lns.example");
    EXPECT_EQ(port->remote_port, 4500);
    EXPECT_TRUE(port->refused_is_final);
  }
  // Encryption required without a pre-shared key means certificates: not built, no policy,
  // whatever key is saved.
  auto certificates = make_dial_machine(
      entry_with("Type=2\nVpnStrategy=3\nDataEncryption=256\nDEVICE=vpn\nPhoneNumber=h\n"),
      with_psk);
  EXPECT_FALSE(certificates.machine);
  EXPECT_EQ(certificates.error, static_cast<std::uint32_t>(ERROR_OAKLEY_NO_POLICY));
}

}  // namespace
}  // namespace openras::dial
