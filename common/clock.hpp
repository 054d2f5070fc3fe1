// One monotonic clock for the engines, the daemon and the notification stamps. Engines take
// TimePoint as a parameter; only the manager and the client read the clock.
#pragma once

#include <chrono>
#include <cstdint>

namespace openras {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

// Nanoseconds on CLOCK_MONOTONIC, comparable across processes on one machine.
inline std::uint64_t monotonic_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

}  // namespace openras
