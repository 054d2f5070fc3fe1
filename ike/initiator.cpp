#include "ike/initiator.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "ike/proposals.hpp"
#include "ike/wire.hpp"
#include "ppp/bytes.hpp"
#include "ppp/mschapv2.hpp"
#include "raserror.h"

namespace openras::ike {
namespace {

constexpr int kMaxRestarts = 3;  // COOKIE and INVALID_KE_PAYLOAD answers in a row
constexpr auto kDeleteWait = std::chrono::seconds(2);
// How long an IKE SA may be without a CHILD_SA before the call counts as ended.
constexpr auto kOrphanLimit = std::chrono::seconds(10);

using namespace wire;

// The Win32 error for an error notify in an IKE_AUTH or CREATE_CHILD_SA response.
std::uint32_t win32_of_notify(std::uint16_t type) {
  switch (type) {
    case notify::kAuthenticationFailed:
      return ERROR_IPSEC_IKE_AUTH_FAIL;
    case notify::kNoProposalChosen:
      return ERROR_IPSEC_IKE_POLICY_MATCH;
    case notify::kTsUnacceptable:
      return ERROR_TS_UNACCEPTABLE;
    case notify::kInternalAddressFailure:
      return ERROR_INTERNAL_ADDRESS_FAILURE;
    case notify::kFailedCpRequired:
      return ERROR_FAILED_CP_REQUIRED;
    default:
      return ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR;
  }
}

}  // namespace

Initiator::Initiator(InitiatorConfig config, ppp::Random& random)
    : config_(std::move(config)), random_(random) {}

Initiator::~Initiator() {
  std::fill(config_.password.begin(), config_.password.end(), '\0');
  std::fill(config_.pre_shared_key.begin(), config_.pre_shared_key.end(), '\0');
}

void Initiator::start(TimePoint now) {
  last_heard_ = now;
  spi_i_ = random_ike_spi(random_);
  nonce_i_ = random_bytes(random_, kNonceSize);
  if (config_.dh_groups.empty()) {
    fail(ERROR_IPSEC_IKE_POLICY_MATCH);
    return;
  }
  group_ = config_.dh_groups.front();
  send_sa_init(now);
}

void Initiator::send_sa_init(TimePoint now) {
  ke_ = KeyExchange::make(group_);
  if (!ke_) {
    fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
    return;
  }
  phase_ = Phase::SaInit;
  ChainBuilder chain;
  if (!cookie_.empty()) chain.add(payload::kNotify, build_notify(notify::kCookie, cookie_));
  chain.add(payload::kSa, build_sa(ike_offer(config_.dh_groups)));
  chain.add(payload::kKe, build_ke(group_, ke_->public_value()));
  chain.add(payload::kNonce, nonce_i_);
  // Our source hash is deliberately not ours: a responder that believes we are behind a NAT
  // encapsulates ESP in UDP, the only ESP a host without kernel IPsec can receive.
  chain.add(payload::kNotify,
            build_notify(notify::kNatDetectionSourceIp, random_bytes(random_, 20)));
  Bytes dest;
  put64(dest, spi_i_);
  put64(dest, 0);
  put32(dest, config_.server_ipv4);
  put16(dest, config_.server_port);
  chain.add(payload::kNotify, build_notify(notify::kNatDetectionDestinationIp, sha1(dest)));
  if (config_.fragmentation)
    chain.add(payload::kNotify, build_notify(notify::kFragmentationSupported));
  Bytes hashes;
  for (std::uint16_t h : {2, 3, 4}) put16(hashes, h);  // SHA2-256, -384, -512 (RFC 7427)
  chain.add(payload::kNotify, build_notify(notify::kSignatureHashAlgorithms, hashes));
  Header h{spi_i_, 0, 0, exchange::kSaInit, flag::kInitiator, 0, 0};
  message1_ = chain.message(h);
  pending_ = Pending{0, Step::SaInit, {message1_}, 0, now};
  next_id_ = 1;
  transmit(*pending_, now);
}

void Initiator::transmit(Pending& p, TimePoint now) {
  for (const auto& d : p.datagrams) out_.push_back(d);
  ++p.sent;
  p.next = now + config_.retransmit_first * (1 << std::min(p.sent - 1, 6));
}

void Initiator::on_sa_init_response(ByteView message, TimePoint now) {
  auto h = parse_header(message);
  if (!h || h->message_id != 0 || h->spi_i != spi_i_ || h->exchange != exchange::kSaInit) return;
  message = message.first(h->length);
  auto chain = parse_payloads(h->next_payload, message.subspan(kHeaderSize));
  if (!chain) return;  // a malformed answer is dropped; the retransmission may fare better
  for (const auto& p : chain->payloads) {
    if (p.type != payload::kNotify) continue;
    auto n = parse_notify(p.body);
    if (!n) return;
    if (n->type == notify::kCookie && restarts_ < kMaxRestarts && !n->data.empty() &&
        n->data.size() <= 64) {
      ++restarts_;
      cookie_.assign(n->data.begin(), n->data.end());
      send_sa_init(now);
      return;
    }
    if (n->type == notify::kInvalidKePayload && n->data.size() == 2 && restarts_ < kMaxRestarts) {
      const std::uint16_t wanted = static_cast<std::uint16_t>(n->data[0] << 8 | n->data[1]);
      if (wanted != group_ && std::find(config_.dh_groups.begin(), config_.dh_groups.end(),
                                        wanted) != config_.dh_groups.end()) {
        ++restarts_;
        group_ = wanted;
        send_sa_init(now);
        return;
      }
      fail(ERROR_IPSEC_IKE_POLICY_MATCH);
      return;
    }
    if (n->type == notify::kNoProposalChosen) {
      fail(ERROR_IPSEC_IKE_POLICY_MATCH);
      return;
    }
    if (n->type < 16384) {
      fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
      return;
    }
    if (n->type == notify::kFragmentationSupported) peer_fragments_ = config_.fragmentation;
  }
  const Payload* sa = find(*chain, payload::kSa);
  const Payload* ke = find(*chain, payload::kKe);
  const Payload* nonce = find(*chain, payload::kNonce);
  if (!sa || !ke || !nonce || h->spi_r == 0) return;
  auto proposals = parse_sa(sa->body);
  auto suite = proposals ? chosen_ike_suite(*proposals, config_.dh_groups) : std::nullopt;
  auto kep = parse_ke(ke->body);
  if (!suite || !kep || kep->type != group_ || suite->dh != group_ || nonce->body.size() < 16 ||
      nonce->body.size() > 256) {
    fail(ERROR_IPSEC_IKE_POLICY_MATCH);
    return;
  }
  auto shared = ke_->shared_secret(kep->data);
  if (!shared) {
    fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
    return;
  }
  spi_r_ = h->spi_r;
  nonce_r_.assign(nonce->body.begin(), nonce->body.end());
  message2_.assign(message.begin(), message.end());
  keys_ = derive_ike_keys(*suite, *shared, nonce_i_, nonce_r_, spi_i_, spi_r_);
  wipe(*shared);
  ke_.reset();
  codec_ = keys_ ? SkCodec::make(*keys_) : nullptr;
  if (!codec_) {
    fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
    return;
  }
  pending_.reset();
  last_heard_ = now;
  events_.push_back(event::SaInitDone{});
  send_auth_first(now);
}

Bytes Initiator::id_payload() const {
  if (config_.method == InitiatorConfig::Method::Certificate && config_.local_id.empty() &&
      config_.signer) {
    return build_typed(id_type::kDerAsn1Dn, config_.signer->subject_der());
  }
  std::string id = config_.local_id;
  if (id.empty()) id = config_.method == InitiatorConfig::Method::Eap ? config_.user : "openras";
  std::uint8_t type = config_.local_id_type;
  in_addr a{};
  if (type == 0) {
    type = id.find('@') != std::string::npos         ? id_type::kRfc822
           : inet_pton(AF_INET, id.c_str(), &a) == 1 ? id_type::kIpv4
                                                     : id_type::kFqdn;
  }
  if (type == id_type::kIpv4 && inet_pton(AF_INET, id.c_str(), &a) == 1) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(&a);
    return build_typed(type, ByteView(b, 4));
  }
  return build_typed(type, view(id));
}

