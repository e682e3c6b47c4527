// The T secure threads. A yielding call needs one for its whole duration
// (including its RPCs); when none is free the caller gets ETHREAD_LIMIT and
// the normal world queues it, as on real hardware.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/thread_annotations.h"

namespace swtee::os {

class ThreadTokens;

// Move-only hold on one secure thread id; released on destruction.
class ThreadToken {
 public:
  ThreadToken() = default;
  ~ThreadToken() { reset(); }
  ThreadToken(ThreadToken&& o) noexcept : pool_(o.pool_), id_(o.id_) { o.pool_ = nullptr; }
  ThreadToken& operator=(ThreadToken&& o) noexcept;
  ThreadToken(const ThreadToken&) = delete;
  ThreadToken& operator=(const ThreadToken&) = delete;

  bool valid() const { return pool_ != nullptr; }
  uint32_t id() const { return id_; }
  void reset();

 private:
  friend class ThreadTokens;
  ThreadToken(ThreadTokens* pool, uint32_t id) : pool_(pool), id_(id) {}
  ThreadTokens* pool_ = nullptr;
  uint32_t id_ = 0;
};

class ThreadTokens {
 public:
  explicit ThreadTokens(uint32_t count);
  // An invalid token when all are taken.
  ThreadToken try_acquire() EXCLUDES(mu_);
  uint32_t count() const { return count_; }
  uint32_t in_use() const EXCLUDES(mu_);

 private:
  friend class ThreadToken;
  void release(uint32_t id) EXCLUDES(mu_);

  const uint32_t count_;
  mutable Mutex mu_;
  std::vector<uint32_t> free_ GUARDED_BY(mu_);
};

}  // namespace swtee::os
