// Latency sample collection and summary (median, p99) for the benchmarks.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace swtee::bench {

struct Summary {
  double p50_us = 0, p99_us = 0, min_us = 0, max_us = 0;
  size_t n = 0;
};

inline Summary summarize(std::vector<double> us) {
  Summary s;
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min(us.size() - 1, static_cast<size_t>(q * (us.size() - 1) + 0.5))]; };
  s.p50_us = at(0.50);
  s.p99_us = at(0.99);
  s.min_us = us.front();
  s.max_us = us.back();
  s.n = us.size();
  return s;
}

inline double now_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace swtee::bench
