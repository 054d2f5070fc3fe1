// libFuzzer: the TUN offload code on packets from a hostile PPP peer (what the coalescer
// merges for the TUN) and on odd TUN reads. Never a crash or an overrun; whatever the
// coalescer writes cuts back (split) into the very packets it was given.
#include "host/tun_offload.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace openras::host::offload;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A list of packets, each behind a two-octet length.
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::size_t pos = 0; pos + 2 <= size;) {
    std::size_t len = static_cast<std::size_t>(data[pos] << 8 | data[pos + 1]);
    pos += 2;
    len = std::min(len, size - pos);
    packets.emplace_back(data + pos, data + pos + len);
    pos += len;
  }
  Coalescer coalescer;
  Coalescer::Out out;
  for (const auto& p : packets) coalescer.add(p, out);
  coalescer.flush(out);
  std::vector<std::vector<std::uint8_t>> back;
  std::vector<std::uint8_t> scratch;
  for (auto& w : out) {
    if (w.size() < kVnetHeaderSize) std::abort();
    // A merged write cuts back; a plain one (zero header) is the packet as it came.
    if (!split(w, scratch,
               [&](std::span<const std::uint8_t> s) { back.emplace_back(s.begin(), s.end()); })) {
      std::abort();
    }
  }
  if (back != packets) std::abort();
  // The same octets as one TUN read, header and all.
  std::vector<std::uint8_t> read(data, data + size);
  split(read, scratch, [](std::span<const std::uint8_t>) {});
  return 0;
}
