// The wide loops on AVX-512: see hdlc_wide.hpp.
#include <utility>

#include "ppp/fold_kernels.hpp"
#include "ppp/hdlc_kernels.hpp"

namespace openras::ppp::detail::avx512 {

#if defined(__x86_64__)
namespace {

#define OPENRAS_WIDE_FRAMING                                                                       \
  __attribute__((                                                                                  \
      target("pclmul,sse4.1,avx2,avx512f,avx512vl,avx512bw,avx512vbmi,avx512vbmi2,vpclmulqdq,bmi," \
             "bmi2,popcnt")))

constexpr std::uint8_t kFlag = 0x7E;
constexpr std::uint8_t kEscape = 0x7D;

struct SpecialOctets {
  __m512i two, escape, control_limit, mapped_controls;
  bool controls;
};

OPENRAS_WIDE_FRAMING SpecialOctets flag_and_escape();

OPENRAS_WIDE_FRAMING SpecialOctets special_octets(std::uint32_t accm) {
  if (accm == 0) return flag_and_escape();
  alignas(64) std::uint8_t mapped[64] = {};
  for (int i = 0; i < 32; ++i) mapped[i] = ((accm >> i) & 1) ? 0xFF : 0;
  SpecialOctets s = flag_and_escape();
  s.control_limit = _mm512_set1_epi8(0x20);
  s.mapped_controls = _mm512_load_si512(mapped);
  s.controls = true;
  return s;
}

OPENRAS_WIDE_FRAMING SpecialOctets flag_and_escape() {
  static_assert(kFlag == kEscape + 1);
  return SpecialOctets{_mm512_set1_epi8(2), _mm512_set1_epi8(static_cast<char>(kEscape)),
                       _mm512_setzero_si512(), _mm512_setzero_si512(), false};
}

// Bit i set when octet i needs an escape. A control octet is looked up in the map by its
// low six bits (vpermb), then kept only when it is below 0x20.
OPENRAS_WIDE_FRAMING inline std::uint64_t special_mask(__m512i v, const SpecialOctets& s) {
  // Flag and escape with one compare (mask registers are the scarce resource): v - 0x7D,
  // unsigned, is below 2 for them alone.
  std::uint64_t m = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, s.escape), s.two);
  if (s.controls) {
    // The maskz form: GCC 12's plain one trips -Wmaybe-uninitialized.
    __m512i mapped = _mm512_maskz_permutexvar_epi8(~std::uint64_t{0}, v, s.mapped_controls);
    m |= _mm512_test_epi8_mask(mapped, mapped) & _mm512_cmplt_epu8_mask(v, s.control_limit);
  }
  return m;
}

