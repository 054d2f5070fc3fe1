#include "ppp/trace.hpp"

#include "ppp/types.hpp"

namespace openras::ppp {
namespace {

const char* protocol_name(std::uint16_t p) {
  switch (p) {
    case kProtoLcp:
      return "LCP";
    case kProtoPap:
      return "PAP";
    case kProtoChap:
      return "CHAP";
    case kProtoEap:
      return "EAP";
    case kProtoIpcp:
      return "IPCP";
    case kProtoIpv6cp:
      return "IPV6CP";
    case kProtoCcp:
      return "CCP";
    case kProtoIp:
      return "IPv4";
    case kProtoIpv6:
      return "IPv6";
    default:
      return nullptr;
  }
}

const char* control_code(std::uint8_t c) {
  static const char* names[] = {"?",
                                "Configure-Request",
                                "Configure-Ack",
                                "Configure-Nak",
                                "Configure-Reject",
                                "Terminate-Request",
                                "Terminate-Ack",
                                "Code-Reject",
                                "Protocol-Reject",
                                "Echo-Request",
                                "Echo-Reply",
                                "Discard-Request"};
  return c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

const char* auth_code(std::uint16_t protocol, std::uint8_t c) {
  if (protocol == kProtoPap) {
    static const char* pap[] = {"?", "Authenticate-Request", "Authenticate-Ack",
                                "Authenticate-Nak"};
    return c < 4 ? pap[c] : "?";
  }
  static const char* chap[] = {"?", "Challenge", "Response", "Success", "Failure"};
  return c < 5 ? chap[c] : "?";
}

std::string hex(ByteView b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (auto x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

}  // namespace

std::string describe_frame(ByteView frame) {
  std::size_t pos = (frame.size() >= 2 && frame[0] == 0xFF && frame[1] == 0x03) ? 2 : 0;
  if (frame.size() <= pos) return "empty frame";
  std::uint16_t protocol;
  if (frame[pos] & 1) {
    protocol = frame[pos++];
  } else if (frame.size() - pos >= 2) {
    protocol = get16(frame.data() + pos);
    pos += 2;
  } else {
    return "truncated frame";
  }
  ByteView info = frame.subspan(pos);
  const char* name = protocol_name(protocol);
  std::string out = name ? name : "protocol 0x" + hex(ByteView(frame.data() + (pos - 2), 2));
  if (protocol == kProtoIp || protocol == kProtoIpv6) {
    return out + " packet, " + std::to_string(info.size()) + " octets";
  }
  if (info.size() < 4) return out + " (short)";
  std::uint8_t code = info[0], id = info[1];
  std::size_t length = get16(info.data() + 2);
  bool auth = protocol == kProtoPap || protocol == kProtoChap || protocol == kProtoEap;
  out += " ";
  out += auth ? auth_code(protocol, code) : control_code(code);
  out += " id=" + std::to_string(id) + " length=" + std::to_string(length);
  if (auth) return out + " (payload redacted)";
  if (length > 4 && length <= info.size()) out += " data=" + hex(info.subspan(4, length - 4));
  return out;
}

}  // namespace openras::ppp
