// The wide loops on AVX2 with VPCLMULQDQ (see hdlc_wide.hpp): 32 octets a step. AVX2 has no
// byte expand or compress, so a block with octets to escape (or escapes to drop) goes eight
// octets at a time through a byte shuffle looked up by that quarter's mask; most blocks have
// none and are stored whole.
#include <cstring>
#include <utility>

#include "ppp/fold_kernels.hpp"
#include "ppp/hdlc_kernels.hpp"

namespace openras::ppp::detail::avx2 {

#if defined(__x86_64__)
namespace {

#define OPENRAS_AVX2_FRAMING __attribute__((target("pclmul,sse4.1,avx2,vpclmulqdq,popcnt")))

constexpr std::uint8_t kFlag = 0x7E;
constexpr std::uint8_t kEscape = 0x7D;
constexpr std::uint8_t kZeroing = 0x80;  // a pshufb index that writes 0

// kExpand[m]: the pshufb indices that write a quarter's eight octets with an escape before
// each one set in m, taking the escape from octet 8 of the source (its upper half is all
// escapes); 8 + popcount(m) of them count.
struct ExpandTable {
  alignas(16) std::uint8_t at[256][16];
  constexpr ExpandTable() : at{} {
    for (int m = 0; m < 256; ++m) {
      int out = 0;
      for (int j = 0; j < 8; ++j) {
        if ((m >> j) & 1) at[m][out++] = 8;
        at[m][out++] = static_cast<std::uint8_t>(j);
      }
      while (out < 16) at[m][out++] = kZeroing;
    }
  }
};
inline constexpr ExpandTable kExpand{};

// kCompress[m]: the pshufb indices that gather the octets of a quarter set in m to its front.
struct CompressTable {
  alignas(8) std::uint8_t at[256][8];
  constexpr CompressTable() : at{} {
    for (int m = 0; m < 256; ++m) {
      int out = 0;
      for (int j = 0; j < 8; ++j) {
        if ((m >> j) & 1) at[m][out++] = static_cast<std::uint8_t>(j);
      }
      while (out < 8) at[m][out++] = kZeroing;
    }
  }
};
inline constexpr CompressTable kCompress{};

OPENRAS_AVX2_FRAMING inline __m256i splat(std::uint8_t c) {
  return _mm256_set1_epi8(static_cast<char>(c));
}

// The receive map's halves, for the Controls loops (a map of 0 takes the others).
struct SpecialOctets {
  __m256i control_max, map_low, map_high;
};

OPENRAS_AVX2_FRAMING SpecialOctets special_octets(std::uint32_t accm) {
  SpecialOctets s{splat(0x1F), _mm256_setzero_si256(), _mm256_setzero_si256()};
  if (accm != 0) {
    alignas(32) std::uint8_t low[32], high[32];
    for (int i = 0; i < 32; ++i) {
      low[i] = ((accm >> (i % 16)) & 1) ? 0xFF : 0;
      high[i] = ((accm >> (16 + i % 16)) & 1) ? 0xFF : 0;
    }
    s.map_low = _mm256_load_si256(reinterpret_cast<const __m256i*>(low));
    s.map_high = _mm256_load_si256(reinterpret_cast<const __m256i*>(high));
  }
  return s;
}

// 0xFF in each flag and escape, in two operations rather than three: v + 3 is 0x80 or 0x81,
// the two smallest signed octets, for those two alone.
OPENRAS_AVX2_FRAMING inline __m256i flags_and_escapes(__m256i v) {
  static_assert(kFlag == kEscape + 1 && kEscape + 3 == 0x80);
  return _mm256_cmpgt_epi8(splat(0x82), _mm256_add_epi8(v, splat(3)));
}

// 0xFF in each octet that needs an escape. A control octet is looked up by its low four bits
// in the half of the map its fifth bit picks, then kept only when it is at most 0x1F.
template <bool Controls>
OPENRAS_AVX2_FRAMING inline __m256i special_octets_of(__m256i v, const SpecialOctets& s) {
  __m256i m = flags_and_escapes(v);
  if constexpr (Controls) {
    const __m256i control = _mm256_cmpeq_epi8(_mm256_min_epu8(v, s.control_max), v);
    // Shifted left by 3, each octet's fifth bit is its top bit, which blendv reads.
    const __m256i mapped =
        _mm256_blendv_epi8(_mm256_shuffle_epi8(s.map_low, v), _mm256_shuffle_epi8(s.map_high, v),
                           _mm256_slli_epi16(v, 3));
    m = _mm256_or_si256(m, _mm256_and_si256(mapped, control));
  }
  return m;
}

OPENRAS_AVX2_FRAMING inline std::uint32_t bits_of(__m256i m) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(m));
}

