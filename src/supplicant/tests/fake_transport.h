// In-process SuppTransport for tests: requests are queued by the test,
// replies recorded; shm allocations are real sealed memfds. Counts lifecycle
// events (allocs, releases, recv calls) so tests can assert on them.
#pragma once

#include <deque>
#include <map>

#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "supplicant/supp_transport.h"

namespace swtee::supp::testing {

class FakeTransport final : public SuppTransport {
 public:
  void push(SuppMessage m) {
    MutexLock l(mu_);
    queue_.push_back(std::move(m));
    cv_.notify_all();
  }

  Result<SuppMessage> recv(std::span<const tee_ioctl_param> offered) override {
    MutexLock l(mu_);
    ++recv_calls_;
    last_offered_.assign(offered.begin(), offered.end());
    ++waiting_;
    cv_.notify_all();
    while (queue_.empty() && !shut_) cv_.wait(mu_);
    --waiting_;
    if (shut_) return Error{ECONNRESET, "fake transport shut down"};
    SuppMessage m = std::move(queue_.front());
    queue_.pop_front();
    return m;
  }

  Status send(const SuppMessage& reply) override {
    MutexLock l(mu_);
    ++in_send_;
    cv_.notify_all();
    while (hold_sends_ && !shut_) cv_.wait(mu_);
    --in_send_;
    replies_.push_back(reply);
    cv_.notify_all();
    return ok_status();
  }

  Result<ShmAllocation> shm_alloc(uint64_t size) override {
    ASSIGN_OR_RETURN(UniqueFd fd, create_sealed_memfd("fake-shm", size));
    MutexLock l(mu_);
    ++allocs_;
    ShmAllocation a;
    a.id = next_id_++;
    a.memfd = std::move(fd);
    a.size = size;
    live_.insert({a.id, size});
    return a;
  }

  Status shm_release(int32_t id) override {
    MutexLock l(mu_);
    ++releases_;
    if (live_.erase(id) != 1) return Error{EINVAL, "unknown id"};
    return ok_status();
  }

  void shutdown() override {
    MutexLock l(mu_);
    shut_ = true;
    cv_.notify_all();
  }

  int32_t next_id() const {
    MutexLock l(mu_);
    return next_id_;
  }

  void hold_sends(bool hold) {
    MutexLock l(mu_);
    hold_sends_ = hold;
    cv_.notify_all();
  }

  // Waits (no timing assertion; the deadline only keeps a broken test from
  // hanging) until pred() holds under the lock.
  template <typename Pred>
  bool wait_for(Pred pred) NO_THREAD_SAFETY_ANALYSIS {
    MutexLock l(mu_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!pred()) {
      if (!cv_.wait_until(mu_, deadline)) return pred();
    }
    return true;
  }

  mutable Mutex mu_;
  CondVar cv_;
  std::deque<SuppMessage> queue_ GUARDED_BY(mu_);
  std::vector<SuppMessage> replies_ GUARDED_BY(mu_);
  std::vector<tee_ioctl_param> last_offered_ GUARDED_BY(mu_);
  std::map<int32_t, uint64_t> live_ GUARDED_BY(mu_);
  int recv_calls_ GUARDED_BY(mu_) = 0;
  int waiting_ GUARDED_BY(mu_) = 0;
  int in_send_ GUARDED_BY(mu_) = 0;
  int allocs_ GUARDED_BY(mu_) = 0;
  int releases_ GUARDED_BY(mu_) = 0;
  int32_t next_id_ GUARDED_BY(mu_) = 1;
  bool hold_sends_ GUARDED_BY(mu_) = false;
  bool shut_ GUARDED_BY(mu_) = false;
};

}  // namespace swtee::supp::testing
