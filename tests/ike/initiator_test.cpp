// The IKEv2 initiator back to back with the in-repo responder, in virtual time: the paths a
// real strongSwan cannot be made to take on demand (COOKIE, a DH group refused, lost
// messages, a wrong AUTH from the server, no proposal, a silent or vanished peer, the
// server's own rekey and liveness checks, a Delete either way) and the ESP data path.
#include "ike/initiator.hpp"

#include <gtest/gtest.h>

#include "raserror.h"
#include "test_responder.hpp"

namespace openras::ike {
namespace {

using namespace std::chrono_literals;
using testing::ResponderConfig;
using testing::TestResponder;

struct Link {
  explicit Link(ResponderConfig rc = {}, InitiatorConfig ic = psk_config())
      : responder(std::move(rc)), initiator(std::move(ic), random) {}
  static InitiatorConfig psk_config() {
    InitiatorConfig c;
    c.method = InitiatorConfig::Method::PreSharedKey;
    c.pre_shared_key = "sesame";
    c.server_ipv4 = 0x0ac90002;
    return c;
  }
  // Moves messages both ways until nothing moves; `drop_to_responder` loses that many first.
  void run(int drop_to_responder = 0, int drop_to_initiator = 0) {
    for (int round = 0; round < 50; ++round) {
      bool moved = false;
      Bytes m;
      while (initiator.poll_message(m)) {
        moved = true;
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
  void advance(Duration d) {
    now += d;
    initiator.on_timer(now);
    drain_events();
  }
  // Runs the timers until `limit` of virtual time has passed or the initiator is done.
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
      if (auto* est = std::get_if<event::Established>(&*e)) network = est->network;
      if (auto* f = std::get_if<event::Failed>(&*e)) error = f->error;
      if (std::holds_alternative<event::Closed>(*e)) closed = true;
      if (std::holds_alternative<event::SaInitDone>(*e)) sa_init_done = true;
    }
  }

  ppp::testing::SeededRandom random{7};
  TestResponder responder;
  Initiator initiator;
  TimePoint now{};
  std::vector<std::shared_ptr<EspSa>> children;
  std::vector<std::uint32_t> downs;
  std::optional<NetworkConfig> network;
  std::uint32_t error = 0;
  bool closed = false;
  bool sa_init_done = false;
};

// An IPv4 packet (only the version nibble matters here).
Bytes ip_packet(std::uint8_t fill, std::size_t n = 100) {
  Bytes p(n, fill);
  p[0] = 0x45;
  return p;
}

// `from` seals, `to` opens: the inner packet arrives intact.
bool carries(EspSa& from, EspSa& to, std::uint8_t fill) {
  Bytes inner = ip_packet(fill);
  Bytes packet(from.sealed_size(inner.size()));
  packet.resize(from.seal(inner, 4, packet.data()));
  auto opened = to.open(packet);
  return opened.verdict == EspSa::Verdict::Ok &&
         Bytes(opened.inner.begin(), opened.inner.end()) == inner;
}

TEST(Ikev2Initiator, PreSharedKeyEstablishesAndCarriesPacketsBothWays) {
  Link l;
  l.initiator.start(l.now);
  l.run();
  ASSERT_EQ(l.error, 0u);
  ASSERT_TRUE(l.initiator.established());
  ASSERT_TRUE(l.network);
  EXPECT_EQ(l.network->ip, 0x0a630001u);
  ASSERT_EQ(l.network->dns.size(), 1u);
  EXPECT_EQ(l.network->remote_ts.size(), 1u);
  ASSERT_EQ(l.children.size(), 1u);
  EXPECT_TRUE(carries(*l.children[0], *l.responder.esp(), 0x11));
  EXPECT_TRUE(carries(*l.responder.esp(), *l.children[0], 0x22));
}

TEST(Ikev2Initiator, ACookieAndARefusedGroupAreAnsweredWithANewSaInit) {
  ResponderConfig rc;
  rc.demand_cookie = true;
  rc.group = dh::kModp2048;  // not the first we offer
  Link l(rc);
  l.initiator.start(l.now);
  l.run();
  EXPECT_EQ(l.error, 0u);
  EXPECT_TRUE(l.initiator.established());
  EXPECT_EQ(l.responder.sa_inits(), 3);  // cookie, group, then the one taken
}

TEST(Ikev2Initiator, LostMessagesAreRetransmitted) {
  Link l;
  l.initiator.start(l.now);
  l.run(1, 0);  // the first IKE_SA_INIT is lost
  EXPECT_FALSE(l.sa_init_done);
  l.advance(600ms);
  Bytes m;
  while (l.initiator.poll_message(m)) l.responder.receive(m);  // the retransmission
  ASSERT_EQ(l.responder.outbox().size(), 1u);
  l.initiator.receive(l.responder.outbox().front(), l.now);
  l.responder.outbox().clear();
  l.drain_events();
  EXPECT_TRUE(l.sa_init_done);
  while (l.initiator.poll_message(m)) l.responder.receive(m);  // IKE_AUTH ...
  l.responder.outbox().clear();                                // ... whose answer is lost
  EXPECT_FALSE(l.initiator.established());
  l.advance(600ms);
  l.run();  // the retransmitted IKE_AUTH is answered from the responder's cache
  EXPECT_TRUE(l.initiator.established());
}

TEST(Ikev2Initiator, ASilentServerIsVpnTimeout) {
  InitiatorConfig ic = Link::psk_config();
  ic.transmissions = 3;
  Link l({}, ic);
  l.initiator.start(l.now);
  Bytes m;
  const TimePoint t0 = l.now;
  while (!l.error && l.now - t0 < 60s) {
    while (l.initiator.poll_message(m)) {
    }
    auto d = l.initiator.next_deadline();
    ASSERT_TRUE(d);
    l.advance(*d - l.now);
  }
  EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_VPN_TIMEOUT));
  EXPECT_EQ(l.now - t0, 3500ms);  // 0.5 + 1 + 2 s
}

TEST(Ikev2Initiator, FailuresHaveTheirWindowsCodes) {
  {
    ResponderConfig rc;
    rc.no_proposal = true;
    Link l(rc);
    l.initiator.start(l.now);
    l.run();
    EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_IPSEC_IKE_POLICY_MATCH));
  }
  {
    ResponderConfig rc;
    rc.refuse_auth = true;
    Link l(rc);
    l.initiator.start(l.now);
    l.run();
    EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_IPSEC_IKE_AUTH_FAIL));
  }
  {
    ResponderConfig rc;
    rc.corrupt_auth = true;  // a server that does not know the key
    Link l(rc);
    l.initiator.start(l.now);
    l.run();
    EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_IPSEC_IKE_AUTH_FAIL));
    EXPECT_FALSE(l.initiator.established());
  }
}