inline std::uint32_t low_bits(std::size_t n) {
  return n >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << n) - 1;
}

// 0xFF in octet j where bit j is set.
OPENRAS_AVX2_FRAMING inline __m256i octets_of(std::uint32_t bits) {
  const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2,
                                          2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
  const __m256i bit = _mm256_set1_epi64x(0x8040201008040201ll);
  const __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)), spread);
  return _mm256_cmpeq_epi8(_mm256_and_si256(v, bit), bit);
}

OPENRAS_AVX2_FRAMING inline __m256i load(const std::uint8_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// kDownShift.own[s] and .upper[s]: the pshufb indices that move a block's octets down by s,
// zero-filling, taken from the block itself and from its upper half moved to the lower.
struct DownShiftTable {
  alignas(32) std::uint8_t own[32][32];
  alignas(32) std::uint8_t upper[32][32];
  constexpr DownShiftTable() : own{}, upper{} {
    for (int s = 0; s < 32; ++s) {
      for (int k = 0; k < 16; ++k) {
        const int same_lane = k + s, from_upper = k + s - 16;
        own[s][k] = own[s][16 + k] =
            same_lane < 16 ? static_cast<std::uint8_t>(same_lane) : kZeroing;
        upper[s][k] =
            from_upper >= 0 && from_upper < 16 ? static_cast<std::uint8_t>(from_upper) : kZeroing;
        upper[s][16 + k] = kZeroing;
      }
    }
  }
};
inline constexpr DownShiftTable kDownShift{};

// p[0, n), n < 32, then zeroes, without reading past p + n; `before` octets before p are
// readable too. Where they make up a block, it is the block ending at p + n moved down in
// registers: a copy to the stack would stall the load on the copy's stores.
OPENRAS_AVX2_FRAMING inline __m256i load_last(const std::uint8_t* p, std::size_t n,
                                              std::size_t before) {
  if (before + n >= 32) {
    const std::size_t s = 32 - n;
    const __m256i v = load(p + n - 32);
    const __m256i upper = _mm256_permute2x128_si256(v, v, 0x81);
    return _mm256_or_si256(
        _mm256_shuffle_epi8(v,
                            _mm256_load_si256(reinterpret_cast<const __m256i*>(kDownShift.own[s]))),
        _mm256_shuffle_epi8(
            upper, _mm256_load_si256(reinterpret_cast<const __m256i*>(kDownShift.upper[s]))));
  }
  alignas(32) std::uint8_t block[32] = {};
  std::memcpy(block, p, n);
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(block));
}

OPENRAS_AVX2_FRAMING inline void store(std::uint8_t* out, __m256i v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v);
}

// Loaded at 32 - j: 0xFF in the octets from j on (from_here), in octet j alone (here_only).
struct PositionMasks {
  alignas(64) std::uint8_t from_here[64];
  alignas(64) std::uint8_t here_only[64];
  constexpr PositionMasks() : from_here{}, here_only{} {
    for (int i = 32; i < 64; ++i) from_here[i] = 0xFF;
    here_only[32] = 0xFF;
  }
};
inline constexpr PositionMasks kPositions{};

OPENRAS_AVX2_FRAMING inline __m256i from_octet(std::size_t j) {
  return load(kPositions.from_here + 32 - j);
}
OPENRAS_AVX2_FRAMING inline __m256i at_octet(std::size_t j) {
  return load(kPositions.here_only + 32 - j);
}

// Octet k + 1 at k (zero at the top), and octet k - 1 at k (zero at the bottom).
OPENRAS_AVX2_FRAMING inline __m256i moved_down_one(__m256i v) {
  return _mm256_alignr_epi8(_mm256_permute2x128_si256(v, v, 0x81), v, 1);
}
OPENRAS_AVX2_FRAMING inline __m256i moved_up_one(__m256i v) {
  return _mm256_alignr_epi8(v, _mm256_permute2x128_si256(v, v, 0x08), 15);
}

