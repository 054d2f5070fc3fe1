// A small IKEv2 responder for the initiator's back-to-back tests, built from the same pieces
// (message, sk_payload, auth, proposals, esp) in the responder's role: IKE_SA_INIT (with an
// optional COOKIE demand and a DH group of its own choosing), IKE_AUTH with a pre-shared key,
// a CHILD_SA with an address and two name servers; then requests of its own (liveness,
// Delete, a CHILD_SA rekey with PFS) and answers to the initiator's. Only what the tests need.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "../ppp/test_random.hpp"
#include "ike/auth.hpp"
#include "ike/esp.hpp"
#include "ike/message.hpp"
#include "ike/proposals.hpp"
#include "ike/sk_payload.hpp"

namespace openras::ike::testing {

struct ResponderConfig {
  std::string psk = "sesame";
  std::uint16_t group = dh::kCurve25519;  // the one group it takes
  bool demand_cookie = false;
  bool no_proposal = false;                // answers IKE_SA_INIT with NO_PROPOSAL_CHOSEN
  bool refuse_auth = false;                // answers IKE_AUTH with AUTHENTICATION_FAILED
  bool corrupt_auth = false;               // its own AUTH is wrong
  std::uint32_t assigned_ip = 0x0a630001;  // 10.99.0.1
};

class TestResponder {
 public:
  explicit TestResponder(ResponderConfig config = {}) : config_(std::move(config)), random_(99) {}

  // One request of the initiator's; its answers go to outbox().
  void receive(ByteView message) {
    auto h = parse_header(message);
    if (!h) return;
    if (h->exchange == exchange::kSaInit && !(h->flags & flag::kResponse)) {
      on_sa_init(message, *h);
      return;
    }
    if (!codec_) return;
    SkCodec::Opened m;
    if (codec_->open(message, m) != SkCodec::Result::Opened) return;
    if (m.header.flags & flag::kResponse) {
      last_response_ = std::move(m.plain);
      responses_.push_back(m.header.exchange);
      last_response_chain_ = m.chain;
      return;
    }
    if (h->message_id + 1 == peer_next_ && !last_answer_.empty()) {
      for (auto& d : last_answer_) outbox_.push_back(d);
      return;
    }
    peer_next_ = h->message_id + 1;
    if (m.header.exchange == exchange::kAuth) {
      on_auth(m);
    } else if (m.header.exchange == exchange::kInformational) {
      informational_requests_++;
      ChainBuilder empty;
      bool deleted = false;
      for (auto& p : m.chain.payloads) deleted = deleted || p.type == payload::kDelete;
      if (deleted) ike_deleted_ = true;
      answer(m.header, empty);
    }
  }

  // Requests of its own.
  void send_liveness() { request(exchange::kInformational, ChainBuilder{}); }
  void send_delete_ike() {
    ChainBuilder c;
    c.add(payload::kDelete, build_delete(protocol::kIke, {}));
    request(exchange::kInformational, c);
  }
  // Deletes the first CHILD_SA (its inbound SPI), as a server does after a rekey.
  void send_delete_first_child() {
    Bytes spi;
    for (int sh = 24; sh >= 0; sh -= 8)
      spi.push_back(static_cast<std::uint8_t>(child_spi_in_ >> sh));
    ChainBuilder c;
    c.add(payload::kDelete, build_delete(protocol::kEsp, {spi}));
    request(exchange::kInformational, c);
  }
  // The ESP SPIs the initiator's last answer deleted.
  std::vector<Bytes> deleted_in_answer() const {
    std::vector<Bytes> out;
    if (!last_response_chain_) return out;
    for (const auto& p : last_response_chain_->payloads) {
      if (p.type != payload::kDelete) continue;
      if (auto d = parse_delete(p.body)) out.insert(out.end(), d->spis.begin(), d->spis.end());
    }
    return out;
  }
  // Rekeys the CHILD_SA with a fresh DH (PFS); the new SA is rekeyed_esp() once answered.
  void send_child_rekey() {
    ChainBuilder c;
    Bytes spi;
    for (int s = 24; s >= 0; s -= 8) spi.push_back(static_cast<std::uint8_t>(child_spi_in_ >> s));
    c.add(payload::kNotify, build_notify(notify::kRekeySa, {}, protocol::kEsp, spi));
    rekey_spi_in_ = child_spi_in_ + 1;
    c.add(payload::kSa, build_sa(esp_offer(rekey_spi_in_, dh::kEcp256)));
    rekey_nonce_ = Bytes(32, 0x77);
    c.add(payload::kNonce, rekey_nonce_);
    rekey_ke_ = KeyExchange::make(dh::kEcp256);
    c.add(payload::kKe, build_ke(dh::kEcp256, rekey_ke_->public_value()));
    const std::vector<TrafficSelector> any{TrafficSelector{}};
    c.add(payload::kTsi, build_ts(any));
    c.add(payload::kTsr, build_ts(any));
    request(exchange::kCreateChild, c);
  }
  // After the initiator answered a rekey: the new SA pair on the responder's side.
  std::unique_ptr<EspSa> rekeyed_esp() {
    if (!last_response_chain_) return nullptr;
    const auto& chain = *last_response_chain_;
    const Payload* sa = find(chain, payload::kSa);
    const Payload* nonce = find(chain, payload::kNonce);
    const Payload* ke = find(chain, payload::kKe);
    if (!sa || !nonce || !ke) return nullptr;
    auto choice = chosen_esp(*parse_sa(sa->body));
    auto shared = rekey_ke_->shared_secret(parse_ke(ke->body)->data);
    if (!choice || !shared) return nullptr;
    // We began this exchange: our direction's keys come first.
    auto keys = child_keys(*keys_, choice->transforms, *shared, rekey_nonce_, nonce->body, true);
    return EspSa::make(choice->transforms, choice->peer_spi, keys->out, rekey_spi_in_, keys->in);
  }

