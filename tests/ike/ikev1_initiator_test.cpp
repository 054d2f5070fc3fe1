// The IKEv1 initiator back to back with the in-repo responder, in virtual time: Main Mode and
// Quick Mode with the ESP data path, the failures and their Windows codes (silence, a wrong
// pre-shared key, no NAT-T, a refusal), lost messages, the server's own Quick Mode, DPD both
// ways, Deletes both ways, our rekey, close, garbage.
#include "ike/ikev1_initiator.hpp"

#include <gtest/gtest.h>

#include "ikev1_test_responder.hpp"
#include "raserror.h"

namespace openras::ike::v1 {
namespace {

using namespace std::chrono_literals;
using testing::ResponderConfig;
using testing::TestResponder;

InitiatorConfig config(const std::string& psk = "vpn") {
  InitiatorConfig c;
  c.pre_shared_key = psk;
  c.local_ipv4 = 0x0ac90001;
  c.server_ipv4 = 0x0ac90002;
  c.local_port = 40000;
  return c;
}

struct Link {
  explicit Link(ResponderConfig rc = {}, InitiatorConfig ic = config())
      : responder(std::move(rc)), initiator(std::move(ic), random) {}
  // Moves messages both ways until nothing moves; the first `drop_*` of each way are lost.
  void run(int drop_to_responder = 0, int drop_to_initiator = 0) {
    for (int round = 0; round < 50; ++round) {
      bool moved = false;
      Bytes m;
      while (initiator.poll_message(m)) {
        moved = true;
        sent.push_back(m);
        if (drop_to_responder > 0) {
          --drop_to_responder;
          continue;
        }
        responder.receive(m);
      }
      while (!responder.outbox().empty()) {
        moved = true;
        Bytes r = std::move(responder.outbox().front());
        responder.outbox().pop_front();
        if (drop_to_initiator > 0) {
          --drop_to_initiator;
          continue;
        }
        initiator.receive(r, now);
      }
      drain_events();
      if (!moved) return;
    }
  }
  void start() {
    initiator.start(now);
    run();
  }
  // Runs the timers (and the exchanges they start) until `limit` of virtual time has passed.
  void run_for(Duration limit) {
    const TimePoint end = now + limit;
    while (now < end) {
      auto d = initiator.next_deadline();
      if (!d || *d > end) {
        now = end;
        break;
      }
      now = std::max(now, *d);
      initiator.on_timer(now);
      run();
    }
  }
  void drain_events() {
    while (auto e = initiator.poll_event()) {
      if (auto* up = std::get_if<event::ChildUp>(&*e)) children.push_back(up->esp);
      if (auto* down = std::get_if<event::ChildDown>(&*e)) downs.push_back(down->spi_in);
      if (auto* f = std::get_if<event::Failed>(&*e)) error = f->error;
      if (std::holds_alternative<event::Closed>(*e)) closed = true;
      if (std::holds_alternative<event::Phase1Done>(*e)) phase1 = true;
    }
  }

