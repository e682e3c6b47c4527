// Client of swteed's control socket (protocol/control_wire.h).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "protocol/control_wire.h"

namespace swtee::cli {

struct DaemonStatus {
  control::ControlStatusReply header{};
  std::vector<control::DeviceStatus> devices;
};

// Sends Status to <runtime_dir>/swteed.ctl and decodes the single-datagram
// reply (header + num_devices records, num_devices <= kMaxDevices).
Result<DaemonStatus> query_status(const std::string& runtime_dir);

// Decodes a reply datagram; EPROTO on any size mismatch.
Result<DaemonStatus> decode_status(std::span<const uint8_t> msg);

struct DaemonCalls {
  control::CallsReply header{};
  std::vector<control::DeviceCalls> devices;
  std::vector<control::InflightCall> inflight;
};

// Sends Calls: counters per device and the calls in flight.
Result<DaemonCalls> query_calls(const std::string& runtime_dir);
// EPROTO on any size or index mismatch.
Result<DaemonCalls> decode_calls(std::span<const uint8_t> msg);

}  // namespace swtee::cli