void Initiator::send_auth_first(TimePoint now) {
  phase_ = Phase::Auth;
  ChainBuilder chain;
  const Bytes idi = id_payload();
  chain.add(payload::kIdi, idi);
  const bool eap = config_.method == InitiatorConfig::Method::Eap;
  const bool cert = config_.method == InitiatorConfig::Method::Certificate;
  if (cert) {
    if (!config_.signer) {
      fail(ERROR_IPSEC_IKE_NO_CERT);
      return;
    }
    for (const auto& der : config_.signer->chain()) {
      Bytes body{cert_encoding::kX509Signature};
      ppp::append(body, der);
      chain.add(payload::kCert, body);
    }
  }
  if (eap || cert) {
    if (!config_.verifier) {
      fail(ERROR_IPSEC_IKE_NO_CERT);
      return;
    }
    Bytes certreq{cert_encoding::kX509Signature};
    Bytes hashes = config_.verifier->authority_hashes();
    ppp::append(certreq, hashes);
    chain.add(payload::kCertReq, certreq);
  }
  chain.add(payload::kNotify, build_notify(notify::kInitialContact));
  if (!config_.remote_id.empty())
    chain.add(payload::kIdr, build_typed(id_type::kFqdn, view(config_.remote_id)));
  if (!eap) {
    auto prf = Prf::make(keys_->suite.prf);
    Bytes octets = signed_octets(*prf, message1_, nonce_r_, keys_->sk_pi, idi);
    if (cert) {
      Bytes signature = config_.signer->sign(octets);
      if (signature.empty()) {
        fail(ERROR_IPSEC_IKE_NO_CERT);
        return;
      }
      chain.add(payload::kAuth, build_typed(auth_method::kDigitalSignature, signature));
    } else {
      chain.add(payload::kAuth,
                build_typed(auth_method::kSharedKey,
                            shared_key_auth(*prf, view(config_.pre_shared_key), octets)));
    }
  }
  chain.add(payload::kCp, build_cp_request({cfg::kIp4Address, cfg::kIp4Dns, cfg::kDnsDomain}));
  child_spi_in_ = random_spi(random_);
  chain.add(payload::kSa, build_sa(esp_offer(child_spi_in_)));
  const std::vector<TrafficSelector> any{TrafficSelector{}};
  chain.add(payload::kTsi, build_ts(any));
  chain.add(payload::kTsr, build_ts(any));
  if (config_.mobike) chain.add(payload::kNotify, build_notify(notify::kMobikeSupported));
  if (eap) {
    eap_config_.auth_max_requests = 1000;  // IKE's retransmissions decide when it is over
    eap_ = std::make_unique<ppp::EapPeer>(eap_config_, eap_negotiated_, random_, eap_out_);
    eap_->start(config_.user, config_.password, now);
  }
  request(Step::AuthFirst, exchange::kAuth, chain, now);
}

