// Threads created without exceptions: pthread_create's error comes back as
// an Error. OsThread is a move-only owner that joins in its destructor.
#pragma once

#include <pthread.h>

#include <functional>

#include "common/result.h"

namespace swtee::core {

class OsThread {
 public:
  OsThread() = default;
  ~OsThread() { join(); }
  OsThread(OsThread&& o) noexcept : tid_(o.tid_), joinable_(o.joinable_) { o.joinable_ = false; }
  OsThread& operator=(OsThread&& o) noexcept {
    if (this != &o) {
      join();
      tid_ = o.tid_;
      joinable_ = o.joinable_;
      o.joinable_ = false;
    }
    return *this;
  }
  OsThread(const OsThread&) = delete;
  OsThread& operator=(const OsThread&) = delete;

  static Result<OsThread> spawn(std::function<void()> fn);
  // A thread nobody joins; it owns everything `fn` captured.
  static Status spawn_detached(std::function<void()> fn);

  void join();

 private:
  pthread_t tid_{};
  bool joinable_ = false;
};

}  // namespace swtee::core
