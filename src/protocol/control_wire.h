// swteed's control socket, <runtime>/swteed.ctl (mode 0600): status for
// `swtee status`. Control plane only; never on a call path.
//
// Request: ControlRequest. Reply to Status: ControlStatusReply, then
// `num_devices` DeviceStatus records, in one datagram. Reply to Calls:
// CallsReply, then `num_devices` DeviceCalls, then `num_inflight`
// InflightCall records (at most kMaxInflight), in one datagram. Reply to
// Os: OsReply, then `length` bytes of swtee-os's status report
// (os_status_wire.h), in one datagram. The one codec of all of these is
// control_codec.h.
//
// Who may ask: the socket is mode 0600, so only swteed's uid (and root).
// The Os reply names TA process ids, which other users have no business
// seeing.
#pragma once

#include <cstdint>

namespace swtee::control {

inline constexpr const char* kSocketName = "swteed.ctl";

enum class ControlCmd : uint32_t { Status = 1, Calls = 2, Os = 3 };

struct ControlRequest {
  uint32_t cmd;  // ControlCmd
  uint32_t reserved;
};
static_assert(sizeof(ControlRequest) == 8);

struct DeviceStatus {
  char name[32];        // "tee0", NUL-terminated
  uint32_t privileged;  // 0/1
  uint32_t impl_id;
  uint32_t gen_caps;
  uint32_t contexts;  // open contexts (connections)
  uint32_t sessions;  // open sessions over all contexts
  uint32_t shms;      // live shm ids
};
static_assert(sizeof(DeviceStatus) == 56);

struct ControlStatusReply {
  int32_t rc;  // 0 or -errno
  uint32_t num_devices;
  uint64_t uptime_ms;
  uint32_t os_alive;  // 1 while the TEE (swtee-os) is up
  uint32_t reserved;
};
static_assert(sizeof(ControlStatusReply) == 24);

inline constexpr uint32_t kMaxDevices = 32;

struct CallsReply {
  int32_t rc;  // 0 or -errno
  uint32_t num_devices;
  uint32_t num_inflight;    // records sent
  uint32_t inflight_total;  // calls in flight (more than sent when over kMaxInflight)
};
static_assert(sizeof(CallsReply) == 16);

struct DeviceCalls {
  char name[32];    // NUL-terminated
  uint64_t calls;   // completed open-session / invoke / close-session
  uint64_t errors;  // of those, failed (transport error or GP result not success)
  uint64_t panics;  // of those, TEE_ERROR_TARGET_DEAD
};
static_assert(sizeof(DeviceCalls) == 56);

struct InflightCall {
  uint32_t device;  // index into the DeviceCalls records
  int32_t pid;      // client
  char op[8];       // "open", "invoke", "close"
  uint32_t session;
  uint32_t func;
  uint64_t age_us;
};
static_assert(sizeof(InflightCall) == 32);

inline constexpr uint32_t kMaxInflight = 256;

struct OsReply {
  int32_t rc;       // 0, or -errno (e.g. -ENOTCONN: the trusted OS is down)
  uint32_t length;  // bytes of the report that follow (<= osstat::kMaxReportBytes)
};
static_assert(sizeof(OsReply) == 8);

}  // namespace swtee::control
