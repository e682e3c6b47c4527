// swteed's control socket, <runtime>/swteed.ctl (mode 0600): status for
// `swtee status`. Control plane only; never on a call path.
//
// Request: ControlRequest. Reply: ControlStatusReply, then `num_devices`
// DeviceStatus records, in one datagram.
#pragma once

#include <cstdint>

namespace swtee::control {

inline constexpr const char* kSocketName = "swteed.ctl";

enum class ControlCmd : uint32_t { Status = 1 };

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

}  // namespace swtee::control
