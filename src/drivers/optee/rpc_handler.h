// RPC handling (OPTEE_SMC_RETURN_RPC_CMD): the secure world asks the normal
// world for a service through the RPC arg that follows the call's arg in
// the slot. The arg is snapshotted, validated (num_params <= kRpcMaxParams,
// fits the slot), dispatched through a table keyed by RpcCmd and its results
// written back.
//
// Served here: SHM_ALLOC/SHM_FREE (KERNEL/GLOBAL: a driver memfd; APPL: the
// supplicant allocates in its own context), GET_TIME, NOTIFICATION (keyed
// wait queue) and SUSPEND. LOAD_TA, RPMB, FS, GPROF, SOCKET, FTRACE and
// SUPP_PLUGIN go to the supplicant queue. Anything else: NOT_SUPPORTED.
#pragma once

#include <array>
#include <cstdint>

#include "common/thread_annotations.h"
#include "drivers/optee/call_path.h"
#include "drivers/optee/shm_registry.h"
#include "drivers/optee/supp_queue.h"
#include "drivers/optee/wait_queue.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::optee {

class RpcHandler final : public RpcServer {
 public:
  static constexpr uint32_t kMaxSuspendMs = 10'000;

  RpcHandler(ShmRegistry& registry, SuppQueue& supp, WaitQueue& wq) : registry_(registry), supp_(supp), wq_(wq) {}

  int handle_rpc(uint8_t* rpc, size_t room) override;

  // Ends SUSPEND sleeps early (driver teardown).
  void stop() EXCLUDES(stop_mu_);

  // Private snapshot of one RPC arg.
  struct Call {
    MsgArgHeader hdr{};
    std::array<MsgParam, kRpcMaxParams> params{};
    uint32_t num_params = 0;
    int attach_fd = -1;
  };

 private:
  using Handler = uint32_t (RpcHandler::*)(Call&);
  struct Entry {
    RpcCmd cmd;
    Handler handler;
  };
  static constexpr size_t kTableSize = 13;
  static const std::array<Entry, kTableSize>& table();

  uint32_t to_supplicant(Call& c);
  uint32_t not_supported(Call& c);
  uint32_t shm_alloc(Call& c);
  uint32_t shm_free(Call& c);
  uint32_t get_time(Call& c);
  uint32_t notification(Call& c);
  uint32_t suspend(Call& c);

  uint32_t shm_alloc_appl(Call& c, uint64_t size, uint64_t align);
  void supplicant_free(const std::shared_ptr<core::Shm>& shm);

  ShmRegistry& registry_;
  SuppQueue& supp_;
  WaitQueue& wq_;

  Mutex stop_mu_;
  CondVar stop_cv_;
  bool stopped_ GUARDED_BY(stop_mu_) = false;
};

}  // namespace swtee::optee
