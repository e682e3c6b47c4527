// Process-wide tables behind the opaque `imp` fields of the public structs:
//   TEEC_Context.imp.fd      -> ContextState (key: its socket fd)
//   TEEC_SharedMemory.imp.id -> ShmState     (key: a library handle >= 1)
// plus the lock that guards TEEC_Operation.imp.session for cancellation.
//
// The public structs keep OP-TEE's sizes, so everything else lives here.
// Lookups return counted references: an entry removed by Finalize/Release
// while another thread still uses it stays alive until that use ends.
// Created on first use and deliberately never destroyed (no static
// destructor runs at exit while client threads may still call in).
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "libteec/context_state.h"
#include "libteec/shm_state.h"

namespace swtee::teec {

class Registry {
 public:
  // Live shared-memory blocks per process; beyond it Allocate/Register fail
  // with OUT_OF_MEMORY.
  static constexpr size_t kMaxShm = 1u << 16;

  static Registry& instance();

  Status add_context(std::shared_ptr<ContextState> ctx) EXCLUDES(mu_);
  std::shared_ptr<ContextState> context(int fd) EXCLUDES(mu_);
  std::shared_ptr<ContextState> take_context(int fd) EXCLUDES(mu_);

  // Returns the handle for TEEC_SharedMemory.imp.id.
  Result<int> add_shm(std::shared_ptr<ShmState> shm) EXCLUDES(mu_);
  std::shared_ptr<ShmState> shm(int handle) EXCLUDES(mu_);
  std::shared_ptr<ShmState> take_shm(int handle) EXCLUDES(mu_);

  // Guards every TEEC_Operation.imp.session read and write.
  Mutex& operation_mu() { return op_mu_; }

 private:
  Registry() = default;

  Mutex mu_;
  std::unordered_map<int, std::shared_ptr<ContextState>> contexts_ GUARDED_BY(mu_);
  std::unordered_map<int, std::shared_ptr<ShmState>> shms_ GUARDED_BY(mu_);
  int next_handle_ GUARDED_BY(mu_) = 1;
  Mutex op_mu_;
};

}  // namespace swtee::teec
