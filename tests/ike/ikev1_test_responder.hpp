// An IKEv1 responder for the initiator's unit tests, built from the same codecs and keying
// functions but with its own state: Main Mode with a pre-shared key, Quick Mode answered or
// started by it, DPD, Delete, and ways to misbehave on demand (silence, a wrong key, no NAT-T,
// a refusal, its public value without leading zeros as SoftEther sends it).
#pragma once

#include <deque>
#include <memory>
#include <optional>

#include "../ppp/test_random.hpp"
#include "ike/esp.hpp"
#include "ike/ikev1_keys.hpp"
#include "ike/ikev1_message.hpp"
#include "ike/wire.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike::v1::testing {

struct ResponderConfig {
  std::string pre_shared_key = "vpn";
  bool silent = false;
  bool announce_nat_t = true;
  bool refuse_main_mode = false;  // a NO-PROPOSAL-CHOSEN notify in clear
  bool strip_leading_zero = false;
  std::uint32_t lifetime = 0;  // QM2's lifetime; 0: echo the initiator's
};

class TestResponder {
 public:
  explicit TestResponder(ResponderConfig config = {}) : config_(std::move(config)), random_(99) {}

  std::deque<Bytes>& outbox() { return out_; }
  bool phase1_done() const { return cipher_ != nullptr && phase1_; }
  std::shared_ptr<EspSa> sa() const { return sa_; }
  int qm_answered() const { return qm_answered_; }
  int mm5_seen() const { return mm5_seen_; }
  std::vector<std::uint16_t> notifies;  // types of notifies received
  std::vector<std::uint8_t> deleted;    // protocols of Deletes received
  std::uint32_t last_ack_sequence = 0;
  Bytes last_qm2;         // as sent, to repeat
  bool pfs_used = false;  // its own Quick Mode got a KE back

  void receive(const Bytes& message) {
    if (config_.silent) return;
    auto h = parse_header(message);
    if (!h) return;
    Bytes m(message.begin(), message.begin() + h->length);
    if (h->flags & flag::kEncrypted) {
      if (!cipher_) return;
      Bytes next_iv;
      if (!cipher_->open(m, next_iv)) return;
      auto chain = parse_chain(h->next_payload, ByteView(m).subspan(kHeaderSize), true);
      if (!chain || chain->empty()) return;
      if (h->exchange == exchange::kMain) {
        cipher_->advance(0, next_iv);
        on_mm5(*h, *chain);
      } else {
        cipher_->advance(h->message_id, next_iv);
        on_protected(*h, *chain);
      }
      return;
    }
    auto chain = parse_chain(h->next_payload, ByteView(m).subspan(kHeaderSize), false);
    if (!chain || h->exchange != exchange::kMain) return;
    if (h->rcookie == 0) {
      on_mm1(*h, *chain);
    } else {
      on_mm3(*h, *chain);
    }
  }

  // Server-side actions.
  void send_dpd(std::uint32_t sequence) {
    Bytes seq;
    wire::put32(seq, sequence);
    send_informational(payload::kNotify,
                       build_notify(protocol::kIsakmp, notify::kRuThere, cookies(), seq));
  }
  void delete_esp() {
    Bytes spi;
    wire::put32(spi, spi_in_);
    send_informational(payload::kDelete, build_delete(protocol::kEsp, 4, spi));
  }
  void delete_isakmp() {
    send_informational(payload::kDelete, build_delete(protocol::kIsakmp, 16, cookies()));
  }
  // A Quick Mode of its own (SoftEther starts one when it has no working pair, and rekeys).
  // `pfs`: with a KE of MODP-2048 (the initiator must answer with its own).
  void start_quick_mode(bool pfs = false) {
    own_qm_id_ = random_.u32() | 1;
    own_ke_.reset();
    if (pfs) own_ke_ = KeyExchange::make(dh::kModp2048);
    own_ni_ = wire::random_bytes(random_, 32);
    spi_in_ = wire::random_spi(random_);
    Proposal p;
    p.protocol = protocol::kEsp;
    wire::put32(p.spi, spi_in_);
    Transform t;
    t.id = p2::kEspAes;
    t.attributes = {{p2::kEncapsulation, p2::kUdpTransport},
                    {p2::kAuthAlgorithm, p2::kHmacSha1},
                    {p2::kKeyLength, 128},
                    {p2::kLifeType, 1},
                    {p2::kLifeDuration, 3600}};
    if (own_ke_) t.attributes.push_back({p2::kGroup, dh::kModp2048});
    p.transforms.push_back(t);
    ChainBuilder rest;
    rest.add(payload::kSa, build_sa({p}));
    rest.add(payload::kNonce, own_ni_);
    if (own_ke_) rest.add(payload::kKe, own_ke_->public_value());
    rest.add(payload::kId, id_ipv4(0x0ac90002, 17, 1701));
    rest.add(payload::kId, id_ipv4(0x0ac90001, 17, 1701));
    out_.push_back(protect(exchange::kQuick, own_qm_id_, prf(mid(own_qm_id_), rest.bytes()), rest));
  }

