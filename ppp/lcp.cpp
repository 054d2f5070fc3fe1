#include "ppp/lcp.hpp"

#include <algorithm>

namespace openras::ppp {
namespace {

enum LcpOption : std::uint8_t {
  kMru = 1,
  kAccm = 2,
  kAuthProtocol = 3,
  kMagicNumber = 5,
  kPfc = 7,
  kAcfc = 8,
};

constexpr std::uint16_t kMinMru = 128;

void put_auth(Bytes& out, AuthMethod m) {
  Bytes data;
  switch (m) {
    case AuthMethod::Pap:
      put16(data, kProtoPap);
      break;
    case AuthMethod::ChapMd5:
      put16(data, kProtoChap);
      data.push_back(kChapMd5);
      break;
    case AuthMethod::MsChapV2:
      put16(data, kProtoChap);
      data.push_back(kChapMsV2);
      break;
    case AuthMethod::EapMsChapV2:
      put16(data, kProtoEap);  // the EAP type is chosen inside EAP
      break;
    case AuthMethod::None:
      return;
  }
  put_option(out, kAuthProtocol, data);
}

std::optional<AuthMethod> parse_auth(ByteView data) {
  if (data.size() < 2) return std::nullopt;
  std::uint16_t proto = get16(data.data());
  if (proto == kProtoPap && data.size() == 2) return AuthMethod::Pap;
  if (proto == kProtoEap && data.size() == 2) return AuthMethod::EapMsChapV2;
  if (proto == kProtoChap && data.size() == 3) {
    if (data[2] == kChapMd5) return AuthMethod::ChapMd5;
    if (data[2] == kChapMsV2) return AuthMethod::MsChapV2;
  }
  return std::nullopt;  // EAP, MS-CHAPv1, SPAP, anything else: not spoken here
}

std::uint32_t nonzero_magic(Random& random) {
  std::uint32_t m = 0;
  while (m == 0) m = random.u32();
  return m;
}

}  // namespace

Lcp::Lcp(const SessionConfig& config, Negotiated& negotiated, Random& random, LayerHooks& hooks,
         std::deque<OutPacket>& outbox)
    : config_(config),
      negotiated_(negotiated),
      random_(random),
      hooks_(hooks),
      fsm_(kProtoLcp, *this, outbox, config.fsm),
      our_mru_(config.mru) {
  wants_.mru = config.mru != 1500;
  wants_.accm = config.framed;
  wants_.pfc = config.framed;
  wants_.acfc = config.framed;
  if (config.server && !config.server_settings.require.empty()) {
    wants_.auth = config.server_settings.require.front();
  }
  negotiated_.our_magic = nonzero_magic(random_);
}

AuthMethod Lcp::preferred_auth() const {
  if (config_.allowed.mschapv2) return AuthMethod::MsChapV2;
  if (config_.allowed.eap_mschapv2) return AuthMethod::EapMsChapV2;
  if (config_.allowed.chap_md5) return AuthMethod::ChapMd5;
  if (config_.allowed.pap) return AuthMethod::Pap;
  return AuthMethod::None;
}

Bytes Lcp::build_request() {
  Bytes out;
  if (wants_.mru) {
    Bytes v;
    put16(v, our_mru_);
    put_option(out, kMru, v);
  }
  if (wants_.accm) {
    Bytes v;
    put32(v, 0);
    put_option(out, kAccm, v);
  }
  if (wants_.auth) put_auth(out, *wants_.auth);
  if (wants_.magic) {
    Bytes v;
    put32(v, negotiated_.our_magic);
    put_option(out, kMagicNumber, v);
  }
  if (wants_.pfc) put_option(out, kPfc, {});
  if (wants_.acfc) put_option(out, kAcfc, {});
  return out;
}

Verdict Lcp::check_auth(ByteView data, Bytes& nak) {
  if (config_.server) return Verdict::Reject;  // we do not authenticate ourselves to a client
  auto method = parse_auth(data);
  if (method && config_.allowed.allows(*method)) {
    pending_.auth = *method;
    return Verdict::Ack;
  }
  refused_peer_auth_ = true;
  AuthMethod ours = preferred_auth();
  if (ours == AuthMethod::None) return Verdict::Reject;
  put_auth(nak, ours);
  return Verdict::Nak;
}

Verdict Lcp::check_request(ByteView options, Bytes& reply) {
  Bytes naks, rejects;
  pending_ = negotiated_;
  pending_.auth = AuthMethod::None;
  pending_.tx_pfc = pending_.tx_acfc = false;
  pending_.tx_accm = 0xffffffff;
  pending_.peer_mru = 1500;
  bool well_formed = for_each_option(options, [&](const Option& o) {
    Bytes raw;
    put_option(raw, o.type, o.data);
    auto reject = [&] { rejects.insert(rejects.end(), raw.begin(), raw.end()); };
    switch (o.type) {
      case kMru:
        if (o.data.size() != 2) return reject();
        if (get16(o.data.data()) < kMinMru) {
          Bytes v;
          put16(v, 1500);
          put_option(naks, kMru, v);
        } else {
          pending_.peer_mru = get16(o.data.data());
        }
        break;
      case kAccm:
        if (o.data.size() != 4) return reject();
        pending_.tx_accm = get32(o.data.data());
        break;
      case kAuthProtocol: {
        Bytes nak;
        Verdict v = check_auth(o.data, nak);
        if (v == Verdict::Reject) reject();
        if (v == Verdict::Nak) naks.insert(naks.end(), nak.begin(), nak.end());
        break;
      }
      case kMagicNumber: {
        if (o.data.size() != 4 || (config_.server && config_.server_settings.reject_magic)) {
          return reject();
        }
        std::uint32_t magic = get32(o.data.data());
        if (magic != 0 && magic == negotiated_.our_magic && wants_.magic) {
          // Our own number came back: a looped-back line, or a rare collision.
          if (++magic_collisions_ >= config_.loopback_limit) hooks_.loopback_detected();
          negotiated_.our_magic = nonzero_magic(random_);
          Bytes v;
          put32(v, nonzero_magic(random_));
          put_option(naks, kMagicNumber, v);
        } else if (magic == 0) {
          Bytes v;
          put32(v, nonzero_magic(random_));
          put_option(naks, kMagicNumber, v);
        } else {
          magic_collisions_ = 0;
          pending_.peer_magic = magic;
        }
        break;
      }
      case kPfc:
        if (!o.data.empty()) return reject();
        pending_.tx_pfc = true;
        break;
      case kAcfc:
        if (!o.data.empty()) return reject();
        pending_.tx_acfc = true;
        break;
      default:
        reject();
        break;
    }
  });
  Verdict verdict = settle_request(well_formed, options, rejects, naks, reply);
  if (verdict != Verdict::Ack) return verdict;
  negotiated_.peer_mru = pending_.peer_mru;
  negotiated_.tx_accm = pending_.tx_accm;
  negotiated_.tx_pfc = pending_.tx_pfc;
  negotiated_.tx_acfc = pending_.tx_acfc;
  negotiated_.peer_magic = pending_.peer_magic;
  if (!config_.server) negotiated_.auth = pending_.auth;
  return Verdict::Ack;
}

bool Lcp::on_ack(ByteView options) {
  return for_each_option(options, [&](const Option& o) {
    if (o.type == kAccm && o.data.size() == 4) negotiated_.rx_accm = get32(o.data.data());
    if (o.type == kAuthProtocol && config_.server) {
      if (auto m = parse_auth(o.data)) negotiated_.auth = *m;
    }
  });
}

void Lcp::on_nak(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    switch (o.type) {
      case kMru:
        if (o.data.size() == 2) {
          our_mru_ = std::clamp<std::uint16_t>(get16(o.data.data()), kMinMru, 1500);
          wants_.mru = true;
        }
        break;
      case kAccm:
        break;  // we keep asking for 0; the peer's map applies to what it sends anyway
      case kMagicNumber:
        negotiated_.our_magic = nonzero_magic(random_);
        break;
      case kAuthProtocol:
        if (config_.server) {
          // The client prefers another method: take it if we offer it, else our next one.
          auto m = parse_auth(o.data);
          const auto& req = config_.server_settings.require;
          if (m && std::find(req.begin(), req.end(), *m) != req.end()) {
            wants_.auth = *m;
          } else if (++server_auth_index_ < req.size()) {
            wants_.auth = req[server_auth_index_];
          }
        }
        break;
      default:
        break;
    }
  });
}