  std::deque<Bytes>& outbox() { return outbox_; }
  EspSa* esp() { return esp_.get(); }
  bool established() const { return established_; }
  bool ike_deleted() const { return ike_deleted_; }
  int informational_requests() const { return informational_requests_; }
  const std::vector<std::uint8_t>& responses() const { return responses_; }
  int sa_inits() const { return sa_inits_; }

 private:
  void on_sa_init(ByteView message, const Header& h) {
    ++sa_inits_;
    auto chain =
        parse_payloads(h.next_payload, message.subspan(kHeaderSize, h.length - kHeaderSize));
    if (!chain) return;
    Header r{h.spi_i, 0, 0, exchange::kSaInit, flag::kResponse, 0, 0};
    auto plain_answer = [&](std::uint16_t type, ByteView data) {
      ChainBuilder c;
      c.add(payload::kNotify, build_notify(type, data));
      outbox_.push_back(c.message(r));
    };
    if (config_.no_proposal) return plain_answer(notify::kNoProposalChosen, {});
    if (config_.demand_cookie) {
      auto first = chain->payloads.empty() ? std::nullopt : parse_notify(chain->payloads[0].body);
      if (!first || first->type != notify::kCookie) {
        const Bytes cookie(16, 0xc0);
        return plain_answer(notify::kCookie, cookie);
      }
    }
    auto ke = parse_ke(find(*chain, payload::kKe)->body);
    if (ke->type != config_.group) {
      Bytes g{static_cast<std::uint8_t>(config_.group >> 8),
              static_cast<std::uint8_t>(config_.group)};
      return plain_answer(notify::kInvalidKePayload, g);
    }
    message1_.assign(message.begin(), message.end());
    nonce_i_.assign(find(*chain, payload::kNonce)->body.begin(),
                    find(*chain, payload::kNonce)->body.end());
    spi_i_ = h.spi_i;
    spi_r_ = 0x5151515151515151ull;
    ke_ = KeyExchange::make(config_.group);
    nonce_r_ = Bytes(32, 0x33);
    IkeSuite suite{encr::kAesCbc, 256, integ::kHmacSha256_128, prf_id::kHmacSha256, config_.group};
    Proposal chosen{2,
                    protocol::kIke,
                    {},
                    {{transform::kEncr, encr::kAesCbc, 256},
                     {transform::kPrf, prf_id::kHmacSha256, 0},
                     {transform::kInteg, integ::kHmacSha256_128, 0},
                     {transform::kDh, config_.group, 0}}};
    ChainBuilder c;
    c.add(payload::kSa, build_sa({chosen}));
    c.add(payload::kKe, build_ke(config_.group, ke_->public_value()));
    c.add(payload::kNonce, nonce_r_);
    c.add(payload::kNotify, build_notify(notify::kFragmentationSupported));
    r.spi_r = spi_r_;
    message2_ = c.message(r);
    auto shared = ke_->shared_secret(ke->data);
    keys_ = derive_ike_keys(suite, *shared, nonce_i_, nonce_r_, spi_i_, spi_r_);
    codec_ = SkCodec::make(*keys_, false);
    outbox_.push_back(message2_);
  }