// One quarter (the low half of `source`; its upper half all escapes) with an escape before
// each octet set in m, at out; returns the end.
OPENRAS_AVX2_FRAMING inline std::uint8_t* expand_quarter(__m128i source, std::uint32_t m,
                                                         std::uint8_t* out) {
  const __m128i indices = _mm_load_si128(reinterpret_cast<const __m128i*>(kExpand.at[m]));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(source, indices));
  return out + 8 + _mm_popcnt_u32(m);
}

// A block's first `len` octets, those marked in `special` (octets and bits) escaped, at out;
// returns the end. Writes at most 64 octets.
OPENRAS_AVX2_FRAMING inline std::uint8_t* escape_block(__m256i v, __m256i special_octets,
                                                       std::uint32_t special, std::size_t len,
                                                       std::uint8_t* out) {
  const __m256i flipped = _mm256_xor_si256(v, _mm256_and_si256(special_octets, splat(0x20)));
  const __m128i escapes = _mm_set1_epi8(static_cast<char>(kEscape));
  const __m128i low = _mm256_castsi256_si128(flipped), high = _mm256_extracti128_si256(flipped, 1);
  const std::size_t end = len + static_cast<std::size_t>(_mm_popcnt_u32(special));
  std::uint8_t* at = expand_quarter(_mm_unpacklo_epi64(low, escapes), special & 0xFF, out);
  at = expand_quarter(_mm_unpackhi_epi64(low, escapes), (special >> 8) & 0xFF, at);
  at = expand_quarter(_mm_unpacklo_epi64(high, escapes), (special >> 16) & 0xFF, at);
  expand_quarter(_mm_unpackhi_epi64(high, escapes), special >> 24, at);
  return out + end;
}

// The low half of `source`'s octets set in m, to the front, at out; returns the end.
OPENRAS_AVX2_FRAMING inline std::uint8_t* compress_quarter(__m128i source, std::uint32_t m,
                                                           std::uint8_t* out) {
  const __m128i indices = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(kCompress.at[m]));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_shuffle_epi8(source, indices));
  return out + _mm_popcnt_u32(m);
}

OPENRAS_AVX2_FRAMING inline std::uint8_t* compress_block(__m256i v, std::uint32_t keep,
                                                         std::uint8_t* out) {
  const __m128i low = _mm256_castsi256_si128(v), high = _mm256_extracti128_si256(v, 1);
  out = compress_quarter(low, keep & 0xFF, out);
  out = compress_quarter(_mm_unpackhi_epi64(low, low), (keep >> 8) & 0xFF, out);
  out = compress_quarter(high, (keep >> 16) & 0xFF, out);
  return compress_quarter(_mm_unpackhi_epi64(high, high), keep >> 24, out);
}

// The FCS folded in two accumulators, alternate blocks each, as on AVX-512 (hdlc_avx512.cpp).
struct FoldPair {
  __m256i next, last;  // last: the latest block's, next: the one before it
  __m256i by4, by2;

  OPENRAS_AVX2_FRAMING void add(__m256i v, bool first_two) {
    next = _mm256_xor_si256(first_two ? next : fold_pair(next, by4), v);
    std::swap(next, last);
  }
  OPENRAS_AVX2_FRAMING __m256i total() const {
    return _mm256_xor_si256(fold_pair(next, by2), last);
  }
  OPENRAS_AVX2_FRAMING static FoldPair starting(const FoldConstants& k, std::uint32_t state) {
    return FoldPair{_mm256_set_epi64x(0, 0, 0, state), _mm256_setzero_si256(), broadcast_pair(k, 4),
                    broadcast_pair(k, 2)};
  }
};

// One whole block at out; returns the end.
template <bool Controls>
OPENRAS_AVX2_FRAMING inline std::uint8_t* escape_step(__m256i v, const SpecialOctets& s,
                                                      std::uint8_t* out) {
  const __m256i special = special_octets_of<Controls>(v, s);
  const std::uint32_t bits = bits_of(special);
  if (bits == 0) {
    store(out, v);
    return out + 32;
  }
  if ((bits & (bits - 1)) == 0) {
    // One octet to escape, at j, the usual case: the block flipped there, moved up one octet
    // from j + 1 on, the escape at j; the block's last octet lands at 32 by a store one
    // octet up, which the second store then overwrites but for that octet.
    const std::size_t j = static_cast<std::size_t>(__builtin_ctz(bits));
    const __m256i w = _mm256_xor_si256(v, _mm256_and_si256(special, splat(0x20)));
    const __m256i moved = _mm256_blendv_epi8(w, moved_up_one(w), from_octet(j + 1));
    store(out + 1, w);
    store(out, _mm256_blendv_epi8(moved, splat(kEscape), at_octet(j)));
    return out + 33;
  }
  return escape_block(v, special, bits, 32, out);
}

