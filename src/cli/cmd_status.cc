// swtee status: what a running swteed reports (devices, drivers, call
// counters, calls in flight), plus the TAs on disk; --json for scripts.
#include <fmt/core.h>

#include <string>

#include "cli/commands.h"
#include "cli/control_client.h"
#include "common/log.h"
#include "supplicant/ta_store.h"

namespace swtee::cli {
namespace {

const char* driver_name(uint32_t impl_id) { return impl_id == 1 ? "optee" : "unknown"; }

// A JSON string literal (names here are device names, paths and ops).
std::string json_str(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

void print_text(const StatusOptions& o, const DaemonStatus& st, const Result<DaemonCalls>& calls) {
  const auto& h = st.header;
  fmt::print("swteed: running at {}, up {}.{:03} s; trusted OS {}\n", o.runtime_dir, h.uptime_ms / 1000,
             h.uptime_ms % 1000, h.os_alive ? "alive" : "DOWN");
  fmt::print("{:<12} {:<7} {:<5} {:>10} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7}\n", "DEVICE", "DRIVER", "PRIV",
             "GEN_CAPS", "CONTEXTS", "SESSIONS", "SHMS", "CALLS", "ERRORS", "PANICS");
  for (size_t i = 0; i < st.devices.size(); ++i) {
    const auto& d = st.devices[i];
    const control::DeviceCalls* c = calls.ok() && i < calls->devices.size() ? &calls->devices[i] : nullptr;
    fmt::print("{:<12} {:<7} {:<5} {:>#10x} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7}\n", d.name,
               driver_name(d.impl_id), d.privileged ? "yes" : "no", d.gen_caps, d.contexts, d.sessions,
               d.shms, c ? std::to_string(c->calls) : "?", c ? std::to_string(c->errors) : "?",
               c ? std::to_string(c->panics) : "?");
  }
  if (!calls.ok()) {
    fmt::print("calls: not reported ({})\n", calls.error());
    return;
  }
  fmt::print("calls in flight: {}\n", calls->header.inflight_total);
  for (const auto& f : calls->inflight)
    fmt::print("  {:<10} pid {:<7} {:<6} session {:<5} cmd {:#x}  {}.{:03} ms\n",
               calls->devices[f.device].name, f.pid, f.op, f.session, f.func, f.age_us / 1000,
               f.age_us % 1000);
}

void print_json(const StatusOptions& o, const DaemonStatus& st, const Result<DaemonCalls>& calls) {
  const auto& h = st.header;
  std::string out = fmt::format("{{\"runtime_dir\":{},\"uptime_ms\":{},\"os_alive\":{},\"devices\":[",
                                json_str(o.runtime_dir), h.uptime_ms, h.os_alive ? "true" : "false");
  for (size_t i = 0; i < st.devices.size(); ++i) {
    const auto& d = st.devices[i];
    out += fmt::format(
        "{}{{\"name\":{},\"driver\":{},\"privileged\":{},\"gen_caps\":{},\"contexts\":{},"
        "\"sessions\":{},\"shms\":{}",
        i ? "," : "", json_str(d.name), json_str(driver_name(d.impl_id)), d.privileged ? "true" : "false",
        d.gen_caps, d.contexts, d.sessions, d.shms);
    if (calls.ok() && i < calls->devices.size()) {
      const auto& c = calls->devices[i];
      out += fmt::format(",\"calls\":{},\"errors\":{},\"panics\":{}", c.calls, c.errors, c.panics);
    }
    out += "}";
  }
  out += "]";
  if (calls.ok()) {
    out += fmt::format(",\"inflight_total\":{},\"inflight\":[", calls->header.inflight_total);
    for (size_t i = 0; i < calls->inflight.size(); ++i) {
      const auto& f = calls->inflight[i];
      out += fmt::format("{}{{\"device\":{},\"pid\":{},\"op\":{},\"session\":{},\"cmd\":{},\"age_us\":{}}}",
                         i ? "," : "", json_str(calls->devices[f.device].name), f.pid, json_str(f.op),
                         f.session, f.func, f.age_us);
    }
    out += "]";
  }
  fmt::print("{}}}\n", out);
}

}  // namespace

int cmd_status(const StatusOptions& o) {
  int rc = 0;
  auto st = query_status(o.runtime_dir);
  if (!st.ok()) {
    if (o.json)
      fmt::print("{{\"runtime_dir\":{},\"running\":false,\"error\":{}}}\n", json_str(o.runtime_dir),
                 json_str(st.error().message()));
    else
      fmt::print("swteed: not reachable at {} ({})\n", o.runtime_dir, st.error());
    return 1;
  }
  auto calls = query_calls(o.runtime_dir);
  if (o.json)
    print_json(o, *st, calls);
  else
    print_text(o, *st, calls);
  if (!o.ta_dirs.empty() && !o.json) {
    supp::TaStore store(o.ta_dirs);
    auto tas = store.list();
    fmt::print("TAs ({} found):\n", tas.size());
    for (const auto& [uuid, path] : tas) fmt::print("  {}  {}\n", uuid.to_string(), path);
  }
  return rc;
}

}  // namespace swtee::cli
