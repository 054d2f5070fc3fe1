#include "ppp/hdlc_link.hpp"

namespace openras::ppp {

void HdlcLink::feed_line(ByteView octets, TimePoint now) {
  if (session_.lcp_state() == FsmState::Opened) decoder_.set_accm(session_.negotiated().rx_accm);
  decoder_.feed(octets, [&](ByteView frame) { session_.feed(frame, now); });
}

bool HdlcLink::poll_line(LineBytes& out) {
  if (!session_.poll_transmit(frame_)) return false;
  std::size_t at = (frame_.size() >= 2 && frame_[0] == 0xFF && frame_[1] == 0x03) ? 2 : 0;
  bool lcp = frame_.size() >= at + 2 && frame_[at] == 0xC0 && frame_[at + 1] == 0x21;
  if (lcp || session_.lcp_state() != FsmState::Opened) {
    lcp_encoder_.encode(frame_, out);
  } else {
    encoder_.set_accm(session_.negotiated().tx_accm);
    encoder_.encode(frame_, out);
  }
  return true;
}

}  // namespace openras::ppp
