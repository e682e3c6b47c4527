// The supplicant queue (reference §5): requests from the secure world that
// need the supplicant wait here, first in first out, for the single attached
// supplicant context to RECV them and SEND their answers.
//
// Requests are refcounted (shared_ptr): the requesting thread, the FIFO and
// the in-flight table each hold one, so neither side can free a request the
// other still uses. A SEND for a request that was already failed is
// accepted and ignored.
//
// Modes: a supplicant that offers a first NONE|META slot in RECV works
// asynchronously (the driver returns VALUE_INOUT|META with a = request id
// in that slot, and SEND must echo it); without META it works synchronously
// (one request at a time, the id is remembered). Mixing modes is EINVAL.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "core/context.h"
#include "core/tee_param.h"

namespace swtee::optee {

struct SuppRequest {
  uint32_t func = 0;
  core::TeeParams params;
  // Set when complete.
  uint32_t ret = 0;
  bool done = false;
  // SHM_ALLOC(APPL) only: the Shm the supplicant allocated, resolved in the
  // supplicant's own context while it SENDs.
  std::shared_ptr<core::Shm> alloc_shm;
  CondVar cv;
};

class SuppQueue {
 public:
  static constexpr size_t kMaxQueued = 256;
  static constexpr std::chrono::milliseconds kRecvSlice{250};

  // Attaches the supplicant context. EBUSY if one is attached already.
  Status attach(const core::Context* ctx) EXCLUDES(mu_);
  // The supplicant went away: every queued and in-flight request completes
  // with TEEC_ERROR_COMMUNICATION. No-op for a context that is not attached.
  void detach(const core::Context* ctx) EXCLUDES(mu_);
  bool attached() const EXCLUDES(mu_);

  // Client side. Queues the request and waits for its answer; returns ret.
  // No supplicant: TEEC_ERROR_COMMUNICATION at once. Queue full:
  // TEEC_ERROR_BUSY at once.
  uint32_t submit(const std::shared_ptr<SuppRequest>& req) EXCLUDES(mu_);

  // Supplicant side. `params` holds the offered slots (all NONE, the first
  // may be NONE|META) and is replaced by the request's params (with the
  // META slot first in async mode). Blocks until a request is available.
  // `still_there` is polled every kRecvSlice; when it says false, or on
  // detach/abort, the wait ends with EINTR.
  Status recv(const core::Context* ctx, uint32_t& func, core::TeeParams& params,
              const std::function<bool()>& still_there) EXCLUDES(mu_);

  // Supplicant side: the answer. `on_answer` runs before the requester is
  // woken, without locks held, on the supplicant's thread (used to resolve
  // shm ids in the supplicant's context).
  Status send(const core::Context* ctx, uint32_t ret, const core::TeeParams& params,
              const std::function<void(SuppRequest&, const core::TeeParams&)>& on_answer) EXCLUDES(mu_);

  // Driver teardown: fail everything, wake everyone, refuse new requests.
  void abort() EXCLUDES(mu_);

  size_t queued() const EXCLUDES(mu_);
  size_t in_flight() const EXCLUDES(mu_);

 private:
  enum class Mode : uint8_t { Unset, Sync, Async };

  void complete_locked(SuppRequest& req, uint32_t ret) REQUIRES(mu_);
  void fail_all_locked() REQUIRES(mu_);
  uint32_t alloc_id_locked() REQUIRES(mu_);

  mutable Mutex mu_;
  CondVar recv_cv_;
  const core::Context* supp_ GUARDED_BY(mu_) = nullptr;
  Mode mode_ GUARDED_BY(mu_) = Mode::Unset;
  uint32_t sync_id_ GUARDED_BY(mu_) = 0;
  uint32_t next_id_ GUARDED_BY(mu_) = 1;
  bool aborted_ GUARDED_BY(mu_) = false;
  std::deque<std::shared_ptr<SuppRequest>> queue_ GUARDED_BY(mu_);
  std::map<uint32_t, std::shared_ptr<SuppRequest>> in_flight_ GUARDED_BY(mu_);
};

}  // namespace swtee::optee