inline std::uint64_t low_bits(std::size_t n) {
  return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

// Each input octet has two output slots, an escape slot (present only when it needs
// escaping) and a data slot. Depositing the special mask into the even bits marks the present
// escape slots; extracting the data-slot pattern through the present slots gives, per output
// position, 1 for data and 0 for an escape. vpexpandb spreads the (flipped) octets over the
// data positions and the escape octet fills the rest. Half a vector of input a step, as its
// output may fill a whole one.
OPENRAS_WIDE_FRAMING inline std::uint8_t* escape_half(__m512i flipped, std::uint64_t special,
                                                      std::size_t len, __m512i escape,
                                                      std::uint8_t* out) {
  constexpr std::uint64_t kDataSlots = 0xAAAAAAAAAAAAAAAAull;
  constexpr std::uint64_t kEscapeSlots = 0x5555555555555555ull;
  const std::uint64_t slots = kDataSlots | _pdep_u64(special, kEscapeSlots);
  const std::uint64_t data_positions = _pext_u64(kDataSlots, slots);
  __m512i spread = _mm512_maskz_expand_epi8(data_positions, flipped);
  _mm512_storeu_si512(out, _mm512_mask_blend_epi8(data_positions, escape, spread));
  return out + len + static_cast<std::size_t>(_mm_popcnt_u64(special));
}

// 0, 1, ..., 191: loading 64 of them at k gives the vpermb indices that move a register's
// octets down by k (mod 64), from memory rather than by a broadcast and an add: the vector
// units, not the loads, are what these loops run short of.
struct ShiftIndices {
  alignas(64) std::uint8_t at[192];
  constexpr ShiftIndices() : at{} {
    for (int i = 0; i < 192; ++i) at[i] = static_cast<std::uint8_t>(i);
  }
};
inline constexpr ShiftIndices kShiftIndices{};

OPENRAS_WIDE_FRAMING inline __m512i moved_down(__m512i v, std::uint64_t by) {
  return _mm512_maskz_permutexvar_epi8(~std::uint64_t{0}, _mm512_loadu_si512(kShiftIndices.at + by),
                                       v);
}

// The escape octet, then the block's octets from `from` on with the first flipped, at `to`;
// past the block's end, junk. Moved within the register, not reloaded: a load issued after
// the stores to the output stalls whenever the two buffers' addresses meet modulo 4096.
OPENRAS_WIDE_FRAMING inline void escape_at(__m512i v, std::uint64_t from, std::uint8_t* to,
                                           __m512i flip_first) {
  *to = kEscape;
  _mm512_storeu_si512(to + 1, _mm512_xor_si512(moved_down(v, from), flip_first));
}

// A block of `len` octets, `special` marking those to escape, written at out; returns the end.
OPENRAS_WIDE_FRAMING inline std::uint8_t* escape_block(__m512i v, std::uint64_t special,
                                                       std::size_t len, __m512i escape,
                                                       __m512i flip, std::uint8_t* out) {
  __m512i flipped = _mm512_mask_blend_epi8(special, v, _mm512_xor_si512(v, flip));
  out = escape_half(flipped, special & 0xFFFFFFFFu, len < 32 ? len : 32, escape, out);
  if (len > 32) {
    // The maskz form: GCC 12's plain one trips -Wmaybe-uninitialized.
    __m512i upper = _mm512_maskz_shuffle_i64x2(0xFF, flipped, flipped, 0xEE);
    out = escape_half(upper, special >> 32, len - 32, escape, out);
  }
  return out;
}

// The FCS folded in two accumulators, alternate blocks each: one accumulator's chain of
// multiplications, not their throughput, would set the pace.
struct FoldPair {
  __m512i next, last;  // last: the latest block's, next: the one before it
  __m512i by8, by4;

  OPENRAS_WIDE_FRAMING void add(__m512i v, bool first_two) {
    next = first_two
               ? _mm512_xor_si512(next, v)
               : _mm512_ternarylogic_epi64(_mm512_clmulepi64_epi128(next, by8, 0x00),
                                           _mm512_clmulepi64_epi128(next, by8, 0x11), v, 0x96);
    std::swap(next, last);
  }
  OPENRAS_WIDE_FRAMING __m512i total() const {
    return _mm512_xor_si512(fold_wide(next, by4), last);
  }
  // Before the frame's first block: the FCS register goes in with it.
  OPENRAS_WIDE_FRAMING static FoldPair starting(const FoldConstants& k, std::uint32_t state) {
    return FoldPair{_mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, state), _mm512_setzero_si512(),
                    broadcast(k, 8), broadcast(k, 4)};
  }
};

