#include "link/l2tp_packet.hpp"

#include <nettle/md5.h>

namespace openras::link::l2tp {
namespace {

using ppp::get16;
using ppp::put16;
using ppp::put32;

constexpr std::uint16_t kFlagT = 0x8000;
constexpr std::uint16_t kFlagL = 0x4000;
constexpr std::uint16_t kFlagS = 0x0800;
constexpr std::uint16_t kFlagO = 0x0200;
constexpr std::uint16_t kFlagP = 0x0100;
constexpr std::uint16_t kVersionMask = 0x000F;
constexpr std::uint16_t kAvpM = 0x8000;
constexpr std::uint16_t kAvpH = 0x4000;
constexpr std::uint16_t kAvpLengthMask = 0x03FF;
constexpr std::size_t kAvpHeader = 6;
constexpr std::size_t kControlHeader = 12;

std::array<std::uint8_t, 16> md5_of(std::initializer_list<ByteView> parts) {
  md5_ctx ctx;
  md5_init(&ctx);
  for (ByteView p : parts) md5_update(&ctx, p.size(), p.data());
  std::array<std::uint8_t, 16> out;
  md5_digest(&ctx, out.size(), out.data());
  return out;
}

ByteView text_view(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Section 4.3: b1 = MD5(type | secret | RV), bi = MD5(secret | c(i-1)); c = p xor b. The
// chaining runs on ciphertext, so hiding and revealing differ only in which side feeds it.
void hide_or_reveal(Bytes& data, std::uint16_t type, std::string_view secret, ByteView vector,
                    bool revealing) {
  const std::uint8_t type_octets[2] = {static_cast<std::uint8_t>(type >> 8),
                                       static_cast<std::uint8_t>(type)};
  auto block = md5_of({ByteView(type_octets, 2), text_view(secret), vector});
  std::array<std::uint8_t, 16> previous;
  for (std::size_t pos = 0; pos < data.size(); pos += 16) {
    if (pos > 0) block = md5_of({text_view(secret), ByteView(previous)});
    std::size_t n = std::min<std::size_t>(16, data.size() - pos);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint8_t in = data[pos + i];
      data[pos + i] = in ^ block[i];
      previous[i] = revealing ? in : data[pos + i];
    }
  }
}

}  // namespace

std::optional<Header> parse_header(ByteView d) {
  if (d.size() < 6) return std::nullopt;
  Header h;
  std::uint16_t flags = get16(d.data());
  if ((flags & kVersionMask) != kVersion) return std::nullopt;
  h.control = flags & kFlagT;
  h.length = flags & kFlagL;
  h.sequence = flags & kFlagS;
  h.offset = flags & kFlagO;
  h.priority = flags & kFlagP;
  if (h.control && (!h.length || !h.sequence || h.offset || h.priority)) return std::nullopt;
  std::size_t pos = 2;
  if (h.length) {
    h.total_length = get16(d.data() + pos);
    pos += 2;
    if (h.total_length > d.size()) return std::nullopt;
  }
  std::size_t end = h.length ? h.total_length : d.size();
  auto need = [&](std::size_t n) { return pos + n <= end; };
  if (!need(4)) return std::nullopt;
  h.tunnel_id = get16(d.data() + pos);
  h.session_id = get16(d.data() + pos + 2);
  pos += 4;
  if (h.sequence) {
    if (!need(4)) return std::nullopt;
    h.ns = get16(d.data() + pos);
    h.nr = get16(d.data() + pos + 2);
    pos += 4;
  }
  if (h.offset) {
    if (!need(2)) return std::nullopt;
    std::size_t pad = get16(d.data() + pos);
    pos += 2;
    if (!need(pad)) return std::nullopt;
    pos += pad;
  }
  h.payload_offset = pos;
  return h;
}

ByteView payload_of(ByteView datagram, const Header& h) {
  std::size_t end = h.length ? h.total_length : datagram.size();
  return datagram.subspan(h.payload_offset, end - h.payload_offset);
}

const Avp* ControlMessage::find(std::uint16_t avp_type) const {
  for (const auto& a : avps) {
    if (a.vendor == 0 && a.type == avp_type) return &a;
  }
  return nullptr;
}

std::optional<std::uint16_t> ControlMessage::u16(std::uint16_t avp_type) const {
  const Avp* a = find(avp_type);
  if (!a || a->value.size() != 2) return std::nullopt;
  return get16(a->value.data());
}

std::optional<std::uint32_t> ControlMessage::u32(std::uint16_t avp_type) const {
  const Avp* a = find(avp_type);
  if (!a || a->value.size() != 4) return std::nullopt;
  return ppp::get32(a->value.data());
}

std::optional<std::uint16_t> ControlMessage::unknown_mandatory() const {
  for (const auto& a : avps) {
    if (!a.mandatory) continue;
    if (a.vendor != 0) return a.type;
    bool known = a.type <= kAvpRandomVector || a.type == kAvpRxConnectSpeed ||
                 a.type == kAvpSequencingRequired;
    if (!known) return a.type;
  }
  return std::nullopt;
}

std::optional<ControlMessage> parse_control(ByteView body, std::string_view secret,
                                            ParseError* error) {
  auto bad = [&](ParseError e) -> std::optional<ControlMessage> {
    if (error) *error = e;
    return std::nullopt;
  };
  if (error) *error = ParseError::None;
  ControlMessage m;
  Bytes vector;
  std::size_t pos = 0;
  while (pos < body.size()) {
    if (body.size() - pos < kAvpHeader) return bad(ParseError::BadAvpLength);
    std::uint16_t bits = get16(body.data() + pos);
    std::size_t len = bits & kAvpLengthMask;
    if (len < kAvpHeader || len > body.size() - pos) return bad(ParseError::BadAvpLength);
    Avp a;
    a.mandatory = bits & kAvpM;
    a.hidden = bits & kAvpH;
    a.vendor = get16(body.data() + pos + 2);
    a.type = get16(body.data() + pos + 4);
    a.value.assign(body.begin() + static_cast<std::ptrdiff_t>(pos + kAvpHeader),
                   body.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
    if (a.hidden) {
      if (vector.empty()) return bad(ParseError::HiddenWithoutVector);
      if (secret.empty()) return bad(ParseError::HiddenWithoutSecret);
      hide_or_reveal(a.value, a.type, secret, vector, true);
      if (a.value.size() < 2) return bad(ParseError::BadHiddenValue);
      std::size_t original = get16(a.value.data());
      if (original > a.value.size() - 2) return bad(ParseError::BadHiddenValue);
      a.value =
          Bytes(a.value.begin() + 2, a.value.begin() + 2 + static_cast<std::ptrdiff_t>(original));
    }
    if (m.avps.empty()) {
      if (a.vendor != 0 || a.type != kAvpMessageType || a.value.size() != 2 || a.hidden) {
        return bad(ParseError::FirstNotMessageType);
      }
      m.type = get16(a.value.data());
    }
    if (a.vendor == 0 && a.type == kAvpRandomVector) vector = a.value;
    m.avps.push_back(std::move(a));
  }
  return m;
}

void put_avp(Bytes& out, std::uint16_t type, ByteView value, bool mandatory) {
  put16(out, static_cast<std::uint16_t>((mandatory ? kAvpM : 0) | (kAvpHeader + value.size())));
  put16(out, 0);
  put16(out, type);
  out.insert(out.end(), value.begin(), value.end());
}

void put_avp16(Bytes& out, std::uint16_t type, std::uint16_t value, bool mandatory) {
  Bytes v;
  put16(v, value);
  put_avp(out, type, v, mandatory);
}

void put_avp32(Bytes& out, std::uint16_t type, std::uint32_t value, bool mandatory) {
  Bytes v;
  put32(v, value);
  put_avp(out, type, v, mandatory);
}

void put_avp_text(Bytes& out, std::uint16_t type, std::string_view text, bool mandatory) {
  put_avp(out, type, text_view(text), mandatory);
}

void put_hidden_avp(Bytes& out, std::uint16_t type, ByteView value, std::string_view secret,
                    ByteView vector, ByteView padding) {
  Bytes subformat;
  put16(subformat, static_cast<std::uint16_t>(value.size()));
  subformat.insert(subformat.end(), value.begin(), value.end());
  subformat.insert(subformat.end(), padding.begin(), padding.end());
  hide_or_reveal(subformat, type, secret, vector, false);
  put16(out, static_cast<std::uint16_t>(kAvpM | kAvpH | (kAvpHeader + subformat.size())));
  put16(out, 0);
  put16(out, type);
  out.insert(out.end(), subformat.begin(), subformat.end());
}

Bytes control_message(std::uint16_t tunnel_id, std::uint16_t session_id, std::uint16_t ns,
                      std::uint16_t nr, ByteView avps) {
  Bytes out;
  out.reserve(kControlHeader + avps.size());
  put16(out, kFlagT | kFlagL | kFlagS | kVersion);
  put16(out, static_cast<std::uint16_t>(kControlHeader + avps.size()));
  put16(out, tunnel_id);
  put16(out, session_id);
  put16(out, ns);
  put16(out, nr);
  out.insert(out.end(), avps.begin(), avps.end());
  return out;
}

void set_nr(Bytes& message, std::uint16_t nr) {
  if (message.size() < kControlHeader) return;
  message[10] = static_cast<std::uint8_t>(nr >> 8);
  message[11] = static_cast<std::uint8_t>(nr);
}

std::array<std::uint8_t, 16> challenge_response(std::uint8_t id, std::string_view secret,
                                                ByteView challenge) {
  return md5_of({ByteView(&id, 1), text_view(secret), challenge});
}

std::optional<ResultCode> result_code(const ControlMessage& m) {
  const Avp* a = m.find(kAvpResultCode);
  if (!a || a->value.size() < 2) return std::nullopt;
  ResultCode r;
  r.result = get16(a->value.data());
  if (a->value.size() >= 4) r.error = get16(a->value.data() + 2);
  if (a->value.size() > 4) r.message.assign(a->value.begin() + 4, a->value.end());
  return r;
}

Bytes result_code_value(std::uint16_t result, std::uint16_t error, std::string_view text) {
  Bytes v;
  put16(v, result);
  if (error || !text.empty()) put16(v, error);
  v.insert(v.end(), text.begin(), text.end());
  return v;
}

const char* message_type_name(std::uint16_t type) {
  switch (type) {
    case 0:
      return "ZLB";
    case kSccrq:
      return "SCCRQ";
    case kSccrp:
      return "SCCRP";
    case kScccn:
      return "SCCCN";
    case kStopCcn:
      return "StopCCN";
    case kHello:
      return "HELLO";
    case kOcrq:
      return "OCRQ";
    case kOcrp:
      return "OCRP";
    case kOccn:
      return "OCCN";
    case kIcrq:
      return "ICRQ";
    case kIcrp:
      return "ICRP";
    case kIccn:
      return "ICCN";
    case kCdn:
      return "CDN";
    case kWen:
      return "WEN";
    case kSli:
      return "SLI";
    default:
      return "unknown";
  }
}

}  // namespace openras::link::l2tp
