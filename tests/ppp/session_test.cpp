// Two engines back to back: every authentication method to Opened and IP traffic, and each
// error path ending in its Win32 code.
#include "ppp/session.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "back_to_back.hpp"
#include "raserror.h"

namespace openras::ppp {
namespace {

using testing::client_config;
using testing::Pair;
using testing::server_config;

class EveryMethod : public ::testing::TestWithParam<AuthMethod> {};

TEST_P(EveryMethod, NegotiatesToRunningAndCarriesIp) {
  auto c = client_config();
  c.allowed.eap_mschapv2 = true;
  Pair p(c, server_config({GetParam()}));
  p.start();
  ASSERT_TRUE(p.run_until_up()) << "client error " << p.client_error();
  const auto& n = p.client.negotiated();
  EXPECT_EQ(n.auth, GetParam());
  EXPECT_EQ(n.ip, 0xC0A81E0Au);
  EXPECT_EQ(n.peer_ip, 0xC0A81E01u);
  EXPECT_EQ(n.dns1, 0xC0A81E01u);
  EXPECT_EQ(n.dns2, 0u);  // the server has none: rejected, so "none"
  EXPECT_EQ(p.client.phase(), Phase::Running);
  EXPECT_EQ(p.server.negotiated().peer_user, "alice");
  const bool keyed = GetParam() == AuthMethod::MsChapV2 || GetParam() == AuthMethod::EapMsChapV2;
  EXPECT_EQ(n.mppe_master_key.has_value(), keyed);
  if (keyed) {
    EXPECT_EQ(n.mppe_master_key, p.server.negotiated().mppe_master_key);
  }
  // The event order the dial machine turns into RASCONNSTATEs.
  std::vector<Event::Kind> kinds;
  for (const auto& e : p.client_events) kinds.push_back(e.kind);
  std::vector<Event::Kind> expected = {Event::Kind::LinkEstablished, Event::Kind::AuthStarted,
                                       Event::Kind::AuthSucceeded, Event::Kind::NetworkStarted,
                                       Event::Kind::NetworkUp};
  EXPECT_TRUE(std::search(kinds.begin(), kinds.end(), expected.begin(), expected.end()) !=
              kinds.end());

  Bytes ip_packet = {0x45, 0, 0, 20, 1, 2, 3, 4, 64, 17, 0, 0, 192, 168, 30, 10, 192, 168, 30, 1};
  ASSERT_TRUE(p.client.send_packet(kProtoIp, ip_packet));
  p.run([&] { return false; }, std::chrono::milliseconds(1));
  auto got = p.server.poll_packet();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->protocol, kProtoIp);
  EXPECT_EQ(got->data, ip_packet);
  // And IPv6 came up too: both ends speak IPV6CP here.
  EXPECT_TRUE(n.ipv6_up);
  EXPECT_NE(n.our_interface_id, n.peer_interface_id);
}

INSTANTIATE_TEST_SUITE_P(Auth, EveryMethod,
                         ::testing::Values(AuthMethod::Pap, AuthMethod::ChapMd5,
                                           AuthMethod::MsChapV2, AuthMethod::EapMsChapV2),
                         [](const auto& info) {
                           std::string name = auth_method_name(info.param);
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

// A lost PAP Ack or CHAP Success, and a server that does not answer the retransmission
// (l2tpns): its first NCP packet is the verdict. MS-CHAPv2 must still see its Success.
TEST(Session, LostAuthVerdictIsInferredFromTheServersNcp) {
  for (AuthMethod method : {AuthMethod::Pap, AuthMethod::ChapMd5, AuthMethod::MsChapV2}) {
    Pair p(client_config(), server_config({method}));
    p.filter = [](Bytes& frame, bool to_server) {
      std::size_t at = frame.size() >= 2 && frame[0] == 0xFF && frame[1] == 0x03 ? 2 : 0;
      if (to_server || frame.size() < at + 3) return true;
      std::uint16_t protocol = static_cast<std::uint16_t>((frame[at] << 8) | frame[at + 1]);
      bool verdict = (protocol == kProtoPap && frame[at + 2] == 2) ||  // Authenticate-Ack
                     (protocol == kProtoChap && frame[at + 2] == 3);   // Success
      return !verdict;
    };
    p.start();
    bool up = p.run_until_up();
    EXPECT_EQ(up, method != AuthMethod::MsChapV2) << static_cast<int>(method);
  }
}

TEST(Session, NoAuthenticationAndUnframedLinks) {
  auto c = client_config();
  c.framed = false;
  auto s = server_config({});
  s.framed = false;
  Pair p(c, s);
  p.start();
  ASSERT_TRUE(p.run_until_up());
  EXPECT_EQ(p.client.negotiated().auth, AuthMethod::None);
  // Unframed links never ask for ACCM, PFC or ACFC: frames carry FF 03 and full protocols.
  EXPECT_FALSE(p.client.negotiated().tx_acfc);
  ASSERT_TRUE(p.client.send_packet(kProtoIp, Bytes(20, 0x45)));
  Bytes frame;
  ASSERT_TRUE(p.client.poll_transmit(frame));
  EXPECT_EQ(frame[0], 0xFF);
  EXPECT_EQ(frame[1], 0x03);
  EXPECT_EQ(frame[2], 0x00);
  EXPECT_EQ(frame[3], 0x21);
}

TEST(Session, FramedLinksCompressAfterNegotiation) {
  Pair p(client_config(), server_config({}));
  p.start();
  ASSERT_TRUE(p.run_until_up());
  EXPECT_TRUE(p.client.negotiated().tx_acfc);
  EXPECT_TRUE(p.client.negotiated().tx_pfc);
  EXPECT_EQ(p.client.negotiated().tx_accm, 0u);
  EXPECT_EQ(p.client.negotiated().rx_accm, 0u);
  ASSERT_TRUE(p.client.send_packet(kProtoIp, Bytes(20, 0x45)));
  Bytes frame;
  ASSERT_TRUE(p.client.poll_transmit(frame));
  EXPECT_EQ(frame[0], 0x21);  // no FF 03, one-octet protocol
}

TEST(Session, WrongPasswordIsAuthenticationFailure) {
  for (AuthMethod m :
       {AuthMethod::Pap, AuthMethod::ChapMd5, AuthMethod::MsChapV2, AuthMethod::EapMsChapV2}) {
    auto c = client_config("alice", "wrong");
    c.allowed.eap_mschapv2 = true;
    Pair p(c, server_config({m}));
    p.start();
    p.run([&] { return p.client_finished(); });
    EXPECT_EQ(p.client_error(), static_cast<std::uint32_t>(ERROR_AUTHENTICATION_FAILURE))
        << auth_method_name(m);
  }
}

TEST(Session, NoCommonAuthenticationMethodFails) {
  auto c = client_config();
  c.allowed = {.pap = false, .chap_md5 = false, .mschapv2 = true, .eap_mschapv2 = true};
  Pair p(c, server_config({AuthMethod::Pap}));  // the server will only do PAP
  p.start();
  p.run([&] { return p.client_finished(); });
  EXPECT_EQ(p.client_error(), static_cast<std::uint32_t>(ERROR_AUTHENTICATION_FAILURE));
  EXPECT_FALSE(p.has(p.client_events, Event::Kind::AuthSucceeded));
}

TEST(Session, ClientRefusesPapUnlessAllowedAndServerFallsBack) {
  auto c = client_config();
  c.allowed = {.pap = false, .chap_md5 = false, .mschapv2 = true, .eap_mschapv2 = false};
  // SoftEther's order: it offers something else first, then MS-CHAPv2 on a Nak.
  Pair p(c, server_config({AuthMethod::Pap, AuthMethod::MsChapV2}));
  p.start();
  ASSERT_TRUE(p.run_until_up());
  EXPECT_EQ(p.client.negotiated().auth, AuthMethod::MsChapV2);
}

TEST(Session, EapIsTakenOnlyWhenTheEntryAllowsIt) {
  // SoftEther's order: EAP first, MS-CHAPv2 on a Nak. A default entry Naks EAP.
  Pair naks(client_config(), server_config({AuthMethod::EapMsChapV2, AuthMethod::MsChapV2}));
  naks.start();
  ASSERT_TRUE(naks.run_until_up());
  EXPECT_EQ(naks.client.negotiated().auth, AuthMethod::MsChapV2);
  auto c = client_config();
  c.allowed = {.pap = false, .chap_md5 = false, .mschapv2 = false, .eap_mschapv2 = true};
  Pair takes(c, server_config({AuthMethod::MsChapV2, AuthMethod::EapMsChapV2}));
  takes.start();
  ASSERT_TRUE(takes.run_until_up());
  EXPECT_EQ(takes.client.negotiated().auth, AuthMethod::EapMsChapV2);
}

TEST(Session, SilentPeerIsPppTimeout) {
  Pair p(client_config(), server_config({}));
  p.filter = [](Bytes&, bool to_server) { return !to_server; };  // nothing reaches the server
  p.start();
  p.run([&] { return p.client_finished(); });
  EXPECT_EQ(p.client_error(), static_cast<std::uint32_t>(ERROR_PPP_TIMEOUT));
  // Max-Configure (10) requests, 3 s apart: the timeout is the RFC's, not a guess.
  EXPECT_GE(p.now - TimePoint{}, std::chrono::seconds(27));
}

TEST(Session, LoopedBackLineIsDetected) {
  testing::SeededRandom random(5);
  Session client(client_config(), random);
  TimePoint now{};
  client.open(now);
  std::optional<std::uint32_t> error;
  for (int i = 0; i < 200 && !error; ++i) {
    Bytes frame;
    bool moved = false;
    while (client.poll_transmit(frame)) {
      moved = true;
      client.feed(frame, now);  // everything we send comes straight back
    }
    while (auto e = client.poll_event()) {
      if (e->kind == Event::Kind::Finished) error = e->error;
    }
    if (!moved) {
      auto d = client.next_deadline();
      if (!d) break;
      now = *d;
      client.on_timer(now);
    }
  }
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, static_cast<std::uint32_t>(ERROR_PPP_LOOPBACK_DETECTED));
}

TEST(Session, PeerTerminatingAfterConnectIsRemoteDisconnection) {
  Pair p(client_config(), server_config({AuthMethod::ChapMd5}));
  p.start();
  ASSERT_TRUE(p.run_until_up());
  p.server.close(p.now);
  p.run([&] { return p.client_finished(); });
  EXPECT_EQ(p.client_error(), static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
}

TEST(Session, OurHangUpFinishesWithoutError) {
  Pair p(client_config(), server_config({}));
  p.start();
  ASSERT_TRUE(p.run_until_up());
  p.client.close(p.now);
  p.run([&] { return p.client_finished(); });
  EXPECT_EQ(p.client_error(), 0u);
}

TEST(Session, ServerRejectingMagicNumberStillConnects) {
  auto s = server_config({AuthMethod::MsChapV2});
  s.server_settings.reject_magic = true;  // as SoftEther does
  Pair p(client_config(), s);
  p.start();
  ASSERT_TRUE(p.run_until_up());
  EXPECT_EQ(p.client.negotiated().our_magic, 0u);  // we stopped asking for it
}

TEST(Session, PeerThatIgnoresIpv6cpStillComesUpWithIpv4) {
  Pair p(client_config(), server_config({}));
  // Like slirp: IPV6CP frames vanish without a Protocol-Reject.
  p.filter = [](Bytes& frame, bool) {
    std::size_t at = (frame.size() >= 2 && frame[0] == 0xFF) ? 2 : 0;
    return !(frame.size() >= at + 2 && frame[at] == 0x80 && frame[at + 1] == 0x57);
  };
  p.start();
  ASSERT_TRUE(p.run_until_up());
  EXPECT_TRUE(p.client.negotiated().ipv4_up);
  EXPECT_FALSE(p.client.negotiated().ipv6_up);
  EXPECT_LT(p.now - TimePoint{}, std::chrono::seconds(1)) << "waited on a silent IPV6CP";
}

TEST(Session, UnknownProtocolsGetProtocolReject) {
  Pair p(client_config(), server_config({}));
  p.start();
  ASSERT_TRUE(p.run_until_up());
  p.client.feed(Bytes{0xFF, 0x03, 0x80, 0xFD, 1, 1, 0, 4}, p.now);  // an empty CCP request
  Bytes frame;
  ASSERT_TRUE(p.client.poll_transmit(frame));
  EXPECT_EQ(frame, (Bytes{0xFF, 0x03, 0xC0, 0x21, 8, frame[5], 0, 10, 0x80, 0xFD, 1, 1, 0, 4}));
  EXPECT_EQ(p.client.counters().unknown_protocols, 1u);
}

TEST(Session, MalformedFramesAreCountedAndDropped) {
  Pair p(client_config(), server_config({}));
  p.start();
  for (Bytes junk : {Bytes{}, Bytes{0xFF, 0x03}, Bytes{0xFF, 0x03, 0xC0}, Bytes{0x02, 0x02},
                     Bytes{0xC0, 0x21, 1, 1, 0xFF, 0xFF}, Bytes{0xC0, 0x21, 1, 1, 0, 2}}) {
    p.client.feed(junk, p.now);
  }
  EXPECT_GE(p.client.counters().malformed, 3u);
  ASSERT_TRUE(p.run_until_up());
}

TEST(Session, MsChapV2RetryPausesForNewCredentials) {
  auto c = client_config("alice", "wrong");
  c.paused_retry = true;
  auto s = server_config({AuthMethod::MsChapV2});
  Pair p(c, s);
  // Make the server's failure retryable, as Windows servers do.
  p.filter = [](Bytes& frame, bool to_server) {
    if (to_server) return true;
    std::string text(frame.begin(), frame.end());
    auto at = text.find("R=0");
    if (at != std::string::npos) frame[at + 2] = '1';
    return true;
  };
  p.start();
  ASSERT_TRUE(p.run([&] { return p.has(p.client_events, Event::Kind::AuthRetry); }));
  EXPECT_EQ(p.client_events.back().error, static_cast<std::uint32_t>(ERROR_AUTHENTICATION_FAILURE));
  (void)s;
}

TEST(Session, EchoKeepaliveDetectsADeadLink) {
  auto c = client_config();
  c.echo_interval = std::chrono::seconds(10);
  c.echo_max_failures = 3;
  Pair p(c, server_config({}));
  p.start();
  ASSERT_TRUE(p.run_until_up());
  p.filter = [](Bytes&, bool to_server) { return !to_server; };  // the line goes dead
  const TimePoint dead_at = p.now;
  p.run([&] { return p.client_finished(); });
  EXPECT_EQ(p.client_error(), static_cast<std::uint32_t>(ERROR_LINK_FAILURE));
  // Found within interval x (failures + 1), with no terminate handshake to wait out.
  EXPECT_LE(p.now - dead_at, std::chrono::seconds(41));
}

// The Identifiers of the LCP Configure-Requests in a line frame (HDLC escapes undone).
std::vector<std::uint8_t> lcp_request_ids(const Bytes& frame) {
  Bytes plain;
  for (std::size_t i = 0; i < frame.size(); ++i) {
    if (frame[i] == 0x7d && i + 1 < frame.size()) {
      plain.push_back(frame[++i] ^ 0x20);
    } else {
      plain.push_back(frame[i]);
    }
  }
  std::vector<std::uint8_t> ids;
  for (std::size_t i = 0; i + 3 < plain.size(); ++i) {
    if (plain[i] == 0xc0 && plain[i + 1] == 0x21 && plain[i + 2] == 0x01)
      ids.push_back(plain[i + 3]);
  }
  return ids;
}

// A slow peer: the retransmitted Configure-Request keeps its Identifier (RFC 1661 5.1), so an
// Ack of the first copy that arrives after the retransmission still opens the layer.
TEST(Session, ARetransmittedConfigureRequestKeepsItsIdentifier) {
  Pair p(client_config(), server_config({}));
  std::vector<std::uint8_t> ids;
  p.filter = [&](Bytes& frame, bool to_server) {
    if (to_server) {
      auto found = lcp_request_ids(frame);
      ids.insert(ids.end(), found.begin(), found.end());
    }
    return !to_server;  // the server hears nothing yet
  };
  p.start();
  p.run([&] { return ids.size() >= 3; });
  ASSERT_GE(ids.size(), 3u);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[1], ids[2]);
  // The line recovers: the peer now hears the retransmissions and the link comes up.
  p.filter = [](Bytes&, bool) { return true; };
  EXPECT_TRUE(p.run_until_up());
}

// Whether a line frame (HDLC escapes undone) carries `protocol` with control code `code`.
bool carries(const Bytes& frame, std::uint16_t protocol, std::uint8_t code) {
  Bytes plain;
  for (std::size_t i = 0; i < frame.size(); ++i) {
    plain.push_back(frame[i] == 0x7d && i + 1 < frame.size() ? frame[++i] ^ 0x20 : frame[i]);
  }
  for (std::size_t i = 0; i + 2 < plain.size(); ++i) {
    if (plain[i] == (protocol >> 8) && plain[i + 1] == (protocol & 0xff) && plain[i + 2] == code) {
      return true;
    }
  }
  return false;
}

// Seen against l2tpns under loss: our IPCP Configure-Ack is lost, so the server asks again
// after we are up, and the peer rejects IPV6CP meanwhile. IPCP renegotiates (RFC 1661:
// Opened + RCR) and the connection stays up: a layer renegotiating is not a layer done.
TEST(Session, AnIpcpRenegotiationAfterConnectKeepsTheConnection) {
  auto s = server_config({});
  s.server_settings.ipv6 = false;
  s.ipv6 = false;  // IPV6CP is protocol-rejected, as l2tpns does
  Pair p(client_config(), s);
  bool dropped = false, drop_next_request = false;
  int rejects = 0, server_requests = 0;
  p.filter = [&](Bytes& frame, bool to_server) {
    if (to_server && !dropped && carries(frame, 0x8021, 2)) {  // our first IPCP Configure-Ack
      dropped = true;
      return false;
    }
    // Our request of the renegotiation is lost too: IPCP stays down for a retransmission
    // period, long enough for a Protocol-Reject of IPV6CP to arrive meanwhile.
    if (to_server && drop_next_request && carries(frame, 0x8021, 1)) {
      drop_next_request = false;
      return false;
    }
    if (!to_server && carries(frame, 0xc021, 8)) ++rejects;
    if (!to_server && carries(frame, 0x8021, 1)) ++server_requests;
    return true;
  };
  p.start();
  ASSERT_TRUE(p.run_until_up());
  ASSERT_TRUE(dropped);
  drop_next_request = true;
  // The server's retransmission comes while we are up; afterwards we are up again.
  p.run([&] { return p.client_finished(); }, std::chrono::seconds(30));
  EXPECT_FALSE(p.client_finished()) << "client error " << p.client_error();
  EXPECT_GE(server_requests, 2) << "the server never asked again";
  EXPECT_GE(rejects, 1) << "IPV6CP was never rejected";
  EXPECT_TRUE(p.client.negotiated().ipv4_up);
  EXPECT_EQ(p.server.ipcp_state(), FsmState::Opened);
}

// A peer that speaks within the interval (here its own echoes every 5 s) is alive: no echo
// of ours is needed, which spares thousands of idle calls; a silent peer is still found.
TEST(Session, NoEchoOfOursWhileThePeerSpeaks) {
  auto c = client_config();
  c.echo_interval = std::chrono::seconds(10);
  c.echo_max_failures = 3;
  auto s = server_config({});
  s.echo_interval = std::chrono::seconds(5);
  s.echo_max_failures = 3;
  Pair p(c, s);
  int our_echoes = 0;
  p.filter = [&](Bytes& frame, bool to_server) {
    if (to_server && carries(frame, 0xc021, 9)) ++our_echoes;  // LCP Echo-Request
    return true;
  };
  p.start();
  ASSERT_TRUE(p.run_until_up());
  p.run([&] { return p.client_finished(); }, std::chrono::seconds(120));
  EXPECT_FALSE(p.client_finished()) << "client error " << p.client_error();
  EXPECT_EQ(our_echoes, 0);
}

}  // namespace
}  // namespace openras::ppp
