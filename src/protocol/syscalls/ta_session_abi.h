// The TaSession syscall family (SysFamily::TaSession): TEE_OpenTASession,
// TEE_InvokeTACommand and TEE_CloseTASession. Shared by the TA runtime
// (ta_runtime/api_ta_session.cc) and the OS handler (ta_session_family.cc).
// Plain data only: both sides include it.
//
// Open:   in = TsCallIn (uuid set, session 0). vals[0] = the new session id.
//         out = TsCallOut (the parameters as the callee left them).
// Invoke: in = TsCallIn (session, cmd). out = TsCallOut.
// Close:  args[0] = session id. Always succeeds for a live id.
//
// Memrefs. Each non-NULL memref travels as its own memfd (BulkBuffer),
// fds[fd_index], holding exactly the caller's bytes (input and inout copied
// in, output zeroed); the OS hands the callee that memfd, and the TA
// runtime copies output/inout bytes back after the call. A NULL memref has
// fd_index kNoFd and only a size (a size query). A memfd is at least one
// byte long, so a zero-length non-NULL memref still names memory.
//
// Results: SysResult.ret/origin are the GP result and origin of the call
// (origin TRUSTED_APP: the callee answered; TEE: the OS; COMMS: the path).
// TsCallOut is valid whenever origin is TRUSTED_APP.
#pragma once

#include <cstddef>
#include <cstdint>

namespace swtee::os::ta_session_abi {

enum class TaSessionFn : uint32_t {
  Open = 0,
  Invoke = 1,
  Close = 2,
};
inline constexpr uint32_t kNumTaSessionFns = 3;

inline constexpr uint32_t kNoFd = 0xFFFFFFFF;
inline constexpr uint32_t kTimeoutInfinite = 0xFFFFFFFF;

// TsCallIn.flags
// The caller's cancellation is masked while it waits: a cancel of its
// call does not reach the callee (GP 1.3.1 §4.10).
inline constexpr uint32_t kTsFlagCancelMasked = 1u << 0;

struct TsParamIn {
  uint32_t type;      // TEE_PARAM_TYPE_* (must match param_types)
  uint32_t fd_index;  // memref: index into the syscall's fds, or kNoFd (NULL)
  uint64_t a;         // value a; unused for memrefs
  uint64_t b;         // value b; memref: its size
};
static_assert(sizeof(TsParamIn) == 24);
static_assert(offsetof(TsParamIn, a) == 8);

struct TsCallIn {
  uint8_t uuid[16];      // Open: the destination
  uint64_t session;      // Invoke: the session id Open returned
  uint32_t cmd;          // Invoke: the command id
  uint32_t timeout_ms;   // cancellationRequestTimeout (kTimeoutInfinite: none)
  uint32_t param_types;  // TEE_PARAM_TYPES
  uint32_t flags;        // kTsFlag*
  TsParamIn params[4];
};
static_assert(sizeof(TsCallIn) == 136);
static_assert(offsetof(TsCallIn, session) == 16);
static_assert(offsetof(TsCallIn, params) == 40);

struct TsParamOut {
  uint64_t a;  // value a / memref size reported by the callee
  uint64_t b;  // value b
};
static_assert(sizeof(TsParamOut) == 16);

struct TsCallOut {
  TsParamOut params[4];
};
static_assert(sizeof(TsCallOut) == 64);

}  // namespace swtee::os::ta_session_abi
