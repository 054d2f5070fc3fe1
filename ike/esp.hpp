// ESP (RFC 4303) in tunnel mode, as carried in UDP (RFC 3948): one security association
// pair, the sequence numbers and the anti-replay window. It seals an inner IP packet into
// an ESP packet (the UDP payload) and opens one in place. No allocation per packet.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "ike/crypto.hpp"

namespace openras::ike {

struct EspTransforms {
  std::uint16_t encr = encr::kAesGcm16;
  std::uint16_t key_bits = 128;
  std::uint16_t integ = integ::kNone;
};

// One direction's key material (encryption key with salt, integrity key).
struct EspKeys {
  Bytes encryption;
  Bytes integrity;
};

class EspSa {
 public:
  // nullptr when the transforms or key sizes do not fit.
  static std::unique_ptr<EspSa> make(const EspTransforms& t, std::uint32_t spi_out,
                                     const EspKeys& out_keys, std::uint32_t spi_in,
                                     const EspKeys& in_keys);

  std::uint32_t spi_out() const { return spi_out_; }
  const EspTransforms& transforms() const { return transforms_; }
  std::uint32_t spi_in() const { return spi_in_; }
  // The most octets seal() writes for an inner packet of `inner` octets.
  std::size_t sealed_size(std::size_t inner) const;
  // Seals `inner` (next header 4 = IPv4, 41 = IPv6) into `out`, which holds sealed_size();
  // returns the ESP packet's length, 0 when the sequence numbers are used up.
  std::size_t seal(std::span<const std::uint8_t> inner, std::uint8_t next_header,
                   std::uint8_t* out);

  enum class Verdict { Ok, Malformed, Unauthentic, Replayed };
  struct Opened {
    Verdict verdict = Verdict::Malformed;
    std::span<const std::uint8_t> inner;
    std::uint8_t next_header = 0;
  };
  // Opens `packet` (its SPI must be spi_in()) in place.
  Opened open(std::span<std::uint8_t> packet);

  std::uint64_t sent() const { return next_seq_ - 1; }
  std::uint64_t replayed() const { return replayed_; }
  std::uint64_t unauthentic() const { return unauthentic_; }

 private:
  bool replay_check(std::uint32_t seq) const;
  void replay_accept(std::uint32_t seq);

  std::uint32_t spi_out_ = 0, spi_in_ = 0;
  EspTransforms transforms_;
  std::unique_ptr<Protection> out_, in_;
  std::uint64_t next_seq_ = 1;
  // Anti-replay (RFC 4303 3.4.3): the highest sequence number seen and a 64-packet window
  // below it (bit i: highest - i has been received).
  std::uint32_t highest_ = 0;
  std::uint64_t window_ = 0;
  std::uint64_t replayed_ = 0, unauthentic_ = 0;
};

}  // namespace openras::ike
