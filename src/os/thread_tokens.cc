#include "os/thread_tokens.h"

#include <utility>

namespace swtee::os {

ThreadToken& ThreadToken::operator=(ThreadToken&& o) noexcept {
  if (this != &o) {
    reset();
    pool_ = std::exchange(o.pool_, nullptr);
    id_ = o.id_;
  }
  return *this;
}

void ThreadToken::reset() {
  if (pool_ != nullptr) std::exchange(pool_, nullptr)->release(id_);
}

ThreadTokens::ThreadTokens(uint32_t count) : count_(count) {
  MutexLock lock(mu_);
  // Lowest ids first: a quiet system keeps reusing thread 0.
  for (uint32_t i = count; i > 0; --i) free_.push_back(i - 1);
}

ThreadToken ThreadTokens::try_acquire() {
  MutexLock lock(mu_);
  if (free_.empty()) return {};
  uint32_t id = free_.back();
  free_.pop_back();
  return ThreadToken(this, id);
}

uint32_t ThreadTokens::in_use() const {
  MutexLock lock(mu_);
  return count_ - static_cast<uint32_t>(free_.size());
}

void ThreadTokens::release(uint32_t id) {
  MutexLock lock(mu_);
  free_.push_back(id);
}

}  // namespace swtee::os
