// IKEv1 keying (RFC 2409 section 5 and appendix B): SKEYID and its three children for a
// pre-shared key, phase 1 encryption key expansion, the HASH_I/HASH_R and Quick Mode hashes,
// KEYMAT, and the CBC chains that encrypt ISAKMP messages: one for Main Mode, then one per
// message ID seeded from the last phase 1 block.
#pragma once

#include <map>
#include <optional>

#include "ike/crypto.hpp"

namespace openras::ike::v1 {

// What Main Mode agreed: the cipher (ike::encr ids: AES-CBC or 3DES), the PRF behind the
// hash, the group and the lifetime the server echoed.
struct Phase1Suite {
  std::uint16_t encr = encr::kAesCbc;
  std::uint16_t key_bits = 256;
  std::uint16_t prf = prf_id::kHmacSha1;
  std::uint16_t group = dh::kModp2048;
  std::uint32_t lifetime_seconds = 28800;
};

struct Phase1Keys {
  Bytes skeyid, d, a, e;
  Bytes encryption;  // SKEYID_e expanded to the cipher's key size
  Bytes first_iv;    // hash(g^xi | g^xr), cut to the block size
  ~Phase1Keys();
};

struct Phase1Inputs {
  ByteView psk, nonce_i, nonce_r, shared_secret, cookie_i, cookie_r, public_i, public_r;
};
std::optional<Phase1Keys> derive_phase1_keys(const Phase1Suite& suite, const Phase1Inputs& in);

// HASH_I (we initiated: g^xi | g^xr | CKY-I | CKY-R) or HASH_R (the reverse), over the SA
// payload body we sent and the ID payload body of the side proving itself.
Bytes main_mode_hash(const Phase1Suite& suite, const Phase1Keys& keys, const Phase1Inputs& in,
                     bool initiator, ByteView sa_body, ByteView id_body);

// KEYMAT for one direction of an ESP SA: `spi` is that direction's SPI as sent on the wire
// (ours for inbound, the peer's for outbound), `shared_secret` empty without PFS.
Bytes keymat(const Phase1Suite& suite, const Phase1Keys& keys, ByteView shared_secret, ByteView spi,
             ByteView nonce_i, ByteView nonce_r, std::size_t length);

// Encrypts and decrypts ISAKMP messages with the phase 1 key, keeping each exchange's IV.
class MessageCipher {
 public:
  MessageCipher(const Phase1Suite& suite, const Phase1Keys& keys);
  // The whole message (header + chain; the header's length is set to the padded size).
  bool seal(Bytes& message);
  // Decrypts the body in place; false when it is not whole blocks. The exchange's IV moves
  // to `next_iv` only through advance(), once the message proved genuine (its hash).
  bool open(Bytes& message, Bytes& next_iv);
  void advance(std::uint32_t message_id, Bytes next_iv) { iv_for(message_id) = std::move(next_iv); }
  // Main Mode is over: later exchanges seed their IVs from its last block.
  void phase1_done() { phase1_last_ = main_iv_; }
  // An exchange that is over (its IV is no longer needed).
  void forget(std::uint32_t message_id) { ivs_.erase(message_id); }
  std::size_t block_size() const { return block_; }

 private:
  Bytes& iv_for(std::uint32_t message_id);
  Phase1Suite suite_;
  Bytes key_;
  std::size_t block_ = 16;
  Bytes main_iv_, phase1_last_;
  std::map<std::uint32_t, Bytes> ivs_;
};

}  // namespace openras::ike::v1
