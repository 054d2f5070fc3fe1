// Carry-less multiplication folding (PCLMULQDQ) for the reflected FCS polynomials: a long run
// of data is folded, sixteen octets at a time, into sixteen octets with the same remainder
// modulo the polynomial; the table code then finishes those and the tail. Used only where
// the CPU has the instructions (checked at run time), so the build stays generic.
#pragma once

#include <cstddef>
#include <cstdint>

namespace openras::ppp::detail {

// The constants one polynomial needs: for folding a 128-bit lane forward by 128 m bits
// (m = 1..16), x^n mod P for its two halves, bit-reflected.
struct FoldConstants {
  struct Pair {
    std::uint64_t lo, hi;
  };
  Pair by[17];  // by[m]: forward by m lanes
  // The same laid out for 512-bit loads: wide[m] is by[m] four times; spread moves lanes 0..2
  // of a 512-bit register forward by 3, 2 and 1 lanes and zeroes lane 3.
  alignas(64) std::uint64_t wide[17][8];
  alignas(64) std::uint64_t spread[8];
};

const FoldConstants& fcs16_fold_constants();
const FoldConstants& fcs32_fold_constants();

// The smallest run worth folding.
constexpr std::size_t kFoldMinimum = 64;

// The folding code paths, in order of preference; this CPU can run those up to best_fold_path().
enum class FoldPath { None, Sse, Avx512 };
FoldPath best_fold_path();

// Folds p[0, n), n >= kFoldMinimum, with the FCS register `state` applied to it, into `out`:
// a 16-octet message with the same FCS register (from 0) as p had from `state`. Returns the
// octets consumed (all of them).
std::size_t fold(FoldPath path, const FoldConstants& k, std::uint32_t state, const std::uint8_t* p,
                 std::size_t n, std::uint8_t out[16]);

}  // namespace openras::ppp::detail
