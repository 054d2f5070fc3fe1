#include "ike/ikev1_initiator.hpp"

#include <algorithm>

#include "ike/wire.hpp"
#include "ppp/bytes.hpp"
#include "raserror.h"

namespace openras::ike::v1 {
namespace {

using wire::kNonceSize;
using wire::put16;
using wire::put32;
using wire::put64;
using wire::random_bytes;

// RFC 3947's vendor ID (MD5 of "RFC 3947"); SoftEther ignores a client without it. RFC 3706's
// DPD vendor ID.
constexpr std::uint8_t kNatTVendorId[] = {0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
                                          0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f};
constexpr std::uint8_t kDpdVendorId[] = {0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
                                         0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00};

// Windows' Main Mode ciphers and hashes, strongest first, each with every group allowed.
std::vector<Proposal> phase1_offer(const InitiatorConfig& c) {
  struct Cipher {
    std::uint16_t id, bits;
  };
  const Cipher ciphers[] = {{p1::kAes, 256}, {p1::kAes, 128}, {p1::k3des, 0}};
  const std::uint16_t hashes[] = {p1::kSha256, p1::kSha1};
  Proposal p;
  std::uint8_t number = 1;
  for (const auto& cipher : ciphers) {
    for (auto hash : hashes) {
      for (auto group : c.dh_groups) {
        Transform t;
        t.number = number++;
        t.id = 1;  // KEY_IKE
        t.attributes.push_back({p1::kEncryption, cipher.id});
        if (cipher.bits) t.attributes.push_back({p1::kKeyLength, cipher.bits});
        t.attributes.push_back({p1::kHash, hash});
        t.attributes.push_back({p1::kAuthMethod, p1::kPreSharedKey});
        t.attributes.push_back({p1::kGroup, group});
        t.attributes.push_back({p1::kLifeType, p1::kSeconds});
        t.attributes.push_back({p1::kLifeDuration, c.phase1_lifetime_seconds});
        p.transforms.push_back(std::move(t));
      }
    }
  }
  return {p};
}

// The suite of the one transform a server chose, if it is one of ours.
std::optional<Phase1Suite> chosen_suite(const std::vector<Proposal>& answer,
                                        const std::vector<Proposal>& offer) {
  if (answer.size() != 1 || answer[0].transforms.size() != 1) return std::nullopt;
  const Transform& t = answer[0].transforms[0];
  for (const Transform& o : offer[0].transforms) {
    bool match = true;
    for (std::uint16_t type :
         {p1::kEncryption, p1::kKeyLength, p1::kHash, p1::kAuthMethod, p1::kGroup}) {
      if (t.get(type) != o.get(type)) match = false;
    }
    if (!match) continue;
    Phase1Suite s;
    s.encr = *t.get(p1::kEncryption) == p1::kAes ? encr::kAesCbc : encr::k3des;
    s.key_bits = static_cast<std::uint16_t>(t.get(p1::kKeyLength).value_or(192));
    s.prf = *t.get(p1::kHash) == p1::kSha256 ? prf_id::kHmacSha256 : prf_id::kHmacSha1;
    s.group = static_cast<std::uint16_t>(*t.get(p1::kGroup));
    s.lifetime_seconds = t.get(p1::kLifeDuration).value_or(*o.get(p1::kLifeDuration));
    return s;
  }
  return std::nullopt;
}

}  // namespace

Bytes padded_public(const KeyExchange& ours, ByteView peer) {
  // SoftEther sends its MODP public value without leading zeros (RFC 2409 5 asks for them):
  // they are put back for the arithmetic, while hashes cover the octets as they came.
  Bytes out(peer.begin(), peer.end());
  const std::size_t size = ours.public_value().size();
  const bool modp = ours.group() == dh::kModp1024 || ours.group() == dh::kModp2048;
  if (modp && out.size() < size && out.size() + 8 >= size)
    out.insert(out.begin(), size - out.size(), 0);
  return out;
}

namespace {

Bytes be64(std::uint64_t v) {
  Bytes out;
  put64(out, v);
  return out;
}

}  // namespace

Initiator::Initiator(InitiatorConfig config, ppp::Random& random)
    : config_(std::move(config)), random_(random) {}

Initiator::~Initiator() {
  wipe(shared_secret_);
  for (auto& qm : quick_) wipe(qm.shared_secret);
}

Header Initiator::header(std::uint8_t exch, std::uint32_t message_id) const {
  Header h;
  h.icookie = icookie_;
  h.rcookie = rcookie_;
  h.exchange = exch;
  h.message_id = message_id;
  return h;
}

std::uint32_t Initiator::random_message_id() {
  std::uint32_t id = 0;
  while (id == 0) id = random_.u32();
  return id;
}

void Initiator::start(TimePoint now) {
  phase_ = Phase::MainMode;
  icookie_ = wire::random_ike_spi(random_);
  last_heard_ = now;
  send_mm1(now);
}

void Initiator::send_mm1(TimePoint now) {
  offer_ = phase1_offer(config_);
  sa_body_ = build_sa(offer_);
  ChainBuilder chain;
  chain.add(payload::kSa, sa_body_);
  chain.add(payload::kVendor, kNatTVendorId);
  chain.add(payload::kVendor, kDpdVendorId);
  Header h = header(exchange::kMain, 0);
  h.next_payload = chain.first();
  Bytes m(kHeaderSize);
  ppp::append(m, chain.bytes());
  h.length = static_cast<std::uint32_t>(m.size());
  write_header(h, m.data());
  request(Step::Mm1, 0, std::move(m), now);
}

Bytes Initiator::nat_d(std::uint32_t ipv4, std::uint16_t port) const {
  Bytes where;
  put32(where, ipv4);
  put16(where, port);
  return digest(suite_.prf, {be64(icookie_), be64(rcookie_), where});
}

void Initiator::receive(ByteView message, TimePoint now) {
  auto h = parse_header(message);
  if (!h || h->icookie != icookie_ || phase_ == Phase::Done || phase_ == Phase::Idle) return;
  if (rcookie_ != 0 && h->rcookie != rcookie_) return;
  message = message.first(h->length);
  if (h->flags & flag::kEncrypted) {
    receive_encrypted(*h, message, now);
  } else {
    receive_clear(*h, message, now);
  }
}

void Initiator::receive_clear(const Header& h, ByteView message, TimePoint now) {
  // Only Main Mode's first four messages and its refusals travel in clear.
  if (phase_ != Phase::MainMode || !pending_) return;
  auto chain = parse_chain(h.next_payload, message.subspan(kHeaderSize), false);
  if (!chain) return;
  if (h.exchange == exchange::kInformational) {
    // Unauthenticated: believed only while Main Mode waits, and only as a refusal.
    for (const auto& p : *chain) {
      if (p.type != payload::kNotify) continue;
      auto n = parse_notify(p.body);
      if (!n || n->type >= 8192) continue;
      fail(n->type == notify::kNoProposalChosen ? ERROR_OAKLEY_ATTRIB_FAIL
                                                : ERROR_OAKLEY_GENERAL_PROCESSING);
      return;
    }
    return;
  }
  if (h.exchange != exchange::kMain || h.message_id != 0) return;
  if (pending_->step == Step::Mm1 && h.rcookie != 0) {
    on_mm2(h, *chain, now);
  } else if (pending_->step == Step::Mm3) {
    on_mm4(*chain, now);
  }
}

void Initiator::on_mm2(const Header& h, const std::vector<Payload>& chain, TimePoint now) {
  const Payload* sa = find(chain, payload::kSa);
  auto answer = sa ? parse_sa(sa->body) : std::nullopt;
  auto suite = answer ? chosen_suite(*answer, offer_) : std::nullopt;
  if (!suite) {
    fail(ERROR_OAKLEY_ATTRIB_FAIL);  // it chose what we did not offer
    return;
  }
  bool nat_t = false;
  for (const auto& p : chain) {
    if (p.type != payload::kVendor) continue;
    if (constant_time_match(kNatTVendorId, p.body)) nat_t = true;
    if (constant_time_match(kDpdVendorId, p.body)) peer_dpd_ = true;
  }
  if (!nat_t) {
    // Without RFC 3947 the ESP could not be put in UDP, and this host has no other ESP.
    fail(ERROR_OAKLEY_ATTRIB_FAIL);
    return;
  }
  suite_ = *suite;
  rcookie_ = h.rcookie;
  cookie_octets_i_ = be64(icookie_);
  cookie_octets_r_ = be64(rcookie_);
  ke_ = KeyExchange::make(suite_.group);
  if (!ke_) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  nonce_i_ = random_bytes(random_, kNonceSize);
  ChainBuilder mm3;
  mm3.add(payload::kKe, ke_->public_value());
  mm3.add(payload::kNonce, nonce_i_);
  mm3.add(payload::kNatD, nat_d(config_.server_ipv4, config_.server_port));
  // Our own NAT-D is deliberately not our address's hash: the server must believe we are
  // behind NAT and put its ESP in UDP, the only ESP a host without kernel IPsec can receive.
  mm3.add(payload::kNatD, random_bytes(random_, nat_d(0, 0).size()));
  Header out = header(exchange::kMain, 0);
  out.next_payload = mm3.first();
  Bytes m(kHeaderSize);
  ppp::append(m, mm3.bytes());
  out.length = static_cast<std::uint32_t>(m.size());
  write_header(out, m.data());
  pending_.reset();
  request(Step::Mm3, 0, std::move(m), now);
}

void Initiator::on_mm4(const std::vector<Payload>& chain, TimePoint now) {
  const Payload* ke = find(chain, payload::kKe);
  const Payload* nonce = find(chain, payload::kNonce);
  if (!ke || !nonce || nonce->body.size() < 8 || nonce->body.size() > 256) return;
  auto secret = ke_->shared_secret(padded_public(*ke_, ke->body));
  if (!secret) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  shared_secret_ = std::move(*secret);
  nonce_r_.assign(nonce->body.begin(), nonce->body.end());
  peer_public_.assign(ke->body.begin(), ke->body.end());
  const Phase1Inputs in = phase1_inputs();
  keys_ = derive_phase1_keys(suite_, in);
  if (!keys_) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  cipher_ = std::make_unique<MessageCipher>(suite_, *keys_);
  id_body_ = id_ipv4(config_.local_ipv4);
  Bytes hash_i = main_mode_hash(suite_, *keys_, in, true, sa_body_, id_body_);
  ChainBuilder mm5;
  mm5.add(payload::kId, id_body_);
  mm5.add(payload::kHash, hash_i);
  Header out = header(exchange::kMain, 0);
  out.next_payload = mm5.first();
  Bytes m(kHeaderSize);
  ppp::append(m, mm5.bytes());
  out.length = static_cast<std::uint32_t>(m.size());
  write_header(out, m.data());
  if (!cipher_->seal(m)) {
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  pending_.reset();
  request(Step::Mm5, 0, std::move(m), now);
}

void Initiator::receive_encrypted(const Header& h, ByteView message, TimePoint now) {
  if (!cipher_) return;
  // A repeat of the server's last Quick Mode message, octet for octet: ours was lost, send it
  // again. (The exchange's IV has moved on, so it is recognised before decryption.)
  for (auto& qm : quick_) {
    if (h.exchange == exchange::kQuick && qm.message_id == h.message_id && !qm.last_sent.empty() &&
        constant_time_match(qm.last_received, message)) {
      out_.push_back(qm.last_sent);
      return;
    }
  }
  Bytes copy(message.begin(), message.end());
  Bytes next_iv;
  if (!cipher_->open(copy, next_iv)) return;
  ByteView body = ByteView(copy).subspan(kHeaderSize);
  auto chain = parse_chain(h.next_payload, body, true);
  if (!chain || chain->empty()) return;
  if (h.exchange == exchange::kMain && h.message_id == 0) {
    if (phase_ != Phase::MainMode || !pending_ || pending_->step != Step::Mm5) return;
    cipher_->advance(0, std::move(next_iv));
    on_mm6(*chain, now);
    return;
  }
  if (phase_ == Phase::MainMode || h.message_id == 0) return;
  // Quick Mode and informational messages start with their HASH, which covers what follows
  // it up to the last payload (not the padding).
  if ((*chain)[0].type != payload::kHash) return;
  const auto* end = chain->back().whole.data() + chain->back().whole.size();
  const auto* start = (*chain)[0].whole.data() + (*chain)[0].whole.size();
  ByteView after_hash(start, static_cast<std::size_t>(end - start));
  if (h.exchange == exchange::kQuick) {
    on_quick(h, *chain, after_hash, std::move(next_iv), now);
    for (auto& qm : quick_) {
      if (qm.message_id == h.message_id && !qm.last_sent.empty() && qm.last_received.empty()) {
        qm.last_received.assign(message.begin(), message.end());
      }
    }
  } else if (h.exchange == exchange::kInformational) {
    on_informational(h, *chain, after_hash, now);
    cipher_->forget(h.message_id);
  }
}

Phase1Inputs Initiator::phase1_inputs() const {
  return {wire::view(config_.pre_shared_key),
          nonce_i_,
          nonce_r_,
          shared_secret_,
          cookie_octets_i_,
          cookie_octets_r_,
          ke_->public_value(),
          peer_public_};
}

void Initiator::on_mm6(const std::vector<Payload>& chain, TimePoint now) {
  const Payload* id = find(chain, payload::kId);
  const Payload* hash = find(chain, payload::kHash);
  const Phase1Inputs in = phase1_inputs();
  // The server's ID is not checked against its address: SoftEther names itself 0.0.0.0, and
  // the pre-shared key is what proves it.
  if (!id || !hash ||
      !constant_time_match(main_mode_hash(suite_, *keys_, in, false, sa_body_, id->body),
                           hash->body)) {
    // What decrypts to garbage or proves nothing was made with another key: the pre-shared
    // keys differ.
    fail(ERROR_OAKLEY_GENERAL_PROCESSING);
    return;
  }
  pending_.reset();
  cipher_->phase1_done();
  phase_ = Phase::QuickMode;
  phase1_expires_ = now + std::chrono::seconds(suite_.lifetime_seconds);
  last_heard_ = now;
  events_.push_back(event::Phase1Done{});
  start_quick_mode(now);
}

void Initiator::request(Step step, std::uint32_t message_id, Bytes message, TimePoint now) {
  pending_ = Pending{step, message_id, std::move(message), 0, now};
  transmit(*pending_, now);
}

void Initiator::transmit(Pending& p, TimePoint now) {
  out_.push_back(p.message);
  ++p.sent;
  p.next = now + config_.retransmit_first * (1 << std::min(p.sent - 1, 6));
}

void Initiator::on_timer(TimePoint now) {
  if (phase_ == Phase::Done || phase_ == Phase::Idle) return;
  if (pending_ && now >= pending_->next) {
    if (pending_->sent >= config_.transmissions) {
      const Step step = pending_->step;
      pending_.reset();
      switch (step) {
        case Step::Mm1:
          fail(ERROR_VPN_TIMEOUT);  // the server never answered
          return;
        case Step::Mm3:
          fail(ERROR_OAKLEY_TIMED_OUT);
          return;
        case Step::Mm5:
          // A server that answers Main Mode but not our proof could not decrypt it: the
          // pre-shared keys differ (SoftEther stays silent then, as peers-ipsec.md says).
          fail(ERROR_OAKLEY_GENERAL_PROCESSING);
          return;
        case Step::Quick:
          if (installed_.empty()) {
            fail(ERROR_OAKLEY_TIMED_OUT);
            return;
          }
          rekey_at_ = now + std::chrono::seconds(10);  // try again while the old SA lives
          break;
        case Step::Dpd:
          fail(ERROR_LINK_FAILURE);
          return;
      }
    } else {
      transmit(*pending_, now);
    }
  }
  // A Quick Mode is forgotten 30 s after it began: one the server never finished, or one
  // kept to answer repeats.
  std::erase_if(quick_, [&](QuickMode& qm) {
    const bool waiting = qm.ours && !qm.done && pending_ && pending_->message_id == qm.message_id;
    const bool stale = !waiting && now - qm.started >= std::chrono::seconds(30);
    if (stale) cipher_->forget(qm.message_id);
    return stale;
  });
  expire_sas(now);
  if (phase_ == Phase::Done) return;
  if (phase_ == Phase::Established && !pending_ && rekey_at_ && now >= *rekey_at_) {
    rekey_at_.reset();
    start_quick_mode(now);
  }
  if (phase_ == Phase::Established && !pending_ && now - last_heard_ >= config_.liveness_after) {
    Bytes seq;
    put32(seq, ++dpd_sequence_);
    Bytes cookies = be64(icookie_);
    ppp::append(cookies, be64(rcookie_));
    const std::uint32_t id = random_message_id();
    request(Step::Dpd, id,
            informational(id, payload::kNotify,
                          build_notify(protocol::kIsakmp, notify::kRuThere, cookies, seq)),
            now);
    pending_->next = now + std::chrono::seconds(5);
  }
}

std::optional<TimePoint> Initiator::next_deadline() const {
  if (phase_ == Phase::Done || phase_ == Phase::Idle) return std::nullopt;
  std::optional<TimePoint> next;
  auto take = [&](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  if (pending_) take(pending_->next);
  for (const auto& qm : quick_) take(qm.started + std::chrono::seconds(30));
  for (const auto& sa : installed_) take(sa.expires);
  if (phase_ == Phase::Established) {
    if (rekey_at_ && !pending_) take(*rekey_at_);
    if (!pending_) take(last_heard_ + config_.liveness_after);
  }
  return next;
}

bool Initiator::poll_message(Bytes& out) {
  if (out_.empty()) return false;
  out = std::move(out_.front());
  out_.pop_front();
  return true;
}

std::optional<Event> Initiator::poll_event() {
  std::optional<Event> e;
  if (events_.empty()) return e;
  e.emplace(std::move(events_.front()));
  events_.pop_front();
  return e;
}

void Initiator::close(TimePoint now) {
  if (phase_ == Phase::Done) return;
  if (cipher_ && phase_ != Phase::MainMode) delete_all(now);
  phase_ = Phase::Done;
  pending_.reset();
  events_.push_back(event::Closed{});
}

void Initiator::fail(std::uint32_t error) {
  if (phase_ == Phase::Done) return;
  phase_ = Phase::Done;
  pending_.reset();
  events_.push_back(event::Failed{error});
}

}  // namespace openras::ike::v1