 private:
  Bytes cookies() const {
    Bytes c;
    wire::put64(c, icookie_);
    wire::put64(c, rcookie_);
    return c;
  }
  static Bytes mid(std::uint32_t id) {
    Bytes b;
    wire::put32(b, id);
    return b;
  }
  Bytes prf(ByteView a, ByteView b = {}, ByteView c = {}, ByteView d = {}) const {
    Bytes data(a.begin(), a.end());
    ppp::append(data, b);
    ppp::append(data, c);
    ppp::append(data, d);
    return Prf::make(suite_.prf)->compute(keys_->a, data);
  }
  Bytes clear_message(std::uint8_t exch, const ChainBuilder& chain) const {
    Header h{icookie_, rcookie_, chain.first(), exch, 0, 0, 0};
    Bytes m(kHeaderSize);
    ppp::append(m, chain.bytes());
    h.length = static_cast<std::uint32_t>(m.size());
    write_header(h, m.data());
    return m;
  }
  Bytes protect(std::uint8_t exch, std::uint32_t id, const Bytes& hash, const ChainBuilder& rest) {
    Header h{icookie_, rcookie_, payload::kHash, exch, 0, id, 0};
    Bytes chain{rest.first(), 0};
    wire::put16(chain, static_cast<std::uint16_t>(hash.size() + 4));
    ppp::append(chain, hash);
    ppp::append(chain, rest.bytes());
    Bytes m(kHeaderSize);
    ppp::append(m, chain);
    h.length = static_cast<std::uint32_t>(m.size());
    write_header(h, m.data());
    cipher_->seal(m);
    return m;
  }
  void send_informational(std::uint8_t type, const Bytes& body) {
    const std::uint32_t id = random_.u32() | 1;
    ChainBuilder rest;
    rest.add(type, body);
    out_.push_back(protect(exchange::kInformational, id, prf(mid(id), rest.bytes()), rest));
    cipher_->forget(id);
  }

