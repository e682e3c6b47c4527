#include "cli/control_client.h"

#include <poll.h>

#include <cstring>

#include "common/seqpacket.h"

namespace swtee::cli {

Result<DaemonStatus> decode_status(std::span<const uint8_t> msg) {
  DaemonStatus st;
  if (msg.size() < sizeof(st.header)) return Error{EPROTO, "short status reply"};
  std::memcpy(&st.header, msg.data(), sizeof(st.header));
  if (st.header.rc < 0) return Error{-st.header.rc, "swteed refused the status request"};
  if (st.header.num_devices > control::kMaxDevices ||
      msg.size() != sizeof(st.header) + size_t{st.header.num_devices} * sizeof(control::DeviceStatus))
    return Error{EPROTO, "malformed status reply"};
  st.devices.resize(st.header.num_devices);
  if (!st.devices.empty())
    std::memcpy(st.devices.data(), msg.data() + sizeof(st.header),
                st.devices.size() * sizeof(control::DeviceStatus));
  for (auto& d : st.devices) d.name[sizeof(d.name) - 1] = '\0';
  return st;
}

Result<DaemonCalls> decode_calls(std::span<const uint8_t> msg) {
  DaemonCalls c;
  if (msg.size() < sizeof(c.header)) return Error{EPROTO, "short calls reply"};
  std::memcpy(&c.header, msg.data(), sizeof(c.header));
  if (c.header.rc < 0) return Error{-c.header.rc, "swteed refused the calls request"};
  const size_t nd = c.header.num_devices, ni = c.header.num_inflight;
  if (nd > control::kMaxDevices || ni > control::kMaxInflight ||
      msg.size() != sizeof(c.header) + nd * sizeof(control::DeviceCalls) + ni * sizeof(control::InflightCall))
    return Error{EPROTO, "malformed calls reply"};
  c.devices.resize(nd);
  c.inflight.resize(ni);
  const uint8_t* p = msg.data() + sizeof(c.header);
  if (nd != 0) std::memcpy(c.devices.data(), p, nd * sizeof(control::DeviceCalls));
  if (ni != 0)
    std::memcpy(c.inflight.data(), p + nd * sizeof(control::DeviceCalls), ni * sizeof(control::InflightCall));
  for (auto& d : c.devices) d.name[sizeof(d.name) - 1] = '\0';
  for (auto& f : c.inflight) {
    f.op[sizeof(f.op) - 1] = '\0';
    if (f.device >= nd) return Error{EPROTO, "calls reply names an unknown device"};
  }
  return c;
}

namespace {

// One request, one reply datagram of at most `max_reply` bytes.
Result<std::vector<uint8_t>> exchange(const std::string& runtime_dir, control::ControlCmd cmd,
                                      size_t max_reply) {
  ASSIGN_OR_RETURN(UniqueFd s, seqpacket_connect(runtime_dir + "/" + control::kSocketName));
  control::ControlRequest req{static_cast<uint32_t>(cmd), 0};
  TRY_STATUS(send_message(s.get(), {reinterpret_cast<const uint8_t*>(&req), sizeof(req)}));
  pollfd p{s.get(), POLLIN, 0};
  if (::poll(&p, 1, 5000) <= 0) return Error{ETIMEDOUT, "no reply from swteed"};
  std::vector<uint8_t> buf(max_reply + 1);
  ASSIGN_OR_RETURN(ReceivedMessage m, recv_message(s.get(), buf));
  buf.resize(m.length);
  return buf;
}

}  // namespace

Result<DaemonCalls> query_calls(const std::string& runtime_dir) {
  ASSIGN_OR_RETURN(
      auto reply, exchange(runtime_dir, control::ControlCmd::Calls,
                           sizeof(control::CallsReply) + control::kMaxDevices * sizeof(control::DeviceCalls) +
                               control::kMaxInflight * sizeof(control::InflightCall)));
  return decode_calls(reply);
}

Result<DaemonStatus> query_status(const std::string& runtime_dir) {
  ASSIGN_OR_RETURN(auto reply, exchange(runtime_dir, control::ControlCmd::Status,
                                        sizeof(control::ControlStatusReply) +
                                            control::kMaxDevices * sizeof(control::DeviceStatus)));
  return decode_status(reply);
}

}  // namespace swtee::cli