void Lcp::on_reject(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    switch (o.type) {
      case kMru:
        wants_.mru = false;
        our_mru_ = 1500;
        break;
      case kAccm:
        wants_.accm = false;
        break;
      case kMagicNumber:
        wants_.magic = false;
        negotiated_.our_magic = 0;
        break;
      case kPfc:
        wants_.pfc = false;
        break;
      case kAcfc:
        wants_.acfc = false;
        break;
      case kAuthProtocol:
        wants_.auth.reset();  // the client will not authenticate; the server refuses later
        break;
      default:
        break;
    }
  });
}

bool Lcp::on_extended_code(std::uint8_t code, std::uint8_t id, ByteView data) {
  const bool opened = fsm_.state() == FsmState::Opened;
  switch (code) {
    case kProtocolReject:
      if (opened && data.size() >= 2) hooks_.protocol_rejected(get16(data.data()));
      return true;
    case kEchoRequest: {
      // Echo before Opened is silently dropped (some servers send it early).
      if (!opened || data.size() < 4) return true;
      std::uint32_t magic = get32(data.data());
      if (magic != 0 && magic == negotiated_.our_magic) {
        hooks_.loopback_detected();
        return true;
      }
      Bytes reply;
      put32(reply, negotiated_.our_magic);
      reply.insert(reply.end(), data.begin() + 4, data.end());
      fsm_.send(kEchoReply, id, reply);
      return true;
    }
    case kEchoReply:
      if (opened) hooks_.echo_reply_received();
      return true;
    case kDiscardRequest:
      return true;
    default:
      return false;
  }
}

void Lcp::send_echo_request() {
  Bytes data;
  put32(data, negotiated_.our_magic);
  fsm_.send(kEchoRequest, fsm_.next_id(), data);
}

void Lcp::send_protocol_reject(std::uint16_t protocol, ByteView info) {
  if (fsm_.state() != FsmState::Opened) return;
  Bytes data;
  put16(data, protocol);
  std::size_t room = negotiated_.peer_mru > 6 ? negotiated_.peer_mru - 6u : 0u;
  data.insert(data.end(), info.begin(), info.begin() + std::min(room, info.size()));
  fsm_.send(kProtocolReject, fsm_.next_id(), data);
}

void Lcp::this_layer_up() {
  hooks_.layer_up(kProtoLcp);
}
void Lcp::this_layer_down() {
  hooks_.layer_down(kProtoLcp);
}
void Lcp::this_layer_finished(FinishReason reason) {
  hooks_.layer_finished(kProtoLcp, reason);
}

}  // namespace openras::ppp
