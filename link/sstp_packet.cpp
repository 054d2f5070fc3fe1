#include "link/sstp_packet.hpp"

#include <algorithm>
#include <array>

namespace openras::link::sstp {
namespace {

using ppp::get16;
using ppp::get32;
using ppp::put16;
using ppp::put32;

template <typename Octets>
void put_header(Octets& out, bool control, std::size_t length) {
  out.push_back(kVersion);
  out.push_back(control ? 0x01 : 0x00);
  put16(out, static_cast<std::uint16_t>(length & 0x0FFF));
}

// Three reserved zero octets and a one-octet field: how several attributes begin.
void put_reserved(Bytes& out, std::uint8_t field) {
  out.insert(out.end(), 3, 0);
  out.push_back(field);
}

std::size_t length_field(const std::uint8_t* p) {
  return get16(p) & 0x0FFFu;
}

template <typename Octets>
void append_data_to(ByteView ppp_frame, Octets& out) {
  put_header(out, false, kHeaderSize + ppp_frame.size());
  out.insert(out.end(), ppp_frame.begin(), ppp_frame.end());
}

}  // namespace

const Attribute* ControlMessage::find(std::uint8_t id) const {
  for (const auto& a : attributes) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

Bytes encode_data(ByteView ppp_frame) {
  Bytes out;
  out.reserve(kHeaderSize + ppp_frame.size());
  append_data_to(ppp_frame, out);
  return out;
}

void append_data(ByteView ppp_frame, ppp::LineBytes& out) {
  append_data_to(ppp_frame, out);
}

Bytes encode_control(const ControlMessage& message) {
  std::size_t length = kHeaderSize + 4;
  for (const auto& a : message.attributes) length += 4 + a.value.size();
  Bytes out;
  out.reserve(length);
  put_header(out, true, length);
  put16(out, message.type);
  put16(out, static_cast<std::uint16_t>(message.attributes.size()));
  for (const auto& a : message.attributes) {
    out.push_back(0);
    out.push_back(a.id);
    put16(out, static_cast<std::uint16_t>((4 + a.value.size()) & 0x0FFF));
    out.insert(out.end(), a.value.begin(), a.value.end());
  }
  return out;
}

std::optional<Packet> decode_packet(ByteView bytes) {
  if (bytes.size() < kHeaderSize || bytes[0] != kVersion) return std::nullopt;
  if (length_field(&bytes[2]) != bytes.size()) return std::nullopt;
  Packet p;
  p.control = bytes[1] & 0x01;
  if (!p.control) {
    p.data.assign(bytes.begin() + kHeaderSize, bytes.end());
    return p;
  }
  if (bytes.size() < kHeaderSize + 4) return std::nullopt;
  p.message.type = get16(&bytes[4]);
  std::uint16_t count = get16(&bytes[6]);
  std::size_t pos = kHeaderSize + 4;
  for (std::uint16_t i = 0; i < count; ++i) {
    if (bytes.size() - pos < 4) return std::nullopt;
    std::size_t len = length_field(&bytes[pos + 2]);
    if (len < 4 || len > bytes.size() - pos) return std::nullopt;
    Attribute a;
    a.id = bytes[pos + 1];
    a.value.assign(bytes.begin() + static_cast<std::ptrdiff_t>(pos + 4),
                   bytes.begin() + static_cast<std::ptrdiff_t>(pos + len));
    p.message.attributes.push_back(std::move(a));
    pos += len;
  }
  if (pos != bytes.size()) return std::nullopt;  // octets no attribute accounts for
  return p;
}

void PacketReader::feed(ByteView bytes) {
  if (broken_) return;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  } else if (start_ > 65536) {  // keep the buffer from growing with a long-lived stream
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

bool PacketReader::next(ByteView& packet) {
  if (broken_) return false;
  std::size_t avail = buffer_.size() - start_;
  if (avail < kHeaderSize) return false;
  const std::uint8_t* p = buffer_.data() + start_;
  std::size_t len = length_field(p + 2);
  if (p[0] != kVersion || len < kHeaderSize) {
    broken_ = true;
    return false;
  }
  if (avail < len) return false;
  packet = ByteView(p, len);
  start_ += len;
  return true;
}

std::optional<ByteView> data_payload(ByteView packet) {
  if (packet.size() < kHeaderSize || packet[0] != kVersion || (packet[1] & 0x01) ||
      length_field(&packet[2]) != packet.size()) {
    return std::nullopt;
  }
  return packet.subspan(kHeaderSize);
}

Attribute encapsulated_protocol_attribute(std::uint16_t protocol) {
  Attribute a;
  a.id = kAttribEncapsulatedProtocolId;
  put16(a.value, protocol);
  return a;
}

Attribute status_info_attribute(std::uint8_t attribute_id, std::uint32_t status) {
  Attribute a;
  a.id = kAttribStatusInfo;
  a.value.reserve(8);
  put_reserved(a.value, attribute_id);
  put32(a.value, status);
  return a;
}

Attribute crypto_binding_request_attribute(const CryptoBindingRequest& request) {
  Attribute a;
  a.id = kAttribCryptoBindingReq;
  a.value.reserve(36);
  put_reserved(a.value, request.hash_protocols);
  a.value.insert(a.value.end(), request.nonce.begin(), request.nonce.end());
  return a;
}

std::optional<CryptoBindingRequest> parse_crypto_binding_request(const Attribute& attribute) {
  if (attribute.id != kAttribCryptoBindingReq || attribute.value.size() != 36) return std::nullopt;
  CryptoBindingRequest r;
  r.hash_protocols = attribute.value[3];
  std::copy(attribute.value.begin() + 4, attribute.value.end(), r.nonce.begin());
  return r;
}

std::optional<StatusInfo> parse_status_info(const Attribute& attribute) {
  if (attribute.id != kAttribStatusInfo || attribute.value.size() < 8) return std::nullopt;
  return StatusInfo{attribute.value[3], get32(&attribute.value[4])};
}

const char* message_type_name(std::uint16_t type) {
  switch (type) {
    case kCallConnectRequest:
      return "CALL_CONNECT_REQUEST";
    case kCallConnectAck:
      return "CALL_CONNECT_ACK";
    case kCallConnectNak:
      return "CALL_CONNECT_NAK";
    case kCallConnected:
      return "CALL_CONNECTED";
    case kCallAbort:
      return "CALL_ABORT";
    case kCallDisconnect:
      return "CALL_DISCONNECT";
    case kCallDisconnectAck:
      return "CALL_DISCONNECT_ACK";
    case kEchoRequest:
      return "ECHO_REQUEST";
    case kEchoResponse:
      return "ECHO_RESPONSE";
  }
  return "UNKNOWN";
}

}  // namespace openras::link::sstp
