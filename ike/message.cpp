#include "ike/message.hpp"

#include "ike/wire.hpp"
#include "ppp/bytes.hpp"

namespace openras::ike {
namespace {

using namespace wire;

constexpr std::uint16_t kKeyLengthAttribute = 0x800e;  // TV format, attribute type 14

}  // namespace

std::optional<Header> parse_header(ByteView m) {
  if (m.size() < kHeaderSize) return std::nullopt;
  Header h;
  h.spi_i = get64(m.data());
  h.spi_r = get64(m.data() + 8);
  h.next_payload = m[16];
  if (m[17] >> 4 != 2) return std::nullopt;  // major version 2
  h.exchange = m[18];
  h.flags = m[19];
  h.message_id = get32(m.data() + 20);
  h.length = get32(m.data() + 24);
  if (h.length < kHeaderSize || h.length > m.size()) return std::nullopt;
  return h;
}

void write_header(const Header& h, std::uint8_t* out) {
  set32(out, static_cast<std::uint32_t>(h.spi_i >> 32));
  set32(out + 4, static_cast<std::uint32_t>(h.spi_i));
  set32(out + 8, static_cast<std::uint32_t>(h.spi_r >> 32));
  set32(out + 12, static_cast<std::uint32_t>(h.spi_r));
  out[16] = h.next_payload;
  out[17] = 0x20;
  out[18] = h.exchange;
  out[19] = h.flags;
  set32(out + 20, h.message_id);
  set32(out + 24, h.length);
}

std::optional<PayloadChain> parse_payloads(std::uint8_t first, ByteView chain) {
  PayloadChain out;
  std::uint8_t type = first;
  std::size_t at = 0;
  while (type != payload::kNone) {
    if (chain.size() - at < 4) return std::nullopt;
    const std::uint8_t next = chain[at];
    const bool critical = chain[at + 1] & 0x80;
    const std::uint16_t length = get16(chain.data() + at + 2);
    if (length < 4 || length > chain.size() - at) return std::nullopt;
    out.payloads.push_back({type, critical, chain.subspan(at + 4, length - 4u), at});
    at += length;
    if (type == payload::kSk || type == payload::kSkf) {
      // Encrypted: the payloads inside follow once it is opened; nothing may come after it.
      if (at != chain.size()) return std::nullopt;
      out.inner_first = next;
      return out;
    }
    type = next;
    if (out.payloads.size() > 64) return std::nullopt;
  }
  if (at != chain.size()) return std::nullopt;
  return out;
}

const Payload* find(const PayloadChain& chain, std::uint8_t type) {
  for (const auto& p : chain.payloads) {
    if (p.type == type) return &p;
  }
  return nullptr;
}

void ChainBuilder::add(std::uint8_t type, ByteView body, bool critical) {
  if (last_header_ == SIZE_MAX) {
    first_ = type;
  } else {
    out_[last_header_] = type;
  }
  last_header_ = out_.size();
  out_.push_back(payload::kNone);
  out_.push_back(critical ? 0x80 : 0);
  put16(out_, static_cast<std::uint16_t>(body.size() + 4));
  ppp::append(out_, body);
}

Bytes ChainBuilder::message(Header h) const {
  Bytes m(kHeaderSize);
  h.next_payload = first_;
  h.length = static_cast<std::uint32_t>(kHeaderSize + out_.size());
  write_header(h, m.data());
  ppp::append(m, out_);
  return m;
}

const Transform* Proposal::of(std::uint8_t type) const {
  for (const auto& t : transforms) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

Bytes build_sa(const std::vector<Proposal>& proposals) {
  Bytes out;
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    const auto& p = proposals[i];
    const std::size_t start = out.size();
    out.push_back(i + 1 == proposals.size() ? 0 : 2);
    out.push_back(0);
    put16(out, 0);  // length, set below
    out.push_back(p.number);
    out.push_back(p.protocol);
    out.push_back(static_cast<std::uint8_t>(p.spi.size()));
    out.push_back(static_cast<std::uint8_t>(p.transforms.size()));
    ppp::append(out, p.spi);
    for (std::size_t j = 0; j < p.transforms.size(); ++j) {
      const auto& t = p.transforms[j];
      out.push_back(j + 1 == p.transforms.size() ? 0 : 3);
      out.push_back(0);
      put16(out, t.key_bits ? 12 : 8);
      out.push_back(t.type);
      out.push_back(0);
      put16(out, t.id);
      if (t.key_bits) {
        put16(out, kKeyLengthAttribute);
        put16(out, t.key_bits);
      }
    }
    set16(out.data() + start + 2, static_cast<std::uint16_t>(out.size() - start));
  }
  return out;
}

std::optional<std::vector<Proposal>> parse_sa(ByteView body) {
  std::vector<Proposal> out;
  std::size_t at = 0;
  bool more = true;
  while (more) {
    if (body.size() - at < 8) return std::nullopt;
    const std::uint8_t* p = body.data() + at;
    more = p[0] == 2;
    if (p[0] != 0 && p[0] != 2) return std::nullopt;
    const std::uint16_t length = get16(p + 2);
    if (length < 8 || length > body.size() - at) return std::nullopt;
    Proposal prop;
    prop.number = p[4];
    prop.protocol = p[5];
    const std::uint8_t spi_size = p[6], count = p[7];
    if (8u + spi_size > length) return std::nullopt;
    prop.spi.assign(p + 8, p + 8 + spi_size);
    std::size_t t_at = 8u + spi_size;
    for (int i = 0; i < count; ++i) {
      if (length - t_at < 8) return std::nullopt;
      const std::uint8_t* t = p + t_at;
      const std::uint16_t t_len = get16(t + 2);
      if (t_len < 8 || t_len > length - t_at) return std::nullopt;
      if ((i + 1 < count) != (t[0] == 3)) return std::nullopt;
      Transform tr{t[4], get16(t + 6), 0};
      for (std::size_t a = 8; a < t_len;) {
        if (t_len - a < 4) return std::nullopt;
        const std::uint16_t attr = get16(t + a);
        if (attr & 0x8000) {  // TV
          if (attr == kKeyLengthAttribute) tr.key_bits = get16(t + a + 2);
          a += 4;
        } else {  // TLV: no attribute of this kind is defined for IKEv2 transforms
          const std::uint16_t alen = get16(t + a + 2);
          if (alen > t_len - a - 4) return std::nullopt;
          a += 4u + alen;
        }
      }
      prop.transforms.push_back(tr);
      t_at += t_len;
    }
    if (t_at != length) return std::nullopt;
    out.push_back(std::move(prop));
    at += length;
    if (out.size() > 64) return std::nullopt;
  }
  if (at != body.size()) return std::nullopt;
  return out;
}

std::optional<Notify> parse_notify(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  Notify n;
  n.protocol = body[0];
  const std::uint8_t spi_size = body[1];
  n.type = get16(body.data() + 2);
  if (body.size() < 4u + spi_size) return std::nullopt;
  n.spi.assign(body.begin() + 4, body.begin() + 4 + spi_size);
  n.data = body.subspan(4u + spi_size);
  return n;
}

Bytes build_notify(std::uint16_t type, ByteView data, std::uint8_t protocol, ByteView spi) {
  Bytes out{protocol, static_cast<std::uint8_t>(spi.size())};
  put16(out, type);
  ppp::append(out, spi);
  ppp::append(out, data);
  return out;
}

std::optional<Typed> parse_ke(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  return Typed{get16(body.data()), body.subspan(4)};
}

Bytes build_ke(std::uint16_t group, ByteView value) {
  Bytes out;
  put16(out, group);
  put16(out, 0);
  ppp::append(out, value);
  return out;
}

std::optional<Typed> parse_typed(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  return Typed{body[0], body.subspan(4)};
}

Bytes build_typed(std::uint8_t type, ByteView data) {
  Bytes out{type, 0, 0, 0};
  ppp::append(out, data);
  return out;
}

Bytes build_ts(const std::vector<TrafficSelector>& selectors) {
  Bytes out{static_cast<std::uint8_t>(selectors.size()), 0, 0, 0};
  for (const auto& s : selectors) {
    out.push_back(s.type);
    out.push_back(s.ip_protocol);
    put16(out, 16);
    put16(out, s.start_port);
    put16(out, s.end_port);
    put32(out, s.start);
    put32(out, s.end);
  }
  return out;
}

std::optional<std::vector<TrafficSelector>> parse_ts(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  const std::uint8_t count = body[0];
  std::vector<TrafficSelector> out;
  std::size_t at = 4;
  for (int i = 0; i < count; ++i) {
    if (body.size() - at < 4) return std::nullopt;
    const std::uint8_t* p = body.data() + at;
    const std::uint16_t len = get16(p + 2);
    if (len < 8 || len > body.size() - at) return std::nullopt;
    if (p[0] == 7) {
      if (len != 16) return std::nullopt;
      out.push_back({7, p[1], get16(p + 4), get16(p + 6), get32(p + 8), get32(p + 12)});
    }  // IPv6 and other selectors: this client asks for IPv4 only
    at += len;
  }
  if (at != body.size()) return std::nullopt;
  return out;
}

std::optional<Config> parse_cp(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  Config c;
  c.type = body[0];
  std::size_t at = 4;
  while (at < body.size()) {
    if (body.size() - at < 4) return std::nullopt;
    const std::uint16_t type = get16(body.data() + at) & 0x7fff;
    const std::uint16_t len = get16(body.data() + at + 2);
    if (len > body.size() - at - 4) return std::nullopt;
    c.attributes.push_back({type, body.subspan(at + 4, len)});
    at += 4u + len;
    if (c.attributes.size() > 256) return std::nullopt;
  }
  return c;
}

Bytes build_cp_request(const std::vector<std::uint16_t>& attributes) {
  Bytes out{cfg::kRequest, 0, 0, 0};
  for (auto a : attributes) {
    put16(out, a);
    put16(out, 0);
  }
  return out;
}

std::optional<Delete> parse_delete(ByteView body) {
  if (body.size() < 4) return std::nullopt;
  Delete d;
  d.protocol = body[0];
  const std::uint8_t spi_size = body[1];
  const std::uint16_t count = get16(body.data() + 2);
  if (body.size() - 4 != static_cast<std::size_t>(spi_size) * count) return std::nullopt;
  for (std::size_t i = 0; i < count; ++i) {
    auto b = body.begin() + 4 + static_cast<std::ptrdiff_t>(i * spi_size);
    d.spis.emplace_back(b, b + spi_size);
  }
  return d;
}

Bytes build_delete(std::uint8_t protocol, const std::vector<Bytes>& spis) {
  Bytes out{protocol, static_cast<std::uint8_t>(spis.empty() ? 0 : spis[0].size())};
  put16(out, static_cast<std::uint16_t>(spis.size()));
  for (const auto& s : spis) ppp::append(out, s);
  return out;
}

std::string describe_message(ByteView message) {
  auto h = parse_header(message);
  if (!h) return "malformed IKE message (" + std::to_string(message.size()) + " octets)";
  std::string name;
  switch (h->exchange) {
    case exchange::kSaInit:
      name = "IKE_SA_INIT";
      break;
    case exchange::kAuth:
      name = "IKE_AUTH";
      break;
    case exchange::kCreateChild:
      name = "CREATE_CHILD_SA";
      break;
    case exchange::kInformational:
      name = "INFORMATIONAL";
      break;
    default:
      name = "exchange " + std::to_string(h->exchange);
      break;
  }
  name += (h->flags & flag::kResponse) ? " response " : " request ";
  name += std::to_string(h->message_id) + " (" + std::to_string(h->length) + " octets";
  if (auto chain =
          parse_payloads(h->next_payload, message.subspan(kHeaderSize, h->length - kHeaderSize))) {
    name += ": " + describe(*chain);
  }
  return name + ")";
}

namespace {

const char* payload_name(std::uint8_t type) {
  switch (type) {
    case payload::kSa:
      return "SA";
    case payload::kKe:
      return "KE";
    case payload::kIdi:
      return "IDi";
    case payload::kIdr:
      return "IDr";
    case payload::kCert:
      return "CERT";
    case payload::kCertReq:
      return "CERTREQ";
    case payload::kAuth:
      return "AUTH";
    case payload::kNonce:
      return "No";
    case payload::kDelete:
      return "D";
    case payload::kVendor:
      return "V";
    case payload::kTsi:
      return "TSi";
    case payload::kTsr:
      return "TSr";
    case payload::kSk:
      return "SK";
    case payload::kSkf:
      return "SKF";
    case payload::kCp:
      return "CP";
    case payload::kEap:
      return "EAP";
    default:
      return nullptr;
  }
}

}  // namespace

std::string describe(const PayloadChain& chain) {
  std::string out;
  for (const auto& p : chain.payloads) {
    if (!out.empty()) out += ' ';
    if (p.type == payload::kNotify) {
      auto n = parse_notify(p.body);
      out += "N(";
      out += n ? std::to_string(n->type) : std::string("?");
      out += ')';
    } else if (const char* name = payload_name(p.type)) {
      out += name;
    } else {
      out += '?';
      out += std::to_string(p.type);
    }
  }
  return out;
}

}  // namespace openras::ike
