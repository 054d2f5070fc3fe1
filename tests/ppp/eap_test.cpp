// EAP-MSCHAPv2 on the wire, packet by packet: the client's answers to a scripted
// authenticator (formats from RFC 3748 and draft-kamath-pppext-eap-mschapv2), and the ways a
// server can fail to prove itself.
#include "ppp/eap.hpp"

#include <gtest/gtest.h>

#include "raserror.h"
#include "test_random.hpp"

namespace openras::ppp {
namespace {

struct Script {
  SessionConfig config;
  Negotiated negotiated;
  testing::SeededRandom random{9};
  std::deque<OutPacket> outbox;
  EapPeer peer{config, negotiated, random, outbox};
  TimePoint now{};

  Script() { peer.start("alice", "secret", now); }

  void request(std::uint8_t id, std::uint8_t type, const Bytes& data) {
    Bytes packet{1, id};
    put16(packet, static_cast<std::uint16_t>(5 + data.size()));
    packet.push_back(type);
    packet.insert(packet.end(), data.begin(), data.end());
    peer.receive(packet, now);
  }
  void verdict(std::uint8_t code, std::uint8_t id) { peer.receive(Bytes{code, id, 0, 4}, now); }
  Bytes answer() {
    EXPECT_FALSE(outbox.empty());
    if (outbox.empty()) return {};
    EXPECT_EQ(outbox.front().protocol, kProtoEap);
    Bytes p = outbox.front().packet;
    outbox.pop_front();
    return p;
  }
  // An MS-CHAPv2 packet inside type 26.
  static Bytes mschapv2(std::uint8_t op, std::uint8_t ms_id, const std::string& text) {
    Bytes out{op, ms_id};
    put16(out, static_cast<std::uint16_t>(4 + text.size()));
    out.insert(out.end(), text.begin(), text.end());
    return out;
  }
  void challenge(std::uint8_t id, const mschap::Challenge16& value) {
    Bytes body{1, id, 0, 0, 16};
    body.insert(body.end(), value.begin(), value.end());
    body.insert(body.end(), {'s', 'r', 'v'});
    body[2] = 0;
    body[3] = static_cast<std::uint8_t>(body.size());
    request(id, 26, body);
  }
};

TEST(Eap, IdentityThenChallengeAnswersInTheDraftsFormat) {
  Script s;
  s.request(7, 1, {});
  EXPECT_EQ(s.answer(), (Bytes{2, 7, 0, 10, 1, 'a', 'l', 'i', 'c', 'e'}));
  mschap::Challenge16 challenge{};
  for (int i = 0; i < 16; ++i) challenge[i] = static_cast<std::uint8_t>(i * 3);
  s.challenge(8, challenge);
  Bytes r = s.answer();
  // Code, id, length; type 26; OpCode 2, the challenge's MS-CHAPv2-ID, MS-Length = length - 5;
  // value size 49; then the name.
  ASSERT_EQ(r.size(), 4u + 1 + 4 + 1 + 49 + 5);
  EXPECT_EQ(r[0], 2);
  EXPECT_EQ(r[1], 8);
  EXPECT_EQ(get16(r.data() + 2), r.size());
  EXPECT_EQ(r[4], 26);
  EXPECT_EQ(r[5], 2);
  EXPECT_EQ(r[6], 8);
  EXPECT_EQ(get16(r.data() + 7), r.size() - 5);
  EXPECT_EQ(r[9], 49);
  EXPECT_EQ(std::string(r.end() - 5, r.end()), "alice");
  // The NT-Response is RFC 2759's for this challenge and the peer challenge sent.
  mschap::Challenge16 peer;
  std::copy_n(r.begin() + 10, 16, peer.begin());
  auto nt = mschap::generate_nt_response(challenge, peer, "alice", "secret");
  EXPECT_TRUE(std::equal(nt.begin(), nt.end(), r.begin() + 10 + 24));
  // A repeated Request gets the same Response, not a new one; a new Request that reuses the
  // identifier (SoftEther does) is answered afresh.
  s.challenge(8, challenge);
  EXPECT_EQ(s.answer(), r);
  s.request(8, 4, {16, 1, 2, 3});
  EXPECT_EQ(s.answer(), (Bytes{2, 8, 0, 6, 3, 26}));
}

TEST(Eap, AnotherEapTypeIsNakedForMsChapV2) {
  Script s;
  s.request(3, 4, {16, 1, 2, 3});  // EAP-MD5-Challenge
  EXPECT_EQ(s.answer(), (Bytes{2, 3, 0, 6, 3, 26}));
  EXPECT_EQ(s.peer.status(), AuthStatus::Running);
}

// The whole exchange up to the server's MS-CHAPv2 Success, with the proof it carries.
std::string proof_for(Script& s, const mschap::Challenge16& challenge) {
  s.challenge(1, challenge);
  Bytes r = s.answer();
  mschap::Challenge16 peer;
  std::copy_n(r.begin() + 10, 16, peer.begin());
  mschap::NtResponse nt;
  std::copy_n(r.begin() + 34, 24, nt.begin());
  return mschap::authenticator_response("secret", nt, peer, challenge, "alice");
}

TEST(Eap, SuccessNeedsTheServersProofAndYieldsTheMasterKey) {
  Script s;
  mschap::Challenge16 challenge{1, 2, 3};
  std::string proof = proof_for(s, challenge);
  s.request(2, 26, Script::mschapv2(3, 1, proof + " M=hello"));
  EXPECT_EQ(s.answer(), (Bytes{2, 2, 0, 6, 26, 3}));  // Success acknowledged
  EXPECT_EQ(s.peer.status(), AuthStatus::Running);    // until the EAP Success
  s.verdict(3, 2);
  EXPECT_EQ(s.peer.status(), AuthStatus::Succeeded);
  EXPECT_EQ(s.negotiated.auth_message, "hello");
  EXPECT_TRUE(s.negotiated.mppe_master_key.has_value());
}

TEST(Eap, AWrongProofIsRefused) {
  Script s;
  std::string proof = proof_for(s, mschap::Challenge16{4});
  proof[5] = proof[5] == '0' ? '1' : '0';
  s.request(2, 26, Script::mschapv2(3, 1, proof));
  EXPECT_EQ(s.peer.status(), AuthStatus::Failed);
  EXPECT_EQ(s.peer.error(), static_cast<std::uint32_t>(ERROR_UNABLE_TO_AUTHENTICATE_SERVER));
}

TEST(Eap, AnEapSuccessWithoutTheProofIsRefused) {
  Script s;
  proof_for(s, mschap::Challenge16{5});
  s.verdict(3, 2);
  EXPECT_EQ(s.peer.error(), static_cast<std::uint32_t>(ERROR_UNABLE_TO_AUTHENTICATE_SERVER));
}

TEST(Eap, FailureCodesMapToWin32Errors) {
  Script s;
  proof_for(s, mschap::Challenge16{6});
  s.request(2, 26, Script::mschapv2(4, 1, "E=648 R=0 C=00000000000000000000000000000000 V=3"));
  EXPECT_EQ(s.answer(), (Bytes{2, 2, 0, 6, 26, 4}));  // Failure acknowledged
  EXPECT_EQ(s.peer.error(), static_cast<std::uint32_t>(ERROR_PASSWD_EXPIRED));
}

TEST(Eap, MalformedPacketsAreIgnored) {
  Script s;
  s.peer.receive(Bytes{1, 1, 0, 40, 26}, s.now);  // longer than it is
  s.request(1, 26, Bytes{1, 1, 0, 30, 16});       // MS-Length past the end
  s.request(2, 26, Bytes{1, 2, 0, 6, 15, 0});     // value size not 16
  s.request(3, 26, Bytes{9, 3, 0, 4});            // unknown OpCode
  EXPECT_TRUE(s.outbox.empty());
  EXPECT_EQ(s.peer.status(), AuthStatus::Running);
  s.now += std::chrono::minutes(2);
  s.peer.on_timer(s.now);
  EXPECT_EQ(s.peer.error(), static_cast<std::uint32_t>(ERROR_PPP_TIMEOUT));
}

}  // namespace
}  // namespace openras::ppp
