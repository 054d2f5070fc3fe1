// RFC 1662 HDLC-like framing for octet-synchronous links (serial, modem): flag sequences,
// control-escape with the negotiated async control character map (ACCM), and FCS-16 or
// FCS-32. Links that carry PPP frames whole (SSTP, L2TP) skip this layer.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "ppp/bytes.hpp"
#include "ppp/hdlc_wide.hpp"

namespace openras::ppp {

enum class FcsSize { Fcs16, Fcs32 };

struct HdlcStats {
  std::uint64_t frames = 0;
  std::uint64_t fcs_errors = 0;
  std::uint64_t runts = 0;     // shorter than an FCS
  std::uint64_t overruns = 0;  // longer than the maximum frame
  std::uint64_t aborts = 0;    // control-escape followed by a flag
  std::uint64_t discarded_octets = 0;
};

class HdlcEncoder {
 public:
  HdlcEncoder() { build_table(); }
  // The ACCM we send with: bit n set escapes octet n (0x00..0x1f). 0xffffffff until LCP opens.
  void set_accm(std::uint32_t accm);
  void set_fcs(FcsSize fcs) { fcs_ = fcs; }
  // Appends one whole frame (flag, escaped frame + FCS, flag) to `out`.
  void encode(ByteView frame, LineBytes& out) const;
  // Off: the portable loops even where the CPU has the wide ones (tests compare the two).
  void use_wide_loops(bool on) {
    use_loops(on ? detail::best_wide_loops() : detail::WideLoops::None);
  }
  // A given set of wide loops (or the best the CPU has, where it lacks that one).
  void use_loops(detail::WideLoops loops) { wide_ = detail::wide_loops_up_to(loops); }

 private:
  void build_table();
  void encode_portable(ByteView frame, ByteView trailer, LineBytes& out) const;
  void encode_wide(ByteView frame, LineBytes& out) const;
  detail::WideLoops wide_ = detail::best_wide_loops();
  std::uint32_t accm_ = 0xffffffff;
  FcsSize fcs_ = FcsSize::Fcs16;
  bool escape_[256] = {};
};

class HdlcDecoder {
 public:
  explicit HdlcDecoder(std::size_t max_frame = 8192)
      : max_frame_(max_frame), current_(max_frame + detail::kWideSlack) {}
  // The ACCM the peer sends with: those control octets arriving unescaped were inserted by
  // the line and are dropped (RFC 1662 section 7.1).
  void set_accm(std::uint32_t accm) { rx_accm_ = accm; }
  void set_fcs(FcsSize fcs) {
    fcs_ = fcs;
    fold_started_ = false;
  }

  // Feed line octets; each complete frame with a good FCS (FCS removed) goes to
  // on_frame(ByteView), valid only during the call: the decoder keeps one buffer for all.
  template <typename OnFrame>
  void feed(ByteView octets, OnFrame&& on_frame);
  // The same, each frame copied into `frames`.
  void feed(ByteView octets, std::deque<Bytes>& frames) {
    feed(octets, [&](ByteView f) { frames.emplace_back(f.begin(), f.end()); });
  }
  const HdlcStats& stats() const { return stats_; }
  // The octets since the last flag (a modem's "NO CARRIER" lands here after the last frame).
  ByteView partial() const { return ByteView(current_.data(), length_); }
  void use_wide_loops(bool on) {
    use_loops(on ? detail::best_wide_loops() : detail::WideLoops::None);
  }
  void use_loops(detail::WideLoops loops) { wide_ = detail::wide_loops_up_to(loops); }

 private:
  // Takes line octets up to the next flag; returns how many (n when there is no flag).
  std::size_t take_run(const std::uint8_t* p, std::size_t n);
  void take_run_portable(const std::uint8_t* p, std::size_t n);
  void append(const std::uint8_t* p, std::size_t n);
  // At a flag: the length of the good frame that ended there, or 0 (counted in stats_).
  std::size_t end_frame();
  std::uint32_t frame_fcs_register();
  // The fold of current_ from its first octet, begun where the frame has none yet.
  void start_fold_once();
  void restart_frame() {
    length_ = 0;
    fold_started_ = false;
  }
  detail::WideLoops wide_ = detail::best_wide_loops();
  bool fold_started_ = false;
  bool escaped_ = false;
  bool overrun_ = false;
  std::uint32_t rx_accm_ = 0;
  FcsSize fcs_ = FcsSize::Fcs16;
  std::size_t max_frame_;
  Bytes current_;  // max_frame_ + slack octets, of which length_ are the frame so far
  std::size_t length_ = 0;
  detail::FrameFold fold_{};  // the FCS of current_, folded as the wide loop writes it
  HdlcStats stats_;
};

template <typename OnFrame>
void HdlcDecoder::feed(ByteView octets, OnFrame&& on_frame) {
  const std::uint8_t* p = octets.data();
  std::size_t n = octets.size();
  while (n > 0) {
    const std::size_t run = take_run(p, n);
    if (run == n) break;
    if (std::size_t good = end_frame()) on_frame(ByteView(current_.data(), good));
    restart_frame();
    p += run + 1;
    n -= run + 1;
  }
}

}  // namespace openras::ppp
