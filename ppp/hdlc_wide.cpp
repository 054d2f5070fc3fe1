#include "ppp/hdlc_wide.hpp"

#include "ppp/fold_kernels.hpp"

namespace openras::ppp::detail {

#if defined(__x86_64__)
namespace {

#define OPENRAS_WIDE_FRAMING                                                                       \
  __attribute__((                                                                                  \
      target("pclmul,sse4.1,avx2,avx512f,avx512vl,avx512bw,avx512vbmi,avx512vbmi2,vpclmulqdq,bmi," \
             "bmi2,popcnt")))

constexpr std::uint8_t kFlag = 0x7E;
constexpr std::uint8_t kEscape = 0x7D;

struct SpecialOctets {
  __m512i flag, escape, control_limit, mapped_controls;
  bool controls;
};

OPENRAS_WIDE_FRAMING SpecialOctets flag_and_escape();

OPENRAS_WIDE_FRAMING SpecialOctets special_octets(std::uint32_t accm) {
  if (accm == 0) return flag_and_escape();
  alignas(64) std::uint8_t mapped[64] = {};
  for (int i = 0; i < 32; ++i) mapped[i] = ((accm >> i) & 1) ? 0xFF : 0;
  return SpecialOctets{_mm512_set1_epi8(static_cast<char>(kFlag)),
                       _mm512_set1_epi8(static_cast<char>(kEscape)), _mm512_set1_epi8(0x20),
                       _mm512_load_si512(mapped), accm != 0};
}

OPENRAS_WIDE_FRAMING SpecialOctets flag_and_escape() {
  return SpecialOctets{_mm512_set1_epi8(static_cast<char>(kFlag)),
                       _mm512_set1_epi8(static_cast<char>(kEscape)), _mm512_setzero_si512(),
                       _mm512_setzero_si512(), false};
}

// Bit i set when octet i needs an escape. A control octet is looked up in the map by its
// low six bits (vpermb), then kept only when it is below 0x20.
OPENRAS_WIDE_FRAMING inline std::uint64_t special_mask(__m512i v, const SpecialOctets& s) {
  std::uint64_t m = _mm512_cmpeq_epi8_mask(v, s.flag) | _mm512_cmpeq_epi8_mask(v, s.escape);
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

// With Fold, each whole block of input is also folded into one 512-bit FCS accumulator; the
// last partial block is left to fold_kernels' finish.
template <bool Fold>
OPENRAS_WIDE_FRAMING EscapeResult escape_impl(const std::uint8_t* p, std::size_t n,
                                              std::uint32_t accm, std::uint8_t* out,
                                              const std::uint8_t* out_limit, FcsInPass* fcs) {
  const SpecialOctets s = special_octets(accm);
  const __m512i flip = _mm512_set1_epi8(0x20);
  __m512i by4{}, accumulator{};
  if constexpr (Fold) {
    by4 = broadcast(*fcs->constants, 4);
    accumulator = _mm512_set_epi64(0, 0, 0, 0, 0, 0, 0, fcs->state);
  }
  std::size_t i = 0;
  // A block of 64 writes at most 128 octets, counting the last store's overhang.
  for (; i < n && out + 128 <= out_limit; i += 64) {
    const std::size_t len = n - i < 64 ? n - i : 64;
    const std::uint64_t live = low_bits(len);
    __m512i v = len == 64 ? _mm512_loadu_si512(p + i) : _mm512_maskz_loadu_epi8(live, p + i);
    if constexpr (Fold) {
      if (len == 64) {
        accumulator = i == 0 ? _mm512_xor_si512(accumulator, v)
                             : _mm512_xor_si512(fold_wide(accumulator, by4), v);
      }
    }
    const std::uint64_t special = special_mask(v, s) & live;
    if (special == 0) {
      _mm512_storeu_si512(out, v);
      out += len;
      continue;
    }
    __m512i flipped = _mm512_mask_blend_epi8(special, v, _mm512_xor_si512(v, flip));
    out = escape_half(flipped, special & 0xFFFFFFFFu, len < 32 ? len : 32, s.escape, out);
    if (len > 32) {
      // The maskz form: GCC 12's plain one trips -Wmaybe-uninitialized.
      __m512i upper = _mm512_maskz_shuffle_i64x2(0xFF, flipped, flipped, 0xEE);
      out = escape_half(upper, special >> 32, len - 32, s.escape, out);
    }
  }
  if (i < n) return EscapeResult{i, out};
  if constexpr (Fold) {
    const FoldConstants& k = *fcs->constants;
    finish(wide_to_lane(accumulator, k), k, p, n & ~std::size_t{63}, n, fcs->folded);
    fcs->done = true;
  }
  return EscapeResult{n, out};
}

// Sixty-four octets a step: the octet after each escape is flipped, the escapes are dropped
// by vpcompressb. Two escapes in a row (the second one escaped) go back to the caller.
OPENRAS_WIDE_FRAMING UnescapeResult unescape_impl(const std::uint8_t* p, std::size_t n,
                                                  bool& escaped, std::uint8_t* out) {
  const __m512i escape = _mm512_set1_epi8(static_cast<char>(kEscape));
  const __m512i flip = _mm512_set1_epi8(0x20);
  // A local copy: through the reference, every store to out would reload it.
  std::uint64_t carried = escaped ? 1 : 0;
  std::size_t i = 0;
  while (i < n) {
    const std::size_t len = n - i < 64 ? n - i : 64;
    const std::uint64_t live = low_bits(len);
    __m512i v = len == 64 ? _mm512_loadu_si512(p + i) : _mm512_maskz_loadu_epi8(live, p + i);
    const std::uint64_t escapes = _mm512_cmpeq_epi8_mask(v, escape) & live & ~carried;
    if ((escapes | carried) == 0) {
      _mm512_storeu_si512(out, v);
      out += len;
      i += len;
      continue;
    }
    if (escapes & (escapes << 1)) break;
    const std::uint64_t flipped = (escapes << 1) | carried;
    v = _mm512_mask_blend_epi8(flipped, v, _mm512_xor_si512(v, flip));
    const std::uint64_t keep = live & ~escapes;
    _mm512_storeu_si512(out, _mm512_maskz_compress_epi8(keep, v));
    out += _mm_popcnt_u64(keep);
    carried = (escapes >> (len - 1)) & 1;
    i += len;
  }
  escaped = carried != 0;
  return UnescapeResult{i, out};
}

bool detect() {
  __builtin_cpu_init();
  return best_fold_path() == FoldPath::Avx512 && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
         __builtin_cpu_supports("avx512vbmi2") && __builtin_cpu_supports("bmi2") &&
         __builtin_cpu_supports("popcnt");
}

}  // namespace

bool wide_framing_available() {
  static const bool available = detect();
  return available;
}

EscapeResult escape_wide(const std::uint8_t* p, std::size_t n, std::uint32_t accm,
                         std::uint8_t* out, const std::uint8_t* out_limit, FcsInPass* fcs) {
  if (fcs && n >= kFoldMinimum) return escape_impl<true>(p, n, accm, out, out_limit, fcs);
  return escape_impl<false>(p, n, accm, out, out_limit, nullptr);
}

UnescapeResult unescape_wide(const std::uint8_t* p, std::size_t n, bool& escaped,
                             std::uint8_t* out) {
  return unescape_impl(p, n, escaped, out);
}

#else

bool wide_framing_available() {
  return false;
}
EscapeResult escape_wide(const std::uint8_t*, std::size_t, std::uint32_t, std::uint8_t* out,
                         const std::uint8_t*, FcsInPass*) {
  return EscapeResult{0, out};
}
UnescapeResult unescape_wide(const std::uint8_t*, std::size_t, bool&, std::uint8_t* out) {
  return UnescapeResult{0, out};
}

#endif

}  // namespace openras::ppp::detail
