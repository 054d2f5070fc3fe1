#include "ppp/hdlc_wide.hpp"

#include "ppp/hdlc_kernels.hpp"

namespace openras::ppp::detail {

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

}  // namespace openras::ppp::detail
