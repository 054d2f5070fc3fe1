// IKEv1 messages (RFC 2408 ISAKMP with the RFC 2407 IPsec DOI and RFC 2409): the fixed header,
// the payload chain, SA payloads with their data attributes, and the numbers L2TP/IPsec
// needs (NAT-T from RFC 3947, DPD from RFC 3706). Parsing never reads past what it was
// given: a malformed message is nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ike/crypto.hpp"
#include "ike/message.hpp"

namespace openras::ike::v1 {

namespace payload {
inline constexpr std::uint8_t kNone = 0, kSa = 1, kProposal = 2, kTransform = 3, kKe = 4, kId = 5,
                              kCert = 6, kCertReq = 7, kHash = 8, kSig = 9, kNonce = 10,
                              kNotify = 11, kDelete = 12, kVendor = 13, kNatD = 20, kNatOa = 21;
}
namespace exchange {
inline constexpr std::uint8_t kMain = 2, kAggressive = 4, kInformational = 5, kQuick = 32;
}
namespace flag {
inline constexpr std::uint8_t kEncrypted = 0x01, kCommit = 0x02, kAuthOnly = 0x04;
}
namespace protocol {
inline constexpr std::uint8_t kIsakmp = 1, kEsp = 3;
}
// Phase 1 attributes (RFC 2409 appendix A) and their values.
namespace p1 {
inline constexpr std::uint16_t kEncryption = 1, kHash = 2, kAuthMethod = 3, kGroup = 4,
                               kLifeType = 11, kLifeDuration = 12, kKeyLength = 14;
inline constexpr std::uint16_t kDes = 1, k3des = 5, kAes = 7;
inline constexpr std::uint16_t kMd5 = 1, kSha1 = 2, kSha256 = 4;
inline constexpr std::uint16_t kPreSharedKey = 1, kRsaSignature = 3;
inline constexpr std::uint16_t kSeconds = 1;
}  // namespace p1
// IPsec DOI attributes (RFC 2407 4.5) for an ESP transform, and its ids.
namespace p2 {
inline constexpr std::uint16_t kLifeType = 1, kLifeDuration = 2, kGroup = 3, kEncapsulation = 4,
                               kAuthAlgorithm = 5, kKeyLength = 6;
inline constexpr std::uint16_t kTunnel = 1, kTransport = 2, kUdpTunnel = 3, kUdpTransport = 4,
                               kUdpTunnelDraft = 61443, kUdpTransportDraft = 61444;
inline constexpr std::uint16_t kHmacMd5 = 1, kHmacSha1 = 2, kHmacSha256 = 5;
inline constexpr std::uint8_t kEsp3des = 3, kEspAes = 12;
inline constexpr std::uint16_t kSeconds = 1;
}  // namespace p2
namespace notify {
inline constexpr std::uint16_t kInvalidPayloadType = 1, kInvalidCookie = 4, kNoProposalChosen = 14,
                               kPayloadMalformed = 16, kInvalidKeyInformation = 17,
                               kInvalidIdInformation = 18, kInvalidHashInformation = 23,
                               kAuthenticationFailed = 24, kInitialContact = 24578,
                               kRuThere = 36136, kRuThereAck = 36137;
}
namespace id_type {
inline constexpr std::uint8_t kIpv4 = 1, kFqdn = 2;
}
inline constexpr std::uint32_t kIpsecDoi = 1;
inline constexpr std::uint32_t kSituationIdentityOnly = 1;
inline constexpr std::size_t kHeaderSize = 28;

struct Header {
  std::uint64_t icookie = 0;
  std::uint64_t rcookie = 0;
  std::uint8_t next_payload = 0;
  std::uint8_t exchange = 0;
  std::uint8_t flags = 0;
  std::uint32_t message_id = 0;
  std::uint32_t length = 0;
};
// Version 1.0 and a Length no longer than what arrived.
std::optional<Header> parse_header(ByteView message);
void write_header(const Header& h, std::uint8_t* out);

struct Payload {
  std::uint8_t type = 0;
  ByteView body;   // after the 4-octet generic header
  ByteView whole;  // with it (what Quick Mode's hashes cover)
};
// The chain from `first`; octets after its last payload are refused unless `padded` (an
// encrypted message's padding).
std::optional<std::vector<Payload>> parse_chain(std::uint8_t first, ByteView chain, bool padded);
const Payload* find(const std::vector<Payload>& chain, std::uint8_t type);

// Chains are built with IKEv2's ChainBuilder (the generic payload header is the same; the
// critical bit, reserved in IKEv1, stays clear).
using ike::ChainBuilder;

struct Attribute {
  std::uint16_t type = 0;
  std::uint32_t value = 0;  // basic (TV) or a variable one of up to four octets
};
struct Transform {
  std::uint8_t number = 1;
  std::uint8_t id = 1;  // KEY_IKE (1) in phase 1; the ESP transform id in phase 2
  std::vector<Attribute> attributes;
  std::optional<std::uint32_t> get(std::uint16_t type) const;
};
struct Proposal {
  std::uint8_t number = 1;
  std::uint8_t protocol = protocol::kIsakmp;
  Bytes spi;
  std::vector<Transform> transforms;
};
// The SA payload's body: DOI IPsec, situation identity-only, the proposals in order.
Bytes build_sa(const std::vector<Proposal>& proposals);
std::optional<std::vector<Proposal>> parse_sa(ByteView body);

// ID payload bodies: an IPv4 address (host order) with protocol and port.
Bytes id_ipv4(std::uint32_t address, std::uint8_t ip_protocol = 0, std::uint16_t port = 0);
struct Identity {
  std::uint8_t type = 0;
  std::uint8_t ip_protocol = 0;
  std::uint16_t port = 0;
  ByteView data;
};
std::optional<Identity> parse_id(ByteView body);

// Notification and Delete bodies (RFC 2408 3.14, 3.15).
struct Notification {
  std::uint8_t protocol = 0;
  std::uint16_t type = 0;
  ByteView spi;
  ByteView data;
};
Bytes build_notify(std::uint8_t protocol, std::uint16_t type, ByteView spi, ByteView data);
std::optional<Notification> parse_notify(ByteView body);
Bytes build_delete(std::uint8_t protocol, std::size_t spi_size, ByteView spis);
struct Deletion {
  std::uint8_t protocol = 0;
  std::vector<ByteView> spis;
};
std::optional<Deletion> parse_delete(ByteView body);

// One line for --verbose traces: "MM3", "QM1 (encrypted)", "INFO NOTIFY(R-U-THERE)".
std::string describe(ByteView message);

}  // namespace openras::ike::v1