  ppp::testing::SeededRandom random{11};
  TestResponder responder;
  Initiator initiator;
  TimePoint now{};
  std::vector<Bytes> sent;
  std::vector<std::shared_ptr<EspSa>> children;
  std::vector<std::uint32_t> downs;
  std::uint32_t error = 0;
  bool closed = false;
  bool phase1 = false;
};

// `from` seals a UDP datagram in transport mode, `to` opens it intact.
bool carries(EspSa& from, EspSa& to, std::uint8_t fill) {
  Bytes inner(60, fill);
  Bytes packet(from.sealed_size(inner.size()));
  packet.resize(from.seal(inner, 17, packet.data()));
  auto opened = to.open(packet);
  return opened.verdict == EspSa::Verdict::Ok && opened.next_header == 17 &&
         Bytes(opened.inner.begin(), opened.inner.end()) == inner;
}

TEST(Ikev1Initiator, MainModeAndQuickModeGiveAnEspPairThatCarriesBothWays) {
  Link link;
  link.start();
  EXPECT_TRUE(link.phase1);
  ASSERT_EQ(link.children.size(), 1u);
  ASSERT_TRUE(link.responder.sa());
  EXPECT_TRUE(carries(*link.children[0], *link.responder.sa(), 1));
  EXPECT_TRUE(carries(*link.responder.sa(), *link.children[0], 2));
  // AES-256 was offered first and taken; HMAC-SHA1-96 protects it.
  EXPECT_EQ(link.children[0]->transforms().key_bits, 256);
  EXPECT_EQ(link.children[0]->transforms().integ, integ::kHmacSha1_96);
  EXPECT_EQ(link.error, 0u);
  // MM1 carries the SA and both vendor IDs, in clear; MM5 onwards is encrypted.
  auto mm1 = parse_header(link.sent[0]);
  ASSERT_TRUE(mm1);
  EXPECT_EQ(mm1->exchange, exchange::kMain);
  EXPECT_FALSE(mm1->flags & flag::kEncrypted);
  EXPECT_TRUE(parse_header(link.sent[2])->flags & flag::kEncrypted);
}

TEST(Ikev1Initiator, AServerPublicValueWithoutItsLeadingZeroStillAgrees) {
  ResponderConfig rc;
  rc.strip_leading_zero = true;
  Link link(rc);
  link.start();
  ASSERT_EQ(link.children.size(), 1u) << link.error;
  EXPECT_TRUE(carries(*link.children[0], *link.responder.sa(), 3));
}

TEST(Ikev1Initiator, ASilentServerIs809AfterTheRetransmissions) {
  ResponderConfig rc;
  rc.silent = true;
  InitiatorConfig ic = config();
  ic.transmissions = 3;
  Link link(rc, ic);
  link.start();
  link.run_for(10s);
  EXPECT_EQ(link.error, static_cast<std::uint32_t>(ERROR_VPN_TIMEOUT));
  EXPECT_EQ(link.sent.size(), 3u);
  // 0.5 s, 1 s, then 2 s more before giving up: 3.5 s of virtual time.
  EXPECT_FALSE(link.initiator.next_deadline());
}

TEST(Ikev1Initiator, AWrongPreSharedKeyIs789) {
  InitiatorConfig ic = config("not-the-key");
  ic.transmissions = 2;
  Link link({}, ic);
  link.start();
  link.run_for(10s);
  EXPECT_EQ(link.error, static_cast<std::uint32_t>(ERROR_OAKLEY_GENERAL_PROCESSING));
  EXPECT_EQ(link.responder.mm5_seen(), 0);
  EXPECT_TRUE(link.children.empty());
}

TEST(Ikev1Initiator, AServerWithoutNatTraversalIs788) {
  ResponderConfig rc;
  rc.announce_nat_t = false;
  Link link(rc);
  link.start();
  EXPECT_EQ(link.error, static_cast<std::uint32_t>(ERROR_OAKLEY_ATTRIB_FAIL));
}

TEST(Ikev1Initiator, ARefusedProposalIs788) {
  ResponderConfig rc;
  rc.refuse_main_mode = true;
  Link link(rc);
  link.start();
  EXPECT_EQ(link.error, static_cast<std::uint32_t>(ERROR_OAKLEY_ATTRIB_FAIL));
}

TEST(Ikev1Initiator, LostMessagesAreSentAgainAndALostQm3IsRepeatedForTheServersRepeat) {
  Link link;
  link.initiator.start(link.now);
  link.run(1, 0);  // MM1 lost
  link.run_for(1s);
  ASSERT_TRUE(link.phase1);
  ASSERT_EQ(link.children.size(), 1u);
  // The responder did not get QM3 (lost): it repeats QM2, and the initiator repeats QM3.
  Link lossy;
  lossy.initiator.start(lossy.now);
  Bytes m;
  for (int step = 0; step < 3; ++step) {  // MM1/MM3/MM5 and their answers
    while (lossy.initiator.poll_message(m)) lossy.responder.receive(m);
    while (!lossy.responder.outbox().empty()) {
      lossy.initiator.receive(lossy.responder.outbox().front(), lossy.now);
      lossy.responder.outbox().pop_front();
    }
  }
  while (lossy.initiator.poll_message(m)) lossy.responder.receive(m);  // QM1
  ASSERT_FALSE(lossy.responder.outbox().empty());
  lossy.initiator.receive(lossy.responder.outbox().front(), lossy.now);  // QM2
  lossy.responder.outbox().pop_front();
  ASSERT_TRUE(lossy.initiator.poll_message(m));  // QM3, lost
  EXPECT_EQ(lossy.responder.qm_answered(), 0);
  lossy.initiator.receive(lossy.responder.last_qm2, lossy.now);  // the server's repeat
  ASSERT_TRUE(lossy.initiator.poll_message(m));
  lossy.responder.receive(m);
  EXPECT_EQ(lossy.responder.qm_answered(), 1);
}

TEST(Ikev1Initiator, AQuickModeTheServerStartsIsAnsweredAndItsSaTakesOver) {
  Link link;
  link.start();
  ASSERT_EQ(link.children.size(), 1u);
  link.responder.start_quick_mode();
  link.run();
  ASSERT_EQ(link.children.size(), 2u) << link.error;
  EXPECT_EQ(link.responder.qm_answered(), 2);               // our Quick Mode, then its own
  EXPECT_EQ(link.children[1]->transforms().key_bits, 128);  // what the server offered
  EXPECT_TRUE(carries(*link.children[1], *link.responder.sa(), 4));
  EXPECT_TRUE(carries(*link.responder.sa(), *link.children[1], 5));
  // The older pair goes 10 s later, with a Delete to the server.
  link.run_for(11s);
  ASSERT_EQ(link.downs.size(), 1u);
  EXPECT_EQ(link.downs[0], link.children[0]->spi_in());
  ASSERT_FALSE(link.responder.deleted.empty());
  EXPECT_EQ(link.responder.deleted.back(), protocol::kEsp);
}

TEST(Ikev1Initiator, AServerQuickModeAskingForPfsGetsItsKeyExchange) {
  Link link;
  link.start();
  link.responder.start_quick_mode(true);
  link.run();
  ASSERT_EQ(link.children.size(), 2u) << link.error;
  EXPECT_TRUE(link.responder.pfs_used);
  // Both sides mixed g^xy into KEYMAT: the pair carries both ways.
  EXPECT_TRUE(carries(*link.children[1], *link.responder.sa(), 9));
  EXPECT_TRUE(carries(*link.responder.sa(), *link.children[1], 10));
}

TEST(Ikev1Initiator, DpdIsAnsweredWithTheSequenceAndAQuietServerIsProbed) {
  InitiatorConfig ic = config();
  ic.liveness_after = 10s;
  Link link({}, ic);
  link.start();
  link.responder.send_dpd(77);
  link.run();
  EXPECT_EQ(link.responder.last_ack_sequence, 77u);
  // Ten quiet seconds: our own R-U-THERE, which the server acknowledges.
  link.run_for(11s);
  ASSERT_FALSE(link.responder.notifies.empty());
  EXPECT_EQ(link.responder.notifies.back(), notify::kRuThere);
  EXPECT_EQ(link.error, 0u);
}

TEST(Ikev1Initiator, AVanishedServerIsALinkFailureFoundByDpd) {
  InitiatorConfig ic = config();
  ic.liveness_after = 10s;
  ic.transmissions = 3;
  Link link({}, ic);
  link.start();
  link.run_for(1s);
  // From now on the server is gone: nothing reaches it.
  TimePoint end = link.now + 60s;
  while (link.now < end && link.error == 0) {
    auto d = link.initiator.next_deadline();
    if (!d) break;
    link.now = std::max(link.now, *d);
    link.initiator.on_timer(link.now);
    Bytes m;
    while (link.initiator.poll_message(m)) {
    }
    link.drain_events();
  }
  EXPECT_EQ(link.error, static_cast<std::uint32_t>(ERROR_LINK_FAILURE));
}

TEST(Ikev1Initiator, TheServerDeletingTheEspSaBringsANewQuickModeAndDeletingIsakmpEndsIt) {
  Link link;
  link.start();
  link.responder.delete_esp();
  link.run();
  ASSERT_EQ(link.downs.size(), 1u);
  ASSERT_EQ(link.children.size(), 2u);  // a new pair at once
  EXPECT_TRUE(carries(*link.children[1], *link.responder.sa(), 6));
  link.responder.delete_isakmp();
  link.run();
  EXPECT_EQ(link.error, static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
}

TEST(Ikev1Initiator, OurRekeyComesAtNineTenthsOfTheLifetimeTheServerGave) {
  ResponderConfig rc;
  rc.lifetime = 100;
  Link link(rc);
  link.start();
  ASSERT_EQ(link.children.size(), 1u);
  link.run_for(89s);
  EXPECT_EQ(link.children.size(), 1u);
  link.run_for(2s);
  ASSERT_EQ(link.children.size(), 2u);
  EXPECT_TRUE(carries(*link.children[1], *link.responder.sa(), 7));
  EXPECT_EQ(link.error, 0u);
}

TEST(Ikev1Initiator, CloseDeletesTheEspSaAndTheIsakmpSa) {
  Link link;
  link.start();
  link.initiator.close(link.now);
  link.run();
  EXPECT_TRUE(link.closed);
  ASSERT_EQ(link.responder.deleted.size(), 2u);
  EXPECT_EQ(link.responder.deleted[0], protocol::kEsp);
  EXPECT_EQ(link.responder.deleted[1], protocol::kIsakmp);
  EXPECT_FALSE(link.initiator.next_deadline());
}

TEST(Ikev1Initiator, GarbageAndForgeriesAreIgnored) {
  Link link;
  link.start();
  ppp::testing::SeededRandom noise(5);
  for (int i = 0; i < 500; ++i) {
    Bytes junk(noise.u32() % 200);
    noise.fill(junk.data(), junk.size());
    if (junk.size() >= 28 && i % 2) {
      // A header that names our SA, then random octets: decrypts to nothing that verifies.
      Bytes real = link.sent.back();
      std::copy(real.begin(), real.begin() + 16, junk.begin());
      junk[17] = 0x10;
      junk[19] = flag::kEncrypted;
      wire::set32(junk.data() + 24, static_cast<std::uint32_t>(junk.size()));
    }
    link.initiator.receive(junk, link.now);
  }
  link.drain_events();
  EXPECT_EQ(link.error, 0u);
  EXPECT_EQ(link.children.size(), 1u);
  EXPECT_TRUE(carries(*link.children[0], *link.responder.sa(), 8));
}

}  // namespace
}  // namespace openras::ike::v1
