// The IKEv2 and ESP primitives, all through OpenSSL's EVP: the PRFs and prf+ (RFC 7296 2.13),
// Diffie-Hellman over the groups Windows and strongSwan offer (RFC 3526 MODP, RFC 5903 ECP,
// RFC 8031 Curve25519), and the one "protection" both the IKE SK payload and ESP use: an
// authenticated cipher over a message whose first octets are authenticated but not hidden.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace openras::ike {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// IANA "Transform Type" values (RFC 7296 3.3.2).
namespace transform {
inline constexpr std::uint8_t kEncr = 1, kPrf = 2, kInteg = 3, kDh = 4, kEsn = 5;
}
namespace encr {
inline constexpr std::uint16_t k3des = 3, kAesCbc = 12, kAesGcm16 = 20;
}
namespace prf_id {
inline constexpr std::uint16_t kHmacSha1 = 2, kHmacSha256 = 5, kHmacSha384 = 6, kHmacSha512 = 7;
}
namespace integ {
inline constexpr std::uint16_t kNone = 0, kHmacSha1_96 = 2, kHmacSha256_128 = 12,
                               kHmacSha384_192 = 13, kHmacSha512_256 = 14;
}
namespace dh {
inline constexpr std::uint16_t kModp1024 = 2, kModp2048 = 14, kEcp256 = 19, kEcp384 = 20,
                               kCurve25519 = 31;
}

// Wipes a secret in place (not optimised away).
void wipe(Bytes& secret);

// A keyed PRF (HMAC with one of the hashes above).
class Prf {
 public:
  static std::optional<Prf> make(std::uint16_t id);
  std::size_t size() const { return size_; }
  std::uint16_t id() const { return id_; }
  Bytes compute(ByteView key, ByteView data) const;
  // prf+ (RFC 7296 2.13): `length` octets of T1 | T2 | ...
  Bytes plus(ByteView key, ByteView seed, std::size_t length) const;

 private:
  std::uint16_t id_ = 0;
  std::size_t size_ = 0;
};

// One side of an ephemeral Diffie-Hellman exchange.
class KeyExchange {
 public:
  virtual ~KeyExchange() = default;
  // nullptr for a group this build does not do.
  static std::unique_ptr<KeyExchange> make(std::uint16_t group);
  static bool supported(std::uint16_t group);
  virtual std::uint16_t group() const = 0;
  // The KE payload's data: what RFC 7296 / 5903 / 8031 put on the wire for this group.
  virtual const Bytes& public_value() const = 0;
  // g^ir from the peer's public value; nullopt when it is malformed or degenerate.
  virtual std::optional<Bytes> shared_secret(ByteView peer_public) const = 0;
};

// An authenticated cipher over messages laid out as  [header][IV][plaintext][ICV]: the header
// is authenticated (GCM's AAD, or the start of what the HMAC covers), the plaintext is
// encrypted in place. AES-GCM-16 (RFC 4106, RFC 5282) with a 4-octet salt after the key, or
// AES-CBC with an HMAC truncated to the integrity transform's size.
class Protection {
 public:
  // `key` = encryption key (+ salt for GCM); `integrity_key` empty for GCM.
  static std::unique_ptr<Protection> make(std::uint16_t encr_id, std::uint16_t key_bits,
                                          std::uint16_t integ_id, ByteView key,
                                          ByteView integrity_key);
  // Octets of key material the transforms take (encryption incl. salt, integrity).
  static std::size_t key_size(std::uint16_t encr_id, std::uint16_t key_bits);
  static std::size_t integrity_key_size(std::uint16_t integ_id);
  virtual ~Protection() = default;
  virtual std::size_t iv_size() const = 0;
  virtual std::size_t icv_size() const = 0;
  // Plaintext lengths must be a multiple of this (the sender pads).
  virtual std::size_t block_size() const = 0;
  // message = header(header_len) | IV space | plaintext(plain_len) | ICV space; `counter` is
  // unique per message under this key (the IV is derived from it).
  virtual bool seal(std::uint8_t* message, std::size_t header_len, std::size_t plain_len,
                    std::uint64_t counter) = 0;
  // Checks the ICV of `message` (whole, ICV last) and decrypts in place; the plaintext is
  // message[header_len + iv_size, size - icv_size). False when it does not authenticate.
  virtual bool open(std::uint8_t* message, std::size_t header_len, std::size_t size) = 0;
};

// AES-CBC or 3DES over whole blocks in place, with no padding (IKEv1 phase 1 and the
// informational and Quick Mode messages under it): `key`'s size gives the AES key length,
// `iv` is the chain's IV and becomes the next one (the last ciphertext block).
std::size_t cbc_block_size(std::uint16_t encr_id, std::uint16_t key_bits);
bool cbc_crypt(std::uint16_t encr_id, ByteView key, Bytes& iv, std::uint8_t* data, std::size_t n,
               bool encrypt);
// The hash behind a PRF id, over `parts` in turn (IKEv1's IVs); empty for an unknown id.
Bytes digest(std::uint16_t prf, std::initializer_list<ByteView> parts);

// Whether `got` equals `expected`, compared in constant time (proofs, hashes, ICVs). An empty
// `expected`, what a computation that failed returns, matches nothing.
bool constant_time_match(ByteView expected, ByteView got);

// SHA-1 (NAT detection, CERTREQ authority hashes).
Bytes sha1(ByteView data);
Bytes sha1(std::initializer_list<ByteView> parts);

}  // namespace openras::ike