  void on_mm1(const Header& h, const std::vector<Payload>& chain) {
    if (config_.refuse_main_mode) {
      icookie_ = h.icookie;
      ChainBuilder n;
      n.add(payload::kNotify, build_notify(protocol::kIsakmp, notify::kNoProposalChosen, {}, {}));
      out_.push_back(clear_message(exchange::kInformational, n));
      return;
    }
    if (rcookie_ != 0) return;
    icookie_ = h.icookie;
    rcookie_ = wire::random_ike_spi(random_);
    const Payload* sa = find(chain, payload::kSa);
    sa_i_.assign(sa->body.begin(), sa->body.end());
    auto offer = parse_sa(sa->body);
    // The first transform with MODP-2048, as SoftEther takes the first it can do.
    for (const auto& t : (*offer)[0].transforms) {
      if (t.get(p1::kGroup) != dh::kModp2048) continue;
      Proposal answer;
      answer.transforms.push_back(t);
      suite_.encr = *t.get(p1::kEncryption) == p1::kAes ? encr::kAesCbc : encr::k3des;
      suite_.key_bits = static_cast<std::uint16_t>(t.get(p1::kKeyLength).value_or(192));
      suite_.prf = *t.get(p1::kHash) == p1::kSha256 ? prf_id::kHmacSha256 : prf_id::kHmacSha1;
      suite_.group = dh::kModp2048;
      ChainBuilder mm2;
      mm2.add(payload::kSa, build_sa({answer}));
      static constexpr std::uint8_t kNatT[] = {0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
                                               0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f};
      if (config_.announce_nat_t) mm2.add(payload::kVendor, kNatT);
      out_.push_back(clear_message(exchange::kMain, mm2));
      return;
    }
  }
  void on_mm3(const Header& h, const std::vector<Payload>& chain) {
    if (h.icookie != icookie_ || ke_) return;
    const Payload* ke = find(chain, payload::kKe);
    const Payload* nonce = find(chain, payload::kNonce);
    if (!ke || !nonce) return;
    gxi_.assign(ke->body.begin(), ke->body.end());
    ni_.assign(nonce->body.begin(), nonce->body.end());
    // A public value with a leading zero octet, found by trying (as SoftEther would send it).
    do {
      ke_ = KeyExchange::make(suite_.group);
    } while (config_.strip_leading_zero && ke_->public_value()[0] != 0);
    gxr_ = ke_->public_value();
    if (config_.strip_leading_zero) gxr_.erase(gxr_.begin());
    nr_ = wire::random_bytes(random_, 32);
    secret_ = *ke_->shared_secret(gxi_);
    const Bytes ci = cookie(icookie_), cr = cookie(rcookie_);
    Phase1Inputs in{wire::view(config_.pre_shared_key), ni_, nr_, secret_, ci, cr, gxi_, gxr_};
    keys_ = derive_phase1_keys(suite_, in);
    cipher_ = std::make_unique<MessageCipher>(suite_, *keys_);
    ChainBuilder mm4;
    mm4.add(payload::kKe, gxr_);
    mm4.add(payload::kNonce, nr_);
    mm4.add(payload::kNatD, wire::random_bytes(random_, 20));
    mm4.add(payload::kNatD, wire::random_bytes(random_, 20));
    out_.push_back(clear_message(exchange::kMain, mm4));
  }
  static Bytes cookie(std::uint64_t v) {
    Bytes b;
    wire::put64(b, v);
    return b;
  }
  void on_mm5(const Header& h, const std::vector<Payload>& chain) {
    (void)h;
    ++mm5_seen_;
    const Payload* id = find(chain, payload::kId);
    const Payload* hash = find(chain, payload::kHash);
    const Bytes ci = cookie(icookie_), cr = cookie(rcookie_);
    Phase1Inputs in{wire::view(config_.pre_shared_key), ni_, nr_, secret_, ci, cr, gxi_, gxr_};
    if (!id || !hash) return;  // garbage: another key (SoftEther stays silent)
    Bytes expected = main_mode_hash(suite_, *keys_, in, true, sa_i_, id->body);
    if (Bytes(hash->body.begin(), hash->body.end()) != expected) return;
    const Bytes id_r = id_ipv4(0);  // SoftEther names itself 0.0.0.0
    ChainBuilder mm6;
    mm6.add(payload::kId, id_r);
    mm6.add(payload::kHash, main_mode_hash(suite_, *keys_, in, false, sa_i_, id_r));
    Header out{icookie_, rcookie_, mm6.first(), exchange::kMain, 0, 0, 0};
    Bytes m(kHeaderSize);
    ppp::append(m, mm6.bytes());
    out.length = static_cast<std::uint32_t>(m.size());
    write_header(out, m.data());
    cipher_->seal(m);
    cipher_->phase1_done();
    phase1_ = true;
    out_.push_back(m);
  }
  void on_protected(const Header& h, const std::vector<Payload>& chain) {
    if (chain[0].type != payload::kHash) return;
    const auto* end = chain.back().whole.data() + chain.back().whole.size();
    const auto* start = chain[0].whole.data() + chain[0].whole.size();
    ByteView after(start, static_cast<std::size_t>(end - start));
    const Bytes hash(chain[0].body.begin(), chain[0].body.end());
    if (h.exchange == exchange::kInformational) {
      if (hash != prf(mid(h.message_id), after)) return;
      for (const auto& p : chain) {
        if (p.type == payload::kNotify) {
          auto n = parse_notify(p.body);
          notifies.push_back(n->type);
          if (n->type == notify::kRuThereAck) last_ack_sequence = wire::get32(n->data);
          if (n->type == notify::kRuThere) {
            send_informational(payload::kNotify,
                               build_notify(protocol::kIsakmp, notify::kRuThereAck, cookies(),
                                            Bytes(n->data.begin(), n->data.end())));
          }
        }
        if (p.type == payload::kDelete) deleted.push_back(parse_delete(p.body)->protocol);
      }
      cipher_->forget(h.message_id);
      return;
    }
    if (h.exchange != exchange::kQuick) return;
    if (h.message_id == own_qm_id_) {
      // Our own Quick Mode's answer: QM2, then our QM3.
      const Payload* sa = find(chain, payload::kSa);
      const Payload* nonce = find(chain, payload::kNonce);
      if (!sa || !nonce || hash != prf(mid(h.message_id), own_ni_, after)) return;
      Bytes nr(nonce->body.begin(), nonce->body.end());
      auto answer = parse_sa(sa->body);
      const std::uint32_t peer_spi = wire::get32((*answer)[0].spi);
      Bytes pfs_secret;
      if (own_ke_) {
        const Payload* ke = find(chain, payload::kKe);
        if (!ke) return;  // PFS asked for and not given
        pfs_secret = *own_ke_->shared_secret(ke->body);
        pfs_used = true;
      }
      Bytes h3{0};
      ppp::append(h3, mid(h.message_id));
      out_.push_back(protect(exchange::kQuick, h.message_id, prf(h3, own_ni_, nr), ChainBuilder{}));
      install(peer_spi, own_ni_, nr, 128, encr::kAesCbc, pfs_secret);
      own_qm_id_ = 0;
      ++qm_answered_;
      return;
    }
    if (find(chain, payload::kSa) == nullptr) {
      // QM3 of the initiator's Quick Mode.
      Bytes h3{0};
      ppp::append(h3, mid(h.message_id));
      if (hash != prf(h3, qm_ni_, qm_nr_)) return;
      install(qm_peer_spi_, qm_ni_, qm_nr_, qm_bits_, qm_encr_);
      ++qm_answered_;
      return;
    }
    if (hash != prf(mid(h.message_id), after)) return;
    const Payload* nonce = find(chain, payload::kNonce);
    auto offer = parse_sa(find(chain, payload::kSa)->body);
    qm_ni_.assign(nonce->body.begin(), nonce->body.end());
    qm_nr_ = wire::random_bytes(random_, 32);
    qm_peer_spi_ = wire::get32((*offer)[0].spi);
    spi_in_ = wire::random_spi(random_);
    Transform t = (*offer)[0].transforms[0];  // the first, as SoftEther
    qm_encr_ = t.id == p2::kEspAes ? encr::kAesCbc : encr::k3des;
    qm_bits_ = static_cast<std::uint16_t>(t.get(p2::kKeyLength).value_or(192));
    if (config_.lifetime) {
      for (auto& a : t.attributes) {
        if (a.type == p2::kLifeDuration) a.value = config_.lifetime;
      }
    }
    Proposal p;
    p.protocol = protocol::kEsp;
    wire::put32(p.spi, spi_in_);
    p.transforms.push_back(t);
    ChainBuilder rest;
    rest.add(payload::kSa, build_sa({p}));
    rest.add(payload::kNonce, qm_nr_);
    for (const auto& q : chain) {
      if (q.type == payload::kId || q.type == payload::kNatOa) rest.add(q.type, q.body);
    }
    last_qm2 =
        protect(exchange::kQuick, h.message_id, prf(mid(h.message_id), qm_ni_, rest.bytes()), rest);
    out_.push_back(last_qm2);
  }
  void install(std::uint32_t peer_spi, const Bytes& ni, const Bytes& nr, std::uint16_t bits,
               std::uint16_t encr_id, const Bytes& pfs_secret = {}) {
    EspTransforms t{encr_id, bits, integ::kHmacSha1_96};
    const std::size_t enc = Protection::key_size(t.encr, t.key_bits);
    const std::size_t len = enc + Protection::integrity_key_size(t.integ);
    auto split = [&](std::uint32_t spi) {
      Bytes k = keymat(suite_, *keys_, pfs_secret, mid(spi), ni, nr, len);
      return EspKeys{Bytes(k.begin(), k.begin() + static_cast<std::ptrdiff_t>(enc)),
                     Bytes(k.begin() + static_cast<std::ptrdiff_t>(enc), k.end())};
    };
    sa_ = EspSa::make(t, peer_spi, split(peer_spi), spi_in_, split(spi_in_));
  }

  ResponderConfig config_;
  ppp::testing::SeededRandom random_;
  std::deque<Bytes> out_;
  std::uint64_t icookie_ = 0, rcookie_ = 0;
  Phase1Suite suite_;
  Bytes sa_i_, gxi_, gxr_, ni_, nr_, secret_;
  std::unique_ptr<KeyExchange> ke_;
  std::optional<Phase1Keys> keys_;
  std::unique_ptr<MessageCipher> cipher_;
  bool phase1_ = false;
  int mm5_seen_ = 0;
  int qm_answered_ = 0;
  Bytes qm_ni_, qm_nr_;
  std::uint32_t qm_peer_spi_ = 0, spi_in_ = 0;
  std::uint16_t qm_bits_ = 0, qm_encr_ = 0;
  std::uint32_t own_qm_id_ = 0;
  std::unique_ptr<KeyExchange> own_ke_;
  Bytes own_ni_;
  std::shared_ptr<EspSa> sa_;
};

}  // namespace openras::ike::v1::testing
