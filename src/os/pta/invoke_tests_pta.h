// swtee's invoke_tests PTA, 6e2b4a10-7c39-4d58-b1a2-3f4e5d6c7b81, with
// commands for exercising the call path. Its own UUID: OP-TEE's
// invoke_tests PTA has another command set, and a PTA never claims an
// OP-TEE UUID without OP-TEE's exact command set.
// Wrong param types: TEE_ERROR_BAD_PARAMETERS; unknown command:
// TEE_ERROR_NOT_SUPPORTED; results carry origin TRUSTED_APP.
//
//   0 CMD_INC_VALUES   (VALUE_INOUT, NONE, NONE, NONE)
//       [0].a += 1, [0].b += 1 (mod 2^32).
//   1 CMD_REVERSE      (MEMREF_INPUT, MEMREF_OUTPUT, NONE, NONE)
//       [1] = the bytes of [0] in reverse order, [1].size = [0].size. If [1]
//       is smaller (or a NULL memref): [1].size = [0].size, SHORT_BUFFER.
//       [0] is copied to private memory before use.
//   2 CMD_CLIENT_ID    (VALUE_OUTPUT, MEMREF_OUTPUT, NONE, NONE)
//       [0].a = the session's client login, [0].b = the session id;
//       [1] = the 16 octets of the client UUID (SHORT_BUFFER semantics).
//   3 CMD_WAIT_CANCEL  (VALUE_INPUT, NONE, NONE, NONE)
//       Blocks until the call is cancelled (TEE_ERROR_CANCEL) or [0].a
//       milliseconds pass (SUCCESS); [0].a is capped at kMaxWaitMs. Each
//       pending wait holds a secure thread, so the waits are a pool
//       (os/shared_pool.h): a wait past it, or past the share of the uid
//       the call serves (CallContext::uid), answers TEE_ERROR_BUSY at once.
#pragma once

#include <cstdint>
#include <memory>

#include "os/pta/pseudo_ta.h"
#include "os/shared_pool.h"

namespace swtee::os {

inline constexpr uint32_t kInvokeTestsCmdIncValues = 0;
inline constexpr uint32_t kInvokeTestsCmdReverse = 1;
inline constexpr uint32_t kInvokeTestsCmdClientId = 2;
inline constexpr uint32_t kInvokeTestsCmdWaitCancel = 3;
inline constexpr uint32_t kInvokeTestsMaxWaitMs = 60000;
// Largest memref CMD_REVERSE copies.
inline constexpr uint64_t kInvokeTestsMaxReverse = 1u << 20;

class InvokeTestsPta final : public PseudoTa {
 public:
  static const Uuid kUuid;

  // `waits`: the pool of pending waits; null: unbounded (tests).
  explicit InvokeTestsPta(std::shared_ptr<SharedPool> waits = nullptr) : waits_(std::move(waits)) {}

  const Uuid& uuid() const override { return kUuid; }
  const char* name() const override { return "invoke_tests"; }
  GpResult invoke(const PtaSession& session, uint32_t cmd, OsParams& params, CallContext& call) override;

 private:
  const std::shared_ptr<SharedPool> waits_;
};

}  // namespace swtee::os
