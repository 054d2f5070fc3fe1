// RFC 2661 section 3-4: the L2TP header (control and data), AVPs, hidden AVPs (4.3) and the
// tunnel authentication response (4.2 / 5.1.1). Pure functions and values: a malformed
// message is reported, never thrown, and never read past its datagram.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ppp/bytes.hpp"

namespace openras::link::l2tp {

using ppp::Bytes;
using ppp::ByteView;

constexpr std::uint16_t kVersion = 2;
constexpr std::uint16_t kDefaultPort = 1701;

enum MessageType : std::uint16_t {
  kSccrq = 1,
  kSccrp = 2,
  kScccn = 3,
  kStopCcn = 4,
  kHello = 6,
  kOcrq = 7,
  kOcrp = 8,
  kOccn = 9,
  kIcrq = 10,
  kIcrp = 11,
  kIccn = 12,
  kCdn = 14,
  kWen = 15,
  kSli = 16,
};

enum AvpType : std::uint16_t {
  kAvpMessageType = 0,
  kAvpResultCode = 1,
  kAvpProtocolVersion = 2,
  kAvpFramingCapabilities = 3,
  kAvpBearerCapabilities = 4,
  kAvpTieBreaker = 5,
  kAvpFirmwareRevision = 6,
  kAvpHostName = 7,
  kAvpVendorName = 8,
  kAvpAssignedTunnelId = 9,
  kAvpReceiveWindowSize = 10,
  kAvpChallenge = 11,
  kAvpQ931Cause = 12,
  kAvpChallengeResponse = 13,
  kAvpAssignedSessionId = 14,
  kAvpCallSerialNumber = 15,
  kAvpBearerType = 18,
  kAvpFramingType = 19,
  kAvpCallingNumber = 22,
  kAvpTxConnectSpeed = 24,
  kAvpRandomVector = 36,
  kAvpRxConnectSpeed = 38,
  kAvpSequencingRequired = 39,
};

// The fixed part of a header; for data messages Ns/Nr are present only with `sequence`.
struct Header {
  bool control = false;   // T
  bool length = false;    // L
  bool sequence = false;  // S
  bool offset = false;    // O
  bool priority = false;  // P
  std::uint16_t total_length = 0;
  std::uint16_t tunnel_id = 0;
  std::uint16_t session_id = 0;
  std::uint16_t ns = 0;
  std::uint16_t nr = 0;
  std::size_t payload_offset = 0;  // where the AVPs or the PPP frame start
};

// Checks the version, the flag rules for control messages (L and S set, O and P clear) and
// every length against the datagram. The payload is datagram[payload_offset, end) where end
// is total_length when L is set.
std::optional<Header> parse_header(ByteView datagram);
ByteView payload_of(ByteView datagram, const Header& h);

struct Avp {
  bool mandatory = false;
  bool hidden = false;  // as received; value is already revealed
  std::uint16_t vendor = 0;
  std::uint16_t type = 0;
  Bytes value;
};

struct ControlMessage {
  std::uint16_t type = 0;  // 0 with no AVPs: a ZLB acknowledgement
  std::vector<Avp> avps;

  const Avp* find(std::uint16_t avp_type) const;
  std::optional<std::uint16_t> u16(std::uint16_t avp_type) const;
  std::optional<std::uint32_t> u32(std::uint16_t avp_type) const;
  // An AVP that the message carries with the M bit and this build does not know.
  std::optional<std::uint16_t> unknown_mandatory() const;
};

enum class ParseError {
  None,
  BadAvpLength,         // an AVP shorter than its header or running past the message
  FirstNotMessageType,  // RFC 2661 4.1: the Message Type AVP comes first
  HiddenWithoutVector,  // a hidden AVP with no Random Vector before it
  HiddenWithoutSecret,  // a hidden AVP and no tunnel secret to reveal it
  BadHiddenValue,       // the revealed length does not fit
};

// The AVPs of a control message body (after the header). Hidden AVPs are revealed with
// `secret`, using the Random Vector that precedes them.
std::optional<ControlMessage> parse_control(ByteView body, std::string_view secret,
                                            ParseError* error = nullptr);

// AVP builders for the messages we send (vendor 0, IETF).
void put_avp(Bytes& out, std::uint16_t type, ByteView value, bool mandatory = true);
void put_avp16(Bytes& out, std::uint16_t type, std::uint16_t value, bool mandatory = true);
void put_avp32(Bytes& out, std::uint16_t type, std::uint32_t value, bool mandatory = true);
void put_avp_text(Bytes& out, std::uint16_t type, std::string_view text, bool mandatory = true);
// A hidden AVP (section 4.3): `vector` is the Random Vector AVP sent just before it.
void put_hidden_avp(Bytes& out, std::uint16_t type, ByteView value, std::string_view secret,
                    ByteView vector, ByteView padding = {});

// Whole messages: a control message with Ns/Nr, a ZLB, a data message carrying a PPP frame.
Bytes control_message(std::uint16_t tunnel_id, std::uint16_t session_id, std::uint16_t ns,
                      std::uint16_t nr, ByteView avps);
// In the header so that the client's queue (line octets) and the tests (Bytes) build the same.
template <typename Octets = Bytes>
Octets data_message(std::uint16_t tunnel_id, std::uint16_t session_id, ByteView frame) {
  Octets out;
  out.reserve(6 + frame.size());
  ppp::put16(out, kVersion);
  ppp::put16(out, tunnel_id);
  ppp::put16(out, session_id);
  out.insert(out.end(), frame.begin(), frame.end());
  return out;
}
// Rewrites the Nr of a control message built by control_message (for a retransmission).
void set_nr(Bytes& message, std::uint16_t nr);

// Section 4.2: MD5(id | secret | challenge), where id is the Message Type of the message
// that carries the response (2 in SCCRP, 3 in SCCCN).
std::array<std::uint8_t, 16> challenge_response(std::uint8_t id, std::string_view secret,
                                                ByteView challenge);

// Result Code AVP (section 4.4.2): the result, the optional error and message.
struct ResultCode {
  std::uint16_t result = 0;
  std::optional<std::uint16_t> error;
  std::string message;
};
std::optional<ResultCode> result_code(const ControlMessage& m);
Bytes result_code_value(std::uint16_t result, std::uint16_t error = 0, std::string_view text = {});

const char* message_type_name(std::uint16_t type);

// 16-bit sequence numbers compare modulo 2^16 (section 5.8): a precedes b.
inline bool seq_before(std::uint16_t a, std::uint16_t b) {
  return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b)) < 0;
}

}  // namespace openras::link::l2tp
