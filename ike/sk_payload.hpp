// The IKE SA's keys (RFC 7296 2.14) and the Encrypted payload that carries every message
// after IKE_SA_INIT: SK (3.14), or SKF fragments (RFC 7383) when a message would not fit the
// path. One direction seals with SK_e/SK_a of its sender; the other opens with the peer's.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include "ike/crypto.hpp"
#include "ike/message.hpp"

namespace openras::ike {

struct IkeSuite {
  std::uint16_t encr = encr::kAesCbc;
  std::uint16_t key_bits = 256;
  std::uint16_t integ = integ::kHmacSha256_128;  // kNone with an AEAD cipher
  std::uint16_t prf = prf_id::kHmacSha256;
  std::uint16_t dh = dh::kEcp256;
};

struct IkeSaKeys {
  IkeSuite suite;
  Bytes sk_d, sk_ai, sk_ar, sk_ei, sk_er, sk_pi, sk_pr;
  ~IkeSaKeys();
};

// SKEYSEED = prf(Ni | Nr, g^ir); the seven keys from prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
// nullopt when the suite is unknown.
std::optional<IkeSaKeys> derive_ike_keys(const IkeSuite& suite, ByteView shared_secret,
                                         ByteView nonce_i, ByteView nonce_r, std::uint64_t spi_i,
                                         std::uint64_t spi_r);

// A rekeyed IKE SA (RFC 7296 2.18): SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) with the
// old SA's PRF; Ni, Nr and SPIi, SPIr are those of the rekeying exchange's initiator first.
std::optional<IkeSaKeys> derive_rekeyed_ike_keys(const IkeSaKeys& old, const IkeSuite& suite,
                                                 ByteView shared_secret, ByteView nonce_i,
                                                 ByteView nonce_r, std::uint64_t spi_i,
                                                 std::uint64_t spi_r);

// Seals outgoing messages and opens incoming ones for one IKE SA, as its original initiator.
class SkCodec {
 public:
  // nullptr when the keys do not make a cipher.
  static std::unique_ptr<SkCodec> make(const IkeSaKeys& keys, bool we_initiated = true);

  // The message `header` with `inner` (a payload chain whose first type is `inner_first`)
  // encrypted: one message, or fragments of at most `fragment_limit` octets when it is
  // larger and `fragment_limit` is not 0.
  std::vector<Bytes> seal(Header header, std::uint8_t inner_first, ByteView inner,
                          std::size_t fragment_limit);

  struct Opened {
    Header header;
    PayloadChain chain;  // the decrypted payloads (into `plain`)
    Bytes plain;
  };
  enum class Result { Opened, Incomplete, Invalid };
  // A message whose header parsed: its SK payload opened (or, for SKF, the fragment kept until
  // all have come). Invalid: it does not authenticate or is malformed (to be dropped).
  Result open(ByteView message, Opened& out);

 private:
  struct Reassembly {
    std::uint16_t total = 0;
    std::uint8_t inner_first = 0;
    std::map<std::uint16_t, Bytes> parts;
    Header header;
  };
  std::optional<Bytes> open_encrypted(ByteView message, std::size_t header_len);
  Bytes seal_one(Header header, std::uint8_t payload_type, std::uint8_t inner_first, ByteView inner,
                 std::uint16_t fragment, std::uint16_t total);

  std::unique_ptr<Protection> out_, in_;
  std::uint64_t counter_ = 1;
  // Fragments of incoming messages (at most a few messages at a time).
  std::map<std::uint64_t, Reassembly> reassembly_;  // message ID, and bit 32 for a response
};

}  // namespace openras::ike
