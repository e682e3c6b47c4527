// The one codec of swteed's control socket (control_wire.h). swteed
// decodes requests; `swtee status` decodes replies. Every decoder takes
// one whole datagram as untrusted bytes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "protocol/control_wire.h"
#include "protocol/os_status_codec.h"

namespace swtee::control {

// A known command with reserved == 0; EINVAL otherwise.
[[nodiscard]] Result<ControlCmd> decode_request(std::span<const uint8_t> msg);

struct StatusView {
  ControlStatusReply header{};
  std::vector<DeviceStatus> devices;  // names NUL-terminated
};
// The reply's rc as an Error when < 0; EPROTO on any size mismatch.
[[nodiscard]] Result<StatusView> decode_status_reply(std::span<const uint8_t> msg);

struct CallsView {
  CallsReply header{};
  std::vector<DeviceCalls> devices;    // names NUL-terminated
  std::vector<InflightCall> inflight;  // device indexes checked, ops NUL-terminated
};
[[nodiscard]] Result<CallsView> decode_calls_reply(std::span<const uint8_t> msg);

// The OS report inside an Os reply, decoded by osstat::decode.
[[nodiscard]] Result<osstat::OsStatus> decode_os_reply(std::span<const uint8_t> msg);

// Largest reply datagram of each command.
inline constexpr size_t kMaxStatusReply = sizeof(ControlStatusReply) + kMaxDevices * sizeof(DeviceStatus);
inline constexpr size_t kMaxCallsReply =
    sizeof(CallsReply) + kMaxDevices * sizeof(DeviceCalls) + kMaxInflight * sizeof(InflightCall);
inline constexpr size_t kMaxOsReply = sizeof(OsReply) + osstat::kMaxReportBytes;

}  // namespace swtee::control
