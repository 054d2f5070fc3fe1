// Quick Mode (RFC 2409 5.5) for the ESP SA that carries L2TP: transport mode in UDP
// (RFC 3947 encapsulation mode 4) for udp/1701 between the two addresses, with NAT-OA, started
// by us or by the server, and its keys (KEYMAT per direction).
#include "ike/ikev1_initiator.hpp"
#include "ike/wire.hpp"
#include "ppp/bytes.hpp"
#include "raserror.h"

namespace openras::ike::v1 {
namespace {

using wire::kNonceSize;
using wire::put32;
using wire::random_bytes;

constexpr std::uint8_t kUdp = 17;
constexpr std::uint16_t kL2tpPort = 1701;

Bytes be32(std::uint32_t v) {
  Bytes out;
  put32(out, v);
  return out;
}

// RFC 3947 5.2: ID type, three reserved octets, the address.
Bytes nat_oa(std::uint32_t ipv4) {
  Bytes out{id_type::kIpv4, 0, 0, 0};
  put32(out, ipv4);
  return out;
}

// The ESP transforms we take: AES-CBC or 3DES with HMAC-SHA1-96 (what Windows offers and
// SoftEther accepts for L2TP; SHA-2 in IKEv1 ESP is left out for its truncation mismatches),
// in UDP-encapsulated transport mode.
std::optional<EspTransforms> acceptable(const Transform& t) {
  if (t.get(p2::kEncapsulation) != p2::kUdpTransport) return std::nullopt;
  if (t.get(p2::kAuthAlgorithm) != p2::kHmacSha1) return std::nullopt;
  EspTransforms out;
  out.integ = integ::kHmacSha1_96;
  if (t.id == p2::kEspAes) {
    auto bits = t.get(p2::kKeyLength).value_or(128);
    if (bits != 128 && bits != 192 && bits != 256) return std::nullopt;
    out.encr = encr::kAesCbc;
    out.key_bits = static_cast<std::uint16_t>(bits);
    return out;
  }
  if (t.id == p2::kEsp3des) {
    out.encr = encr::k3des;
    out.key_bits = 192;
    return out;
  }
  return std::nullopt;
}

}  // namespace

std::vector<Proposal> Initiator::esp_offer(std::uint32_t spi_in) const {
  Proposal p;
  p.protocol = protocol::kEsp;
  p.spi = be32(spi_in);
  struct Cipher {
    std::uint8_t id;
    std::uint16_t bits;
  };
  std::uint8_t number = 1;
  for (const Cipher& c :
       {Cipher{p2::kEspAes, 256}, Cipher{p2::kEspAes, 128}, Cipher{p2::kEsp3des, 0}}) {
    Transform t;
    t.number = number++;
    t.id = c.id;
    t.attributes.push_back({p2::kEncapsulation, p2::kUdpTransport});
    t.attributes.push_back({p2::kAuthAlgorithm, p2::kHmacSha1});
    if (c.bits) t.attributes.push_back({p2::kKeyLength, c.bits});
    t.attributes.push_back({p2::kLifeType, p2::kSeconds});
    t.attributes.push_back({p2::kLifeDuration, config_.phase2_lifetime_seconds});
    p.transforms.push_back(std::move(t));
  }
  return {p};
}

Bytes Initiator::quick_hash(std::uint32_t message_id, std::initializer_list<ByteView> parts) const {
  auto prf = Prf::make(suite_.prf);
  if (!prf) return {};
  Bytes data = be32(message_id);
  for (auto p : parts) ppp::append(data, p);
  return prf->compute(keys_->a, data);
}

Bytes Initiator::hash3(const QuickMode& qm) const {
  // HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b): one zero octet, then the message ID.
  auto prf = Prf::make(suite_.prf);
  if (!prf) return {};
  Bytes data{0};
  ppp::append(data, be32(qm.message_id));
  ppp::append(data, qm.nonce_i);
  ppp::append(data, qm.nonce_r);
  return prf->compute(keys_->a, data);
}

Bytes Initiator::protected_message(std::uint8_t exch, std::uint32_t message_id, const Bytes& hash,
                                   const ChainBuilder& rest) {
  Header h = header(exch, message_id);
  h.next_payload = payload::kHash;
  Bytes m(kHeaderSize);
  m.push_back(rest.first());
  m.push_back(0);
  wire::put16(m, static_cast<std::uint16_t>(hash.size() + 4));
  ppp::append(m, hash);
  ppp::append(m, rest.bytes());
  h.length = static_cast<std::uint32_t>(m.size());
  write_header(h, m.data());
  if (!cipher_->seal(m)) return {};
  return m;
}

void Initiator::start_quick_mode(TimePoint now) {
  QuickMode qm;
  qm.message_id = random_message_id();
  qm.ours = true;
  qm.spi_in = wire::random_spi(random_);
  qm.nonce_i = random_bytes(random_, kNonceSize);
  qm.started = now;
  ChainBuilder rest;
  rest.add(payload::kSa, build_sa(esp_offer(qm.spi_in)));
  rest.add(payload::kNonce, qm.nonce_i);
  rest.add(payload::kId, id_ipv4(config_.local_ipv4, kUdp, kL2tpPort));
  rest.add(payload::kId, id_ipv4(config_.server_ipv4, kUdp, kL2tpPort));
  rest.add(payload::kNatOa, nat_oa(config_.local_ipv4));
  rest.add(payload::kNatOa, nat_oa(config_.server_ipv4));
  Bytes m = protected_message(exchange::kQuick, qm.message_id,
                              quick_hash(qm.message_id, {rest.bytes()}), rest);
  if (m.empty()) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  request(Step::Quick, qm.message_id, std::move(m), now);
  quick_.push_back(std::move(qm));
}

void Initiator::on_quick(const Header& h, const std::vector<Payload>& chain, ByteView after_hash,
                         Bytes next_iv, TimePoint now) {
  for (auto& qm : quick_) {
    if (qm.message_id != h.message_id || qm.done) continue;
    if (qm.ours && qm.nonce_r.empty()) {
      if (!constant_time_match(quick_hash(h.message_id, {qm.nonce_i, after_hash}), chain[0].body))
        return;
      cipher_->advance(h.message_id, std::move(next_iv));
      on_qm2(qm, chain, after_hash, now);
    } else if (!qm.ours) {
      if (!constant_time_match(hash3(qm), chain[0].body)) {
        return;
      }
      cipher_->advance(h.message_id, std::move(next_iv));
      on_qm3(qm, chain, now);
    }
    return;
  }
  // A Quick Mode the server starts: HASH(1) covers the message ID and what follows the hash.
  if (!constant_time_match(quick_hash(h.message_id, {after_hash}), chain[0].body)) return;
  cipher_->advance(h.message_id, std::move(next_iv));
  answer_qm1(h, chain, after_hash, now);
}

void Initiator::on_qm2(QuickMode& qm, const std::vector<Payload>& chain, ByteView after_hash,
                       TimePoint now) {
  (void)after_hash;
  const Payload* sa = find(chain, payload::kSa);
  const Payload* nonce = find(chain, payload::kNonce);
  auto answer = sa ? parse_sa(sa->body) : std::nullopt;
  if (!answer || answer->size() != 1 || (*answer)[0].protocol != protocol::kEsp ||
      (*answer)[0].spi.size() != 4 || (*answer)[0].transforms.size() != 1 || !nonce ||
      nonce->body.size() < 8 || nonce->body.size() > 256 || find(chain, payload::kKe)) {
    fail(ERROR_OAKLEY_ATTRIB_FAIL);  // not an answer to what we offered (no PFS was offered)
    return;
  }
  const Transform& t = (*answer)[0].transforms[0];
  auto transforms = acceptable(t);

  bool offered = false;
  const std::vector<Proposal> offer = esp_offer(qm.spi_in);
  for (const auto& o : offer[0].transforms) {
    if (o.id == t.id && o.get(p2::kKeyLength) == t.get(p2::kKeyLength)) offered = true;
  }
  if (!transforms || !offered) {
    fail(ERROR_OAKLEY_ATTRIB_FAIL);
    return;
  }
  qm.transforms = *transforms;
  qm.peer_spi = wire::get32((*answer)[0].spi);
  qm.lifetime = std::min(config_.phase2_lifetime_seconds,
                         t.get(p2::kLifeDuration).value_or(config_.phase2_lifetime_seconds));
  qm.nonce_r.assign(nonce->body.begin(), nonce->body.end());
  Bytes m = protected_message(exchange::kQuick, qm.message_id, hash3(qm), ChainBuilder{});
  if (m.empty()) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  out_.push_back(m);
  qm.last_sent = std::move(m);
  if (pending_ && pending_->message_id == qm.message_id) pending_.reset();
  install(qm, now);
}

void Initiator::answer_qm1(const Header& h, const std::vector<Payload>& chain, ByteView after_hash,
                           TimePoint now) {
  (void)after_hash;
  const Payload* sa = find(chain, payload::kSa);
  const Payload* nonce = find(chain, payload::kNonce);
  const Payload* ke = find(chain, payload::kKe);
  auto offer = sa ? parse_sa(sa->body) : std::nullopt;
  if (!offer || !nonce || nonce->body.size() < 8 || nonce->body.size() > 256) return;
  QuickMode qm;
  qm.message_id = h.message_id;
  qm.ours = false;
  qm.started = now;
  qm.spi_in = wire::random_spi(random_);
  const Transform* chosen = nullptr;
  const Proposal* from = nullptr;
  for (const auto& p : *offer) {
    if (p.protocol != protocol::kEsp || p.spi.size() != 4) continue;
    for (const auto& t : p.transforms) {
      auto tf = acceptable(t);
      const auto group = t.get(p2::kGroup);
      if (!tf || (group.has_value() != (ke != nullptr))) continue;
      if (group && !KeyExchange::supported(static_cast<std::uint16_t>(*group))) continue;
      qm.transforms = *tf;
      chosen = &t;
      from = &p;
      break;
    }
    if (chosen) break;
  }
  if (!chosen) {
    Bytes refusal = informational(random_message_id(), payload::kNotify,
                                  build_notify(protocol::kEsp, notify::kNoProposalChosen, {}, {}));
    if (!refusal.empty()) out_.push_back(std::move(refusal));
    return;
  }
  qm.peer_spi = wire::get32(from->spi);
  qm.lifetime = std::min(config_.phase2_lifetime_seconds,
                         chosen->get(p2::kLifeDuration).value_or(config_.phase2_lifetime_seconds));
  qm.nonce_i.assign(nonce->body.begin(), nonce->body.end());
  qm.nonce_r = random_bytes(random_, kNonceSize);
  if (ke) {  // PFS, as the server asks
    qm.ke = KeyExchange::make(static_cast<std::uint16_t>(*chosen->get(p2::kGroup)));
    auto secret = qm.ke ? qm.ke->shared_secret(padded_public(*qm.ke, ke->body)) : std::nullopt;
    if (!secret) return;
    qm.shared_secret = std::move(*secret);
  }
  Proposal answer;
  answer.number = from->number;
  answer.protocol = protocol::kEsp;
  answer.spi = be32(qm.spi_in);
  answer.transforms.push_back(*chosen);
  ChainBuilder rest;
  rest.add(payload::kSa, build_sa({answer}));
  rest.add(payload::kNonce, qm.nonce_r);
  if (qm.ke) rest.add(payload::kKe, qm.ke->public_value());
  // The server's identities and original addresses, as it sent them.
  for (const auto& p : chain) {
    if (p.type == payload::kId || p.type == payload::kNatOa) rest.add(p.type, p.body);
  }
  Bytes m = protected_message(exchange::kQuick, qm.message_id,
                              quick_hash(qm.message_id, {qm.nonce_i, rest.bytes()}), rest);
  if (m.empty()) return;
  out_.push_back(m);
  qm.last_sent = std::move(m);
  quick_.push_back(std::move(qm));
}

void Initiator::on_qm3(QuickMode& qm, const std::vector<Payload>& chain, TimePoint now) {
  (void)chain;
  install(qm, now);
}

void Initiator::install(QuickMode& qm, TimePoint now) {
  const EspTransforms& t = *qm.transforms;
  const std::size_t enc = Protection::key_size(t.encr, t.key_bits);
  const std::size_t length = enc + Protection::integrity_key_size(t.integ);
  auto keys_for = [&](std::uint32_t spi) {
    Bytes k = keymat(suite_, *keys_, qm.shared_secret, be32(spi), qm.nonce_i, qm.nonce_r, length);
    EspKeys out;
    if (k.size() != length) return out;
    out.encryption.assign(k.begin(), k.begin() + static_cast<std::ptrdiff_t>(enc));
    out.integrity.assign(k.begin() + static_cast<std::ptrdiff_t>(enc), k.end());
    wipe(k);
    return out;
  };
  EspKeys in = keys_for(qm.spi_in), out = keys_for(qm.peer_spi);
  std::shared_ptr<EspSa> sa = EspSa::make(t, qm.peer_spi, out, qm.spi_in, in);
  wipe(in.encryption);
  wipe(in.integrity);
  wipe(out.encryption);
  wipe(out.integrity);
  wipe(qm.shared_secret);
  qm.done = true;
  if (!sa) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  // An older pair is kept for 10 s for packets in flight, then deleted.
  for (auto& old : installed_) old.expires = std::min(old.expires, now + std::chrono::seconds(10));
  installed_.push_back({qm.spi_in, qm.peer_spi, now + std::chrono::seconds(qm.lifetime)});
  // Our rekey at 90% of the lifetime (SoftEther rekeys at its own soft expiry first, if
  // sooner).
  rekey_at_ = now + std::chrono::milliseconds(qm.lifetime * 900LL);
  phase_ = Phase::Established;
  last_heard_ = now;
  events_.push_back(event::ChildUp{std::move(sa)});
}

}  // namespace openras::ike::v1
