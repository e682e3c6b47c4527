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

}  // namespace swtee::cli
