// Clang thread-safety annotations and an annotated mutex. Under GCC the
// macros expand to nothing; CI builds with clang and -Wthread-safety.
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define SWTEE_TSA(x) __attribute__((x))
#else
#define SWTEE_TSA(x)
#endif

#define CAPABILITY(x) SWTEE_TSA(capability(x))
#define SCOPED_CAPABILITY SWTEE_TSA(scoped_lockable)
#define GUARDED_BY(x) SWTEE_TSA(guarded_by(x))
#define PT_GUARDED_BY(x) SWTEE_TSA(pt_guarded_by(x))
#define REQUIRES(...) SWTEE_TSA(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) SWTEE_TSA(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) SWTEE_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) SWTEE_TSA(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) SWTEE_TSA(try_acquire_capability(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS SWTEE_TSA(no_thread_safety_analysis)

namespace swtee {

class CAPABILITY("mutex") Mutex {
 public:
  void lock() ACQUIRE() { m_.lock(); }
  void unlock() RELEASE() { m_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return m_.try_lock(); }
  std::mutex& native() { return m_; }

 private:
  std::mutex m_;
};

class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& m) ACQUIRE(m) : m_(m) { m_.lock(); }
  ~MutexLock() RELEASE() { m_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& m_;
};

// Condition variable usable with Mutex. wait() must be called with the mutex
// held (checked by REQUIRES); it is released while waiting.
class CondVar {
 public:
  void wait(Mutex& m) REQUIRES(m) {
    std::unique_lock<std::mutex> lk(m.native(), std::adopt_lock);
    cv_.wait(lk);
    lk.release();
  }
  template <typename Clock, typename Dur>
  bool wait_until(Mutex& m, const std::chrono::time_point<Clock, Dur>& t) REQUIRES(m) {
    std::unique_lock<std::mutex> lk(m.native(), std::adopt_lock);
    bool timed_out = cv_.wait_until(lk, t) == std::cv_status::timeout;
    lk.release();
    return !timed_out;
  }
  void notify_one() { cv_.notify_one(); }
  void notify_all() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace swtee
