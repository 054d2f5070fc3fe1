// libFuzzer: any octets as an ESP packet from the server, for both ciphers, after a packet of
// ours has moved the replay window. Decapsulation must refuse what does not authenticate and
// never read past the packet; a packet we seal always opens on the other side, once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "ike/esp.hpp"

using namespace openras::ike;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  EspTransforms t;
  EspKeys a, b;
  if (data[0] & 1) {
    t = {encr::kAesCbc, 128, integ::kHmacSha256_128};
    a = {Bytes(16, 1), Bytes(32, 2)};
    b = {Bytes(16, 3), Bytes(32, 4)};
  } else {
    t = {encr::kAesGcm16, 128, integ::kNone};
    a = {Bytes(20, 1), {}};
    b = {Bytes(20, 3), {}};
  }
  auto ours = EspSa::make(t, 0x1000, a, 0x2000, b);
  auto theirs = EspSa::make(t, 0x2000, b, 0x1000, a);
  // Their sealed copy of the input (as an inner packet) must open at ours exactly once.
  std::vector<std::uint8_t> packet(theirs->sealed_size(size - 1));
  const std::size_t n = theirs->seal({data + 1, size - 1}, 4, packet.data());
  if (n == 0) std::abort();
  std::vector<std::uint8_t> copy(packet.begin(), packet.begin() + static_cast<std::ptrdiff_t>(n));
  auto opened = ours->open({packet.data(), n});
  if (opened.verdict != EspSa::Verdict::Ok || opened.inner.size() != size - 1) std::abort();
  if (ours->open(copy).verdict != EspSa::Verdict::Replayed) std::abort();
  // The raw input, as a packet for our SPI.
  std::vector<std::uint8_t> raw(data + 1, data + size);
  if (raw.size() >= 4) {
    raw[0] = 0;
    raw[1] = 0;
    raw[2] = 0x20;
    raw[3] = 0;
  }
  (void)ours->open(raw);
  return 0;
}
