// A Session on an octet-synchronous line: line octets in, line octets out. Applies the
// negotiated ACCM to what it sends (LCP always goes out with every control octet escaped,
// RFC 1662 section 7.1) and to what it receives.
#pragma once

#include "ppp/hdlc.hpp"
#include "ppp/session.hpp"

namespace openras::ppp {

class HdlcLink {
 public:
  explicit HdlcLink(Session& session, std::size_t max_frame = 4096)
      : session_(session), decoder_(max_frame) {}

  void feed_line(ByteView octets, TimePoint now);
  // Appends the next frame, encoded for the line, to `out`; false when there is none.
  bool poll_line(LineBytes& out);
  const HdlcStats& stats() const { return decoder_.stats(); }
  ByteView partial() const { return decoder_.partial(); }

 private:
  Session& session_;
  HdlcEncoder encoder_;
  HdlcEncoder lcp_encoder_;  // stays at the all-ones map
  HdlcDecoder decoder_;
  Bytes frame_;
};

}  // namespace openras::ppp
