// The TA channel: the wire between swtee-os (TA manager) and one TA
// instance process. Per instance: a SOCK_SEQPACKET socketpair and a sealed
// memfd shared by both (kInstanceShmSize bytes: the ParamPage, then the
// ChannelBlock).
//
// Set-up (socket): the TA process's first messages are datagrams on the
// socket: Log lines while it loads, then Hello. From the Hello on, every
// message travels through the ChannelBlock (ta_channel_link.h): the sender
// copies it into its direction's buffer and rings the block's doorbell
// (common/doorbell.h) with a frame that holds its length; fds ride ahead
// on the socket in one datagram tagged with the frame's seq. The socket
// stays for those fds and as the liveness signal.
//
// OS -> TA: exactly one TaRequest per message (fixed size). A memref is
// never the client's memory: the OS copies it into a window, a memfd it
// owns, one per parameter and direction (input; output or inout), and the
// TA finds the buffer at offset 0 of that window, which is exactly as long
// as the memref (a page past it is SIGBUS). An input window's fd is
// read-only, so the TA cannot map it writable. After the call the OS copies
// the outputs back (os/ta_manager/memref_windows.h). A window's fd rides
// along the first time the TA needs it (flag kParamFdAttached, in parameter
// order); the TA keeps it.
// TA -> OS: TaMsgHeader followed by the body its `kind` names; the message
// length must be exactly header + body (Log: header + fixed part + text).
//
// Every call is a strict request/reply pair; at most one message is in
// flight per direction. After the Hello a Log or Panic message is the TA's
// last (it exits next), so it never overwrites an unread message.
// All integers are native endian (both ends run on the same host).
//
// System calls: while it serves a request, the TA may ask the OS for a
// service (TA-to-TA sessions, REE and persistent time, trusted storage). It
// sends a Syscall message (TaSyscall + in_len inline bytes, num_fds memfds)
// and blocks until exactly one SyscallReply message comes back
// (TaSyscallReply + out_len inline bytes, no fds). The OS runs the
// syscall on the secure thread that serves the request, so it may RPC to
// the normal world and see the request's cancellation. Any number of
// syscalls may precede the Reply; none may come outside a request. Bulk
// data (more than kMaxSyscallInline bytes) travels in memfds the TA
// creates (MFD_ALLOW_SEALING); the OS fixes their size with seals before
// mapping them and treats their contents as untrusted and shared.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "common/doorbell.h"