// With Fold, each whole block of input is also folded into the FCS accumulators; the
// last partial block is left to fold_kernels' finish.
template <bool Fold>
OPENRAS_WIDE_FRAMING EscapeResult escape_impl(const std::uint8_t* p, std::size_t n,
                                              std::uint32_t accm, std::uint8_t* out,
                                              const std::uint8_t* out_limit, FcsInPass* fcs) {
  const SpecialOctets s = special_octets(accm);
  const __m512i flip = _mm512_set1_epi8(0x20);
  FoldPair fold{};
  if constexpr (Fold) fold = FoldPair::starting(*fcs->constants, fcs->state);
  std::size_t i = 0;
  // Whole blocks, while there is room for 130 octets of output. Nearly every block has at most
  // two octets to escape: the block is stored as it is, then again from each such octet on,
  // one slot further each time, every store overwriting the tail of the one before; when there
  // is no second octet, its stores land past the block's output, where the next block (or the
  // caller) writes. vpexpandb is kept for the rest: it costs more than a few stores.
  const __m512i flip_first = _mm512_maskz_mov_epi8(1, flip);
  for (; i + 64 <= n && out + 192 <= out_limit; i += 64) {
    const __m512i v = _mm512_loadu_si512(p + i);
    if constexpr (Fold) fold.add(v, i < 128);
    const std::uint64_t special = special_mask(v, s);
    _mm512_storeu_si512(out, v);
    if (special == 0) {
      out += 64;
      continue;
    }
    const std::size_t escapes = static_cast<std::size_t>(_mm_popcnt_u64(special));
    if (__builtin_expect(escapes > 2, 0)) {
      out = escape_block(v, special, 64, s.escape, flip, out);
      continue;
    }
    const std::uint64_t first = _tzcnt_u64(special), second = _tzcnt_u64(_blsr_u64(special));
    escape_at(v, first, out + first, flip_first);
    escape_at(v, second, out + second + 1, flip_first);
    out += 64 + escapes;
  }
  // The last blocks, with a fast path for blocks with nothing to escape. A block of 64 writes
  // at most 128 octets, counting the last store's overhang.
  for (; i < n && out + 128 <= out_limit; i += 64) {
    const std::size_t len = n - i < 64 ? n - i : 64;
    const std::uint64_t live = low_bits(len);
    __m512i v = len == 64 ? _mm512_loadu_si512(p + i) : _mm512_maskz_loadu_epi8(live, p + i);
    if constexpr (Fold) {
      if (len == 64) fold.add(v, i < 128);
    }
    const std::uint64_t special = special_mask(v, s) & live;
    if (special == 0) {
      _mm512_storeu_si512(out, v);
      out += len;
      continue;
    }
    out = escape_block(v, special, len, s.escape, flip, out);
  }
  if (i < n) return EscapeResult{i, out};
  if constexpr (Fold) {
    const FoldConstants& k = *fcs->constants;
    finish(wide_to_lane(fold.total(), k), k, p, n & ~std::size_t{63}, n, fcs->folded);
    fcs->done = true;
  }
  return EscapeResult{n, out};
}

OPENRAS_WIDE_FRAMING FoldPair load_pair(const FrameFold& f) {
  const __m512i by4 = broadcast(*f.constants, 4), by8 = broadcast(*f.constants, 8);
  return FoldPair{_mm512_load_si512(f.next), _mm512_load_si512(f.last), by8, by4};
}

OPENRAS_WIDE_FRAMING void store_pair(const FoldPair& pair, FrameFold& f) {
  _mm512_store_si512(f.next, pair.next);
  _mm512_store_si512(f.last, pair.last);
}

// The block's octets from after the escape at `at` on, the first flipped, at `to`; past the
// block's end, junk.
OPENRAS_WIDE_FRAMING inline void unescape_at(__m512i v, std::uint64_t at, std::uint8_t* to,
                                             __m512i flip_first) {
  _mm512_storeu_si512(to, _mm512_xor_si512(moved_down(v, at + 1), flip_first));
}

