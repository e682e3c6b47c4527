// OPTEE_RPC_CMD_*: requests from the secure world to the normal world
// (optee_rpc_cmd.h), and the REE FS sub-commands. OP-TEE's values.
#pragma once

#include <cstdint>

namespace swtee::optee {

enum class RpcCmd : uint32_t {
  LoadTa = 0,
  Rpmb = 1,
  Fs = 2,
  GetTime = 3,
  Notification = 4,  // WAIT_QUEUE in 2016
  Suspend = 5,
  ShmAlloc = 6,
  ShmFree = 7,
  SqlFsReserved = 8,
  Gprof = 9,
  Socket = 10,
  Ftrace = 11,
  SuppPlugin = 12,
};

inline constexpr uint32_t kRpcNotificationWait = 0;  // WAIT_QUEUE_SLEEP
inline constexpr uint32_t kRpcNotificationSend = 1;  // WAIT_QUEUE_WAKEUP

// OPTEE_RPC_CMD_SUPP_PLUGIN, OP-TEE's layout (the UUID as four native
// 32-bit words of its 16 RFC 4122 octets, in order):
//   [0] value in    a = kRpcSuppPluginInvoke, b = words[0], c = words[1]
//   [1] value in    a = words[2], b = words[3], c = plugin command
//   [2] value inout a = sub-command; out b = output length
//   [3] memref inout the data, overwritten by the plugin's output
inline constexpr uint32_t kRpcSuppPluginInvoke = 0;

inline constexpr uint32_t kRpcShmTypeAppl = 0;
inline constexpr uint32_t kRpcShmTypeKernel = 1;
inline constexpr uint32_t kRpcShmTypeGlobal = 2;

enum class FsCmd : uint32_t {
  Open = 0,
  Create = 1,
  Close = 2,
  Read = 3,
  Write = 4,
  Truncate = 5,
  Remove = 6,
  Rename = 7,
  Opendir = 8,
  Closedir = 9,
  Readdir = 10,
};
inline constexpr uint32_t kFsCmdCount = 11;

// REE FS handles: OPEN, CREATE and OPENDIR answer one in value a; the other
// commands take it in value b. tee-supplicant's handles are fds, reused as
// soon as they are closed. swtee-supplicant's are 64-bit: bits 63..32 are a
// tag that each supplicant instance draws at random (never 0), bits 31..0 a
// count the instance does not reuse. So a handle names one open file of one
// instance: a restarted supplicant refuses every handle of its predecessor
// (BAD_PARAMETERS), unless a fresh tag collides (2^-32 per restart). Only a
// tagged handle may be kept by the secure side beyond the call that opened
// it (os/storage/kept_handles.h).
inline constexpr unsigned kFsHandleTagShift = 32;
constexpr bool fs_handle_is_tagged(uint64_t handle) { return (handle >> kFsHandleTagShift) != 0; }

// Largest number of params an RPC carries (tee-supplicant uses 5).
inline constexpr uint32_t kRpcMaxParams = 5;

}  // namespace swtee::optee
