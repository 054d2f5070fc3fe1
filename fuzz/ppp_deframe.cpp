// libFuzzer: the HDLC deframer never crashes, never loops, never returns an oversized frame,
// and whatever it returns re-encodes and deframes to itself. Where the CPU has the wide
// loops, they agree with the portable ones octet for octet, frame for frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "ppp/hdlc.hpp"

using namespace openras::ppp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  std::uint32_t accm =
      static_cast<std::uint32_t>(data[0]) << 24 | data[1] << 16 | data[2] << 8 | data[3];
  FcsSize fcs = (data[4] & 1) ? FcsSize::Fcs32 : FcsSize::Fcs16;
  HdlcDecoder decoder(512);
  decoder.set_accm(accm);
  decoder.set_fcs(fcs);
  std::deque<Bytes> frames;
  decoder.feed(ByteView(data + 5, size - 5), frames);
  // The wide loops run only on a receive map of 0.
  HdlcDecoder wide(512), portable(512);
  portable.use_wide_loops(false);
  wide.set_fcs(fcs);
  portable.set_fcs(fcs);
  std::deque<Bytes> wide_frames, portable_frames;
  wide.feed(ByteView(data + 5, size - 5), wide_frames);
  portable.feed(ByteView(data + 5, size - 5), portable_frames);
  if (wide_frames != portable_frames) std::abort();
  HdlcEncoder encoder;
  encoder.set_accm(accm);
  encoder.set_fcs(fcs);
  HdlcEncoder portable_encoder;
  portable_encoder.use_wide_loops(false);
  portable_encoder.set_accm(accm);
  portable_encoder.set_fcs(fcs);
  Bytes whole(data + 5, data + size);
  LineBytes wide_line, portable_line;
  encoder.encode(whole, wide_line);
  portable_encoder.encode(whole, portable_line);
  if (wide_line != portable_line) std::abort();
  for (const auto& f : frames) {
    if (f.size() > 512) std::abort();
    LineBytes line;
    encoder.encode(f, line);
    HdlcDecoder again;
    again.set_accm(accm);
    again.set_fcs(fcs);
    std::deque<Bytes> back;
    again.feed(line, back);
    if (back.size() != 1 || back[0] != f) std::abort();
  }
  return 0;
}