// Sixty-four octets a step, up to the first flag. A whole block with one or two escapes (none
// at its end, none carried in) is written by overlapping stores, as the encoder does; any
// other block has the octet after each escape flipped and the escapes dropped by vpcompressb.
// Two escapes in a row (the second one escaped) go back to the caller. With Fold, the
// frame's FCS is folded a few blocks behind what is written, in the same loop, so that the
// carry-less multiplications run beside the unescaping; that far back, the stores have left
// for the cache before the octets are read again (sooner, the load waits for them).
template <bool Fold>
OPENRAS_WIDE_FRAMING UnescapeResult unescape_impl(const std::uint8_t* p, std::size_t n,
                                                  bool& escaped, std::uint8_t* out,
                                                  const std::uint8_t* frame, FrameFold* fold) {
  constexpr std::size_t kFoldLag = 256;
  const SpecialOctets s = flag_and_escape();
  const __m512i flag = _mm512_set1_epi8(static_cast<char>(kFlag));
  const __m512i flip = _mm512_set1_epi8(0x20);
  const __m512i flip_first = _mm512_maskz_mov_epi8(1, flip);
  FoldPair pair{};
  std::size_t folded = 0;
  if constexpr (Fold) {
    pair = load_pair(*fold);
    folded = fold->folded;
  }
  // A local copy: through the reference, every store to out would reload it.
  std::uint64_t carried = escaped ? 1 : 0;
  bool at_flag = false;
  std::size_t i = 0;
  while (i < n) {
    if constexpr (Fold) {
      if (static_cast<std::size_t>(out - frame) >= folded + kFoldLag) {
        pair.add(_mm512_loadu_si512(frame + folded), folded < 128);
        folded += 64;
      }
    }
    std::size_t len = n - i < 64 ? n - i : 64;
    const __m512i v =
        len == 64 ? _mm512_loadu_si512(p + i) : _mm512_maskz_loadu_epi8(low_bits(len), p + i);
    std::uint64_t flags;
    if (len == 64 && carried == 0) {
      const std::uint64_t special = special_mask(v, s);
      if (special == 0) {
        _mm512_storeu_si512(out, v);
        out += 64;
        i += 64;
        continue;
      }
      flags = _mm512_cmpeq_epi8_mask(v, flag);
      const std::size_t count = static_cast<std::size_t>(_mm_popcnt_u64(special));
      if (flags == 0 && count <= 2 && (special >> 63) == 0 && (special & (special << 1)) == 0) {
        _mm512_storeu_si512(out, v);
        const std::uint64_t first = _tzcnt_u64(special), second = _tzcnt_u64(_blsr_u64(special));
        unescape_at(v, first, out + first, flip_first);
        unescape_at(v, second, out + second - 1, flip_first);
        out += 64 - count;
        i += 64;
        continue;
      }
    } else {
      flags = _mm512_cmpeq_epi8_mask(v, flag) & low_bits(len);
    }
    if (flags) {
      len = _tzcnt_u64(flags);
      at_flag = true;
      if (len == 0) break;
    }
    const std::uint64_t live = low_bits(len);
    const std::uint64_t escapes = _mm512_cmpeq_epi8_mask(v, s.escape) & live & ~carried;
    if ((escapes | carried) == 0) {
      _mm512_storeu_si512(out, v);
      out += len;
    } else {
      if (escapes & (escapes << 1)) {
        at_flag = false;
        break;
      }
      const std::uint64_t flipped = (escapes << 1) | carried;
      const __m512i w = _mm512_mask_blend_epi8(flipped, v, _mm512_xor_si512(v, flip));
      const std::uint64_t keep = live & ~escapes;
      _mm512_storeu_si512(out, _mm512_maskz_compress_epi8(keep, w));
      out += _mm_popcnt_u64(keep);
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
  return best_fold_path() == FoldPath::Avx512 && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
         __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("popcnt");
}

EscapeResult escape(const std::uint8_t* p, std::size_t n, std::uint32_t accm, std::uint8_t* out,
                    const std::uint8_t* out_limit, FcsInPass* fcs) {
  if (fcs) return escape_impl<true>(p, n, accm, out, out_limit, fcs);
  return escape_impl<false>(p, n, accm, out, out_limit, nullptr);
}

UnescapeResult unescape(const std::uint8_t* p, std::size_t n, bool& escaped, std::uint8_t* out,
                        const std::uint8_t* frame, FrameFold* fold) {
  if (fold) return unescape_impl<true>(p, n, escaped, out, frame, fold);
  return unescape_impl<false>(p, n, escaped, out, nullptr, nullptr);
}

OPENRAS_WIDE_FRAMING void finish_fold(FrameFold& f, const std::uint8_t* frame, std::size_t n,
                                      std::uint8_t out[16]) {
  FoldPair pair = load_pair(f);
  for (; f.folded + 64 <= n; f.folded += 64) {
    pair.add(_mm512_loadu_si512(frame + f.folded), f.folded < 128);
  }
  const FoldConstants& k = *f.constants;
  finish(wide_to_lane(pair.total(), k), k, frame, f.folded, n, out);
}

OPENRAS_WIDE_FRAMING void start_fold(FrameFold& f, const FoldConstants& k, std::uint32_t state) {
  f.constants = &k;
  f.folded = 0;
  store_pair(FoldPair::starting(k, state), f);
}

#endif

}  // namespace openras::ppp::detail::avx512
