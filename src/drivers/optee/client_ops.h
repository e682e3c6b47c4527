// tee0's ops table: GP sessions and invocations for client contexts.
// Per-context data is the context's session list and its in-flight cancel
// ids (the secure world sees driver-unique cancel ids, so one context can
// never cancel another's call).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <set>

#include "common/thread_annotations.h"
#include "core/context.h"
#include "core/tee_driver.h"
#include "drivers/optee/driver_core.h"

namespace swtee::optee {

class ClientContextData final : public core::DriverContextData {
 public:
  static constexpr size_t kMaxSessions = 1024;

  size_t session_count() const EXCLUDES(mu_);
  // false if `s` is already listed (a secure world that reuses a live id).
  bool add_session(uint32_t s) EXCLUDES(mu_);
  bool has_session(uint32_t s) const EXCLUDES(mu_);
  bool remove_session(uint32_t s) EXCLUDES(mu_);
  std::set<uint32_t> take_sessions() EXCLUDES(mu_);

  // An in-flight call: its secure-world cancel id and session (0 while a
  // session is being opened).
  struct InFlight {
    uint32_t secure_id;
    uint32_t session;
    // Set (under the context's lock) when the call is cancelled, so a call
    // still queued for a secure thread is never started (call_path.h).
    std::atomic<bool>* cancelled = nullptr;
  };
  void add_cancel(uint32_t user_id, InFlight call) EXCLUDES(mu_);
  void remove_cancel(uint32_t user_id, uint32_t secure_id) EXCLUDES(mu_);
  // Marks the calls of `user_id` cancelled and returns their secure ids.
  std::vector<uint32_t> cancels_for(uint32_t user_id) const EXCLUDES(mu_);
  std::vector<InFlight> all_in_flight() const EXCLUDES(mu_);

 private:
  mutable Mutex mu_;
  std::set<uint32_t> sessions_ GUARDED_BY(mu_);
  std::multimap<uint32_t, InFlight> cancels_ GUARDED_BY(mu_);
};

class ClientOps final : public core::TeeDriver {
 public:
  explicit ClientOps(DriverCore& core) : core_(core) {}

  core::VersionInfo get_version() const override { return core_.version(); }
  Result<std::unique_ptr<core::DriverContextData>> open(core::Context& ctx) override;
  void release(core::Context& ctx) override;
  uint32_t optional_ops() const override;

  Status open_session(core::Context& ctx, core::OpenSessionArg& arg, core::TeeParams& params) override;
  Status close_session(core::Context& ctx, uint32_t session) override;
  Status invoke_func(core::Context& ctx, core::InvokeArg& arg, core::TeeParams& params) override;
  Status cancel_req(core::Context& ctx, uint32_t cancel_id, uint32_t session) override;
  // The client is gone: cancel every call it still has in the secure world,
  // so its sessions can be closed without waiting for those calls to finish
  // on their own (a TA in TEE_Wait, say).
  void close_context(core::Context& ctx) override;
  void shm_unregister(core::Shm& shm) override { core_.shm_released(shm); }
  // OPTEE_SMC_VM_CREATED / VM_DESTROYED for guest `guest_id` (a fast call
  // from the "hypervisor", client id 0). Offered only when the secure world
  // advertises OPTEE_SMC_SEC_CAP_VIRTUALIZATION. Every other call carries
  // the context's guest id as its client id (a7).
  Status guest_created(uint32_t guest_id) override;
  Status guest_destroyed(uint32_t guest_id) override;

 private:
  // Runs `call` with the user params appended after `call.params` (the meta
  // params), and decodes the results back into `params`. GP outcome in `res`.
  Status run_with_params(ClientContextData& data, uint32_t user_cancel_id, MsgCall& call,
                         core::TeeParams& params, core::TeeResult& res);
  void send_close(uint32_t guest, uint32_t session);
  void send_cancel(uint32_t guest, uint32_t secure_cancel_id, uint32_t session);

  DriverCore& core_;
};

}  // namespace swtee::optee