void Initiator::request(Step step, std::uint8_t exch, const ChainBuilder& inner, TimePoint now) {
  if (pending_) {
    queued_.push_back({step, exch, inner});
    return;
  }
  Header h{spi_i_, spi_r_, 0, exch, own_flags(), next_id_, 0};
  pending_ = Pending{
      next_id_, step,
      codec_->seal(h, inner.first(), inner.bytes(), peer_fragments_ ? config_.fragment_limit : 0),
      0, now};
  ++next_id_;
  transmit(*pending_, now);
}

void Initiator::respond(std::uint32_t message_id, std::uint8_t exch, const ChainBuilder& inner) {
  Header h{spi_i_,     spi_r_, 0, exch, static_cast<std::uint8_t>(own_flags() | flag::kResponse),
           message_id, 0};
  last_response_ =
      codec_->seal(h, inner.first(), inner.bytes(), peer_fragments_ ? config_.fragment_limit : 0);
  for (const auto& d : last_response_) out_.push_back(d);
}

std::optional<std::uint32_t> Initiator::error_notify(const PayloadChain& chain) const {
  for (const auto& p : chain.payloads) {
    if (p.type != payload::kNotify) continue;
    auto n = parse_notify(p.body);
    if (!n) return ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR;
    if (n->type < 16384) return win32_of_notify(n->type);
  }
  return std::nullopt;
}

