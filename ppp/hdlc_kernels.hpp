// The wide loops' entry points, one namespace for each set (see hdlc_wide.hpp, which
// dispatches to them); each file is compiled for its own instructions and is called only
// where the CPU has them.
#pragma once

#include "ppp/hdlc_wide.hpp"

namespace openras::ppp::detail {

#define OPENRAS_WIDE_LOOP_ENTRY_POINTS                                                             \
  bool runs_here();                                                                                \
  EscapeResult escape(const std::uint8_t* p, std::size_t n, std::uint32_t accm, std::uint8_t* out, \
                      const std::uint8_t* out_limit, FcsInPass* fcs);                              \
  UnescapeResult unescape(const std::uint8_t* p, std::size_t n, bool& escaped, std::uint8_t* out,  \
                          const std::uint8_t* frame, FrameFold* fold);                             \
  void start_fold(FrameFold& fold, const FoldConstants& k, std::uint32_t state);                   \
  void finish_fold(FrameFold& fold, const std::uint8_t* frame, std::size_t n,                      \
                   std::uint8_t folded[16]);

namespace avx512 {
OPENRAS_WIDE_LOOP_ENTRY_POINTS
}
namespace avx2 {
OPENRAS_WIDE_LOOP_ENTRY_POINTS
}

#undef OPENRAS_WIDE_LOOP_ENTRY_POINTS

}  // namespace openras::ppp::detail
