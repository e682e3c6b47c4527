// Client of swteed's control socket (protocol/control_wire.h): one request,
// one reply datagram, decoded by protocol/control_codec.h.
#pragma once

#include <string>

#include "common/result.h"
#include "protocol/control_codec.h"

namespace swtee::cli {

using DaemonStatus = control::StatusView;
using DaemonCalls = control::CallsView;

// Devices of the daemon at <runtime_dir>/swteed.ctl.
Result<DaemonStatus> query_status(const std::string& runtime_dir);
// Counters per device and the calls in flight.
Result<DaemonCalls> query_calls(const std::string& runtime_dir);
// What swtee-os reports: TAs, their instances and pids, OS counters.
Result<osstat::OsStatus> query_os(const std::string& runtime_dir);

}  // namespace swtee::cli
