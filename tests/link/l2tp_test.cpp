// RFC 2661 in virtual time: the header and AVP codec, hidden AVPs and the tunnel challenge
// against values worked out with Python's hashlib from section 4.3's formulas, the reliable
// delivery rules of section 5.8, and the client through a call against a scripted LNS.
#include <gtest/gtest.h>

#include "link/l2tp_client.hpp"
#include "raserror.h"

namespace openras::link::l2tp {
namespace {

using namespace std::chrono_literals;

Bytes hex(std::string_view h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(h.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

Bytes range_bytes(std::uint8_t first, std::size_t n) {
  Bytes b;
  for (std::size_t i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(first + i));
  return b;
}

TEST(L2tpHeader, ControlHeaderFieldsAndPayload) {
  Bytes avps;
  put_avp16(avps, kAvpMessageType, kHello);
  Bytes m = control_message(0x1234, 0x5678, 7, 9, avps);
  EXPECT_EQ(m[0], 0xC8);
  EXPECT_EQ(m[1], 0x02);
  auto h = parse_header(m);
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->control);
  EXPECT_EQ(h->total_length, m.size());
  EXPECT_EQ(h->tunnel_id, 0x1234);
  EXPECT_EQ(h->session_id, 0x5678);
  EXPECT_EQ(h->ns, 7);
  EXPECT_EQ(h->nr, 9);
  auto body = parse_control(payload_of(m, *h), "");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->type, kHello);
}

TEST(L2tpHeader, DataWithLengthSequenceAndOffset) {
  // T=0 L=1 S=1 O=1, as some servers send data: length, Ns/Nr, a 2-octet pad, then PPP.
  Bytes d =
      hex("4a02"
          "0014"
          "0001"
          "0002"
          "0000"
          "0000"
          "0002"
          "eeee"
          "ff03c021");
  d.push_back(0x99);  // trailing octets past the Length field are not payload
  auto h = parse_header(d);
  ASSERT_TRUE(h);
  EXPECT_FALSE(h->control);
  auto p = payload_of(d, *h);
  EXPECT_EQ(Bytes(p.begin(), p.end()), hex("ff03c021"));
}

TEST(L2tpHeader, RejectsWhatDoesNotFit) {
  EXPECT_FALSE(parse_header(hex("c802")));
  EXPECT_FALSE(parse_header(hex("c8030000000000000000")));      // version 3
  EXPECT_FALSE(parse_header(hex("8802000c0001000200000000")));  // control without L
  EXPECT_FALSE(parse_header(hex("c8020040000100020000")));      // Length past the datagram
  EXPECT_FALSE(parse_header(hex("0202000100020010ffff")));      // offset pad past the end
  EXPECT_FALSE(parse_header(hex("c902000c0001000200000000")));  // control with P
}

TEST(L2tpAvp, RejectsBadLengthsAndAMissingMessageType) {
  ParseError e;
  EXPECT_FALSE(parse_control(hex("8005000000"), "", &e));
  EXPECT_EQ(e, ParseError::BadAvpLength);
  EXPECT_FALSE(parse_control(hex("8010000000000006"), "", &e));
  EXPECT_EQ(e, ParseError::BadAvpLength);
  Bytes avps;
  put_avp16(avps, kAvpAssignedTunnelId, 5);
  EXPECT_FALSE(parse_control(avps, "", &e));
  EXPECT_EQ(e, ParseError::FirstNotMessageType);
}

TEST(L2tpAvp, HiddenValuesMatchSection43) {
  const std::string secret = "tunnel-secret";
  const Bytes rv = range_bytes(1, 16);
  Bytes out;
  put_hidden_avp(out, kAvpAssignedSessionId, hex("1234"), secret, rv);
  EXPECT_EQ(Bytes(out.begin() + 6, out.end()), hex("5e1185ef"));
  EXPECT_EQ(out[0] & 0xC0, 0xC0);  // M and H

  // Three MD5 blocks: the chaining on ciphertext (b2 = MD5(secret | c1)) is exercised.
  const std::string host = "a-long-host-name-that-spans-three-blocks!";
  Bytes long_out;
  put_hidden_avp(long_out, kAvpHostName,
                 ByteView(reinterpret_cast<const std::uint8_t*>(host.data()), host.size()), secret,
                 rv);
  EXPECT_EQ(Bytes(long_out.begin() + 6, long_out.end()),
            hex("7752b6c51e4103c9ff2bd983c1963672667f946f64ed8881c9aa3532d50c3979c46162be34986303"
                "fb2e7a"));

  Bytes message;
  put_avp16(message, kAvpMessageType, kIcrp);
  put_avp(message, kAvpRandomVector, rv);
  message.insert(message.end(), out.begin(), out.end());
  message.insert(message.end(), long_out.begin(), long_out.end());
  auto m = parse_control(message, secret);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->u16(kAvpAssignedSessionId), 0x1234);
  ASSERT_TRUE(m->find(kAvpHostName));
  EXPECT_EQ(std::string(m->find(kAvpHostName)->value.begin(), m->find(kAvpHostName)->value.end()),
            host);
  ParseError e;
  EXPECT_FALSE(parse_control(message, "", &e));
  EXPECT_EQ(e, ParseError::HiddenWithoutSecret);
  // A wrong secret reveals a length that does not fit (or garbage): never a read past the end.
  auto wrong = parse_control(message, "other-secret", &e);
  if (wrong) {
    EXPECT_NE(wrong->u16(kAvpAssignedSessionId), 0x1234);
  }
}

TEST(L2tpAvp, HiddenWithoutRandomVectorIsRefused) {
  Bytes message;
  put_avp16(message, kAvpMessageType, kIcrp);
  put_hidden_avp(message, kAvpAssignedSessionId, hex("1234"), "s", range_bytes(1, 16));
  ParseError e;
  EXPECT_FALSE(parse_control(message, "s", &e));
  EXPECT_EQ(e, ParseError::HiddenWithoutVector);
}

TEST(L2tpAvp, ChallengeResponseIsMd5OfIdSecretChallenge) {
  Bytes challenge = range_bytes(0x10, 16);
  auto r2 = challenge_response(kSccrp, "tunnel-secret", challenge);
  auto r3 = challenge_response(kScccn, "tunnel-secret", challenge);
  EXPECT_EQ(Bytes(r2.begin(), r2.end()), hex("76313aa0a3ce15a62f0a05de54b22ab8"));
  EXPECT_EQ(Bytes(r3.begin(), r3.end()), hex("e5b5666018eee2ccf74717b65625180c"));
}

TEST(L2tpAvp, ResultCodeWithErrorAndMessage) {
  Bytes avps;
  put_avp16(avps, kAvpMessageType, kStopCcn);
  put_avp(avps, kAvpResultCode, result_code_value(2, 6, "vendor"));
  auto m = parse_control(avps, "");
  ASSERT_TRUE(m);
  auto r = result_code(*m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result, 2);
  EXPECT_EQ(r->error, 6);
  EXPECT_EQ(r->message, "vendor");
}

TEST(L2tpSequence, ComparesModulo65536) {
  EXPECT_TRUE(seq_before(65535, 0));
  EXPECT_TRUE(seq_before(1, 2));
  EXPECT_FALSE(seq_before(2, 2));
  EXPECT_FALSE(seq_before(0, 65535));
}

// ---- ControlChannel ----

Bytes hello_avps() {
  Bytes a;
  put_avp16(a, kAvpMessageType, kHello);
  return a;
}

std::vector<Bytes> drain(ControlChannel& c) {
  std::vector<Bytes> out;
  Bytes d;
  while (c.poll_transmit(d)) out.push_back(d);
  return out;
}

Header header_of(const Bytes& d) {
  auto h = parse_header(d);
  EXPECT_TRUE(h);
  return h.value_or(Header{});
}

TEST(L2tpReliable, RetransmitsWithDoublingBackOffCappedThenGivesUp) {
  ReliableConfig cfg;
  cfg.max_retransmissions = 5;
  ControlChannel c(cfg);
  TimePoint t0{};
  c.send(0, 0, hello_avps(), t0);
  EXPECT_EQ(drain(c).size(), 1u);
  std::vector<int> gaps;
  TimePoint last = t0;
  TimePoint now = t0;
  bool alive = true;
  while (alive) {
    now = *c.next_deadline();
    alive = c.on_timer(now);
    if (!drain(c).empty()) {
      gaps.push_back(
          static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(now - last).count()));
      last = now;
    }
  }
  EXPECT_EQ(gaps, (std::vector<int>{1, 2, 4, 8, 8}));
  EXPECT_EQ(now - t0, 31s);  // the last copy gets its full 8 s before the peer is given up
  EXPECT_EQ(c.retransmissions(), 5u);
}

