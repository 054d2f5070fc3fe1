// Big-endian reads and writes on byte spans, and the option TLV walk every control protocol
// shares. A malformed option list reports failure instead of reading past the packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace openras::ppp {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t get32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}
inline void put16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Bytes& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v));
}

struct Option {
  std::uint8_t type;
  ByteView data;  // without the type and length octets
};

// Calls `each` for every option; false when an option's length is < 2 or runs past the end.
inline bool for_each_option(ByteView options, const std::function<void(const Option&)>& each) {
  std::size_t pos = 0;
  while (pos < options.size()) {
    if (options.size() - pos < 2) return false;
    std::uint8_t len = options[pos + 1];
    if (len < 2 || len > options.size() - pos) return false;
    each({options[pos], options.subspan(pos + 2, len - 2u)});
    pos += len;
  }
  return true;
}

inline void put_option(Bytes& out, std::uint8_t type, ByteView data) {
  out.push_back(type);
  out.push_back(static_cast<std::uint8_t>(data.size() + 2));
  out.insert(out.end(), data.begin(), data.end());
}

}  // namespace openras::ppp