// With Fold, the FCS is folded two blocks ahead of the escaping, so that the loop has no
// first blocks to tell apart; the blocks it leaves are folded after it.
template <bool Fold, bool Controls>
OPENRAS_AVX2_FRAMING EscapeResult escape_impl(const std::uint8_t* p, std::size_t n,
                                              std::uint32_t accm, std::uint8_t* out,
                                              const std::uint8_t* out_limit, FcsInPass* fcs) {
  const SpecialOctets s = special_octets(accm);
  FoldPair fold{};
  std::size_t i = 0, folded = 0;
  if constexpr (Fold) {
    fold = FoldPair::starting(*fcs->constants, fcs->state);
    fold.add(load(p), true);
    fold.add(load(p + 32), true);
    for (folded = 64; folded + 32 <= n && out + 64 <= out_limit; i += 32, folded += 32) {
      fold.add(load(p + folded), false);
      out = escape_step<Controls>(load(p + i), s, out);
    }
  }
  for (; i + 32 <= n && out + 64 <= out_limit; i += 32) {
    out = escape_step<Controls>(load(p + i), s, out);
  }
  if (i < n && n - i < 32 && out + 64 <= out_limit) {
    const std::size_t len = n - i;
    const __m256i v = load_last(p + i, len, i);
    const __m256i special = special_octets_of<Controls>(v, s);
    out = escape_block(v, special, bits_of(special) & low_bits(len), len, out);
    i = n;
  }
  if (i < n) return EscapeResult{i, out};
  if constexpr (Fold) {
    const std::size_t whole = n & ~std::size_t{31};
    for (; folded < whole; folded += 32) fold.add(load(p + folded), false);
    const FoldConstants& k = *fcs->constants;
    finish(pair_to_lane(fold.total(), k), k, p, whole, n, fcs->folded);
    fcs->done = true;
  }
  return EscapeResult{n, out};
}

OPENRAS_AVX2_FRAMING FoldPair load_pair(const FrameFold& f) {
  return FoldPair{_mm256_load_si256(reinterpret_cast<const __m256i*>(f.next)),
                  _mm256_load_si256(reinterpret_cast<const __m256i*>(f.last)),
                  broadcast_pair(*f.constants, 4), broadcast_pair(*f.constants, 2)};
}

OPENRAS_AVX2_FRAMING void store_pair(const FoldPair& pair, FrameFold& f) {
  _mm256_store_si256(reinterpret_cast<__m256i*>(f.next), pair.next);
  _mm256_store_si256(reinterpret_cast<__m256i*>(f.last), pair.last);
}

// Folds the block kFoldLag octets behind what is written, where there is one: that far back,
// the stores have left for the cache before the octets are read again.
constexpr std::size_t kFoldLag = 256;
OPENRAS_AVX2_FRAMING inline void fold_behind(FoldPair& pair, std::size_t& folded,
                                             const std::uint8_t* frame, const std::uint8_t* out) {
  if (static_cast<std::size_t>(out - frame) >= folded + kFoldLag) {
    pair.add(load(frame + folded), folded < 64);
    folded += 32;
  }
}

