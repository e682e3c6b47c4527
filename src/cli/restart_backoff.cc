#include "cli/restart_backoff.h"

#include <algorithm>

namespace swtee::cli {

std::optional<int64_t> RestartBackoff::on_death(int64_t now_ms) {
  std::erase_if(restarts_ms_, [now_ms](int64_t t) { return now_ms - t > kWindowMs; });
  if (restarts_ms_.size() >= kMaxQuickRestarts) return std::nullopt;
  const size_t n = restarts_ms_.size();
  const int64_t delay = n == 0 ? 0 : std::min(kMaxDelayMs, kFirstDelayMs << (n - 1));
  restarts_ms_.push_back(now_ms + delay);
  return delay;
}

}  // namespace swtee::cli
