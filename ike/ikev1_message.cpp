#include "ike/ikev1_message.hpp"

#include "ike/wire.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike::v1 {
namespace {

using wire::get16;
using wire::get32;
using wire::get64;
using wire::put16;
using wire::put32;
using wire::set16;
using wire::set32;

constexpr std::uint16_t kAttributeBasic = 0x8000;

// A transform payload's body: number, id, two reserved octets, attributes.
std::optional<Transform> parse_transform(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  Transform t;
  t.number = body[0];
  t.id = body[1];
  std::size_t at = 4;
  while (at < body.size()) {
    if (body.size() - at < 4) return std::nullopt;
    const std::uint16_t type = get16(body.data() + at);
    Attribute a;
    a.type = type & 0x7fff;
    if (type & kAttributeBasic) {
      a.value = get16(body.data() + at + 2);
      at += 4;
    } else {
      const std::uint16_t length = get16(body.data() + at + 2);
      if (length > body.size() - at - 4 || length == 0 || length > 4) return std::nullopt;
      for (std::uint16_t i = 0; i < length; ++i) a.value = a.value << 8 | body[at + 4 + i];
      at += 4u + length;
    }
    if (t.attributes.size() >= 32) return std::nullopt;
    t.attributes.push_back(a);
  }
  return t;
}

void put_attribute(Bytes& out, const Attribute& a) {
  if (a.value <= 0xffff) {
    put16(out, static_cast<std::uint16_t>(a.type | kAttributeBasic));
    put16(out, static_cast<std::uint16_t>(a.value));
  } else {
    put16(out, a.type);
    put16(out, 4);
    put32(out, a.value);
  }
}

// A payload with the generic header into `out`, whose next-payload octet is `next`.
void put_payload(Bytes& out, std::uint8_t next, const Bytes& body) {
  out.push_back(next);
  out.push_back(0);
  put16(out, static_cast<std::uint16_t>(body.size() + 4));
  ppp::append(out, body);
}

}  // namespace

std::optional<Header> parse_header(ByteView m) {
  if (m.size() < kHeaderSize) return std::nullopt;
  Header h;
  h.icookie = get64(m.data());
  h.rcookie = get64(m.data() + 8);
  h.next_payload = m[16];
  if (m[17] != 0x10) return std::nullopt;  // version 1.0
  h.exchange = m[18];
  h.flags = m[19];
  h.message_id = get32(m.data() + 20);
  h.length = get32(m.data() + 24);
  if (h.length < kHeaderSize || h.length > m.size()) return std::nullopt;
  return h;
}

void write_header(const Header& h, std::uint8_t* out) {
  set32(out, static_cast<std::uint32_t>(h.icookie >> 32));
  set32(out + 4, static_cast<std::uint32_t>(h.icookie));
  set32(out + 8, static_cast<std::uint32_t>(h.rcookie >> 32));
  set32(out + 12, static_cast<std::uint32_t>(h.rcookie));
  out[16] = h.next_payload;
  out[17] = 0x10;
  out[18] = h.exchange;
  out[19] = h.flags;
  set32(out + 20, h.message_id);
  set32(out + 24, h.length);
}

std::optional<std::vector<Payload>> parse_chain(std::uint8_t first, ByteView chain, bool padded) {
  std::vector<Payload> out;
  std::uint8_t type = first;
  std::size_t at = 0;
  while (type != payload::kNone) {
    if (chain.size() - at < 4 || out.size() >= 64) return std::nullopt;
    const std::uint8_t next = chain[at];
    const std::uint16_t length = get16(chain.data() + at + 2);
    if (length < 4 || length > chain.size() - at) return std::nullopt;
    out.push_back({type, chain.subspan(at + 4, length - 4u), chain.subspan(at, length)});
    at += length;
    type = next;
  }
  if (at != chain.size() && !padded) return std::nullopt;
  return out;
}

const Payload* find(const std::vector<Payload>& chain, std::uint8_t type) {
  for (const auto& p : chain) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

std::optional<std::uint32_t> Transform::get(std::uint16_t type) const {
  for (const auto& a : attributes) {
    if (a.type == type) return a.value;
  }
  return std::nullopt;
}

Bytes build_sa(const std::vector<Proposal>& proposals) {
  Bytes out;
  put32(out, kIpsecDoi);
  put32(out, kSituationIdentityOnly);
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const auto& p = proposals[i];
    Bytes body{p.number, p.protocol, static_cast<std::uint8_t>(p.spi.size()),
               static_cast<std::uint8_t>(p.transforms.size())};
    ppp::append(body, p.spi);
    for (std::size_t j = 0; j < p.transforms.size(); ++j) {
      const auto& t = p.transforms[j];
      Bytes tb{t.number, t.id, 0, 0};
      for (const auto& a : t.attributes) put_attribute(tb, a);
      put_payload(body, j + 1 == p.transforms.size() ? payload::kNone : payload::kTransform, tb);
    }
    put_payload(out, i + 1 == proposals.size() ? payload::kNone : payload::kProposal, body);
  }
  return out;
}

