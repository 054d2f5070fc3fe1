// IKEv2 messages (RFC 7296 section 3): the fixed header, the generic payload chain and the
// payloads the initiator reads and writes. Parsing never reads past what it was given: a
// malformed message is nullopt, never an exception or a partial result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ike/crypto.hpp"

namespace openras::ike {

namespace payload {
inline constexpr std::uint8_t kNone = 0, kSa = 33, kKe = 34, kIdi = 35, kIdr = 36, kCert = 37,
                              kCertReq = 38, kAuth = 39, kNonce = 40, kNotify = 41, kDelete = 42,
                              kVendor = 43, kTsi = 44, kTsr = 45, kSk = 46, kCp = 47, kEap = 48,
                              kSkf = 53;
}
namespace exchange {
inline constexpr std::uint8_t kSaInit = 34, kAuth = 35, kCreateChild = 36, kInformational = 37;
}
namespace flag {
inline constexpr std::uint8_t kInitiator = 0x08, kVersion = 0x10, kResponse = 0x20;
}
namespace protocol {
inline constexpr std::uint8_t kIke = 1, kEsp = 3;
}
namespace notify {
// Errors (below 16384).
inline constexpr std::uint16_t kUnsupportedCriticalPayload = 1, kInvalidIkeSpi = 4,
                               kInvalidSyntax = 7, kInvalidMessageId = 9, kInvalidSpi = 11,
                               kNoProposalChosen = 14, kInvalidKePayload = 17,
                               kAuthenticationFailed = 24, kSinglePairRequired = 34,
                               kNoAdditionalSas = 35, kInternalAddressFailure = 36,
                               kFailedCpRequired = 37, kTsUnacceptable = 38, kTemporaryFailure = 43,
                               kChildSaNotFound = 44;
// Status.
inline constexpr std::uint16_t kInitialContact = 16384, kNatDetectionSourceIp = 16388,
                               kNatDetectionDestinationIp = 16389, kCookie = 16390,
                               kRekeySa = 16393, kMobikeSupported = 16396,
                               kNoAdditionalAddresses = 16399, kUpdateSaAddresses = 16400,
                               kFragmentationSupported = 16430, kSignatureHashAlgorithms = 16431;
}  // namespace notify
namespace auth_method {
inline constexpr std::uint8_t kRsaSignature = 1, kSharedKey = 2, kEcdsa256 = 9, kEcdsa384 = 10,
                              kEcdsa521 = 11, kDigitalSignature = 14;
}
namespace id_type {
inline constexpr std::uint8_t kIpv4 = 1, kFqdn = 2, kRfc822 = 3, kIpv6 = 5, kDerAsn1Dn = 9,
                              kKeyId = 11;
}
namespace cert_encoding {
inline constexpr std::uint8_t kX509Signature = 4;  // CERT and CERTREQ (RFC 7296 3.6)
}
namespace cfg {
inline constexpr std::uint8_t kRequest = 1, kReply = 2;
inline constexpr std::uint16_t kIp4Address = 1, kIp4Netmask = 2, kIp4Dns = 3, kIp6Address = 8,
                               kIp6Dns = 10, kDnsDomain = 25;
}  // namespace cfg

inline constexpr std::size_t kHeaderSize = 28;

struct Header {
  std::uint64_t spi_i = 0;
  std::uint64_t spi_r = 0;
  std::uint8_t next_payload = 0;
  std::uint8_t exchange = 0;
  std::uint8_t flags = 0;
  std::uint32_t message_id = 0;
  std::uint32_t length = 0;  // as written in the header
};
// The header of a message that is at least as long as its Length says (the rest is ignored).
std::optional<Header> parse_header(ByteView message);
void write_header(const Header& h, std::uint8_t* out);

struct Payload {
  std::uint8_t type = 0;
  bool critical = false;
  ByteView body;           // after the 4-octet generic header
  std::size_t offset = 0;  // of the generic header within the chain given to parse_payloads
};
// The payload chain starting with `first`. SK and SKF must be last: their bodies run to the
// end and their "next payload" is kept in `inner_first`.
struct PayloadChain {
  std::vector<Payload> payloads;
  std::uint8_t inner_first = 0;
};
std::optional<PayloadChain> parse_payloads(std::uint8_t first, ByteView chain);
const Payload* find(const PayloadChain& chain, std::uint8_t type);

// Builds a payload chain; the header's next-payload and length are set by `message()`.
class ChainBuilder {
 public:
  void add(std::uint8_t type, ByteView body, bool critical = false);
  std::uint8_t first() const { return first_; }
  const Bytes& bytes() const { return out_; }
  Bytes message(Header h) const;

 private:
  Bytes out_;
  std::uint8_t first_ = payload::kNone;
  std::size_t last_header_ = SIZE_MAX;
};

// ---- SA payload ----
struct Transform {
  std::uint8_t type = 0;
  std::uint16_t id = 0;
  std::uint16_t key_bits = 0;  // 0: no Key Length attribute
};
struct Proposal {
  std::uint8_t number = 1;
  std::uint8_t protocol = protocol::kIke;
  Bytes spi;
  std::vector<Transform> transforms;
  // The one transform of `type` (a chosen proposal has at most one of each).
  const Transform* of(std::uint8_t type) const;
};
Bytes build_sa(const std::vector<Proposal>& proposals);
std::optional<std::vector<Proposal>> parse_sa(ByteView body);

// ---- Notify ----
struct Notify {
  std::uint8_t protocol = 0;
  std::uint16_t type = 0;
  Bytes spi;
  ByteView data;
};
std::optional<Notify> parse_notify(ByteView body);
Bytes build_notify(std::uint16_t type, ByteView data = {}, std::uint8_t protocol = 0,
                   ByteView spi = {});

// ---- KE, ID, AUTH (a type octet, 3 reserved, data) ----
struct Typed {
  std::uint16_t type = 0;  // the DH group for KE; ID type; auth method
  ByteView data;
};
std::optional<Typed> parse_ke(ByteView body);
Bytes build_ke(std::uint16_t group, ByteView value);
std::optional<Typed> parse_typed(ByteView body);  // ID and AUTH
Bytes build_typed(std::uint8_t type, ByteView data);

// ---- Traffic selectors (IPv4 ranges; others kept as unknown) ----
struct TrafficSelector {
  std::uint8_t type = 7;  // TS_IPV4_ADDR_RANGE
  std::uint8_t ip_protocol = 0;
  std::uint16_t start_port = 0, end_port = 65535;
  std::uint32_t start = 0, end = 0xffffffff;  // host order
};
Bytes build_ts(const std::vector<TrafficSelector>& selectors);
std::optional<std::vector<TrafficSelector>> parse_ts(ByteView body);

// ---- Configuration payload ----
struct ConfigAttribute {
  std::uint16_t type = 0;
  ByteView value;
};
struct Config {
  std::uint8_t type = 0;
  std::vector<ConfigAttribute> attributes;
};
std::optional<Config> parse_cp(ByteView body);
Bytes build_cp_request(const std::vector<std::uint16_t>& attributes);

// ---- Delete ----
struct Delete {
  std::uint8_t protocol = 0;
  std::vector<Bytes> spis;
};
std::optional<Delete> parse_delete(ByteView body);
Bytes build_delete(std::uint8_t protocol, const std::vector<Bytes>& spis);

// "SA KE Ni N(NAT_D) ..." for traces and logs.
std::string describe(const PayloadChain& chain);
// "IKE_AUTH request 1 [ SK ]": the header of a message, never its contents.
std::string describe_message(ByteView message);

}  // namespace openras::ike
