// The IKE and ESP primitives: both ends of every DH group agree and malformed public values
// are refused; prf+ is T1 | T2 | ... as RFC 7296 2.13 defines it; the SK payload and ESP seal
// and open, refuse what was touched, fragment and reassemble; the replay window.
#include <gtest/gtest.h>

#include "../ppp/test_random.hpp"
#include "ike/esp.hpp"
#include "ike/message.hpp"
#include "ike/sk_payload.hpp"

namespace openras::ike {
namespace {

TEST(IkeCrypto, EveryGroupAgreesAndRefusesMalformedValues) {
  for (std::uint16_t g :
       {dh::kModp1024, dh::kModp2048, dh::kEcp256, dh::kEcp384, dh::kCurve25519}) {
    auto a = KeyExchange::make(g);
    auto b = KeyExchange::make(g);
    ASSERT_TRUE(a && b) << g;
    auto s1 = a->shared_secret(b->public_value());
    auto s2 = b->shared_secret(a->public_value());
    ASSERT_TRUE(s1 && s2) << g;
    EXPECT_EQ(*s1, *s2) << g;
    Bytes short_value(a->public_value().begin(), a->public_value().end() - 1);
    EXPECT_FALSE(a->shared_secret(short_value)) << g;
    Bytes zeros(a->public_value().size(), 0);
    EXPECT_FALSE(a->shared_secret(zeros)) << g;  // identity, point at 0, or all-zero secret
  }
  // A point not on the curve (an invalid-curve attack) is refused.
  auto a = KeyExchange::make(dh::kEcp256);
  Bytes off_curve = a->public_value();
  off_curve.back() ^= 1;
  EXPECT_FALSE(a->shared_secret(off_curve));
  EXPECT_FALSE(KeyExchange::make(1234));
}

TEST(IkeCrypto, PrfPlusIsTheConcatenationOfItsRounds) {
  auto prf = Prf::make(prf_id::kHmacSha256);
  ASSERT_TRUE(prf);
  Bytes key(32, 7), seed{1, 2, 3};
  Bytes out = prf->plus(key, seed, 80);
  ASSERT_EQ(out.size(), 80u);
  Bytes in1 = seed;
  in1.push_back(1);
  Bytes t1 = prf->compute(key, in1);
  Bytes in2 = t1;
  in2.insert(in2.end(), seed.begin(), seed.end());
  in2.push_back(2);
  Bytes t2 = prf->compute(key, in2);
  EXPECT_TRUE(std::equal(t1.begin(), t1.end(), out.begin()));
  EXPECT_TRUE(std::equal(t2.begin(), t2.end(), out.begin() + 32));
  EXPECT_FALSE(Prf::make(99));
}

IkeSaKeys keys_for(const IkeSuite& suite) {
  Bytes shared(32, 1), ni(32, 2), nr(32, 3);
  return *derive_ike_keys(suite, shared, ni, nr, 1, 2);
}

TEST(IkeSkPayload, SealsOpensAndRefusesWhatWasTouched) {
  for (IkeSuite suite :
       {IkeSuite{}, IkeSuite{encr::kAesGcm16, 128, integ::kNone, prf_id::kHmacSha256, 19},
        IkeSuite{encr::kAesCbc, 128, integ::kHmacSha1_96, prf_id::kHmacSha1, 14}}) {
    auto keys = keys_for(suite);
    auto initiator = SkCodec::make(keys, true);
    auto responder = SkCodec::make(keys, false);
    ASSERT_TRUE(initiator && responder);
    ChainBuilder inner;
    inner.add(payload::kNotify, build_notify(notify::kInitialContact));
    Header h{1, 2, 0, exchange::kInformational, flag::kInitiator, 5, 0};
    auto sealed = initiator->seal(h, inner.first(), inner.bytes(), 0);
    ASSERT_EQ(sealed.size(), 1u);
    SkCodec::Opened opened;
    ASSERT_EQ(responder->open(sealed[0], opened), SkCodec::Result::Opened);
    ASSERT_EQ(opened.chain.payloads.size(), 1u);
    EXPECT_EQ(opened.chain.payloads[0].type, payload::kNotify);
    EXPECT_EQ(opened.header.message_id, 5u);
    // Its own direction's keys do not open it, and a flipped bit anywhere is refused.
    EXPECT_EQ(initiator->open(sealed[0], opened), SkCodec::Result::Invalid);
    for (std::size_t i = 0; i < sealed[0].size(); i += 7) {
      Bytes bad = sealed[0];
      bad[i] ^= 0x10;
      EXPECT_NE(responder->open(bad, opened), SkCodec::Result::Opened) << i;
    }
  }
}

TEST(IkeSkPayload, LargeMessagesAreFragmentedAndReassembledInAnyOrder) {
  auto keys = keys_for(IkeSuite{});
  auto initiator = SkCodec::make(keys, true);
  auto responder = SkCodec::make(keys, false);
  Bytes big(3000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i);
  ChainBuilder inner;
  inner.add(payload::kCert, big);
  Header h{1, 2, 0, exchange::kAuth, flag::kInitiator, 1, 0};
  auto fragments = initiator->seal(h, inner.first(), inner.bytes(), 1000);
  ASSERT_GE(fragments.size(), 4u);
  for (const auto& f : fragments) EXPECT_LE(f.size(), 1000u);
  SkCodec::Opened opened;
  for (std::size_t i = fragments.size(); i-- > 1;) {
    EXPECT_EQ(responder->open(fragments[i], opened), SkCodec::Result::Incomplete);
  }
  ASSERT_EQ(responder->open(fragments[0], opened), SkCodec::Result::Opened);
  ASSERT_EQ(opened.chain.payloads.size(), 1u);
  EXPECT_TRUE(std::equal(big.begin(), big.end(), opened.chain.payloads[0].body.begin(),
                         opened.chain.payloads[0].body.end()));
}

TEST(IkeSkPayload, ARequestAndAResponseWithOneMessageIdReassembleApart) {
  auto keys = keys_for(IkeSuite{});
  auto peer = SkCodec::make(keys, false);
  auto us = SkCodec::make(keys, true);
  auto fragments = [&](std::uint8_t flags, std::uint8_t fill) {
    ChainBuilder inner;
    inner.add(payload::kCert, Bytes(2500, fill));
    return peer->seal(Header{1, 2, 0, exchange::kInformational, flags, 3, 0}, inner.first(),
                      inner.bytes(), 1000);
  };
  auto request = fragments(0, 0x11);
  auto response = fragments(flag::kResponse, 0x22);
  ASSERT_EQ(request.size(), response.size());
  SkCodec::Opened opened;
  for (std::size_t i = 0; i + 1 < request.size(); ++i) {
    ASSERT_EQ(us->open(request[i], opened), SkCodec::Result::Incomplete);
    ASSERT_EQ(us->open(response[i], opened), SkCodec::Result::Incomplete);
  }
  ASSERT_EQ(us->open(request.back(), opened), SkCodec::Result::Opened);
  EXPECT_EQ(opened.chain.payloads[0].body[0], 0x11);
  ASSERT_EQ(us->open(response.back(), opened), SkCodec::Result::Opened);
  EXPECT_EQ(opened.chain.payloads[0].body[0], 0x22);
}

TEST(Esp, SealsOpensRefusesReplaysAndForgeries) {
  for (EspTransforms t : {EspTransforms{encr::kAesGcm16, 256, integ::kNone},
                          EspTransforms{encr::kAesCbc, 128, integ::kHmacSha1_96}}) {
    const bool gcm = t.encr == encr::kAesGcm16;
    EspKeys a{Bytes(gcm ? 36 : 16, 1), Bytes(gcm ? 0 : 20, 2)};
    EspKeys b{Bytes(gcm ? 36 : 16, 3), Bytes(gcm ? 0 : 20, 4)};
    auto ours = EspSa::make(t, 0x100, a, 0x200, b);
    auto theirs = EspSa::make(t, 0x200, b, 0x100, a);
    ASSERT_TRUE(ours && theirs);
    std::vector<Bytes> sent;
    for (int i = 0; i < 70; ++i) {
      Bytes inner(static_cast<std::size_t>(20 + i), static_cast<std::uint8_t>(i));
      inner[0] = 0x45;
      Bytes packet(theirs->sealed_size(inner.size()));
      packet.resize(theirs->seal(inner, 4, packet.data()));
      sent.push_back(packet);
    }
    // Out of order within the window is fine; a second copy is a replay.
    for (int i : {2, 0, 1, 5, 4, 3}) {
      Bytes p = sent[static_cast<std::size_t>(i)];
      auto o = ours->open(p);
      EXPECT_EQ(o.verdict, EspSa::Verdict::Ok) << i;
      EXPECT_EQ(o.inner.size(), static_cast<std::size_t>(20 + i));
      EXPECT_EQ(o.next_header, 4);
    }
    Bytes again = sent[1];
    EXPECT_EQ(ours->open(again).verdict, EspSa::Verdict::Replayed);
    Bytes last = sent[69];
    EXPECT_EQ(ours->open(last).verdict, EspSa::Verdict::Ok);
    Bytes too_old = sent[6];  // 63 behind the highest: still in the window
    EXPECT_EQ(ours->open(too_old).verdict, EspSa::Verdict::Ok);
    Bytes forged = sent[10];
    forged[forged.size() / 2] ^= 1;
    EXPECT_EQ(ours->open(forged).verdict, EspSa::Verdict::Unauthentic);
    Bytes other_spi = sent[11];
    other_spi[3] ^= 1;
    EXPECT_EQ(ours->open(other_spi).verdict, EspSa::Verdict::Malformed);
    Bytes truncated(sent[12].begin(), sent[12].begin() + 10);
    EXPECT_EQ(ours->open(truncated).verdict, EspSa::Verdict::Malformed);
  }
}

TEST(IkeMessage, PayloadsRoundTripAndMalformedOnesAreRefused) {
  std::vector<Proposal> offer = {
      Proposal{1,
               protocol::kEsp,
               {1, 2, 3, 4},
               {{transform::kEncr, encr::kAesGcm16, 256}, {transform::kEsn, 0, 0}}}};
  Bytes sa = build_sa(offer);
  auto back = parse_sa(sa);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].transforms[0].key_bits, 256);
  EXPECT_EQ((*back)[0].spi, (Bytes{1, 2, 3, 4}));
  for (std::size_t cut = 1; cut < sa.size(); ++cut) {
    EXPECT_FALSE(parse_sa(ByteView(sa).first(cut))) << cut;
  }
  Bytes bad_length = sa;
  bad_length[3] = 0xff;
  EXPECT_FALSE(parse_sa(bad_length));