// Thirty-two octets a step, up to the first flag: a block with nothing to unescape is stored
// whole; any other has the octet after each escape flipped and the escapes dropped, a quarter
// at a time. Two escapes in a row (the second one escaped) go back to the caller. With Fold,
// the FCS is folded a few blocks behind what is written, as on AVX-512.
template <bool Fold>
OPENRAS_AVX2_FRAMING UnescapeResult unescape_impl(const std::uint8_t* p, std::size_t n,
                                                  bool& escaped, std::uint8_t* out,
                                                  const std::uint8_t* frame, FrameFold* fold) {
  const __m256i flag = splat(kFlag), escape = splat(kEscape), flip = splat(0x20);
  FoldPair pair{};
  std::size_t folded = 0;
  if constexpr (Fold) {
    pair = load_pair(*fold);
    folded = fold->folded;
  }
  std::uint32_t carried = escaped ? 1 : 0;
  bool at_flag = false;
  std::size_t i = 0;
  for (;;) {
    // Whole blocks with nothing to unescape, nearly all of them, stay in this loop.
    if (carried == 0) {
      for (; i + 32 <= n; i += 32) {
        if constexpr (Fold) fold_behind(pair, folded, frame, out);
        const __m256i v = load(p + i);
        const std::uint32_t special = bits_of(flags_and_escapes(v));
        if (special == 0) {
          store(out, v);
          out += 32;
          continue;
        }
        // One escape, at j, not the block's last octet, the usual case: the block with octet
        // j + 1 flipped, moved down one octet from j on.
        const std::size_t j = static_cast<std::size_t>(__builtin_ctz(special));
        if ((special & (special - 1)) != 0 || j == 31 || p[i + j] != kEscape) break;
        const __m256i w = _mm256_xor_si256(v, _mm256_and_si256(at_octet(j + 1), flip));
        store(out, _mm256_blendv_epi8(w, moved_down_one(w), from_octet(j)));
        out += 31;
      }
    }
    if (i == n) break;
    if constexpr (Fold) fold_behind(pair, folded, frame, out);
    std::size_t len = n - i < 32 ? n - i : 32;
    // The zeroes load_last pads with are neither flags nor escapes.
    const __m256i v = len == 32 ? load(p + i) : load_last(p + i, len, i);
    const std::uint32_t flags = bits_of(_mm256_cmpeq_epi8(v, flag));
    if (flags) {
      len = static_cast<std::size_t>(__builtin_ctz(flags));
      at_flag = true;
      if (len == 0) break;
    }
    const std::uint32_t live = low_bits(len);
    const std::uint32_t escapes = bits_of(_mm256_cmpeq_epi8(v, escape)) & live & ~carried;
    if (escapes & (escapes << 1)) {
      at_flag = false;
      break;
    }
    if ((escapes | carried) == 0) {
      store(out, v);
      out += len;
    } else {
      const __m256i w =
          _mm256_xor_si256(v, _mm256_and_si256(octets_of((escapes << 1) | carried), flip));
      out = compress_block(w, live & ~escapes, out);
      carried = (escapes >> (len - 1)) & 1;
    }
    i += len;
    if (at_flag) break;
  }
  escaped = carried != 0;
  if constexpr (Fold) {
    store_pair(pair, *fold);
    fold->folded = folded;
  }
  return UnescapeResult{i, out, at_flag};
}

}  // namespace

bool runs_here() {
  __builtin_cpu_init();
  return best_fold_path() != FoldPath::None && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("vpclmulqdq") && __builtin_cpu_supports("popcnt");
}

EscapeResult escape(const std::uint8_t* p, std::size_t n, std::uint32_t accm, std::uint8_t* out,
                    const std::uint8_t* out_limit, FcsInPass* fcs) {
  if (accm != 0) {
    if (fcs) return escape_impl<true, true>(p, n, accm, out, out_limit, fcs);
    return escape_impl<false, true>(p, n, accm, out, out_limit, nullptr);
  }
  if (fcs) return escape_impl<true, false>(p, n, accm, out, out_limit, fcs);
  return escape_impl<false, false>(p, n, accm, out, out_limit, nullptr);
}

UnescapeResult unescape(const std::uint8_t* p, std::size_t n, bool& escaped, std::uint8_t* out,
                        const std::uint8_t* frame, FrameFold* fold) {
  if (fold) return unescape_impl<true>(p, n, escaped, out, frame, fold);
  return unescape_impl<false>(p, n, escaped, out, nullptr, nullptr);
}

OPENRAS_AVX2_FRAMING void start_fold(FrameFold& f, const FoldConstants& k, std::uint32_t state) {
  f.constants = &k;
  f.folded = 0;
  store_pair(FoldPair::starting(k, state), f);
}

OPENRAS_AVX2_FRAMING void finish_fold(FrameFold& f, const std::uint8_t* frame, std::size_t n,
                                      std::uint8_t folded[16]) {
  FoldPair pair = load_pair(f);
  std::size_t at = f.folded;
  for (; at < 64 && at + 32 <= n; at += 32) pair.add(load(frame + at), true);
  for (; at + 32 <= n; at += 32) pair.add(load(frame + at), false);
  f.folded = at;
  const FoldConstants& k = *f.constants;
  finish(pair_to_lane(pair.total(), k), k, frame, at, n, folded);
}

#endif

}  // namespace openras::ppp::detail::avx2
