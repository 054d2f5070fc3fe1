// A deterministic Random for engine tests: any exchange replays exactly.
#pragma once

#include <cstdint>

#include "ppp/types.hpp"

namespace openras::ppp::testing {

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(std::uint64_t seed) : state_(seed ? seed : 1) {}
  void fill(std::uint8_t* out, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      out[i] = static_cast<std::uint8_t>(state_);
    }
  }

 private:
  std::uint64_t state_;
};

inline Bytes from_hex(const char* hex) {
  Bytes out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  for (; hex[0] && hex[1]; hex += 2) {
    if (hex[0] == ' ') {
      --hex;
      continue;
    }
    out.push_back(static_cast<std::uint8_t>(nibble(hex[0]) << 4 | nibble(hex[1])));
  }
  return out;
}

}  // namespace openras::ppp::testing
