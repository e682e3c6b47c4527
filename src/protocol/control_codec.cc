#include "protocol/control_codec.h"

#include <cstring>

namespace swtee::control {
namespace {

// A reply's negative rc as an Error; an rc that is no errno (below -4095,
// INT32_MIN included, whose negation overflows) is a malformed reply.
Error refused(int32_t rc, const char* what) {
  if (rc < -4095) return Error{EPROTO, what, "rc out of range"};
  return Error{-rc, what};
}

}  // namespace

Result<ControlCmd> decode_request(std::span<const uint8_t> msg) {
  ControlRequest req;
  if (msg.size() != sizeof(req)) return Error{EINVAL, "control request: wrong length"};
  std::memcpy(&req, msg.data(), sizeof(req));
  if (req.reserved != 0) return Error{EINVAL, "control request: reserved word set"};
  switch (static_cast<ControlCmd>(req.cmd)) {
    case ControlCmd::Status:
    case ControlCmd::Calls:
    case ControlCmd::Os:
      return static_cast<ControlCmd>(req.cmd);
  }
  return Error{EINVAL, "control request: unknown command"};
}

Result<StatusView> decode_status_reply(std::span<const uint8_t> msg) {
  StatusView st;
  if (msg.size() < sizeof(st.header)) return Error{EPROTO, "short status reply"};
  std::memcpy(&st.header, msg.data(), sizeof(st.header));
  if (st.header.rc < 0) return refused(st.header.rc, "swteed refused the status request");
  if (st.header.num_devices > kMaxDevices ||
      msg.size() != sizeof(st.header) + size_t{st.header.num_devices} * sizeof(DeviceStatus))
    return Error{EPROTO, "malformed status reply"};
  st.devices.resize(st.header.num_devices);
  if (!st.devices.empty())
    std::memcpy(st.devices.data(), msg.data() + sizeof(st.header), st.devices.size() * sizeof(DeviceStatus));
  for (auto& d : st.devices) d.name[sizeof(d.name) - 1] = '\0';
  return st;
}

Result<CallsView> decode_calls_reply(std::span<const uint8_t> msg) {
  CallsView c;
  if (msg.size() < sizeof(c.header)) return Error{EPROTO, "short calls reply"};
  std::memcpy(&c.header, msg.data(), sizeof(c.header));
  if (c.header.rc < 0) return refused(c.header.rc, "swteed refused the calls request");
  const size_t nd = c.header.num_devices, ni = c.header.num_inflight;
  if (nd > kMaxDevices || ni > kMaxInflight ||
      msg.size() != sizeof(c.header) + nd * sizeof(DeviceCalls) + ni * sizeof(InflightCall))
    return Error{EPROTO, "malformed calls reply"};
  c.devices.resize(nd);
  c.inflight.resize(ni);
  const uint8_t* p = msg.data() + sizeof(c.header);
  if (nd != 0) std::memcpy(c.devices.data(), p, nd * sizeof(DeviceCalls));
  if (ni != 0) std::memcpy(c.inflight.data(), p + nd * sizeof(DeviceCalls), ni * sizeof(InflightCall));
  for (auto& d : c.devices) d.name[sizeof(d.name) - 1] = '\0';
  for (auto& f : c.inflight) {
    f.op[sizeof(f.op) - 1] = '\0';
    if (f.device >= nd) return Error{EPROTO, "calls reply names an unknown device"};
  }
  return c;
}

Result<osstat::OsStatus> decode_os_reply(std::span<const uint8_t> msg) {
  OsReply h;
  if (msg.size() < sizeof(h)) return Error{EPROTO, "short OS reply"};
  std::memcpy(&h, msg.data(), sizeof(h));
  if (h.rc < 0) return refused(h.rc, "swteed could not get the trusted OS's status");
  if (h.length > osstat::kMaxReportBytes || msg.size() != sizeof(h) + size_t{h.length})
    return Error{EPROTO, "malformed OS reply"};
  return osstat::decode(msg.subspan(sizeof(h)));
}

}  // namespace swtee::control