TEST(Ikev2Initiator, TheServersChildRekeyIsTakenAndTheOldSaDeletedAfter) {
  Link l;
  l.initiator.start(l.now);
  l.run();
  ASSERT_TRUE(l.initiator.established());
  l.responder.send_child_rekey();
  l.run();
  ASSERT_EQ(l.children.size(), 2u);
  auto rekeyed = l.responder.rekeyed_esp();
  ASSERT_TRUE(rekeyed);
  EXPECT_TRUE(carries(*l.children[1], *rekeyed, 0x33));
  EXPECT_TRUE(carries(*rekeyed, *l.children[1], 0x44));
  EXPECT_NE(l.children[1]->spi_in(), l.children[0]->spi_in());
  l.responder.send_delete_first_child();
  l.run();
  ASSERT_EQ(l.downs.size(), 1u);
  EXPECT_EQ(l.downs[0], l.children[0]->spi_in());
  auto deleted = l.responder.deleted_in_answer();  // ours of the pair, in the answer
  ASSERT_EQ(deleted.size(), 1u);
  const std::uint32_t spi = static_cast<std::uint32_t>(deleted[0][0]) << 24 | deleted[0][1] << 16 |
                            deleted[0][2] << 8 | deleted[0][3];
  EXPECT_EQ(spi, l.children[0]->spi_in());
  EXPECT_EQ(l.error, 0u);
  EXPECT_TRUE(l.initiator.established());
}

TEST(Ikev2Initiator, AnIkeSaLeftWithoutAChildSaEndsUnlessTheServerMakesANewOne) {
  Link l;
  l.initiator.start(l.now);
  l.run();
  l.responder.send_delete_first_child();
  l.run();
  EXPECT_EQ(l.error, 0u);  // it may yet make a new one
  l.run_for(11s);
  EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
}

TEST(Ikev2Initiator, TheServersLivenessCheckIsAnsweredAndItsRepeatFromTheCache) {
  Link l;
  l.initiator.start(l.now);
  l.run();
  l.responder.send_liveness();
  Bytes request = l.responder.outbox().back();
  l.run();
  EXPECT_EQ(l.responder.responses().size(), 1u);
  l.initiator.receive(request, l.now);  // the same request again: our answer was lost
  l.run();
  EXPECT_EQ(l.responder.responses().size(), 2u);
  EXPECT_TRUE(l.initiator.established());
}

TEST(Ikev2Initiator, AQuietServerIsCheckedAndAVanishedOneIsALinkFailure) {
  InitiatorConfig ic = Link::psk_config();
  ic.liveness_after = 10s;
  ic.transmissions = 2;
  Link l({}, ic);
  l.initiator.start(l.now);
  l.run();
  l.run_for(11s);  // one check, answered
  EXPECT_EQ(l.responder.informational_requests(), 1);
  EXPECT_EQ(l.error, 0u);
  // From now on nothing reaches the responder.
  const TimePoint t0 = l.now;
  Bytes m;
  while (!l.error && l.now - t0 < 60s) {
    while (l.initiator.poll_message(m)) {
    }
    auto d = l.initiator.next_deadline();
    ASSERT_TRUE(d);
    l.advance(*d - l.now);
  }
  EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_LINK_FAILURE));
}

TEST(Ikev2Initiator, DeletesBothWays) {
  {
    Link l;
    l.initiator.start(l.now);
    l.run();
    l.initiator.close(l.now);
    l.run();
    EXPECT_TRUE(l.responder.ike_deleted());
    EXPECT_TRUE(l.closed);
  }
  {
    Link l;
    l.initiator.start(l.now);
    l.run();
    l.responder.send_delete_ike();
    l.run();
    EXPECT_EQ(l.error, static_cast<std::uint32_t>(ERROR_REMOTE_DISCONNECTION));
    EXPECT_EQ(l.responder.responses().size(), 1u);  // it was answered
  }
}

TEST(Ikev2Initiator, GarbageIsDroppedWithoutHarm) {
  Link l;
  l.initiator.start(l.now);
  ppp::testing::SeededRandom noise(3);
  for (int i = 0; i < 200; ++i) {
    Bytes junk(static_cast<std::size_t>(i) + 1);
    noise.fill(junk.data(), junk.size());
    if (junk.size() >= 28) junk[17] = 0x20;  // looks like IKEv2
    l.initiator.receive(junk, l.now);
  }
  l.run();
  EXPECT_EQ(l.error, 0u);
  EXPECT_TRUE(l.initiator.established());
}

}  // namespace
}  // namespace openras::ike