std::optional<std::vector<Proposal>> parse_sa(ByteView body) {
  if (body.size() < 8 || get32(body.data()) != kIpsecDoi) return std::nullopt;
  if (get32(body.data() + 4) != kSituationIdentityOnly) return std::nullopt;
  auto proposals = parse_chain(payload::kProposal, body.subspan(8), false);
  if (!proposals || proposals->empty()) return std::nullopt;
  std::vector<Proposal> out;
  for (const auto& pp : *proposals) {
    if (pp.type != payload::kProposal) return std::nullopt;
    ByteView b = pp.body;
    if (b.size() < 4 || b.size() - 4 < b[2]) return std::nullopt;
    Proposal p;
    p.number = b[0];
    p.protocol = b[1];
    p.spi.assign(b.begin() + 4, b.begin() + 4 + b[2]);
    const std::uint8_t count = b[3];
    auto transforms = parse_chain(payload::kTransform, b.subspan(4u + b[2]), false);
    if (!transforms || transforms->size() != count || count == 0) return std::nullopt;
    for (const auto& tp : *transforms) {
      if (tp.type != payload::kTransform) return std::nullopt;
      auto t = parse_transform(tp.body);
      if (!t) return std::nullopt;
      p.transforms.push_back(std::move(*t));
    }
    out.push_back(std::move(p));
  }
  return out;
}

Bytes id_ipv4(std::uint32_t address, std::uint8_t ip_protocol, std::uint16_t port) {
  Bytes out{id_type::kIpv4, ip_protocol};
  put16(out, port);
  put32(out, address);
  return out;
}

std::optional<Identity> parse_id(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  Identity id;
  id.type = body[0];
  id.ip_protocol = body[1];
  id.port = get16(body.data() + 2);
  id.data = body.subspan(4);
  if (id.type == id_type::kIpv4 && id.data.size() != 4) return std::nullopt;
  return id;
}

Bytes build_notify(std::uint8_t protocol, std::uint16_t type, ByteView spi, ByteView data) {
  Bytes out;
  put32(out, kIpsecDoi);
  out.push_back(protocol);
  out.push_back(static_cast<std::uint8_t>(spi.size()));
  put16(out, type);
  ppp::append(out, spi);
  ppp::append(out, data);
  return out;
}

std::optional<Notification> parse_notify(ByteView body) {
  if (body.size() < 8) return std::nullopt;
  Notification n;
  n.protocol = body[4];
  const std::size_t spi_size = body[5];
  n.type = get16(body.data() + 6);
  if (body.size() - 8 < spi_size) return std::nullopt;
  n.spi = body.subspan(8, spi_size);
  n.data = body.subspan(8 + spi_size);
  return n;
}

Bytes build_delete(std::uint8_t protocol, std::size_t spi_size, ByteView spis) {
  Bytes out;
  put32(out, kIpsecDoi);
  out.push_back(protocol);
  out.push_back(static_cast<std::uint8_t>(spi_size));
  put16(out, static_cast<std::uint16_t>(spi_size ? spis.size() / spi_size : 0));
  ppp::append(out, spis);
  return out;
}

std::optional<Deletion> parse_delete(ByteView body) {
  if (body.size() < 8) return std::nullopt;
  Deletion d;
  d.protocol = body[4];
  const std::size_t spi_size = body[5];
  const std::size_t count = get16(body.data() + 6);
  if (spi_size == 0 || body.size() - 8 != spi_size * count) return std::nullopt;
  for (std::size_t i = 0; i < count; ++i)
    d.spis.push_back(body.subspan(8 + i * spi_size, spi_size));
  return d;
}

std::string describe(ByteView message) {
  auto h = parse_header(message);
  if (!h) return "malformed IKEv1 message (" + std::to_string(message.size()) + " octets)";
  std::string name;
  switch (h->exchange) {
    case exchange::kMain:
      name = "Main Mode";
      break;
    case exchange::kQuick:
      name = "Quick Mode";
      break;
    case exchange::kInformational:
      name = "Informational";
      break;
    case exchange::kAggressive:
      name = "Aggressive Mode";
      break;
    default:
      name = "exchange " + std::to_string(h->exchange);
  }
  name += " msgid " + std::to_string(h->message_id);
  if (h->flags & flag::kEncrypted) {
    name += " (encrypted)";
  } else if (auto chain = parse_chain(
                 h->next_payload, message.subspan(kHeaderSize, h->length - kHeaderSize), false)) {
    name += " [";
    for (std::size_t i = 0; i < chain->size(); ++i) {
      if (i) name.push_back(' ');
      name.append(std::to_string((*chain)[i].type));
    }
    name += "]";
  }
  return name;
}

}  // namespace openras::ike::v1