  std::vector<TrafficSelector> ts{{7, 6, 80, 80, 0x0a000000, 0x0a0000ff}};
  auto ts_back = parse_ts(build_ts(ts));
  ASSERT_TRUE(ts_back);
  EXPECT_EQ((*ts_back)[0].end, 0x0a0000ffu);
  EXPECT_EQ((*ts_back)[0].ip_protocol, 6);

  ChainBuilder c;
  c.add(payload::kNonce, Bytes(32, 9));
  c.add(payload::kNotify, build_notify(notify::kCookie, Bytes{1, 2}));
  Bytes m = c.message(Header{1, 0, 0, exchange::kSaInit, flag::kInitiator, 0, 0});
  auto h = parse_header(m);
  ASSERT_TRUE(h);
  auto chain = parse_payloads(h->next_payload, ByteView(m).subspan(kHeaderSize));
  ASSERT_TRUE(chain);
  EXPECT_EQ(describe(*chain), "No N(16390)");
  Bytes wrong_version = m;
  wrong_version[17] = 0x10;
  EXPECT_FALSE(parse_header(wrong_version));
  Bytes long_payload = m;
  long_payload[kHeaderSize + 3] = 0xff;  // the nonce runs past the message
  EXPECT_FALSE(parse_payloads(h->next_payload, ByteView(long_payload).subspan(kHeaderSize)));
}

}  // namespace
}  // namespace openras::ike