void Initiator::receive(ByteView message, TimePoint now) {
  if (phase_ == Phase::Done || phase_ == Phase::Idle) return;
  auto h = parse_header(message);
  if (!h) return;
  if (retired_ && h->spi_i == retired_->spi_i && h->spi_r == retired_->spi_r) {
    on_retired(message, *h);
    return;
  }
  if (h->spi_i != spi_i_) return;
  if (phase_ == Phase::SaInit) {
    if (h->flags & flag::kResponse) on_sa_init_response(message, now);
    return;
  }
  if (h->spi_r != spi_r_) return;
  if (h->flags & flag::kResponse) {
    if (!pending_ || h->message_id != pending_->message_id) return;
    SkCodec::Opened m;
    if (codec_->open(message, m) != SkCodec::Result::Opened) return;
    last_heard_ = now;
    const Step step = pending_->step;
    pending_.reset();
    switch (step) {
      case Step::AuthFirst:
      case Step::Eap:
      case Step::EapAuth:
        on_auth_response(m, now);
        break;
      case Step::Delete:
        finish_close();
        return;
      case Step::ChildRekey:
        on_child_rekeyed(m, now);
        break;
      case Step::ChildDelete:
        on_child_deleted(m);
        break;
      case Step::IkeRekey:
        on_ike_rekeyed(m, now);
        break;
      default:
        break;
    }
    if (!pending_ && !queued_.empty() && phase_ != Phase::Done) {
      Queued q = std::move(queued_.front());
      queued_.pop_front();
      request(q.step, q.exchange, q.inner, now);
    }
    return;
  }
  // A request of the server's.
  if (h->message_id + 1 == peer_next_id_ && !last_response_.empty()) {
    for (const auto& d : last_response_) out_.push_back(d);  // our answer was lost
    return;
  }
  if (h->message_id != peer_next_id_) return;
  SkCodec::Opened m;
  if (codec_->open(message, m) != SkCodec::Result::Opened) return;
  last_heard_ = now;
  ++peer_next_id_;
  on_request(m, now);
}

void Initiator::on_timer(TimePoint now) {
  if (phase_ == Phase::Done) return;
  if (close_deadline_ && now >= *close_deadline_) {
    finish_close();
    return;
  }
  if (pending_ && now >= pending_->next) {
    if (pending_->sent >= config_.transmissions) {
      const Step step = pending_->step;
      pending_.reset();
      if (step == Step::Delete) {
        finish_close();
      } else if (step == Step::SaInit) {
        fail(ERROR_VPN_TIMEOUT);
      } else if (step == Step::Liveness || step == Step::Informational) {
        fail(ERROR_LINK_FAILURE);
      } else {
        fail(ERROR_IPSEC_IKE_TIMED_OUT);
      }
      return;
    }
    transmit(*pending_, now);
  }
  if (orphaned_since_ && now - *orphaned_since_ >= kOrphanLimit) {
    fail(ERROR_REMOTE_DISCONNECTION);
    return;
  }
  if (phase_ == Phase::Established && !pending_ && queued_.empty()) start_due_rekeys(now);
  if (phase_ == Phase::Established && !pending_ && queued_.empty() &&
      now - last_heard_ >= config_.liveness_after) {
    ChainBuilder empty;
    request(Step::Liveness, exchange::kInformational, empty, now);
  }
}

std::optional<TimePoint> Initiator::next_deadline() const {
  if (phase_ == Phase::Done || phase_ == Phase::Idle) return std::nullopt;
  std::optional<TimePoint> d;
  auto consider = [&d](TimePoint t) {
    if (!d || t < *d) d = t;
  };
  if (pending_) consider(pending_->next);
  if (close_deadline_) consider(*close_deadline_);
  if (phase_ == Phase::Established && !pending_) consider(last_heard_ + config_.liveness_after);
  if (orphaned_since_) consider(*orphaned_since_ + kOrphanLimit);
  if (phase_ == Phase::Established && !pending_) {
    if (child_rekey_at_) consider(*child_rekey_at_);
    if (ike_rekey_at_) consider(*ike_rekey_at_);
  }
  return d;
}

bool Initiator::poll_message(Bytes& out) {
  if (out_.empty()) return false;
  out = std::move(out_.front());
  out_.pop_front();
  return true;
}

std::optional<Event> Initiator::poll_event() {
  if (events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

void Initiator::close(TimePoint now) {
  if (phase_ == Phase::Done || phase_ == Phase::Closing) return;
  if (phase_ != Phase::Established) {
    finish_close();
    return;
  }
  phase_ = Phase::Closing;
  pending_.reset();
  queued_.clear();
  ChainBuilder chain;
  chain.add(payload::kDelete, build_delete(protocol::kIke, {}));
  request(Step::Delete, exchange::kInformational, chain, now);
  close_deadline_ = now + kDeleteWait;
}

void Initiator::finish_close() {
  if (phase_ == Phase::Done) return;
  phase_ = Phase::Done;
  pending_.reset();
  queued_.clear();
  close_deadline_.reset();
  events_.push_back(event::Closed{});
}

void Initiator::fail(std::uint32_t error) {
  if (phase_ == Phase::Done) return;
  phase_ = Phase::Done;
  pending_.reset();
  queued_.clear();
  close_deadline_.reset();
  events_.push_back(event::Failed{error});
}

}  // namespace openras::ike
