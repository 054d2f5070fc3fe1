// The carry-less multiplication kernels shared by the FCS fold (fcs_fold.cpp) and the HDLC
// encoder, which folds the FCS in the same pass as it escapes (hdlc_wide.cpp). x86-64 only;
// every function is compiled for the instructions it names and inlined into callers that
// have them.
#pragma once

#if defined(__x86_64__)
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "ppp/fcs_fold.hpp"

namespace openras::ppp::detail {

#define OPENRAS_FOLD_TARGET __attribute__((target("pclmul,sse4.1")))
// Inlined into the AVX-512 path too, so that it is VEX-encoded there: legacy SSE code after
// 512-bit code pays the SSE/AVX transition on every call.
#define OPENRAS_FOLD_INLINE OPENRAS_FOLD_TARGET inline __attribute__((always_inline))

OPENRAS_FOLD_INLINE __m128i fold_lane(__m128i a, __m128i k) {
  return _mm_xor_si128(_mm_clmulepi64_si128(a, k, 0x00), _mm_clmulepi64_si128(a, k, 0x11));
}

OPENRAS_FOLD_INLINE __m128i constant(FoldConstants::Pair k) {
  return _mm_set_epi64x(static_cast<long long>(k.hi), static_cast<long long>(k.lo));
}

OPENRAS_FOLD_INLINE __m128i load(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

// Byte-shuffle windows: loading 16 octets at an offset s gives a pshufb mask that moves a
// register's octets up by 16 - s (kUp) or down by s (kDown), zero-filling.
alignas(16) inline constexpr std::uint8_t kUp[32] = {
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15};
alignas(16) inline constexpr std::uint8_t kDown[32] = {
    0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,   11,   12,   13,   14,   15,
    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};

// The lane holds p[0, i) folded; folds in the rest, 16 octets a step, then the last t < 16
// octets at once: with A = A_head x^(128 - 8t) + A_tail, A x^(8t) + T is A_head x^128 plus
// the sixteen octets A_tail T, and the last sixteen octets of p supply T.
OPENRAS_FOLD_INLINE std::size_t finish(__m128i lane, const FoldConstants& k, const std::uint8_t* p,
                                       std::size_t i, std::size_t n, std::uint8_t out[16]) {
  const __m128i by1 = constant(k.by[1]);
  for (; i + 16 <= n; i += 16) lane = _mm_xor_si128(fold_lane(lane, by1), load(p + i));
  if (const std::size_t t = n - i) {
    const __m128i up = load(kUp + t);
    const __m128i head = _mm_shuffle_epi8(lane, up);
    const __m128i tail =
        _mm_blendv_epi8(load(p + n - 16), _mm_shuffle_epi8(lane, load(kDown + t)), up);
    lane = _mm_xor_si128(fold_lane(head, by1), tail);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), lane);
  return n;
}

#define OPENRAS_WIDE_TARGET \
  __attribute__((target("pclmul,sse4.1,avx2,avx512f,avx512bw,avx512vl,vpclmulqdq")))
#define OPENRAS_WIDE_INLINE OPENRAS_WIDE_TARGET inline __attribute__((always_inline))

OPENRAS_WIDE_INLINE __m512i fold_wide(__m512i a, __m512i k) {
  return _mm512_xor_si512(_mm512_clmulepi64_epi128(a, k, 0x00),
                          _mm512_clmulepi64_epi128(a, k, 0x11));
}

OPENRAS_WIDE_INLINE __m512i load_wide(const std::uint8_t* p) {
  return _mm512_loadu_si512(p);
}

OPENRAS_WIDE_INLINE __m512i broadcast(const FoldConstants& k, int m) {
  return _mm512_load_si512(k.wide[m]);
}

// The four lanes of a 512-bit register folded onto its last at once: lanes 0..2 forward by 3, 2
// and 1 lanes; lane 3 stays (its constant is 0, it is added back).
OPENRAS_WIDE_INLINE __m128i wide_to_lane(__m512i a, const FoldConstants& k) {
  const __m512i spread = _mm512_load_si512(k.spread);
  __m512i moved = _mm512_xor_si512(fold_wide(a, spread), _mm512_maskz_mov_epi64(0xC0, a));
  // Sum the four lanes (the maskz shuffles: GCC 12's plain ones trip -Wmaybe-uninitialized).
  moved = _mm512_xor_si512(moved, _mm512_maskz_shuffle_i64x2(0xFF, moved, moved, 0x4E));
  moved = _mm512_xor_si512(moved, _mm512_maskz_shuffle_i64x2(0xFF, moved, moved, 0xB1));
  return _mm512_maskz_extracti32x4_epi32(0xF, moved, 0);
}

#define OPENRAS_AVX2_FOLD_TARGET __attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq")))
#define OPENRAS_AVX2_FOLD_INLINE OPENRAS_AVX2_FOLD_TARGET inline __attribute__((always_inline))

// The 256-bit forms: two lanes a register.
OPENRAS_AVX2_FOLD_INLINE __m256i fold_pair(__m256i a, __m256i k) {
  return _mm256_xor_si256(_mm256_clmulepi64_epi128(a, k, 0x00),
                          _mm256_clmulepi64_epi128(a, k, 0x11));
}

OPENRAS_AVX2_FOLD_INLINE __m256i broadcast_pair(const FoldConstants& k, int m) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(k.wide[m]));
}

// Lane 0 folded forward onto lane 1.
OPENRAS_AVX2_FOLD_INLINE __m128i pair_to_lane(__m256i a, const FoldConstants& k) {
  return _mm_xor_si128(fold_lane(_mm256_castsi256_si128(a), constant(k.by[1])),
                       _mm256_extracti128_si256(a, 1));
}

}  // namespace openras::ppp::detail

#endif
