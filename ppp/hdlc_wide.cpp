#include "ppp/hdlc_wide.hpp"

#include "ppp/hdlc_kernels.hpp"

namespace openras::ppp::detail {

#if defined(__x86_64__)

WideLoops best_wide_loops() {
  static const WideLoops best = avx512::runs_here() ? WideLoops::Avx512
                                : avx2::runs_here() ? WideLoops::Avx2
                                                    : WideLoops::None;
  return best;
}

// Callers pass a set this CPU runs (wide_loops_up_to) and never None.
EscapeResult escape_wide(WideLoops loops, const std::uint8_t* p, std::size_t n, std::uint32_t accm,
                         std::uint8_t* out, const std::uint8_t* out_limit, FcsInPass* fcs) {
  if (fcs && n < kFoldMinimum) fcs = nullptr;
  return loops == WideLoops::Avx512 ? avx512::escape(p, n, accm, out, out_limit, fcs)
                                    : avx2::escape(p, n, accm, out, out_limit, fcs);
}

UnescapeResult unescape_wide(WideLoops loops, const std::uint8_t* p, std::size_t n, bool& escaped,
                             std::uint8_t* out, const std::uint8_t* frame, FrameFold* fold) {
  return loops == WideLoops::Avx512 ? avx512::unescape(p, n, escaped, out, frame, fold)
                                    : avx2::unescape(p, n, escaped, out, frame, fold);
}

void start_frame_fold(WideLoops loops, FrameFold& fold, const FoldConstants& k,
                      std::uint32_t state) {
  if (loops == WideLoops::Avx512) {
    avx512::start_fold(fold, k, state);
  } else {
    avx2::start_fold(fold, k, state);
  }
}

void finish_frame_fold(WideLoops loops, FrameFold& fold, const std::uint8_t* frame, std::size_t n,
                       std::uint8_t folded[16]) {
  if (loops == WideLoops::Avx512) {
    avx512::finish_fold(fold, frame, n, folded);
  } else {
    avx2::finish_fold(fold, frame, n, folded);
  }
}

#else

// No wide loops: callers never get past best_wide_loops().
WideLoops best_wide_loops() {
  return WideLoops::None;
}
EscapeResult escape_wide(WideLoops, const std::uint8_t*, std::size_t, std::uint32_t,
                         std::uint8_t* out, const std::uint8_t*, FcsInPass*) {
  return EscapeResult{0, out};
}
UnescapeResult unescape_wide(WideLoops, const std::uint8_t*, std::size_t, bool&, std::uint8_t* out,
                             const std::uint8_t*, FrameFold*) {
  return UnescapeResult{0, out, false};
}
void start_frame_fold(WideLoops, FrameFold&, const FoldConstants&, std::uint32_t) {}
void finish_frame_fold(WideLoops, FrameFold&, const std::uint8_t*, std::size_t, std::uint8_t*) {}

#endif

}  // namespace openras::ppp::detail
