// Informational exchanges under the ISAKMP SA (RFC 2408 4.8, RFC 2409 5.7): DPD (RFC 3706)
// both ways, Delete both ways, the server's refusals; and the end of ESP SA pairs.
#include "ike/ikev1_initiator.hpp"
#include "ike/wire.hpp"
#include "ppp/bytes.hpp"
#include "raserror.h"

namespace openras::ike::v1 {
namespace {

Bytes cookies_of(std::uint64_t icookie, std::uint64_t rcookie) {
  Bytes out;
  wire::put64(out, icookie);
  wire::put64(out, rcookie);
  return out;
}

}  // namespace

Bytes Initiator::informational(std::uint32_t message_id, std::uint8_t type, const Bytes& body) {
  ChainBuilder rest;
  rest.add(type, body);
  Bytes m = protected_message(exchange::kInformational, message_id,
                              quick_hash(message_id, {rest.bytes()}), rest);
  cipher_->forget(message_id);
  return m;
}

void Initiator::on_informational(const Header& h, const std::vector<Payload>& chain,
                                 ByteView after_hash, TimePoint now) {
  // HASH(1) = prf(SKEYID_a, M-ID | the payloads after it): anything else is not the server's.
  if (!constant_time_match(quick_hash(h.message_id, {after_hash}), chain[0].body)) return;
  last_heard_ = now;
  for (const auto& p : chain) {
    if (p.type == payload::kNotify) {
      auto n = parse_notify(p.body);
      if (!n) continue;
      if (n->type == notify::kRuThere && n->data.size() == 4) {
        Bytes ack = informational(
            random_message_id(), payload::kNotify,
            build_notify(protocol::kIsakmp, notify::kRuThereAck, cookies_of(icookie_, rcookie_),
                         Bytes(n->data.begin(), n->data.end())));
        if (!ack.empty()) out_.push_back(std::move(ack));
      } else if (n->type == notify::kRuThereAck) {
        if (pending_ && pending_->step == Step::Dpd) pending_.reset();
      } else if (n->type == notify::kNoProposalChosen && phase_ == Phase::QuickMode) {
        fail(ERROR_OAKLEY_ATTRIB_FAIL);
        return;
      }
    } else if (p.type == payload::kDelete) {
      auto d = parse_delete(p.body);
      if (!d) continue;
      if (d->protocol == protocol::kIsakmp) {
        // The server ended this ISAKMP SA (the ESP SAs under it are gone with it). A Delete
        // naming another one (SoftEther confirms the end of the SA we replaced over the new
        // one) is not ours.
        const Bytes ours = cookies_of(icookie_, rcookie_);
        for (ByteView spi : d->spis) {
          if (constant_time_match(ours, spi)) {
            fail(ERROR_REMOTE_DISCONNECTION);
            return;
          }
        }
        continue;
      }
      if (d->protocol != protocol::kEsp) continue;
      for (ByteView spi : d->spis) {
        if (spi.size() != 4) continue;
        const std::uint32_t v = wire::get32(spi);
        std::erase_if(installed_, [&](const Installed& sa) {
          if (sa.spi_out != v && sa.spi_in != v) return false;
          events_.push_back(event::ChildDown{sa.spi_in});
          return true;
        });
      }
      if (installed_.empty() && phase_ == Phase::Established) {
        // Every pair is gone but the ISAKMP SA lives: make a new one at once.
        phase_ = Phase::QuickMode;
        if (!pending_) start_quick_mode(now);
      }
    }
  }
}

void Initiator::delete_all(TimePoint now) {
  (void)now;
  for (const auto& sa : installed_) {
    Bytes spi;
    wire::put32(spi, sa.spi_in);
    Bytes m =
        informational(random_message_id(), payload::kDelete, build_delete(protocol::kEsp, 4, spi));
    if (!m.empty()) out_.push_back(std::move(m));
  }
  installed_.clear();
  Bytes m = informational(random_message_id(), payload::kDelete,
                          build_delete(protocol::kIsakmp, 16, cookies_of(icookie_, rcookie_)));
  if (!m.empty()) out_.push_back(std::move(m));
}

void Initiator::expire_sas(TimePoint now) {
  if (installed_.empty()) return;
  const std::uint32_t newest = installed_.back().spi_in;
  if (now >= installed_.back().expires) {
    // Even the newest pair ran out: no rekey worked in its whole lifetime.
    fail(ERROR_LINK_FAILURE);
    return;
  }
  std::erase_if(installed_, [&](const Installed& sa) {
    if (sa.spi_in == newest || now < sa.expires) return false;
    Bytes spi;
    wire::put32(spi, sa.spi_in);
    Bytes m =
        informational(random_message_id(), payload::kDelete, build_delete(protocol::kEsp, 4, spi));
    if (!m.empty()) out_.push_back(std::move(m));
    events_.push_back(event::ChildDown{sa.spi_in});
    return true;
  });
}

}  // namespace openras::ike::v1
