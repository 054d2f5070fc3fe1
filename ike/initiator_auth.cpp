// IKE_AUTH after the first request: the server's proof (a shared key, or its certificate
// and signature), EAP-MSCHAPv2 inside IKE_AUTH and the AUTH from its MSK, and the first
// CHILD_SA with the address and name servers the server assigned.

#include <algorithm>

#include "ike/initiator.hpp"
#include "ike/proposals.hpp"
#include "ike/wire.hpp"
#include "ppp/bytes.hpp"
#include "ppp/mschapv2.hpp"
#include "raserror.h"

namespace openras::ike {
namespace {

using namespace wire;

}  // namespace

void Initiator::on_auth_response(const SkCodec::Opened& m, TimePoint now) {
  if (auto error = error_notify(m.chain)) {
    // After an EAP failure the server's AUTHENTICATION_FAILED says nothing more than EAP did.
    fail(eap_ && eap_->status() == ppp::AuthStatus::Failed ? eap_->error() : *error);
    return;
  }
  auto prf = Prf::make(keys_->suite.prf);
  if (const Payload* idr = find(m.chain, payload::kIdr))
    idr_body_.assign(idr->body.begin(), idr->body.end());
  const Payload* auth = find(m.chain, payload::kAuth);
  const bool eap = config_.method == InitiatorConfig::Method::Eap;
  auto server_octets = [&] {
    return signed_octets(*prf, message2_, nonce_i_, keys_->sk_pr, idr_body_);
  };
  if (config_.method == InitiatorConfig::Method::PreSharedKey) {
    auto a = auth ? parse_typed(auth->body) : std::nullopt;
    if (!a || idr_body_.empty() || a->type != auth_method::kSharedKey) {
      fail(ERROR_IPSEC_IKE_AUTH_FAIL);
      return;
    }
    if (!constant_time_match(shared_key_auth(*prf, view(config_.pre_shared_key), server_octets()),
                             a->data)) {
      fail(ERROR_IPSEC_IKE_AUTH_FAIL);
      return;
    }
    authenticated(m.chain, now);
    return;
  }
  if (!server_verified_) {
    // The server proves itself with its certificate (RFC 7296 2.16: first, under EAP).
    if (!verify_server(m, server_octets())) return;
    server_verified_ = true;
    if (!eap) {
      authenticated(m.chain, now);
      return;
    }
  } else if (auth) {
    // The last exchange: the server's AUTH from the MSK, then the CHILD_SA.
    auto a = parse_typed(auth->body);
    const auto& master = eap_negotiated_.mppe_master_key;
    if (!a || !master) {
      fail(ERROR_IPSEC_IKE_AUTH_FAIL);
      return;
    }
    Bytes msk = eap_msk();
    const bool proved = constant_time_match(shared_key_auth(*prf, msk, server_octets()), a->data);
    wipe(msk);
    if (!proved) {
      fail(ERROR_IPSEC_IKE_AUTH_FAIL);
      return;
    }
    authenticated(m.chain, now);
    return;
  }
  const Payload* e = find(m.chain, payload::kEap);
  if (!e) {
    fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
    return;
  }
  on_eap(e->body, now);
}

Bytes Initiator::eap_msk() const {
  // The MSK of EAP-MSCHAPv2: the peer's send key, then its receive key (RFC 3079 keys).
  Bytes msk;
  for (bool send : {true, false}) {
    auto k = ppp::mschap::asymmetric_start_key(*eap_negotiated_.mppe_master_key, send, false);
    ppp::append(msk, k);
  }
  return msk;
}

void Initiator::authenticated(const PayloadChain& chain, TimePoint now) {
  events_.push_back(event::Authenticated{});
  if (take_child(chain)) {
    phase_ = Phase::Established;
    rekeys_from(now);
  }
}

bool Initiator::verify_server(const SkCodec::Opened& m, const Bytes& octets) {
  const Payload* auth = find(m.chain, payload::kAuth);
  auto a = auth ? parse_typed(auth->body) : std::nullopt;
  std::vector<Bytes> certs;
  for (const auto& p : m.chain.payloads) {
    if (p.type == payload::kCert && !p.body.empty() && p.body[0] == cert_encoding::kX509Signature) {
      certs.emplace_back(p.body.begin() + 1, p.body.end());
    }
  }
  if (!a || idr_body_.empty() || certs.empty()) {
    fail(ERROR_IPSEC_IKE_AUTH_FAIL);
    return false;
  }
  if (std::uint32_t e =
          config_.verifier->verify(certs, config_.server_name, config_.skip_name_eku)) {
    fail(e);
    return false;
  }
  if (!verify_signature(certs.front(), static_cast<std::uint8_t>(a->type), a->data, octets)) {
    fail(ERROR_IPSEC_IKE_AUTH_FAIL);
    return false;
  }
  return true;
}

void Initiator::on_eap(ByteView packet, TimePoint now) {
  eap_->receive(packet, now);
  if (!eap_negotiated_.auth_message.empty()) server_message_ = eap_negotiated_.auth_message;
  if (!eap_out_.empty()) {
    ChainBuilder chain;
    chain.add(payload::kEap, eap_out_.front().packet);
    eap_out_.clear();
    request(Step::Eap, exchange::kAuth, chain, now);
  }
  if (eap_->status() == ppp::AuthStatus::Failed) {
    fail(eap_->error());
    return;
  }
  if (eap_->status() == ppp::AuthStatus::Succeeded) send_eap_auth(now);
}

void Initiator::send_eap_auth(TimePoint now) {
  const auto& master = eap_negotiated_.mppe_master_key;
  if (!master) {
    fail(ERROR_IPSEC_IKE_AUTH_FAIL);
    return;
  }
  Bytes msk = eap_msk();
  auto prf = Prf::make(keys_->suite.prf);
  Bytes octets = signed_octets(*prf, message1_, nonce_r_, keys_->sk_pi, id_payload());
  ChainBuilder chain;
  chain.add(payload::kAuth,
            build_typed(auth_method::kSharedKey, shared_key_auth(*prf, msk, octets)));
  wipe(msk);
  request(Step::EapAuth, exchange::kAuth, chain, now);
}

bool Initiator::take_child(const PayloadChain& chain) {
  NetworkConfig net;
  if (const Payload* cp = find(chain, payload::kCp)) {
    auto c = parse_cp(cp->body);
    if (c && c->type == cfg::kReply) {
      for (const auto& a : c->attributes) {
        if (a.type == cfg::kIp4Address && a.value.size() == 4) net.ip = get32(a.value);
        if (a.type == cfg::kIp4Dns && a.value.size() == 4 && net.dns.size() < 2) {
          net.dns.push_back(get32(a.value));
        }
        if (a.type == cfg::kDnsDomain && !a.value.empty() && a.value.size() < 254 &&
            net.dns_domain.empty()) {
          net.dns_domain.assign(a.value.begin(), a.value.end());
        }
      }
    }
  }
  if (net.ip == 0) {
    fail(ERROR_INTERNAL_ADDRESS_FAILURE);
    return false;
  }
  const Payload* sa = find(chain, payload::kSa);
  const Payload* tsr = find(chain, payload::kTsr);
  auto proposals = sa ? parse_sa(sa->body) : std::nullopt;
  auto choice = proposals ? chosen_esp(*proposals) : std::nullopt;
  if (!choice || choice->dh_group) {
    fail(ERROR_IPSEC_IKE_POLICY_MATCH);
    return false;
  }
  auto selectors = tsr ? parse_ts(tsr->body) : std::nullopt;
  if (!selectors || selectors->empty()) {
    fail(ERROR_TS_UNACCEPTABLE);
    return false;
  }
  net.remote_ts = *selectors;
  auto keys = child_keys(*keys_, choice->transforms, {}, nonce_i_, nonce_r_, true);
  std::shared_ptr<EspSa> esp =
      keys ? EspSa::make(choice->transforms, choice->peer_spi, keys->out, child_spi_in_, keys->in)
           : nullptr;
  if (!esp) {
    fail(ERROR_IPSEC_IKE_GENERAL_PROCESSING_ERROR);
    return false;
  }
  child_spis_in_.push_back(child_spi_in_);
  child_spis_out_.push_back(choice->peer_spi);
  events_.push_back(event::ChildUp{std::move(esp)});
  events_.push_back(event::Established{std::move(net)});
  return true;
}

}  // namespace openras::ike
