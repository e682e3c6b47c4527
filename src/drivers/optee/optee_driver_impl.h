// The OP-TEE driver object: owns the secure world's process, the shared
// driver state and the two ops tables.
//
// Lifetime contract: the core stops calling the ops and drops every Context
// and Shm of both devices before the driver is destroyed (Shm release hooks
// call into the driver).
#pragma once

#include <memory>

#include "common/child_process.h"
#include "common/thread_annotations.h"
#include "drivers/optee/client_ops.h"
#include "drivers/optee/driver_core.h"
#include "drivers/optee/optee_driver.h"
#include "drivers/optee/os_status_query.h"
#include "drivers/optee/supp_ops.h"

namespace swtee::optee {

class OpteeDriverImpl final : public OpteeDriver {
 public:
  OpteeDriverImpl(std::unique_ptr<DriverCore> core, ChildProcess child);
  ~OpteeDriverImpl() override;

  core::TeeDriver& client_ops() override { return client_; }
  core::TeeDriver& supp_ops() override { return supp_; }
  bool os_alive() const override EXCLUDES(child_mu_);
  Result<std::vector<uint8_t>> os_status() override { return status_.run(); }

  DriverCore& driver_core() { return *core_; }

 private:
  mutable Mutex child_mu_;
  mutable ChildProcess child_ GUARDED_BY(child_mu_);
  std::unique_ptr<DriverCore> core_;
  ClientOps client_;
  SuppOps supp_;
  // Destroyed before core_ (its shm's release hook reaches core_).
  OsStatusQuery status_{*core_};
};

}  // namespace swtee::optee
