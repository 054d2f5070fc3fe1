// Big-endian integers in IKE and ESP octets, and the random values IKE needs (nonces, SPIs).
#pragma once

#include <cstdint>
#include <string>

#include "ike/crypto.hpp"
#include "ppp/types.hpp"

namespace openras::ike::wire {

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
inline std::uint32_t get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}
inline std::uint64_t get64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(get32(p)) << 32 | get32(p + 4);
}
inline void set16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8);
  p[1] = static_cast<std::uint8_t>(v);
}
inline void set32(std::uint8_t* p, std::uint32_t v) {
  set16(p, static_cast<std::uint16_t>(v >> 16));
  set16(p + 2, static_cast<std::uint16_t>(v));
}
inline void put16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Bytes& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v));
}
inline void put64(Bytes& out, std::uint64_t v) {
  put32(out, static_cast<std::uint32_t>(v >> 32));
  put32(out, static_cast<std::uint32_t>(v));
}
inline std::uint32_t get32(ByteView b) {
  return get32(b.data());
}
// A string's octets, as a payload carries them.
inline ByteView view(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
// Our nonces: 256 bits, the RFC 7296 2.10 minimum being half the PRF's key size.
inline constexpr std::size_t kNonceSize = 32;

inline Bytes random_bytes(ppp::Random& random, std::size_t n) {
  Bytes out(n);
  random.fill(out.data(), n);
  return out;
}
// An ESP SPI: 1-255 are reserved (RFC 4303 2.1).
inline std::uint32_t random_spi(ppp::Random& random) {
  std::uint32_t v = 0;
  while (v < 256) v = random.u32();
  return v;
}
inline std::uint64_t random_ike_spi(ppp::Random& random) {
  std::uint64_t v = 0;
  while (v == 0) random.fill(reinterpret_cast<std::uint8_t*>(&v), sizeof v);
  return v;
}

}  // namespace openras::ike::wire
