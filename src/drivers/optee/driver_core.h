// The state one OP-TEE driver instance shares between its two ops tables
// (client_ops for tee0, supp_ops for teepriv0): the conduit, the call queue
// and path, the shm registry, the supplicant queue and the RPC handler.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

#include "common/result.h"
#include "core/shm.h"
#include "core/tee_driver.h"
#include "drivers/optee/call_path.h"
#include "drivers/optee/call_queue.h"
#include "drivers/optee/conduit.h"
#include "drivers/optee/rpc_handler.h"
#include "drivers/optee/shm_registry.h"
#include "drivers/optee/supp_queue.h"
#include "drivers/optee/wait_queue.h"

namespace swtee::optee {

// What the handshake learned from the secure world.
struct SecureWorldInfo {
  uint32_t sec_caps = 0;
  uint32_t rpc_param_count = 0;
  uint32_t thread_count = 0;
  uint32_t os_revision_major = 0;
  uint32_t os_revision_minor = 0;
};

class DriverCore {
 public:
  explicit DriverCore(std::unique_ptr<Conduit> conduit);
  ~DriverCore();
  DriverCore(const DriverCore&) = delete;
  DriverCore& operator=(const DriverCore&) = delete;

  Conduit& conduit() { return *conduit_; }
  CallQueue& queue() { return queue_; }
  CallPath& path() { return path_; }
  ShmRegistry& registry() { return registry_; }
  SuppQueue& supp() { return supp_; }
  WaitQueue& wait_queue() { return wq_; }
  SecureWorldInfo& info() { return info_; }
  const SecureWorldInfo& info() const { return info_; }

  core::VersionInfo version() const;
  // The secure world partitions by guest (OPTEE_SMC_SEC_CAP_VIRTUALIZATION).
  bool serves_guests() const;

  // Returns the cookie under which the secure world knows `shm`, registering
  // it (OPTEE_MSG_CMD_REGISTER_SHM with the memfd attached) on first use.
  // 0 with `res` set when the secure world refused or is gone. `guest`:
  // the client id of the shm's owner (the context's guest).
  uint64_t ensure_registered(core::Shm& shm, core::TeeResult& res, uint32_t guest = 0);
  // From a Shm's release hook (any thread, any locks held by the caller):
  // queues the UNREGISTER_SHM for the worker.
  void shm_released(core::Shm& shm);

  // A secure-world cancel id unique across contexts (context scoping of
  // cancel ids: the secure world only ever sees these).
  uint32_t new_cancel_id();

  // Starts the unregister worker (after the handshake).
  void start_worker();
  // Fails every waiter and stops the worker; the conduit is shut down.
  void shutdown();

 private:
  void unregister_worker();

  std::unique_ptr<Conduit> conduit_;
  CallQueue queue_;
  ShmRegistry registry_;
  SuppQueue supp_;
  WaitQueue wq_;
  RpcHandler rpc_;
  CallPath path_;
  SecureWorldInfo info_;
  std::atomic<uint32_t> next_cancel_id_{1};
  std::thread worker_;
};

}  // namespace swtee::optee