namespace swtee::tachan {

inline constexpr uint32_t kRequestMagic = 0x51525453;  // "STRQ"
inline constexpr uint32_t kMsgMagic = 0x4D415453;      // "STAM"
inline constexpr uint32_t kTaAbiVersion = 1;           // swtee_ta_info.abi_version
inline constexpr size_t kNumParams = 4;
inline constexpr size_t kMaxLogText = 1024;
inline constexpr size_t kParamPageSize = 4096;
// The memref bytes of one call, all parameters together: the TA maps its
// windows, and its address space is capped (ta_process.cc, docs/sandbox.md).
inline constexpr uint64_t kMaxCallMemrefBytes = 1ull << 30;
// A window up to this size keeps its pages between calls; a larger one
// is truncated to 0 after its call (os/ta_manager/memref_windows.h), so the
// TA prefaults it at the next call rather than fault page by page.
inline constexpr uint64_t kWindowKeepBytes = 2ull << 20;
// Window mappings in the TA are rounded up to this (fewer remaps as sizes vary).
inline constexpr uint64_t kWindowMapGranule = 2ull << 20;
// Windows, per instance: one per parameter and direction.
inline constexpr size_t kNumWindowDirs = 2;  // 0: input, 1: output/inout

// OS -> TA operations. Values index the TA's dispatch table.
enum class TaOp : uint32_t {
  Create = 0,        // run TA_CreateEntryPoint
  OpenSession = 1,   // TA_OpenSessionEntryPoint; `session` is the new id
  Invoke = 2,        // TA_InvokeCommandEntryPoint
  CloseSession = 3,  // TA_CloseSessionEntryPoint
  Destroy = 4,       // TA_DestroyEntryPoint and reply; the OS then ends the process
};
inline constexpr size_t kNumTaOps = 5;

// TA -> OS message kinds.
enum class TaMsgKind : uint32_t {
  Hello = 0,    // first message: what the TA is (TaHello)
  Reply = 1,    // the answer to the request with the same seq (TaReply)
  Panic = 2,    // TEE_Panic(code); the process exits next (TaPanic)
  Log = 3,      // a line for the OS log (TaLog)
  Syscall = 4,  // a service request (TaSyscall + inline input)
};
inline constexpr size_t kNumTaMsgKinds = 5;

// ---- System calls ----
inline constexpr uint32_t kSysReplyMagic = 0x59535453;  // "STSY"
// Inline data per syscall message, each way.
inline constexpr size_t kMaxSyscallInline = 32 * 1024;
// memfds one syscall message may carry.
inline constexpr size_t kMaxSyscallFds = 4;
// Largest memfd a syscall may pass (bulk data, TA-to-TA memrefs).
inline constexpr uint64_t kMaxSyscallBulk = 64ull << 20;
inline constexpr size_t kNumSyscallArgs = 8;

// Who serves a syscall: one handler per family on the OS side, each with its
// own function enum (TaSyscall.fn) declared next to its TA-side client.
enum class SysFamily : uint32_t {
  Time = 0,       // REE time, TA persistent time
  TaSession = 1,  // TEE_OpenTASession / InvokeTACommand / CloseTASession
  Storage = 2,    // persistent objects and enumerators
};
inline constexpr size_t kNumSysFamilies = 3;

struct TaSyscall {
  uint32_t family;   // SysFamily
  uint32_t fn;       // the family's function
  uint32_t num_fds;  // memfds attached (<= kMaxSyscallFds)
  uint32_t in_len;   // inline input bytes after this struct (<= kMaxSyscallInline)
  uint64_t args[kNumSyscallArgs];
};
static_assert(sizeof(TaSyscall) == 80);
static_assert(offsetof(TaSyscall, args) == 16);

struct TaSyscallReply {
  uint32_t magic;    // kSysReplyMagic
  uint32_t family;   // echoed
  uint32_t fn;       // echoed
  uint32_t ret;      // TEE_Result
  uint32_t origin;   // TEE_ORIGIN_* (meaningful for TA-to-TA results)
  uint32_t out_len;  // inline output bytes after this struct (<= kMaxSyscallInline)
  uint64_t vals[kNumSyscallArgs];
};
static_assert(sizeof(TaSyscallReply) == 88);
static_assert(offsetof(TaSyscallReply, vals) == 24);

// TaWireParam.flags
inline constexpr uint32_t kParamFdAttached = 1u << 0;
inline constexpr uint32_t kParamKnownFlags = kParamFdAttached;

// TaRequest.flags.
// OpenSession only: run TA_CreateEntryPoint first, in the same exchange. The
// OS sets it on an instance's first open, as OP-TEE's libutee runs the create
// entry point inside the first open-session entry (one round trip, not two).
// If create fails, the open entry point does not run and the reply carries
// kRepCreateFailed with create's result.
inline constexpr uint32_t kReqCreateFirst = 1u << 0;
inline constexpr uint32_t kReqKnownFlags = kReqCreateFirst;

// TaRequest.cpu: the CPUs the TA process is to allow itself from this call
// on (os/ta_manager/cpu_follow.h). Only its own affinity, within the set it
// was started with; a hint the kernel refuses changes nothing.
inline constexpr uint32_t kCpuKeep = 0;           // leave the affinity as it is
inline constexpr uint32_t kCpuAny = 0xFFFFFFFFu;  // back to the CPUs it was started with
inline constexpr uint32_t kMaxCpuHint = 4096;     // CPU numbers below this (CONFIG_NR_CPUS's upper range)
constexpr uint32_t cpu_hint(unsigned cpu) { return cpu + 1; }  // only CPU `cpu`
constexpr bool is_valid_cpu_hint(uint32_t h) { return h == kCpuKeep || h == kCpuAny || h <= kMaxCpuHint; }

struct TaWireParam {
  uint64_t a;        // value.a | memref: 0 (the buffer starts its window)
  uint64_t b;        // value.b | memref size
  uint64_t present;  // memref: 1 = the buffer is in its window; 0 = NULL memref
  uint32_t type;     // TEE_PARAM_TYPE_* (os::OsParamType)
  uint32_t flags;    // kParamFdAttached
};
static_assert(sizeof(TaWireParam) == 32);
static_assert(offsetof(TaWireParam, present) == 16);
static_assert(offsetof(TaWireParam, type) == 24);

struct TaRequest {
  uint32_t magic;           // kRequestMagic
  uint32_t op;              // TaOp
  uint32_t seq;             // call sequence number, echoed in the reply; cancel token
  uint32_t session;         // TA-side session id (OpenSession: the id to create)
  uint32_t cmd;             // Invoke: command id
  uint32_t flags;           // kReq*
  uint32_t login;           // OpenSession: client login (TEE_LOGIN_*)
  uint32_t cpu;             // where the TA process should run: kCpuKeep, kCpuAny or cpu_hint(n)
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
  SandboxFailed = 4,  // the sandbox (Landlock or seccomp) could not be set up
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

// TaReply.flags.
// The request had kReqCreateFirst and TA_CreateEntryPoint failed: `ret` is
// its result, the open entry point did not run, params are untouched.
inline constexpr uint32_t kRepCreateFailed = 1u << 0;
inline constexpr uint32_t kRepKnownFlags = kRepCreateFailed;

struct TaReply {
  uint32_t ret;    // TEE_Result of the entry point (origin is TRUSTED_APP)
  uint32_t flags;  // kRep*
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

// Largest message each way (the codec's limits, ta_channel_codec.h).
inline constexpr size_t kMaxOsToTaMessage = sizeof(TaSyscallReply) + kMaxSyscallInline;
inline constexpr size_t kMaxTaToOsMessage = sizeof(TaMsgHeader) + sizeof(TaSyscall) + kMaxSyscallInline;
static_assert(kMaxOsToTaMessage >= sizeof(TaRequest));
static_assert(kMaxTaToOsMessage >= sizeof(TaMsgHeader) + sizeof(TaLog) + kMaxLogText);

// The shared half of the channel, at offset kParamPageSize of the
// instance's memfd. Both ends write it; neither trusts what it reads: a
// receiver copies a message out once, then validates its copy.
// Doorbell roles: the OS is the client (its requests travel `to_server`),
// the TA the server.
struct alignas(4096) ChannelBlock {
  DoorbellPair bell;
  // The TA's life word: its thread id, registered as its robust futex
  // (hold_life_word), so the kernel wakes the OS's waiter when it dies.
  std::atomic<uint32_t> ta_life;
  uint32_t reserved[15];
  uint8_t to_ta[kMaxOsToTaMessage];  // the OS's current message
  uint8_t to_os[kMaxTaToOsMessage];  // the TA's current message
};
static_assert(offsetof(ChannelBlock, bell) == 0 && offsetof(ChannelBlock, ta_life) == 256);
static_assert(offsetof(ChannelBlock, to_ta) == 320);
static_assert(offsetof(ChannelBlock, to_os) == 320 + kMaxOsToTaMessage);
static_assert(sizeof(ChannelBlock) == 17 * 4096);

// The frame that rings a ChannelBlock doorbell: word 0 is the message's
// length in the sender's buffer; the other words are zero.
inline constexpr size_t kFrameLengthWord = 0;

// The instance's memfd: the parameter page, then the channel block.
inline constexpr size_t kChannelBlockOffset = kParamPageSize;
inline constexpr size_t kInstanceShmSize = kParamPageSize + sizeof(ChannelBlock);

}  // namespace swtee::tachan
