// teepriv0's ops table: the supplicant. Exactly one supplicant context may
// be open (a second gets EBUSY); when it goes, every queued and in-flight
// request completes with TEEC_ERROR_COMMUNICATION.
#pragma once

#include <sys/types.h>

#include "core/context.h"
#include "core/tee_driver.h"
#include "drivers/optee/driver_core.h"

namespace swtee::optee {

class SuppOps final : public core::TeeDriver {
 public:
  explicit SuppOps(DriverCore& core) : core_(core) {}

  core::VersionInfo get_version() const override { return core_.version(); }
  Result<std::unique_ptr<core::DriverContextData>> open(core::Context& ctx) override;
  void release(core::Context& ctx) override;
  // The supplicant's connection closed: detach it now, so its blocked
  // SUPPL_RECVs return and every request it held fails with COMMUNICATION.
  void close_context(core::Context& ctx) override;
  uint32_t optional_ops() const override;

  Status supp_recv(core::Context& ctx, uint32_t& func, core::TeeParams& params) override;
  Status supp_send(core::Context& ctx, uint32_t ret, core::TeeParams& params) override;
  void shm_unregister(core::Shm& shm) override { core_.shm_released(shm); }

 private:
  DriverCore& core_;
};

// True while `pid` names a live (not exited, not zombie) process. A blocked
// SUPPL_RECV polls it as a second line of defence behind close_context(): a
// supplicant that died is noticed even if its connection lingers.
bool process_alive(pid_t pid);

}  // namespace swtee::optee
