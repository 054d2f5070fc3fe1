#include "ppp/fcs.hpp"

#include <array>

#include "ppp/fcs_fold.hpp"

namespace openras::ppp {
namespace {

template <typename T, T Poly>
struct SlicedTables {
  // t[m][b]: the register after octet b then m zero octets, from 0. Sixteen slices: the
  // folded 16-octet remainder is finished with one independent lookup per octet.
  std::array<std::array<T, 256>, 16> t{};
  constexpr SlicedTables() {
    for (unsigned i = 0; i < 256; ++i) {
      T v = static_cast<T>(i);
      for (int b = 0; b < 8; ++b)
        v = (v & 1) ? static_cast<T>((v >> 1) ^ Poly) : static_cast<T>(v >> 1);
      t[0][i] = v;
    }
    for (int k = 1; k < 16; ++k) {
      for (unsigned i = 0; i < 256; ++i) {
        t[k][i] = static_cast<T>((t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff]);
      }
    }
  }
};

constexpr SlicedTables<std::uint16_t, 0x8408> kFcs16{};
constexpr SlicedTables<std::uint32_t, 0xEDB88320> kFcs32{};

std::uint16_t fcs16_sliced(std::uint16_t fcs, const std::uint8_t* p, std::size_t n) {
  const auto& t = kFcs16.t;
  while (n >= 8) {
    fcs ^= static_cast<std::uint16_t>(p[0] | (p[1] << 8));
    fcs = static_cast<std::uint16_t>(t[7][fcs & 0xff] ^ t[6][fcs >> 8] ^ t[5][p[2]] ^ t[4][p[3]] ^
                                     t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]]);
    p += 8;
    n -= 8;
  }
  while (n--) fcs = static_cast<std::uint16_t>((fcs >> 8) ^ t[0][(fcs ^ *p++) & 0xff]);
  return fcs;
}

std::uint32_t fcs32_sliced(std::uint32_t fcs, const std::uint8_t* p, std::size_t n) {
  const auto& t = kFcs32.t;
  while (n >= 8) {
    fcs ^= static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
    fcs = t[7][fcs & 0xff] ^ t[6][(fcs >> 8) & 0xff] ^ t[5][(fcs >> 16) & 0xff] ^ t[4][fcs >> 24] ^
          t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    n -= 8;
  }
  while (n--) fcs = (fcs >> 8) ^ t[0][(fcs ^ *p++) & 0xff];
  return fcs;
}

// Unrolled: the rolled loop carried its counter and table pointer beside the register, once
// a frame each way. Each lookup's load issues ahead of the xor that takes it.
template <typename Tables>
auto of_folded(const Tables& t, const std::uint8_t* p) {
  auto r = t[15][p[0]];
#pragma GCC unroll 15
  for (int k = 1; k < 16; ++k) r = static_cast<decltype(r)>(r ^ t[15 - k][p[k]]);
  return r;
}

// A long run is folded to sixteen octets first; the tables finish those and the tail.
template <typename T, T (*Sliced)(T, const std::uint8_t*, std::size_t), typename Tables>
T update_on(detail::FoldPath path, const detail::FoldConstants& k, const Tables& tables, T fcs,
            const std::uint8_t* p, std::size_t n) {
  if (path == detail::FoldPath::None || n < detail::kFoldMinimum) return Sliced(fcs, p, n);
  std::uint8_t folded[16];
  detail::fold(path, k, fcs, p, n, folded);
  return static_cast<T>(of_folded(tables, folded));
}

}  // namespace

std::uint16_t fcs16_update(std::uint16_t fcs, const std::uint8_t* p, std::size_t n) {
  return fcs16_update_on(detail::best_fold_path(), fcs, p, n);
}

std::uint32_t fcs32_update(std::uint32_t fcs, const std::uint8_t* p, std::size_t n) {
  return fcs32_update_on(detail::best_fold_path(), fcs, p, n);
}

std::uint16_t fcs16_of_folded(const std::uint8_t folded[16]) {
  return of_folded(kFcs16.t, folded);
}

std::uint32_t fcs32_of_folded(const std::uint8_t folded[16]) {
  return of_folded(kFcs32.t, folded);
}

std::uint16_t fcs16_update_on(detail::FoldPath path, std::uint16_t fcs, const std::uint8_t* p,
                              std::size_t n) {
  return update_on<std::uint16_t, fcs16_sliced>(path, detail::fcs16_fold_constants(), kFcs16.t, fcs,
                                                p, n);
}

std::uint32_t fcs32_update_on(detail::FoldPath path, std::uint32_t fcs, const std::uint8_t* p,
                              std::size_t n) {
  return update_on<std::uint32_t, fcs32_sliced>(path, detail::fcs32_fold_constants(), kFcs32.t, fcs,
                                                p, n);
}

std::uint16_t fcs16_reference(std::uint16_t fcs, const std::uint8_t* p, std::size_t n) {
  while (n--) {
    fcs ^= *p++;
    for (int b = 0; b < 8; ++b)
      fcs = (fcs & 1) ? static_cast<std::uint16_t>((fcs >> 1) ^ 0x8408)
                      : static_cast<std::uint16_t>(fcs >> 1);
  }
  return fcs;
}

std::uint32_t fcs32_reference(std::uint32_t fcs, const std::uint8_t* p, std::size_t n) {
  while (n--) {
    fcs ^= *p++;
    for (int b = 0; b < 8; ++b) fcs = (fcs & 1) ? (fcs >> 1) ^ 0xEDB88320u : fcs >> 1;
  }
  return fcs;
}

}  // namespace openras::ppp
