// The dial-time table every dial bench prints: per RTT, the median of the dials against the
// protocol's round trips x RTT.
#pragma once

#include <algorithm>
#include <cstdio>
#include <vector>

inline void print_dial_header() {
  std::printf("  %8s %10s %12s %12s %8s\n", "RTT", "time", "round trips", "lower bound", "ratio");
}

// `seconds`: the dials at this RTT (none: no row).
inline void print_dial_row(int rtt_ms, std::vector<double> seconds, int round_trips) {
  if (seconds.empty()) return;
  std::sort(seconds.begin(), seconds.end());
  double median = seconds[seconds.size() / 2];
  double bound = round_trips * rtt_ms / 1000.0;
  std::printf("  %6d ms %8.1f ms %12d %9.1f ms %7.2fx\n", rtt_ms, median * 1000, round_trips,
              bound * 1000, bound > 0 ? median / bound : 0.0);
}

inline void print_dial_goal() {
  std::printf("  (goal: <= 1.15x the bound where the RTT dominates)\n");
}
