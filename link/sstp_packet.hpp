// MS-SSTP section 2.2: the packet header, control messages and their attributes, and a
// reassembler that cuts the TLS byte stream into whole packets. Pure functions and values; a
// malformed packet is reported, never thrown.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "ppp/bytes.hpp"

namespace openras::link::sstp {

using ppp::Bytes;
using ppp::ByteView;

constexpr std::uint8_t kVersion = 0x10;
constexpr std::size_t kHeaderSize = 4;
constexpr std::size_t kMaxPacket = 4095;  // the 12-bit length field

enum MessageType : std::uint16_t {
  kCallConnectRequest = 0x0001,
  kCallConnectAck = 0x0002,
  kCallConnectNak = 0x0003,
  kCallConnected = 0x0004,
  kCallAbort = 0x0005,
  kCallDisconnect = 0x0006,
  kCallDisconnectAck = 0x0007,
  kEchoRequest = 0x0008,
  kEchoResponse = 0x0009,
};

enum AttributeId : std::uint8_t {
  kAttribNoError = 0x00,
  kAttribEncapsulatedProtocolId = 0x01,
  kAttribStatusInfo = 0x02,
  kAttribCryptoBinding = 0x03,
  kAttribCryptoBindingReq = 0x04,
};

constexpr std::uint16_t kEncapsulatedPpp = 0x0001;

// Status values carried by a Status Info attribute (section 2.2.5).
enum Status : std::uint32_t {
  kStatusNoError = 0x00,
  kStatusDuplicateAttribute = 0x01,
  kStatusUnrecognizedAttribute = 0x02,
  kStatusInvalidAttribValueLength = 0x03,
  kStatusValueNotSupported = 0x04,
  kStatusUnacceptedFrameReceived = 0x05,
  kStatusRetryCountExceeded = 0x06,
  kStatusInvalidFrameReceived = 0x07,
  kStatusNegotiationTimeout = 0x08,
  kStatusAttribNotSupportedInMsg = 0x09,
  kStatusRequiredAttributeMissing = 0x0A,
  kStatusInfoNotSupportedInMsg = 0x0B,
};

// Hash Protocol bitmask values (section 2.2.6).
constexpr std::uint8_t kHashSha1 = 0x01;
constexpr std::uint8_t kHashSha256 = 0x02;

struct Attribute {
  std::uint8_t id = 0;
  Bytes value;  // without the 4-octet attribute header
};

struct ControlMessage {
  std::uint16_t type = 0;
  std::vector<Attribute> attributes;
  const Attribute* find(std::uint8_t id) const;
};

struct Packet {
  bool control = false;
  Bytes data;              // a data packet's payload (a PPP frame)
  ControlMessage message;  // a control packet
};

Bytes encode_data(ByteView ppp_frame);
// The same appended to `out` (a burst of data packets in one buffer).
void append_data(ByteView ppp_frame, ppp::LineBytes& out);
Bytes encode_control(const ControlMessage& message);

// Parses one whole packet (exactly `bytes`); nullopt when it is malformed.
std::optional<Packet> decode_packet(ByteView bytes);
// A well-formed data packet's payload (the PPP frame), in place; nullopt for anything else.
std::optional<ByteView> data_payload(ByteView packet);

// Cuts a byte stream into packets. A header that cannot start a packet (wrong version, a
// length below the header) poisons the stream: nothing after it can be framed.
class PacketReader {
 public:
  void feed(ByteView bytes);
  // The next whole packet's bytes, valid until the next feed(); false when none is complete
  // yet.
  bool next(ByteView& packet);
  bool broken() const { return broken_; }
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  Bytes buffer_;
  std::size_t start_ = 0;
  bool broken_ = false;
};

// Attribute builders and readers for the attributes the client and the server exchange.
Attribute encapsulated_protocol_attribute(std::uint16_t protocol);
Attribute status_info_attribute(std::uint8_t attribute_id, std::uint32_t status);
struct CryptoBindingRequest {
  std::uint8_t hash_protocols = 0;  // bitmask
  std::array<std::uint8_t, 32> nonce{};
};
Attribute crypto_binding_request_attribute(const CryptoBindingRequest& request);
std::optional<CryptoBindingRequest> parse_crypto_binding_request(const Attribute& attribute);
struct StatusInfo {
  std::uint8_t attribute_id = 0;
  std::uint32_t status = 0;
};
std::optional<StatusInfo> parse_status_info(const Attribute& attribute);

const char* message_type_name(std::uint16_t type);

}  // namespace openras::link::sstp
