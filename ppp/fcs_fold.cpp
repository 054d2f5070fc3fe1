#include "ppp/fcs_fold.hpp"

#include "ppp/fold_kernels.hpp"

namespace openras::ppp::detail {
namespace {

// x^n mod P, P written without its top term (normal bit order, width `width`).
constexpr std::uint64_t x_power_mod(unsigned n, std::uint64_t poly, unsigned width) {
  const std::uint64_t top = std::uint64_t{1} << width;
  std::uint64_t r = 1;
  for (unsigned i = 0; i < n; ++i) {
    r <<= 1;
    if (r & top) r ^= top | poly;
  }
  return r;
}

// A reflected register holds the coefficient of x^(63-j) in bit j. A carry-less product of
// two reflected operands comes out multiplied by x, hence the n - 1 below: the constant for
// folding forward by d bits is x^(d-1) mod P.
constexpr std::uint64_t reflected_constant(unsigned distance, std::uint64_t poly, unsigned width) {
  std::uint64_t r = x_power_mod(distance - 1, poly, width), out = 0;
  for (unsigned d = 0; d < width; ++d)
    if ((r >> d) & 1) out |= std::uint64_t{1} << (63 - d);
  return out;
}

// Folding a 128-bit lane A = H x^64 + L forward by d bits: H (the low half of the reflected
// register) is multiplied by x^(d+64), L by x^d.
constexpr FoldConstants constants_for(std::uint64_t poly, unsigned width) {
  FoldConstants k{};
  for (unsigned m = 1; m <= 16; ++m) {
    k.by[m] = {reflected_constant(128 * m + 64, poly, width),
               reflected_constant(128 * m, poly, width)};
    for (int lane = 0; lane < 4; ++lane) {
      k.wide[m][2 * lane] = k.by[m].lo;
      k.wide[m][2 * lane + 1] = k.by[m].hi;
    }
  }
  for (int lane = 0; lane < 3; ++lane) {
    k.spread[2 * lane] = k.by[3 - lane].lo;
    k.spread[2 * lane + 1] = k.by[3 - lane].hi;
  }
  return k;
}

constexpr FoldConstants kFcs16Constants = constants_for(0x1021, 16);
constexpr FoldConstants kFcs32Constants = constants_for(0x04C11DB7, 32);

#if defined(__x86_64__)

// Four 128-bit lanes, 64 octets a step; then one lane.
OPENRAS_FOLD_TARGET std::size_t fold_sse(const FoldConstants& k, std::uint32_t state,
                                         const std::uint8_t* p, std::size_t n,
                                         std::uint8_t out[16]) {
  const __m128i by64 = constant(k.by[4]);
  const __m128i by1 = constant(k.by[1]);
  __m128i a0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(state)));
  __m128i a1 = load(p + 16), a2 = load(p + 32), a3 = load(p + 48);
  std::size_t i = 64;
  for (; i + 64 <= n; i += 64) {
    a0 = _mm_xor_si128(fold_lane(a0, by64), load(p + i));
    a1 = _mm_xor_si128(fold_lane(a1, by64), load(p + i + 16));
    a2 = _mm_xor_si128(fold_lane(a2, by64), load(p + i + 32));
    a3 = _mm_xor_si128(fold_lane(a3, by64), load(p + i + 48));
  }
  __m128i a = _mm_xor_si128(fold_lane(a0, by1), a1);
  a = _mm_xor_si128(fold_lane(a, by1), a2);
  a = _mm_xor_si128(fold_lane(a, by1), a3);
  return finish(a, k, p, i, n, out);
}

// Sixteen lanes in four 512-bit registers, 256 octets a step; the four registers folded onto
// the last at once (each by its own distance), then 64 octets a step; then the four lanes of
// that register folded onto its last at once. Short dependency chains: the reduction, not the
// loop, is most of the time on a 1500-octet frame.
OPENRAS_WIDE_TARGET std::size_t fold_avx512(const FoldConstants& k, std::uint32_t state,
                                            const std::uint8_t* p, std::size_t n,
                                            std::uint8_t out[16]) {
  const __m512i by4 = broadcast(k, 4);
  __m512i a = _mm512_xor_si512(load_wide(p), _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, state));
  std::size_t i = 64;
  if (n >= 256) {
    const __m512i by16 = broadcast(k, 16);
    __m512i b = load_wide(p + 64), c = load_wide(p + 128), d = load_wide(p + 192);
    for (i = 256; i + 256 <= n; i += 256) {
      a = _mm512_xor_si512(fold_wide(a, by16), load_wide(p + i));
      b = _mm512_xor_si512(fold_wide(b, by16), load_wide(p + i + 64));
      c = _mm512_xor_si512(fold_wide(c, by16), load_wide(p + i + 128));
      d = _mm512_xor_si512(fold_wide(d, by16), load_wide(p + i + 192));
    }
    a = _mm512_ternarylogic_epi64(fold_wide(a, broadcast(k, 12)), fold_wide(b, broadcast(k, 8)),
                                  _mm512_xor_si512(fold_wide(c, by4), d), 0x96);
  }
  for (; i + 64 <= n; i += 64) a = _mm512_xor_si512(fold_wide(a, by4), load_wide(p + i));
  return finish(wide_to_lane(a, k), k, p, i, n, out);
}

FoldPath detect() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
    return FoldPath::Avx512;
  if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) return FoldPath::Sse;
  return FoldPath::None;
}

#endif

}  // namespace

const FoldConstants& fcs16_fold_constants() {
  return kFcs16Constants;
}
const FoldConstants& fcs32_fold_constants() {
  return kFcs32Constants;
}

#if defined(__x86_64__)
FoldPath best_fold_path() {
  static const FoldPath best = detect();
  return best;
}

std::size_t fold(FoldPath path, const FoldConstants& k, std::uint32_t state, const std::uint8_t* p,
                 std::size_t n, std::uint8_t out[16]) {
  return path == FoldPath::Avx512 ? fold_avx512(k, state, p, n, out)
                                  : fold_sse(k, state, p, n, out);
}
#else
FoldPath best_fold_path() {
  return FoldPath::None;
}
std::size_t fold(FoldPath, const FoldConstants&, std::uint32_t, const std::uint8_t*, std::size_t,
                 std::uint8_t*) {
  return 0;
}
#endif

}  // namespace openras::ppp::detail
