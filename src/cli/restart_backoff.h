// The restart policy for a supplicant that dies (docs/architecture.md,
// "Supervision"): the first restart at once, then after 100, 200, 400 and
// 800 ms; a death when kMaxQuickRestarts restarts already happened within
// kWindowMs is a crash loop, and the stack stops non-zero. Pure (the clock
// is passed in), so the policy is unit-tested exactly; Stack applies it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace swtee::cli {

class RestartBackoff {
 public:
  static constexpr unsigned kMaxQuickRestarts = 5;
  static constexpr int64_t kWindowMs = 60000;
  static constexpr int64_t kFirstDelayMs = 100;
  static constexpr int64_t kMaxDelayMs = 800;

  // A death at `now_ms` (a monotonic clock): the delay before the restart,
  // or nullopt for a crash loop (then no restart is recorded).
  std::optional<int64_t> on_death(int64_t now_ms);
  // Restarts counted in the window as of the last on_death().
  size_t recent() const { return restarts_ms_.size(); }

 private:
  std::vector<int64_t> restarts_ms_;  // when each recent restart was due
};

}  // namespace swtee::cli
