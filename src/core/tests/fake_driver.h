// A TeeDriver for tests: counts every lifecycle callback and lets a test
// block calls, post supplicant requests and inspect what the core passed.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <vector>

#include "common/thread_annotations.h"
#include "core/context.h"
#include "core/shm.h"
#include "core/tee_driver.h"

namespace swtee::core::testing {

class FakeDriver final : public TeeDriver {
 public:
  // Invoke function ids with special behaviour.
  static constexpr uint32_t kFuncEcho = 1;      // VALUE out = (a+1, b+1, c+1) of in; memref size = 7
  static constexpr uint32_t kFuncBlock = 2;     // blocks until unblock()
  static constexpr uint32_t kFuncWriteShm = 3;  // writes "swtee" at each memref's offset
  static constexpr uint32_t kFuncFail = 4;      // transport error EIO
  // Blocks until a cancel_req with this call's cancel id or until its
  // context closes; then ends with TEEC_ERROR_CANCEL (origin TEE).
  static constexpr uint32_t kFuncBlockUntilCancel = 5;

  struct Counts {
    std::atomic<int> open{0}, release{0}, close_context{0}, open_session{0}, close_session{0}, invoke{0},
        cancel{0}, supp_recv{0}, supp_send{0}, shm_unregister{0}, guest_created{0}, guest_destroyed{0},
        guests_live{0};
  };

  explicit FakeDriver(uint32_t ops = kAllOps) : ops_(ops) {}

  static constexpr uint32_t kAllOps = OptionalOp::OpenSession | OptionalOp::CloseSession |
                                      OptionalOp::InvokeFunc | OptionalOp::CancelReq | OptionalOp::SuppRecv |
                                      OptionalOp::SuppSend | OptionalOp::ShmUnregister;
  static constexpr uint32_t kGuestOps = OptionalOp::GuestCreated | OptionalOp::GuestDestroyed;

  VersionInfo get_version() const override;
  Result<std::unique_ptr<DriverContextData>> open(Context& ctx) override;
  void release(Context& ctx) override;
  void close_context(Context& ctx) override;
  uint32_t optional_ops() const override { return ops_; }
  Status open_session(Context& ctx, OpenSessionArg& arg, TeeParams& params) override;
  Status close_session(Context& ctx, uint32_t session) override;
  Status invoke_func(Context& ctx, InvokeArg& arg, TeeParams& params) override;
  Status cancel_req(Context& ctx, uint32_t cancel_id, uint32_t session) override;
  Status supp_recv(Context& ctx, uint32_t& func, TeeParams& params) override;
  Status supp_send(Context& ctx, uint32_t ret, TeeParams& params) override;
  void shm_unregister(Shm& shm) override;
  Status guest_created(uint32_t guest_id) override;
  Status guest_destroyed(uint32_t guest_id) override;

  Counts counts;
  std::atomic<int> refuse_open{0};      // errno for open(), 0 = accept
  std::atomic<uint32_t> open_ret{0};    // GP result of open_session
  std::atomic<bool> block_open{false};  // open_session waits for unblock()
  std::atomic<int> refuse_guest{0};     // errno for guest_created(), 0 = accept

  void unblock() EXCLUDES(mu_);
  // Waits (bounded, for liveness only) until `n` calls are blocked.
  bool wait_blocked(int n) EXCLUDES(mu_);
  // Waits until release() ran `n` times.
  bool wait_released(int n) EXCLUDES(mu_);
  void post_supp_request(uint32_t func, TeeParams params) EXCLUDES(mu_);

  struct Seen {
    Uuid clnt_uuid;
    uint32_t clnt_login = 0;
    uint32_t guest = 0;        // Context::guest_id() of the last open_session
    TeeParams params;          // shm references stripped (the fake keeps none)
    std::vector<int> shm_ids;  // per memref param: its shm id, -1 for NULL
    uint32_t cancel_id = 0, cancel_session = 0, supp_ret = 0;
    uint64_t cancel_ctx = 0;
    TeeParams supp_params;
  };
  Seen seen() EXCLUDES(mu_);

 private:
  Status block_here() EXCLUDES(mu_);
  void record_params(const TeeParams& params) REQUIRES(mu_);
  const uint32_t ops_;
  Mutex mu_;
  CondVar cv_;
  int blocked_ GUARDED_BY(mu_) = 0;
  std::vector<std::pair<const Context*, uint32_t>> cancelled_ GUARDED_BY(mu_);  // (context, cancel id)
  uint64_t unblock_gen_ GUARDED_BY(mu_) = 0;
  uint32_t next_session_ GUARDED_BY(mu_) = 100;
  std::deque<std::pair<uint32_t, TeeParams>> supp_queue_ GUARDED_BY(mu_);
  std::vector<const Context*> closing_ GUARDED_BY(mu_);
  Seen seen_ GUARDED_BY(mu_);
};

}  // namespace swtee::core::testing