  void on_auth(const SkCodec::Opened& m) {
    auto prf = Prf::make(prf_id::kHmacSha256);
    const Payload* idi = find(m.chain, payload::kIdi);
    const Payload* auth = find(m.chain, payload::kAuth);
    ChainBuilder c;
    auto octets_i = signed_octets(*prf, message1_, nonce_r_, keys_->sk_pi, idi->body);
    auto expected = shared_key_auth(
        *prf,
        ByteView(reinterpret_cast<const std::uint8_t*>(config_.psk.data()), config_.psk.size()),
        octets_i);
    auto a = parse_typed(auth->body);
    if (config_.refuse_auth || !a ||
        !std::equal(expected.begin(), expected.end(), a->data.begin(), a->data.end())) {
      c.add(payload::kNotify, build_notify(notify::kAuthenticationFailed));
      answer(m.header, c);
      return;
    }
    const std::string id = "responder.test";
    Bytes idr = build_typed(id_type::kFqdn,
                            ByteView(reinterpret_cast<const std::uint8_t*>(id.data()), id.size()));
    c.add(payload::kIdr, idr);
    auto octets_r = signed_octets(*prf, message2_, nonce_i_, keys_->sk_pr, idr);
    Bytes mine = shared_key_auth(
        *prf,
        ByteView(reinterpret_cast<const std::uint8_t*>(config_.psk.data()), config_.psk.size()),
        octets_r);
    if (config_.corrupt_auth) mine[0] ^= 1;
    c.add(payload::kAuth, build_typed(auth_method::kSharedKey, mine));
    Bytes cp{cfg::kReply, 0, 0, 0};
    auto attr = [&](std::uint16_t type, std::uint32_t v) {
      cp.insert(cp.end(),
                {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 4,
                 static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                 static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)});
    };
    attr(cfg::kIp4Address, config_.assigned_ip);
    attr(cfg::kIp4Dns, 0x0a620035);
    c.add(payload::kCp, cp);
    auto offer = parse_sa(find(m.chain, payload::kSa)->body);
    child_spi_in_ = 0xabc00000;
    auto accepted = accept_esp(*offer, child_spi_in_);
    c.add(payload::kSa, build_sa({accepted->second}));
    c.add(payload::kTsi, find(m.chain, payload::kTsi)->body);
    const std::vector<TrafficSelector> ts{TrafficSelector{7, 0, 0, 65535, 0x0a000000, 0x0affffff}};
    c.add(payload::kTsr, build_ts(ts));
    auto keys = child_keys(*keys_, accepted->first.transforms, {}, nonce_i_, nonce_r_, false);
    esp_ = EspSa::make(accepted->first.transforms, accepted->first.peer_spi, keys->out,
                       child_spi_in_, keys->in);
    established_ = true;
    answer(m.header, c);
  }

  void answer(const Header& req, const ChainBuilder& c) {
    Header h{spi_i_, spi_r_, 0, req.exchange, flag::kResponse, req.message_id, 0};
    last_answer_ = codec_->seal(h, c.first(), c.bytes(), 0);
    for (auto& d : last_answer_) outbox_.push_back(d);
  }
  void request(std::uint8_t exch, const ChainBuilder& c) {
    Header h{spi_i_, spi_r_, 0, exch, 0, next_id_++, 0};
    for (auto& d : codec_->seal(h, c.first(), c.bytes(), 0)) outbox_.push_back(d);
  }

  ResponderConfig config_;
  ppp::testing::SeededRandom random_;
  std::deque<Bytes> outbox_;
  std::unique_ptr<KeyExchange> ke_, rekey_ke_;
  Bytes message1_, message2_, nonce_i_, nonce_r_, rekey_nonce_;
  std::uint64_t spi_i_ = 0, spi_r_ = 0;
  std::optional<IkeSaKeys> keys_;
  std::unique_ptr<SkCodec> codec_;
  std::unique_ptr<EspSa> esp_;
  std::uint32_t child_spi_in_ = 0, rekey_spi_in_ = 0;
  std::uint32_t peer_next_ = 0, next_id_ = 0;
  std::vector<Bytes> last_answer_;
  Bytes last_response_;
  std::optional<PayloadChain> last_response_chain_;
  std::vector<std::uint8_t> responses_;
  bool established_ = false, ike_deleted_ = false;
  int informational_requests_ = 0, sa_inits_ = 0;
};

}  // namespace openras::ike::testing
