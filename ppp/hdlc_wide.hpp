// The HDLC escaping and unescaping inner loops a vector block at a time, with the FCS folded in
// the same pass: on AVX-512 (hdlc_avx512.cpp: 64 octets a step, VBMI2 expand/compress) or on
// AVX2 with VPCLMULQDQ (hdlc_avx2.cpp: 32 octets a step, table-driven byte shuffles), the best
// the CPU has, chosen at run time. The encoder and decoder in hdlc.cpp keep the portable loops
// for every other CPU and for the rare inputs these loops hand back.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ppp/fcs_fold.hpp"

namespace openras::ppp::detail {

// The sets of wide loops, in order of preference.
enum class WideLoops { None, Avx2, Avx512 };
// The best this CPU runs; every set below it runs too.
WideLoops best_wide_loops();
inline bool wide_framing_available() {
  return best_wide_loops() != WideLoops::None;
}
// `wanted`, or the best this CPU runs where it cannot run `wanted`.
inline WideLoops wide_loops_up_to(WideLoops wanted) {
  return wanted < best_wide_loops() ? wanted : best_wide_loops();
}

// Room past the last octet written that the wide loops may scribble on (whole-vector stores).
constexpr std::size_t kWideSlack = 128;

struct EscapeResult {
  std::size_t consumed;  // input octets handled; less than n when the room ran short
  std::uint8_t* end;     // the end of what it wrote
};

// The FCS folded in the same pass (see fcs_fold.hpp): `constants` and `state` in; `folded`
// out, valid when `done` (the pass reached the end of the frame).
struct FcsInPass {
  const FoldConstants* constants;
  std::uint32_t state;
  std::uint8_t folded[16];
  bool done;
};

// Writes p[0, n) escaped (flag, escape, and the control octets set in `accm`) at out, while
// out_limit leaves room; 2 * n + 128 octets are always room enough. With `fcs` (and
// n >= kFoldMinimum), folds the FCS of p[0, n) on the way.
EscapeResult escape_wide(WideLoops loops, const std::uint8_t* p, std::size_t n, std::uint32_t accm,
                         std::uint8_t* out, const std::uint8_t* out_limit,
                         FcsInPass* fcs = nullptr);

struct UnescapeResult {
  std::size_t consumed;  // input octets handled: up to a flag, the end, or an escaped escape
  std::uint8_t* end;     // the end of what it wrote
  bool at_flag;          // p[consumed] is a flag
};

// The FCS of a frame folded as it is unescaped, whole blocks at a time, kept between the runs
// of one frame: start it at the frame's first octet, pass it to each unescape_wide, and
// finish it over the whole frame (at least kFoldMinimum octets).
struct FrameFold {
  alignas(64) std::uint8_t next[64];
  alignas(64) std::uint8_t last[64];
  std::size_t folded;  // octets from the frame's start folded so far, whole blocks
  const FoldConstants* constants;
};
void start_frame_fold(WideLoops loops, FrameFold& fold, const FoldConstants& k,
                      std::uint32_t state);
// The 16-octet message with the frame's FCS register (see fcs_fold.hpp).
void finish_frame_fold(WideLoops loops, FrameFold& fold, const std::uint8_t* frame, std::size_t n,
                       std::uint8_t folded[16]);

// Unescapes up to the first flag, with no control octets to drop (receive ACCM 0), at out
// (which has n + kWideSlack octets). `escaped` carries a trailing escape between runs. With
// `fold`, folds the FCS of what is written from `frame` (the frame's first octet) on.
UnescapeResult unescape_wide(WideLoops loops, const std::uint8_t* p, std::size_t n, bool& escaped,
                             std::uint8_t* out, const std::uint8_t* frame = nullptr,
                             FrameFold* fold = nullptr);

}  // namespace openras::ppp::detail
