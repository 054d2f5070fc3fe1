// Big-endian reads and writes on byte spans, and the option TLV walk every control protocol
// shares. A malformed option list reports failure instead of reading past the packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <span>
#include <vector>

namespace openras::ppp {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// out += data. Out of line on purpose: GCC 12 at -O3, inlining a vector::insert after a
// push_back into a fresh vector, reports reads past a zero-sized region that cannot happen
// (-Warray-bounds, -Wstringop-overread; GCC bugs 107852 and 106199). The call keeps Release
// builds warning-free without switching those warnings off.
void append(Bytes& out, ByteView data);

// An allocator whose value-initialisation leaves octets as they are, so that resize() grows
// without zero-filling. Copies and inserts are unchanged (still memmove).
template <typename T>
struct UninitializedGrowth : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitializedGrowth<U>;
  };
  UninitializedGrowth() = default;
  template <typename U>
  UninitializedGrowth(const UninitializedGrowth<U>&) noexcept {}
  // Only value-initialisation is ours; with arguments, allocator_traits constructs as usual.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
};

// Octets on their way to a line or port. A framer sizes it for its worst case, writes, then
// trims it to what it wrote: zero-filling what is about to be overwritten was 5% of HDLC
// framing. LineBytes(n) and resize(n) leave the new octets undefined; say LineBytes(n, 0).
using LineBytes = std::vector<std::uint8_t, UninitializedGrowth<std::uint8_t>>;

inline std::uint16_t get16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t get32(const std::uint8_t* p) {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | p[3];
}
template <typename Octets>
void put16(Octets& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}
template <typename Octets>
void put32(Octets& out, std::uint32_t v) {
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
