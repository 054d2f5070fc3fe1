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

std::span<const Lcp::OptionRow> Lcp::option_rows() {
  // In the order our Configure-Request lists them.
  static const OptionRow rows[] = {
      {kMru,
       [](Lcp& l, Bytes& out) {
         if (!l.wants_.mru) return;
         Bytes v;
         put16(v, l.our_mru_);
         put_option(out, kMru, v);
       },
       [](Lcp& l, ByteView data, Bytes& nak) {
         if (data.size() != 2) return Verdict::Reject;
         if (get16(data.data()) < kMinMru) {
           Bytes v;
           put16(v, 1500);
           put_option(nak, kMru, v);
           return Verdict::Nak;
         }
         l.pending_.peer_mru = get16(data.data());
         return Verdict::Ack;
       },
       nullptr,
       [](Lcp& l, ByteView data) {
         if (data.size() != 2) return;
         l.our_mru_ = std::clamp<std::uint16_t>(get16(data.data()), kMinMru, 1500);
         l.wants_.mru = true;
       },
       [](Lcp& l) {
         l.wants_.mru = false;
         l.our_mru_ = 1500;
       }},
      {kAccm,
       [](Lcp& l, Bytes& out) {
         if (!l.wants_.accm) return;
         Bytes v;
         put32(v, 0);
         put_option(out, kAccm, v);
       },
       [](Lcp& l, ByteView data, Bytes&) {
         if (data.size() != 4) return Verdict::Reject;
         l.pending_.tx_accm = get32(data.data());
         return Verdict::Ack;
       },
       [](Lcp& l, ByteView data) {
         if (data.size() == 4) l.negotiated_.rx_accm = get32(data.data());
       },
       // We keep asking for 0; the peer's map applies to what it sends anyway.
       [](Lcp&, ByteView) {}, [](Lcp& l) { l.wants_.accm = false; }},
      {kAuthProtocol,
       [](Lcp& l, Bytes& out) {
         if (l.wants_.auth) put_auth(out, *l.wants_.auth);
       },
       [](Lcp& l, ByteView data, Bytes& nak) { return l.check_auth(data, nak); },
       [](Lcp& l, ByteView data) {
         if (!l.config_.server) return;
         if (auto m = parse_auth(data)) l.negotiated_.auth = *m;
       },
       [](Lcp& l, ByteView data) {
         if (!l.config_.server) return;
         // The client prefers another method: take it if we offer it, else our next one.
         auto m = parse_auth(data);
         const auto& req = l.config_.server_settings.require;
         if (m && std::find(req.begin(), req.end(), *m) != req.end()) {
           l.wants_.auth = *m;
         } else if (++l.server_auth_index_ < req.size()) {
           l.wants_.auth = req[l.server_auth_index_];
         }
       },
       // The client will not authenticate; the server refuses it later.
       [](Lcp& l) { l.wants_.auth.reset(); }},
      {kMagicNumber,
       [](Lcp& l, Bytes& out) {
         if (!l.wants_.magic) return;
         Bytes v;
         put32(v, l.negotiated_.our_magic);
         put_option(out, kMagicNumber, v);
       },
       [](Lcp& l, ByteView data, Bytes& nak) {
         if (data.size() != 4 || (l.config_.server && l.config_.server_settings.reject_magic)) {
           return Verdict::Reject;
         }
         std::uint32_t magic = get32(data.data());
         if (magic != 0 && magic == l.negotiated_.our_magic && l.wants_.magic) {
           // Our own number came back: a looped-back line, or a rare collision.
           if (++l.magic_collisions_ >= l.config_.loopback_limit) l.hooks_.loopback_detected();
           l.negotiated_.our_magic = nonzero_magic(l.random_);
         } else if (magic != 0) {
           l.magic_collisions_ = 0;
           l.pending_.peer_magic = magic;
           return Verdict::Ack;
         }
         Bytes v;
         put32(v, nonzero_magic(l.random_));
         put_option(nak, kMagicNumber, v);
         return Verdict::Nak;
       },
       nullptr, [](Lcp& l, ByteView) { l.negotiated_.our_magic = nonzero_magic(l.random_); },
       [](Lcp& l) {
         l.wants_.magic = false;
         l.negotiated_.our_magic = 0;
       }},
      {kPfc,
       [](Lcp& l, Bytes& out) {
         if (l.wants_.pfc) put_option(out, kPfc, {});
       },
       [](Lcp& l, ByteView data, Bytes&) {
         if (!data.empty()) return Verdict::Reject;
         l.pending_.tx_pfc = true;
         return Verdict::Ack;
       },
       nullptr, [](Lcp&, ByteView) {}, [](Lcp& l) { l.wants_.pfc = false; }},
      {kAcfc,
       [](Lcp& l, Bytes& out) {
         if (l.wants_.acfc) put_option(out, kAcfc, {});
       },
       [](Lcp& l, ByteView data, Bytes&) {
         if (!data.empty()) return Verdict::Reject;
         l.pending_.tx_acfc = true;
         return Verdict::Ack;
       },
       nullptr, [](Lcp&, ByteView) {}, [](Lcp& l) { l.wants_.acfc = false; }},
  };
  return rows;
}

const Lcp::OptionRow* Lcp::row_for(std::uint8_t type) {
  for (const auto& row : option_rows()) {
    if (row.type == type) return &row;
  }
  return nullptr;
}

Bytes Lcp::build_request() {
  Bytes out;
  for (const auto& row : option_rows()) row.build(*this, out);
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
    const OptionRow* row = row_for(o.type);
    if (row && row->check(*this, o.data, naks) != Verdict::Reject) return;
    put_option(rejects, o.type, o.data);  // unknown, or refused as it stands
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
    const OptionRow* row = row_for(o.type);
    if (row && row->acked) row->acked(*this, o.data);
  });
}

void Lcp::on_nak(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    if (const OptionRow* row = row_for(o.type)) row->nakked(*this, o.data);
  });
}

void Lcp::on_reject(ByteView options) {
  for_each_option(options, [&](const Option& o) {
    if (const OptionRow* row = row_for(o.type)) row->rejected(*this);
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
