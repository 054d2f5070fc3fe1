// The initiator's answers to the server's requests once the IKE SA is up: INFORMATIONAL
// (liveness, MOBIKE address updates, deletes of CHILD_SAs and of the IKE SA) and
// CREATE_CHILD_SA (a CHILD_SA rekeyed or made anew, the IKE SA rekeyed).
#include <algorithm>

#include "ike/initiator.hpp"
#include "ike/proposals.hpp"
#include "ike/wire.hpp"
#include "raserror.h"

namespace openras::ike {
namespace {

using namespace wire;

}  // namespace

void Initiator::on_request(const SkCodec::Opened& m, TimePoint now) {
  switch (m.header.exchange) {
    case exchange::kInformational:
      answer_informational(m, now);
      return;
    case exchange::kCreateChild:
      answer_create_child(m, now);
      return;
    default: {
      ChainBuilder empty;
      respond(m.header.message_id, m.header.exchange, empty);
      return;
    }
  }
}

void Initiator::answer_informational(const SkCodec::Opened& m, TimePoint now) {
  ChainBuilder answer;
  bool ike_deleted = false;
  std::vector<Bytes> ours;
  for (const auto& p : m.chain.payloads) {
    if (p.type != payload::kDelete) continue;
    auto d = parse_delete(p.body);
    if (!d) continue;
    if (d->protocol == protocol::kIke) ike_deleted = true;
    if (d->protocol != protocol::kEsp) continue;
    for (const auto& spi : d->spis) {
      if (spi.size() != 4) continue;
      auto it = std::find(child_spis_out_.begin(), child_spis_out_.end(), get32(spi));
      if (it == child_spis_out_.end()) continue;
      const auto i = static_cast<std::size_t>(it - child_spis_out_.begin());
      const std::uint32_t in = child_spis_in_[i];
      Bytes mine;
      put32(mine, in);
      ours.push_back(mine);
      child_spis_out_.erase(it);
      child_spis_in_.erase(child_spis_in_.begin() + static_cast<std::ptrdiff_t>(i));
      events_.push_back(event::ChildDown{in});
    }
  }
  if (!ours.empty()) answer.add(payload::kDelete, build_delete(protocol::kEsp, ours));
  respond(m.header.message_id, exchange::kInformational, answer);
  if (ike_deleted) {
    fail(phase_ == Phase::Established ? ERROR_REMOTE_DISCONNECTION : ERROR_IPSEC_IKE_SA_DELETED);
  } else if (phase_ == Phase::Established && child_spis_in_.empty() && !orphaned_since_) {
    // No CHILD_SA left to carry anything: a server that let one expire makes a new one
    // (strongSwan: "recreate after hard expire"); one that does not has ended the call.
    orphaned_since_ = now;
  }
}

void Initiator::answer_create_child(const SkCodec::Opened& m, TimePoint now) {
  auto refuse = [&](std::uint16_t type, ByteView data = {}) {
    ChainBuilder answer;
    answer.add(payload::kNotify, build_notify(type, data));
    respond(m.header.message_id, exchange::kCreateChild, answer);
  };
  std::optional<std::uint32_t> rekeyed;
  for (const auto& p : m.chain.payloads) {
    if (p.type != payload::kNotify) continue;
    auto n = parse_notify(p.body);
    if (n && n->type == notify::kRekeySa && n->protocol == protocol::kEsp && n->spi.size() == 4) {
      rekeyed = get32(n->spi);
    }
  }
  const Payload* sa = find(m.chain, payload::kSa);
  const Payload* nonce = find(m.chain, payload::kNonce);
  const Payload* ke = find(m.chain, payload::kKe);
  const Payload* tsi = find(m.chain, payload::kTsi);
  const Payload* tsr = find(m.chain, payload::kTsr);
  // Rekeys of our CHILD_SA are taken, and a new one when none is left; a second CHILD_SA
  // is refused (the server then keeps what it has). An IKE SA rekey has no REKEY_SA.
  auto offer = sa ? parse_sa(sa->body) : std::nullopt;
  if (offer && !offer->empty() && (*offer)[0].protocol == protocol::kIke && !rekeyed) {
    answer_ike_rekey(m, *offer);
    ike_rekey_at_ = now + config_.ike_rekey_after;
    return;
  }
  const bool replaces = rekeyed && std::find(child_spis_out_.begin(), child_spis_out_.end(),
                                             *rekeyed) != child_spis_out_.end();
  if (!sa || !nonce || !tsi || !tsr || (!replaces && !child_spis_out_.empty()) ||
      (rekeyed && !replaces)) {
    refuse(notify::kNoAdditionalSas);
    return;
  }
  const std::uint32_t spi_in = random_spi(random_);
  auto accepted = offer ? accept_esp(*offer, spi_in) : std::nullopt;
  if (!accepted || nonce->body.size() < 16 || nonce->body.size() > 256) {
    refuse(notify::kNoProposalChosen);
    return;
  }
  auto& [choice, answer_proposal] = *accepted;
  Bytes shared;
  std::unique_ptr<KeyExchange> our_ke;
  if (choice.dh_group) {
    auto kep = ke ? parse_ke(ke->body) : std::nullopt;
    if (!kep || kep->type != choice.dh_group) {
      Bytes g;
      put16(g, choice.dh_group);
      refuse(notify::kInvalidKePayload, g);
      return;
    }
    our_ke = KeyExchange::make(choice.dh_group);
    auto s = our_ke ? our_ke->shared_secret(kep->data) : std::nullopt;
    if (!s) {
      refuse(notify::kNoProposalChosen);
      return;
    }
    shared = std::move(*s);
  }
  Bytes our_nonce = random_bytes(random_, kNonceSize);
  auto keys = child_keys(*keys_, choice.transforms, shared, nonce->body, our_nonce, false);
  wipe(shared);
  std::shared_ptr<EspSa> esp =
      keys ? EspSa::make(choice.transforms, choice.peer_spi, keys->out, spi_in, keys->in) : nullptr;
  if (!esp) {
    refuse(notify::kNoProposalChosen);
    return;
  }
  ChainBuilder answer;
  answer.add(payload::kSa, build_sa({answer_proposal}));
  answer.add(payload::kNonce, our_nonce);
  if (our_ke) answer.add(payload::kKe, build_ke(our_ke->group(), our_ke->public_value()));
  answer.add(payload::kTsi, tsi->body);
  answer.add(payload::kTsr, tsr->body);
  respond(m.header.message_id, exchange::kCreateChild, answer);
  child_spis_in_.push_back(spi_in);
  child_spis_out_.push_back(choice.peer_spi);
  orphaned_since_.reset();
  child_rekey_at_ = now + config_.child_rekey_after;
  events_.push_back(event::ChildUp{std::move(esp)});
}

void Initiator::answer_ike_rekey(const SkCodec::Opened& m, const std::vector<Proposal>& offer) {
  auto refuse = [&](std::uint16_t type, ByteView data = {}) {
    ChainBuilder answer;
    answer.add(payload::kNotify, build_notify(type, data));
    respond(m.header.message_id, exchange::kCreateChild, answer);
  };
  const Payload* nonce = find(m.chain, payload::kNonce);
  const Payload* ke = find(m.chain, payload::kKe);
  const std::uint64_t our_spi = random_ike_spi(random_);
  auto accepted = accept_ike(offer, config_.dh_groups, our_spi);
  if (!accepted || !nonce || nonce->body.size() < 16 || nonce->body.size() > 256 || pending_) {
    // A rekey crossing a request of ours: the server tries again later (RFC 7296 2.25).
    refuse(pending_ ? notify::kTemporaryFailure : notify::kNoProposalChosen);
    return;
  }
  auto& [suite, answer_proposal] = *accepted;
  auto kep = ke ? parse_ke(ke->body) : std::nullopt;
  if (!kep || kep->type != suite.dh) {
    Bytes g;
    put16(g, suite.dh);
    refuse(notify::kInvalidKePayload, g);
    return;
  }
  auto our_ke = KeyExchange::make(suite.dh);
  auto shared = our_ke ? our_ke->shared_secret(kep->data) : std::nullopt;
  std::uint64_t their_spi = 0;
  for (const auto& p : offer) {
    if (p.number == answer_proposal.number && p.spi.size() == 8)
      their_spi = wire::get64(p.spi.data());
  }
  Bytes our_nonce = random_bytes(random_, kNonceSize);
  // The server began the exchange: it is the new SA's original initiator.
  auto keys = shared ? derive_rekeyed_ike_keys(*keys_, suite, *shared, nonce->body, our_nonce,
                                               their_spi, our_spi)
                     : std::nullopt;
  if (shared) wipe(*shared);
  auto codec = keys ? SkCodec::make(*keys, false) : nullptr;
  if (!codec) {
    refuse(notify::kNoProposalChosen);
    return;
  }
  ChainBuilder answer;
  answer.add(payload::kSa, build_sa({answer_proposal}));
  answer.add(payload::kNonce, our_nonce);
  answer.add(payload::kKe, build_ke(suite.dh, our_ke->public_value()));
  respond(m.header.message_id, exchange::kCreateChild, answer);
  adopt_ike_sa(their_spi, our_spi, false, std::move(keys), std::move(codec));
}

void Initiator::on_retired(ByteView message, const Header& h) {
  if (h.flags & flag::kResponse) {
    retired_.reset();  // the answer to our Delete of it (after a rekey of ours)
    return;
  }
  RetiredSa& r = *retired_;
  auto answer = [&](std::uint8_t exch, const ChainBuilder& inner) {
    Header a{
        r.spi_i,
        r.spi_r,
        0,
        exch,
        static_cast<std::uint8_t>((r.original_initiator ? flag::kInitiator : 0) | flag::kResponse),
        h.message_id,
        0};
    r.last_response = r.codec->seal(a, inner.first(), inner.bytes(), 0);
    for (const auto& d : r.last_response) out_.push_back(d);
  };
  if (h.message_id + 1 == r.peer_next_id && !r.last_response.empty()) {
    for (const auto& d : r.last_response) out_.push_back(d);
    return;
  }
  if (h.message_id != r.peer_next_id) return;
  SkCodec::Opened m;
  if (r.codec->open(message, m) != SkCodec::Result::Opened) return;
  ++r.peer_next_id;
  bool deleted = false;
  for (const auto& p : m.chain.payloads) {
    if (p.type != payload::kDelete) continue;
    auto d = parse_delete(p.body);
    deleted = deleted || (d && d->protocol == protocol::kIke);
  }
  answer(m.header.exchange, ChainBuilder{});
  if (deleted) retired_.reset();  // the rekey is complete
}

}  // namespace openras::ike
