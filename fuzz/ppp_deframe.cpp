// libFuzzer: the HDLC deframer never crashes, never loops, never returns an oversized frame,
// and whatever it returns re-encodes and deframes to itself.
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
  HdlcEncoder encoder;
  encoder.set_accm(accm);
  encoder.set_fcs(fcs);
  for (const auto& f : frames) {
    if (f.size() > 512) std::abort();
    Bytes line;
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
