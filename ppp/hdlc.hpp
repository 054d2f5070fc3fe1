// RFC 1662 HDLC-like framing for octet-synchronous links (serial, modem): flag sequences,
// control-escape with the negotiated async control character map (ACCM), and FCS-16 or
// FCS-32. Links that carry PPP frames whole (SSTP, L2TP) skip this layer.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "ppp/bytes.hpp"

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
  void encode(ByteView frame, Bytes& out) const;

 private:
  void build_table();
  std::uint32_t accm_ = 0xffffffff;
  FcsSize fcs_ = FcsSize::Fcs16;
  bool escape_[256] = {};
};

class HdlcDecoder {
 public:
  explicit HdlcDecoder(std::size_t max_frame = 8192) : max_frame_(max_frame) {}
  // The ACCM the peer sends with: those control octets arriving unescaped were inserted by
  // the line and are dropped (RFC 1662 section 7.1).
  void set_accm(std::uint32_t accm) { rx_accm_ = accm; }
  void set_fcs(FcsSize fcs) { fcs_ = fcs; }

  // Feed line octets; complete frames with a good FCS (FCS removed) land in `frames`.
  void feed(ByteView octets, std::deque<Bytes>& frames);
  const HdlcStats& stats() const { return stats_; }
  // The octets since the last flag (a modem's "NO CARRIER" lands here after the last frame).
  ByteView partial() const { return current_; }

 private:
  void end_frame(std::deque<Bytes>& frames);
  Bytes current_;
  bool escaped_ = false;
  bool overrun_ = false;
  std::uint32_t rx_accm_ = 0;
  FcsSize fcs_ = FcsSize::Fcs16;
  std::size_t max_frame_;
  HdlcStats stats_;
};

}  // namespace openras::ppp