TEST(L2tpReliable, AckStopsRetransmissionAndZlbCarriesNr) {
  ControlChannel c({});
  TimePoint t0{};
  c.set_peer_tunnel(77);
  c.send(77, 0, hello_avps(), t0);
  drain(c);
  // The peer acknowledges Ns 0 (Nr 1) inside its own message with Ns 0.
  Bytes peer = control_message(1, 0, 0, 1, hello_avps());
  std::vector<Bytes> in;
  c.receive(header_of(peer), payload_of(peer, header_of(peer)), in, t0 + 100ms);
  EXPECT_EQ(in.size(), 1u);
  EXPECT_TRUE(c.all_acked());
  EXPECT_FALSE(c.next_deadline());
  c.flush_ack();
  auto out = drain(c);
  ASSERT_EQ(out.size(), 1u);
  auto h = header_of(out[0]);
  EXPECT_EQ(h.total_length, 12);  // a ZLB
  EXPECT_EQ(h.tunnel_id, 77);
  EXPECT_EQ(h.ns, 1);  // the next Ns, not consumed
  EXPECT_EQ(h.nr, 1);
}

TEST(L2tpReliable, DuplicateIsReackedNotRedelivered) {
  ControlChannel c({});
  TimePoint t0{};
  Bytes peer = control_message(1, 0, 0, 0, hello_avps());
  std::vector<Bytes> in;
  c.receive(header_of(peer), payload_of(peer, header_of(peer)), in, t0);
  c.flush_ack();
  drain(c);
  c.receive(header_of(peer), payload_of(peer, header_of(peer)), in, t0 + 1s);
  EXPECT_EQ(in.size(), 1u);
  c.flush_ack();
  auto out = drain(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(header_of(out[0]).nr, 1);
}

TEST(L2tpReliable, MessageAheadOfAGapWaitsForIt) {
  ControlChannel c({});
  TimePoint t0{};
  Bytes second = control_message(1, 0, 1, 0, hello_avps());
  Bytes first = control_message(1, 0, 0, 0, hello_avps());
  std::vector<Bytes> in;
  c.receive(header_of(second), payload_of(second, header_of(second)), in, t0);
  EXPECT_TRUE(in.empty());
  c.flush_ack();
  auto out = drain(c);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(header_of(out[0]).nr, 0);  // still waiting for Ns 0
  c.receive(header_of(first), payload_of(first, header_of(first)), in, t0);
  EXPECT_EQ(in.size(), 2u);
  c.flush_ack();
  EXPECT_EQ(header_of(drain(c).at(0)).nr, 2);
}

TEST(L2tpReliable, NeverMoreThanThePeersWindowInFlight) {
  ControlChannel c({});
  TimePoint t0{};
  c.set_peer_window(2);
  for (int i = 0; i < 5; ++i) c.send(1, 0, hello_avps(), t0);
  EXPECT_EQ(drain(c).size(), 2u);
  Bytes ack = control_message(1, 0, 0, 2, {});  // a ZLB acking Ns 0 and 1
  std::vector<Bytes> in;
  c.receive(header_of(ack), payload_of(ack, header_of(ack)), in, t0);
  auto out = drain(c);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(header_of(out[0]).ns, 2);
  EXPECT_EQ(header_of(out[1]).ns, 3);
}

// ---- Client against a scripted LNS ----

struct Lns {
  std::uint16_t tunnel = 0x4242;
  std::uint16_t session = 0x0707;
  std::uint16_t ns = 0;
  std::uint16_t nr = 0;
  std::string secret;
  bool hide_session = false;
  std::vector<ControlMessage> got;
  std::vector<Header> headers;
  std::vector<Bytes> data;

  // Takes everything the client sent; acks what is in sequence.
  void take(Client& client) {
    Bytes d;
    while (client.poll_transmit(d)) {
      auto h = parse_header(d);
      ASSERT_TRUE(h);
      if (!h->control) {
        auto p = payload_of(d, *h);
        data.emplace_back(p.begin(), p.end());
        continue;
      }
      auto body = payload_of(d, *h);
      if (body.empty()) continue;
      if (h->ns == nr) ++nr;
      auto m = parse_control(body, secret);
      ASSERT_TRUE(m);
      got.push_back(*m);
      headers.push_back(*h);
    }
  }
  Bytes message(std::uint16_t client_tunnel, std::uint16_t session_id, const Bytes& avps) {
    return control_message(client_tunnel, session_id, ns++, nr, avps);
  }
  Bytes sccrp(std::uint16_t client_tunnel, const Bytes* challenge = nullptr) {
    Bytes a;
    put_avp16(a, kAvpMessageType, kSccrp);
    put_avp16(a, kAvpProtocolVersion, 0x0100);
    put_avp_text(a, kAvpHostName, "lns");
    put_avp32(a, kAvpFramingCapabilities, 3);
    put_avp16(a, kAvpAssignedTunnelId, tunnel);
    if (challenge) {
      auto r = challenge_response(kSccrp, secret, *challenge);
      put_avp(a, kAvpChallengeResponse, r);
      put_avp(a, kAvpChallenge, range_bytes(0x50, 16));
    }
    return message(client_tunnel, 0, a);
  }
  Bytes icrp(std::uint16_t client_tunnel, std::uint16_t client_session) {
    Bytes a;
    put_avp16(a, kAvpMessageType, kIcrp);
    if (hide_session) {
      Bytes rv = range_bytes(0x60, 16);
      put_avp(a, kAvpRandomVector, rv);
      Bytes v;
      ppp::put16(v, session);
      put_hidden_avp(a, kAvpAssignedSessionId, v, secret, rv, hex("0000"));
    } else {
      put_avp16(a, kAvpAssignedSessionId, session);
    }
    return message(client_tunnel, client_session, a);
  }
  Bytes closing(std::uint16_t type, std::uint16_t client_tunnel, std::uint16_t result,
                std::uint16_t client_session = 0) {
    Bytes a;
    put_avp16(a, kAvpMessageType, type);
    put_avp(a, kAvpResultCode, result_code_value(result));
    if (type == kStopCcn) put_avp16(a, kAvpAssignedTunnelId, tunnel);
    if (type == kCdn) put_avp16(a, kAvpAssignedSessionId, session);
    return message(client_tunnel, client_session, a);
  }
};

ClientConfig client_config() {
  ClientConfig c;
  c.tunnel_id = 0x1111;
  c.session_id = 0x2222;
  c.challenge = {};
  for (std::size_t i = 0; i < 16; ++i) c.challenge[i] = static_cast<std::uint8_t>(0x10 + i);
  return c;
}

void establish(Client& client, Lns& lns, TimePoint t) {
  client.start(t);
  lns.take(client);
  ASSERT_EQ(lns.got.back().type, kSccrq);
  client.feed(lns.sccrp(0x1111), t);
  lns.take(client);
  ASSERT_EQ(client.state(), Client::State::WaitSession);
  client.feed(lns.icrp(0x1111, 0x2222), t);
  lns.take(client);
  ASSERT_EQ(client.state(), Client::State::Established);
}

TEST(L2tpClient, PlacesACallAndCarriesFrames) {
  Client client(client_config());
  Lns lns;
  TimePoint t{};
  establish(client, lns, t);
  ASSERT_EQ(lns.got.size(), 4u);
  EXPECT_EQ(lns.got[0].u16(kAvpAssignedTunnelId), 0x1111);
  EXPECT_EQ(lns.got[0].u16(kAvpProtocolVersion), 0x0100);
  EXPECT_FALSE(lns.got[0].find(kAvpChallenge));  // no secret, no challenge
  EXPECT_EQ(lns.got[1].type, kScccn);
  EXPECT_EQ(lns.got[2].type, kIcrq);
  EXPECT_EQ(lns.got[2].u16(kAvpAssignedSessionId), 0x2222);
  EXPECT_EQ(lns.got[3].type, kIccn);
  EXPECT_EQ(lns.headers[1].tunnel_id, 0x4242);
  EXPECT_EQ(lns.headers[3].session_id, 0x0707);  // the ICCN names the LNS's session
  EXPECT_TRUE(lns.got[3].u32(kAvpTxConnectSpeed));
  EXPECT_TRUE(lns.got[3].u32(kAvpFramingType));

  ASSERT_TRUE(client.send_frame(hex("ff03c02101")));
  lns.take(client);
  ASSERT_EQ(lns.data.size(), 1u);
  EXPECT_EQ(lns.data[0], hex("ff03c02101"));
  client.feed(data_message(0x1111, 0x2222, hex("ff03c02102")), t);
  client.feed(data_message(0x1111, 0x9999, hex("ff03c02103")), t);  // another session: dropped
  Bytes frame;
  ASSERT_TRUE(client.poll_frame(frame));
  EXPECT_EQ(frame, hex("ff03c02102"));
  EXPECT_FALSE(client.poll_frame(frame));
  EXPECT_EQ(client.malformed(), 1u);
}

TEST(L2tpClient, HangUpSendsCdnThenStopCcnAndClosesOnAck) {
  Client client(client_config());
  Lns lns;
  TimePoint t{};
  establish(client, lns, t);
  client.disconnect(t + 1s);
  lns.take(client);
  ASSERT_GE(lns.got.size(), 6u);
  EXPECT_EQ(lns.got[4].type, kCdn);
  EXPECT_EQ(lns.got[4].u16(kAvpAssignedSessionId), 0x2222);
  EXPECT_EQ(lns.got[5].type, kStopCcn);
  EXPECT_EQ(client.state(), Client::State::Closing);
  client.feed(control_message(0x1111, 0, lns.ns, lns.nr, {}), t + 1100ms);
  EXPECT_EQ(client.state(), Client::State::Closed);
  EXPECT_EQ(client.error(), 0u);
}

TEST(L2tpClient, ServerCdnMidCallIsRemoteDisconnection) {
  Client client(client_config());
  Lns lns;
  TimePoint t{};
  establish(client, lns, t);
  client.feed(lns.closing(kCdn, 0x1111, 3, 0x2222), t + 5s);
  EXPECT_EQ(client.state(), Client::State::Failed);
  EXPECT_EQ(client.error(), static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
  lns.take(client);
  EXPECT_EQ(lns.got.back().type, kStopCcn);  // the tunnel goes with its only call
}

TEST(L2tpClient, StopCcnDuringSetupIsRefusal) {
  Client client(client_config());
  Lns lns;
  TimePoint t{};
  client.start(t);
  lns.take(client);
  client.feed(lns.sccrp(0x1111), t);
  lns.take(client);
  client.feed(lns.closing(kStopCcn, 0x1111, 2), t);
  EXPECT_EQ(client.state(), Client::State::Failed);
  EXPECT_EQ(client.error(), static_cast<std::uint32_t>(ERROR_VPN_REFUSED));
  Bytes ack;
  ASSERT_TRUE(client.poll_transmit(ack));  // the StopCCN is acknowledged
  EXPECT_EQ(parse_header(ack)->total_length, 12);
}

TEST(L2tpClient, SilentServerTimesOutAfterTheRetransmissions) {
  auto cfg = client_config();
  cfg.reliable.max_retransmissions = 3;
  Client client(cfg);
  TimePoint t{};
  client.start(t);
  int sccrqs = 0;
  Bytes d;
  while (client.state() == Client::State::WaitTunnel) {
    while (client.poll_transmit(d)) ++sccrqs;
    t = *client.next_deadline();
    client.on_timer(t);
  }
  EXPECT_EQ(sccrqs, 4);
  EXPECT_EQ(client.error(), static_cast<std::uint32_t>(ERROR_VPN_TIMEOUT));
  EXPECT_EQ(t, TimePoint{} + 15s);  // 1 + 2 + 4 + 8
}

TEST(L2tpClient, TunnelSecretChallengesBothWaysAndRevealsHiddenAvps) {
  auto cfg = client_config();
  cfg.secret = "tunnel-secret";
  Client client(cfg);
  Lns lns;
  lns.secret = cfg.secret;
  lns.hide_session = true;
  TimePoint t{};
  client.start(t);
  lns.take(client);
  const Avp* challenge = lns.got[0].find(kAvpChallenge);
  ASSERT_TRUE(challenge);
  Bytes c = challenge->value;
  client.feed(lns.sccrp(0x1111, &c), t);
  lns.take(client);
  ASSERT_EQ(client.state(), Client::State::WaitSession);
  const Avp* response = lns.got[1].find(kAvpChallengeResponse);
  ASSERT_TRUE(response);
  auto expected = challenge_response(kScccn, cfg.secret, range_bytes(0x50, 16));
  EXPECT_EQ(response->value, Bytes(expected.begin(), expected.end()));
  client.feed(lns.icrp(0x1111, 0x2222), t);
  lns.take(client);
  EXPECT_EQ(client.state(), Client::State::Established);
  EXPECT_EQ(client.peer_session_id(), lns.session);
}

TEST(L2tpClient, ServerWithTheWrongSecretIsRefused) {
  auto cfg = client_config();
  cfg.secret = "tunnel-secret";
  Client client(cfg);
  Lns lns;
  lns.secret = "not-the-secret";
  TimePoint t{};
  client.start(t);
  lns.take(client);
  Bytes c = range_bytes(0x10, 16);
  client.feed(lns.sccrp(0x1111, &c), t);
  EXPECT_EQ(client.state(), Client::State::Failed);
  EXPECT_EQ(client.error(), static_cast<std::uint32_t>(ERROR_UNABLE_TO_AUTHENTICATE_SERVER));
}

TEST(L2tpClient, UnknownMandatoryAvpStopsTheTunnel) {
  Client client(client_config());
  Lns lns;
  TimePoint t{};
  client.start(t);
  lns.take(client);
  Bytes a;
  put_avp16(a, kAvpMessageType, kSccrp);
  put_avp16(a, kAvpProtocolVersion, 0x0100);
  put_avp16(a, kAvpAssignedTunnelId, lns.tunnel);
  put_avp16(a, 200, 1);  // unknown, M set
  client.feed(lns.message(0x1111, 0, a), t);
  EXPECT_EQ(client.state(), Client::State::Failed);
  EXPECT_EQ(client.error(), static_cast<std::uint32_t>(ERROR_UNRECOGNIZED_RESPONSE));
}

TEST(L2tpClient, GarbageAndForeignTunnelsAreCountedAndDropped) {
  Client client(client_config());
  Lns lns;
  TimePoint t{};
  client.start(t);
  lns.take(client);
  client.feed(hex("ffffffff"), t);
  client.feed(lns.sccrp(0x3333), t);  // another tunnel id
  Bytes broken = control_message(0x1111, 0, 0, 1, hex("8004000000"));
  client.feed(broken, t);
  EXPECT_EQ(client.malformed(), 3u);
  EXPECT_EQ(client.state(), Client::State::WaitTunnel);
  lns.ns = 0;
  client.feed(lns.sccrp(0x1111), t);
  EXPECT_EQ(client.state(), Client::State::WaitSession);
}

TEST(L2tpClient, HelloWhenQuietAndAckOfTheServersHello) {
  auto cfg = client_config();
  cfg.hello_interval = 10s;
  Client client(cfg);
  Lns lns;
  TimePoint t{};
  establish(client, lns, t);
  Bytes hello;
  put_avp16(hello, kAvpMessageType, kHello);
  client.feed(lns.message(0x1111, 0, hello), t + 9s);
  Bytes ack;
  ASSERT_TRUE(client.poll_transmit(ack));
  EXPECT_EQ(parse_header(ack)->total_length, 12);
  EXPECT_EQ(parse_header(ack)->nr, lns.ns);
  client.on_timer(t + 19s);
  lns.take(client);
  EXPECT_EQ(lns.got.back().type, kHello);
}

}  // namespace
}  // namespace openras::link::l2tp
