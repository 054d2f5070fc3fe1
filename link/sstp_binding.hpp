// MS-SSTP crypto binding (sections 2.2.7, 3.2.5.2): the Call Connected message that ties the
// TLS session (the server certificate's hash) to the PPP authentication (the HLAK, from the
// MS-CHAPv2 master keys of RFC 3079), and its check on the server side.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "link/sstp_packet.hpp"

namespace openras::link::sstp {

using Key32 = std::array<std::uint8_t, 32>;

// The Higher-Layer Authentication Key. MS-CHAPv2: client HLAK = MasterSendKey | MasterReceiveKey,
// server HLAK = MasterReceiveKey | MasterSendKey, each side's keys from its own point of view
// (RFC 3079 section 3). Both ends arrive at the same 32 octets. Without keys (PAP, CHAP-MD5):
// 32 zero octets.
Key32 hlak_from_mschapv2(const std::array<std::uint8_t, 16>& master_key, bool is_server);

// CMK = HMAC(HLAK, "SSTP inner method derived CMK" | LEN | 0x01), LEN the key length as two
// octets, least significant first (the PRF+ of section 3.2.5.2).
Bytes compound_mac_key(const Key32& hlak, std::uint8_t hash_protocol);

struct CryptoBinding {
  std::uint8_t hash_protocol = kHashSha256;  // a single bit of the bitmask
  std::array<std::uint8_t, 32> nonce{};
  Bytes cert_hash;     // SHA-256 (or SHA-1) of the server certificate, DER
  Bytes compound_mac;  // as received; empty when building
};

// The whole SSTP_MSG_CALL_CONNECTED packet, its Compound MAC computed over the packet with the
// MAC field zeroed.
Bytes build_call_connected(const CryptoBinding& binding, const Key32& hlak);
std::optional<CryptoBinding> parse_crypto_binding(const Attribute& attribute);

// The hash a binding uses, picked from the server's bitmask: SHA-256 when offered.
std::optional<std::uint8_t> choose_hash_protocol(std::uint8_t bitmask);
std::size_t hash_size(std::uint8_t hash_protocol);
Bytes certificate_hash(ByteView certificate_der, std::uint8_t hash_protocol);

enum class BindingCheck { Ok, WrongNonce, WrongCertificate, WrongMac, Malformed };
// The server's check of a received Call Connected packet.
BindingCheck verify_call_connected(ByteView packet, const std::array<std::uint8_t, 32>& nonce,
                                   ByteView certificate_der, const Key32& hlak);

}  // namespace openras::link::sstp
