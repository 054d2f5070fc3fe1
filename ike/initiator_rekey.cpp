// Rekeys the initiator starts itself (RFC 7296 2.8, 2.18): the CHILD_SA (a new pair, then a
// Delete of the old one, whose inbound SA keeps carrying what is in flight until the answer)
// and the IKE SA (we stay the new SA's original initiator; the old one is deleted on itself).
#include <algorithm>

#include "ike/initiator.hpp"
#include "ike/proposals.hpp"
#include "ike/wire.hpp"
#include "raserror.h"

namespace openras::ike {
namespace {

using namespace wire;

}  // namespace

void Initiator::adopt_ike_sa(std::uint64_t spi_i, std::uint64_t spi_r, bool original_initiator,
                             std::optional<IkeSaKeys> keys, std::unique_ptr<SkCodec> codec) {
  // The old SA stays to answer (or hear the answer to) its Delete; everything new is on the
  // new one, whose message IDs start again from 0.
  retired_ = RetiredSa{spi_i_,
                       spi_r_,
                       original_initiator_,
                       std::move(codec_),
                       peer_next_id_,
                       std::move(last_response_)};
  spi_i_ = spi_i;
  spi_r_ = spi_r;
  original_initiator_ = original_initiator;
  keys_ = std::move(keys);
  codec_ = std::move(codec);
  next_id_ = 0;
  peer_next_id_ = 0;
  last_response_.clear();
}

void Initiator::rekeys_from(TimePoint now) {
  child_rekey_at_ = now + config_.child_rekey_after;
  ike_rekey_at_ = now + config_.ike_rekey_after;
}

void Initiator::start_due_rekeys(TimePoint now) {
  if (child_rekey_at_ && now >= *child_rekey_at_ && !child_spis_in_.empty()) {
    child_rekey_at_.reset();
    replaced_spi_in_ = child_spis_in_.back();
    rekey_spi_in_ = random_spi(random_);
    rekey_nonce_ = random_bytes(random_, kNonceSize);
    Bytes spi;
    put32(spi, replaced_spi_in_);
    ChainBuilder chain;
    chain.add(payload::kNotify, build_notify(notify::kRekeySa, {}, protocol::kEsp, spi));
    chain.add(payload::kSa, build_sa(esp_offer(rekey_spi_in_)));
    chain.add(payload::kNonce, rekey_nonce_);
    const std::vector<TrafficSelector> any{TrafficSelector{}};
    chain.add(payload::kTsi, build_ts(any));
    chain.add(payload::kTsr, build_ts(any));
    request(Step::ChildRekey, exchange::kCreateChild, chain, now);
    return;
  }
  if (ike_rekey_at_ && now >= *ike_rekey_at_) {
    ike_rekey_at_.reset();
    rekey_ike_spi_ = random_ike_spi(random_);
    rekey_nonce_ = random_bytes(random_, kNonceSize);
    // The group the SA has: the server took it once.
    rekey_ke_ = KeyExchange::make(keys_->suite.dh);
    if (!rekey_ke_) return;
    std::vector<Proposal> offer = ike_offer(config_.dh_groups);
    for (auto& p : offer) put64(p.spi, rekey_ike_spi_);
    ChainBuilder chain;
    chain.add(payload::kSa, build_sa(offer));
    chain.add(payload::kNonce, rekey_nonce_);
    chain.add(payload::kKe, build_ke(rekey_ke_->group(), rekey_ke_->public_value()));
    request(Step::IkeRekey, exchange::kCreateChild, chain, now);
  }
}

void Initiator::on_child_rekeyed(const SkCodec::Opened& m, TimePoint now) {
  const Payload* sa = find(m.chain, payload::kSa);
  const Payload* nonce = find(m.chain, payload::kNonce);
  auto proposals = sa ? parse_sa(sa->body) : std::nullopt;
  auto choice = proposals ? chosen_esp(*proposals) : std::nullopt;
  if (!choice || choice->dh_group || !nonce || nonce->body.size() < 16 ||
      nonce->body.size() > 256) {
    // Refused (TEMPORARY_FAILURE during the server's own rekey, say): the old SA carries on,
    // and we try again in a minute.
    child_rekey_at_ = now + std::chrono::minutes(1);
    return;
  }
  auto keys = child_keys(*keys_, choice->transforms, {}, rekey_nonce_, nonce->body, true);
  std::shared_ptr<EspSa> esp =
      keys ? EspSa::make(choice->transforms, choice->peer_spi, keys->out, rekey_spi_in_, keys->in)
           : nullptr;
  if (!esp) {
    fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
    return;
  }
  child_spis_in_.push_back(rekey_spi_in_);
  child_spis_out_.push_back(choice->peer_spi);
  events_.push_back(event::ChildUp{std::move(esp)});
  child_rekey_at_ = now + config_.child_rekey_after;
  // The old pair goes: our inbound SPI in the Delete, the server answers with its own.
  Bytes spi;
  put32(spi, replaced_spi_in_);
  ChainBuilder chain;
  chain.add(payload::kDelete, build_delete(protocol::kEsp, {spi}));
  request(Step::ChildDelete, exchange::kInformational, chain, now);
}

void Initiator::on_child_deleted(const SkCodec::Opened& m) {
  (void)m;  // whatever the answer holds, the old pair is gone on both sides now
  auto it = std::find(child_spis_in_.begin(), child_spis_in_.end(), replaced_spi_in_);
  if (it == child_spis_in_.end()) return;
  const auto i = static_cast<std::size_t>(it - child_spis_in_.begin());
  child_spis_in_.erase(it);
  child_spis_out_.erase(child_spis_out_.begin() + static_cast<std::ptrdiff_t>(i));
  events_.push_back(event::ChildDown{replaced_spi_in_});
}

void Initiator::on_ike_rekeyed(const SkCodec::Opened& m, TimePoint now) {
  const Payload* sa = find(m.chain, payload::kSa);
  const Payload* nonce = find(m.chain, payload::kNonce);
  const Payload* ke = find(m.chain, payload::kKe);
  auto proposals = sa ? parse_sa(sa->body) : std::nullopt;
  if (proposals && proposals->size() == 1 && (*proposals)[0].spi.size() == 8) {
    // chosen_ike_suite wants the SPI-less form of IKE_SA_INIT.
    Proposal bare = (*proposals)[0];
    const std::uint64_t their_spi = get64(bare.spi.data());
    bare.spi.clear();
    auto suite = chosen_ike_suite({bare}, config_.dh_groups);
    auto kep = ke ? parse_ke(ke->body) : std::nullopt;
    auto shared = suite && kep && kep->type == suite->dh && suite->dh == rekey_ke_->group()
                      ? rekey_ke_->shared_secret(kep->data)
                      : std::nullopt;
    if (shared && nonce && nonce->body.size() >= 16 && nonce->body.size() <= 256) {
      auto keys = derive_rekeyed_ike_keys(*keys_, *suite, *shared, rekey_nonce_, nonce->body,
                                          rekey_ike_spi_, their_spi);
      wipe(*shared);
      auto codec = keys ? SkCodec::make(*keys, true) : nullptr;
      if (codec) {
        // Delete the old SA on itself, then carry on with the new one from message ID 0.
        ChainBuilder chain;
        chain.add(payload::kDelete, build_delete(protocol::kIke, {}));
        Header h{spi_i_, spi_r_, 0, exchange::kInformational, own_flags(), next_id_, 0};
        for (auto& d : codec_->seal(h, chain.first(), chain.bytes(), 0))
          out_.push_back(std::move(d));
        adopt_ike_sa(rekey_ike_spi_, their_spi, true, std::move(keys), std::move(codec));
        rekey_ke_.reset();
        ike_rekey_at_ = now + config_.ike_rekey_after;
        return;
      }
    }
  }
  rekey_ke_.reset();
  ike_rekey_at_ = now + std::chrono::minutes(1);  // refused: the old SA carries on
}

}  // namespace openras::ike
