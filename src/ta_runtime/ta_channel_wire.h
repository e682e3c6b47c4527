// The TA channel: the wire between swtee-os (TA manager) and one TA
// instance process. One SOCK_SEQPACKET socketpair per instance plus a
// per-instance shared parameter page (sealed memfd, kParamPageSize bytes).
//
// OS -> TA: exactly one TaRequest per datagram (fixed size). Memref fds ride
// along as SCM_RIGHTS, one per parameter flagged kParamFdAttached, in
// parameter order.
// TA -> OS: TaMsgHeader followed by the body its `kind` names; the datagram
// length must be exactly header + body (Log: header + fixed part + text).
//
// Every call is a strict request/reply pair; Log messages may precede a
// reply, a Panic message precedes the TA's death. All integers are native
// endian (both ends run on the same host).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace swtee::tachan {

inline constexpr uint32_t kRequestMagic = 0x51525453;  // "STRQ"
inline constexpr uint32_t kMsgMagic = 0x4D415453;      // "STAM"
inline constexpr uint32_t kTaAbiVersion = 1;           // swtee_ta_info.abi_version
inline constexpr size_t kNumParams = 4;
inline constexpr size_t kMaxLogText = 1024;
inline constexpr size_t kParamPageSize = 4096;
// Shm mappings a TA instance caches before the OS makes it flush them.
inline constexpr size_t kMaxCachedShm = 64;

// OS -> TA operations. Values index the TA's dispatch table.
enum class TaOp : uint32_t {
  Create = 0,        // run TA_CreateEntryPoint
  OpenSession = 1,   // TA_OpenSessionEntryPoint; `session` is the new id
  Invoke = 2,        // TA_InvokeCommandEntryPoint
  CloseSession = 3,  // TA_CloseSessionEntryPoint
  Destroy = 4,       // TA_DestroyEntryPoint, reply, then exit
};
inline constexpr size_t kNumTaOps = 5;

// TA -> OS message kinds.
enum class TaMsgKind : uint32_t {
  Hello = 0,  // first message: what the TA is (TaHello)
  Reply = 1,  // the answer to the request with the same seq (TaReply)
  Panic = 2,  // TEE_Panic(code); the process exits next (TaPanic)
  Log = 3,    // a line for the OS log (TaLog)
};
inline constexpr size_t kNumTaMsgKinds = 4;

// TaWireParam.flags
inline constexpr uint32_t kParamFdAttached = 1u << 0;
inline constexpr uint32_t kParamKnownFlags = kParamFdAttached;

// TaRequest.flags
// Drop every cached shm mapping before handling this request (the OS keeps
// the cache bounded by resetting it; fds of this request's memrefs follow).
inline constexpr uint32_t kReqFlushShmCache = 1u << 0;
inline constexpr uint32_t kReqKnownFlags = kReqFlushShmCache;

struct TaWireParam {
  uint64_t a;       // value.a | memref offset into the shm
  uint64_t b;       // value.b | memref size
  uint64_t cookie;  // memref: the shm's cookie; 0 = NULL memref
  uint32_t type;    // TEE_PARAM_TYPE_* (os::OsParamType)
  uint32_t flags;   // kParamFdAttached
};
static_assert(sizeof(TaWireParam) == 32);
static_assert(offsetof(TaWireParam, cookie) == 16);
static_assert(offsetof(TaWireParam, type) == 24);

struct TaRequest {
  uint32_t magic;    // kRequestMagic
  uint32_t op;       // TaOp
  uint32_t seq;      // call sequence number, echoed in the reply; cancel token
  uint32_t session;  // TA-side session id (OpenSession: the id to create)
  uint32_t cmd;      // Invoke: command id
  uint32_t flags;    // kReq*
  uint32_t login;    // OpenSession: client login (TEE_LOGIN_*)
  uint32_t reserved;
  uint8_t client_uuid[16];  // OpenSession: client identity, RFC 4122 octets
  TaWireParam params[kNumParams];
};
static_assert(sizeof(TaRequest) == 176);
static_assert(offsetof(TaRequest, client_uuid) == 32);
static_assert(offsetof(TaRequest, params) == 48);

struct TaMsgHeader {
  uint32_t magic;  // kMsgMagic
  uint32_t kind;   // TaMsgKind
  uint32_t seq;    // Reply: the request's seq; otherwise 0
  uint32_t body_len;
};
static_assert(sizeof(TaMsgHeader) == 16);

// Load status reported in TaHello.status.
enum class HelloStatus : uint32_t {
  Ok = 0,
  LoadFailed = 1,     // dlopen failed
  NoInfo = 2,         // swtee_ta_info missing or bad abi_version
  NoEntryPoint = 3,   // a GP entry point is missing
  SandboxFailed = 4,  // seccomp could not be installed
};

struct TaHello {
  uint32_t status;       // HelloStatus
  uint32_t abi_version;  // swtee_ta_info.abi_version
  uint8_t uuid[16];      // swtee_ta_info.uuid as RFC 4122 octets
  uint32_t flags;        // swtee_ta_info.flags
  uint32_t stack_size;
  uint32_t data_size;
  uint32_t reserved;
};
static_assert(sizeof(TaHello) == 40);
static_assert(offsetof(TaHello, flags) == 24);

struct TaOutParam {
  uint64_t a;  // value.a | memref size the TA reported
  uint64_t b;  // value.b
};
static_assert(sizeof(TaOutParam) == 16);

struct TaReply {
  uint32_t ret;  // TEE_Result of the entry point (origin is TRUSTED_APP)
  uint32_t reserved;
  TaOutParam params[kNumParams];
};
static_assert(sizeof(TaReply) == 72);

struct TaPanic {
  uint32_t code;
  uint32_t reserved;
};
static_assert(sizeof(TaPanic) == 8);

struct TaLog {
  uint32_t level;  // 1 error .. 4 debug (trace levels)
  uint32_t len;    // text bytes that follow, <= kMaxLogText
  // char text[len];
};
static_assert(sizeof(TaLog) == 8);

// The shared parameter page. The OS writes, the TA reads; both map it.
struct ParamPage {
  // seq of the call whose cancellation was requested. The TA compares it
  // with the seq of the request it is serving; a stale write from a
  // finished call can therefore never cancel a later one. Futex word: the
  // OS wakes waiters (TEE_Wait) after storing.
  std::atomic<uint32_t> cancel_seq;
  uint32_t reserved[1023];
};
static_assert(sizeof(ParamPage) == kParamPageSize);
static_assert(std::atomic<uint32_t>::is_always_lock_free);

}  // namespace swtee::tachan
