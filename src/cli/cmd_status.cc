// swtee status: what a running swteed reports (devices, drivers, call
// counters, calls in flight), what swtee-os reports through it (TAs loaded,
// their instances with pids and session counts, RPC and storage counters),
// plus the TAs on disk; --json for scripts.
#include <fmt/core.h>

#include <string>

#include "cli/commands.h"
#include "cli/control_client.h"
#include "common/log.h"
#include "supplicant/ta_store.h"

namespace swtee::cli {
namespace {

const char* driver_name(uint32_t impl_id) { return impl_id == 1 ? "optee" : "unknown"; }

// A JSON string literal (names here are device names, paths, ops, errors).
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

// Everything `swtee status` reports, as queried.
struct Report {
  DaemonStatus st;
  Result<DaemonCalls> calls;
  Result<osstat::OsStatus> os;
};

// The counters of the list in one place: calls, errors and panics
// over every device (swteed's count), RPCs and storage bytes (swtee-os's).
struct Totals {
  uint64_t calls = 0, errors = 0, panics = 0;
};
Totals totals_of(const DaemonCalls& c) {
  Totals t;
  for (const auto& d : c.devices) {
    t.calls += d.calls;
    t.errors += d.errors;
    t.panics += d.panics;
  }
  return t;
}

// swtee-os's pools, by index (protocol/os_status_wire.h).
constexpr const char* kPoolNames[osstat::kNumPools] = {"ta_instances", "pta_waits"};
static_assert(osstat::kPoolTaInstances == 0 && osstat::kPoolPtaWaits == 1);

uint64_t sessions_of(const osstat::TaStatus& t) {
  uint64_t n = 0;
  for (const auto& i : t.instances) n += i.sessions;
  return n;
}

std::string not_reported(const Error& e) {
  if (e.code == EACCES) return e.message() + "; the control socket is for swteed's user and root";
  return e.message();
}

void print_text(const StatusOptions& o, const Report& r) {
  const auto& h = r.st.header;
  fmt::print("swteed: running at {}, up {}.{:03} s; trusted OS {}\n", o.runtime_dir, h.uptime_ms / 1000,
             h.uptime_ms % 1000, h.os_alive ? "alive" : "DOWN");
  fmt::print("{:<12} {:<7} {:<5} {:>10} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7}\n", "DEVICE", "DRIVER", "PRIV",
             "GEN_CAPS", "CONTEXTS", "SESSIONS", "SHMS", "CALLS", "ERRORS", "PANICS");
  for (size_t i = 0; i < r.st.devices.size(); ++i) {
    const auto& d = r.st.devices[i];
    const control::DeviceCalls* c =
        r.calls.ok() && i < r.calls->devices.size() ? &r.calls->devices[i] : nullptr;
    fmt::print("{:<12} {:<7} {:<5} {:>#10x} {:>8} {:>8} {:>6} {:>9} {:>7} {:>7}\n", d.name,
               driver_name(d.impl_id), d.privileged ? "yes" : "no", d.gen_caps, d.contexts, d.sessions,
               d.shms, c ? std::to_string(c->calls) : "?", c ? std::to_string(c->errors) : "?",
               c ? std::to_string(c->panics) : "?");
  }
  if (r.calls.ok()) {
    fmt::print("calls in flight: {}\n", r.calls->header.inflight_total);
    for (const auto& f : r.calls->inflight)
      fmt::print("  {:<10} pid {:<7} {:<6} session {:<5} cmd {:#x}  {}.{:03} ms\n",
                 r.calls->devices[f.device].name, f.pid, f.op, f.session, f.func, f.age_us / 1000,
                 f.age_us % 1000);
  } else {
    fmt::print("calls: not reported ({})\n", not_reported(r.calls.error()));
  }
  if (!r.os.ok()) {
    fmt::print("trusted OS: not reported ({})\n", not_reported(r.os.error()));
  } else {
    const osstat::OsStatus& s = r.os.value();
    fmt::print("TAs loaded: {} ({} instances)\n", s.tas.size() + s.omitted_tas, s.counts.ta_instances);
    for (const auto& t : s.tas) {
      fmt::print("  {}  instances {}  sessions {}  panics {}\n", t.uuid.to_string(), t.instances.size(),
                 sessions_of(t), t.panics);
      for (const auto& i : t.instances) fmt::print("    pid {:<7} sessions {}\n", i.pid, i.sessions);
    }
    if (s.omitted_tas != 0 || s.omitted_instances != 0)
      fmt::print("  ... {} more TAs and {} more instances not listed\n", s.omitted_tas, s.omitted_instances);
    // swtee-os's pools split per uid (docs/architecture.md, "Per-uid shares").
    for (uint32_t i = 0; i < osstat::kNumPools; ++i) {
      const osstat::PoolStatus& p = s.pools[i];
      fmt::print("OS pool {:<14} used {} of {} ({} per uid); refused: share used up {}, pool full {}\n",
                 kPoolNames[i], p.used, p.global, p.per_uid, p.refused_share, p.refused_full);
    }
  }
  std::string line = "counters:";
  if (r.calls.ok()) {
    const Totals t = totals_of(r.calls.value());
    line += fmt::format(" calls {}, errors {}, panics {}", t.calls, t.errors, t.panics);
  }
  if (r.os.ok())
    line +=
        fmt::format("{} RPCs {}, storage read {} B, written {} B", r.calls.ok() ? "," : "", r.os->counts.rpcs,
                    r.os->counts.storage_read_bytes, r.os->counts.storage_written_bytes);
  if (r.calls.ok() || r.os.ok()) fmt::print("{}\n", line);
}

void print_json(const StatusOptions& o, const Report& r) {
  const auto& h = r.st.header;
  std::string out =
      fmt::format("{{\"runtime_dir\":{},\"running\":true,\"uptime_ms\":{},\"os_alive\":{},\"devices\":[",
                  json_str(o.runtime_dir), h.uptime_ms, h.os_alive ? "true" : "false");
  for (size_t i = 0; i < r.st.devices.size(); ++i) {
    const auto& d = r.st.devices[i];
    out += fmt::format(
        "{}{{\"name\":{},\"driver\":{},\"privileged\":{},\"gen_caps\":{},\"contexts\":{},"
        "\"sessions\":{},\"shms\":{}",
        i ? "," : "", json_str(d.name), json_str(driver_name(d.impl_id)), d.privileged ? "true" : "false",
        d.gen_caps, d.contexts, d.sessions, d.shms);
    if (r.calls.ok() && i < r.calls->devices.size()) {
      const auto& c = r.calls->devices[i];
      out += fmt::format(",\"calls\":{},\"errors\":{},\"panics\":{}", c.calls, c.errors, c.panics);
    }
    out += "}";
  }
  out += "]";
  if (r.calls.ok()) {
    out += fmt::format(",\"inflight_total\":{},\"inflight\":[", r.calls->header.inflight_total);
    for (size_t i = 0; i < r.calls->inflight.size(); ++i) {
      const auto& f = r.calls->inflight[i];
      out += fmt::format("{}{{\"device\":{},\"pid\":{},\"op\":{},\"session\":{},\"cmd\":{},\"age_us\":{}}}",
                         i ? "," : "", json_str(r.calls->devices[f.device].name), f.pid, json_str(f.op),
                         f.session, f.func, f.age_us);
    }
    out += "]";
  } else {
    out += fmt::format(",\"calls_error\":{}", json_str(not_reported(r.calls.error())));
  }
  if (r.os.ok()) {
    const osstat::OsStatus& s = r.os.value();
    out += fmt::format(
        ",\"os\":{{\"ta_instances\":{},\"sessions\":{},\"registered_shm\":{},\"inflight\":{},\"rpcs\":{},"
        "\"storage_read_bytes\":{},\"storage_written_bytes\":{},\"ta_panics\":{},\"omitted_tas\":{},"
        "\"omitted_instances\":{}}}",
        s.counts.ta_instances, s.counts.sessions, s.counts.registered_shm, s.counts.inflight, s.counts.rpcs,
        s.counts.storage_read_bytes, s.counts.storage_written_bytes, s.counts.ta_panics, s.omitted_tas,
        s.omitted_instances);
    out += ",\"os_pools\":{";
    for (uint32_t i = 0; i < osstat::kNumPools; ++i) {
      const osstat::PoolStatus& p = s.pools[i];
      out += fmt::format(
          "{}{}:{{\"global\":{},\"per_uid\":{},\"used\":{},\"refused_share\":{},\"refused_full\":{}}}",
          i ? "," : "", json_str(kPoolNames[i]), p.global, p.per_uid, p.used, p.refused_share,
          p.refused_full);
    }
    out += "},\"tas\":[";
    for (size_t i = 0; i < s.tas.size(); ++i) {
      const auto& t = s.tas[i];
      out += fmt::format("{}{{\"uuid\":{},\"panics\":{},\"sessions\":{},\"instances\":[", i ? "," : "",
                         json_str(t.uuid.to_string()), t.panics, sessions_of(t));
      for (size_t j = 0; j < t.instances.size(); ++j)
        out += fmt::format("{}{{\"pid\":{},\"sessions\":{}}}", j ? "," : "", t.instances[j].pid,
                           t.instances[j].sessions);
      out += "]}";
    }
    out += "]";
  } else {
    out += fmt::format(",\"os_error\":{}", json_str(not_reported(r.os.error())));
  }
  out += ",\"counters\":{";
  if (r.calls.ok()) {
    const Totals t = totals_of(r.calls.value());
    out += fmt::format("\"calls\":{},\"errors\":{},\"panics\":{}", t.calls, t.errors, t.panics);
  }
  if (r.os.ok())
    out += fmt::format("{}\"rpcs\":{},\"storage_read_bytes\":{},\"storage_written_bytes\":{}",
                       r.calls.ok() ? "," : "", r.os->counts.rpcs, r.os->counts.storage_read_bytes,
                       r.os->counts.storage_written_bytes);
  fmt::print("{}}}}}\n", out);
}

}  // namespace

int cmd_status(const StatusOptions& o) {
  auto st = query_status(o.runtime_dir);
  if (!st.ok()) {
    if (o.json)
      fmt::print("{{\"runtime_dir\":{},\"running\":false,\"error\":{}}}\n", json_str(o.runtime_dir),
                 json_str(not_reported(st.error())));
    else
      fmt::print("swteed: not reachable at {} ({})\n", o.runtime_dir, not_reported(st.error()));
    return 1;
  }
  Report r{std::move(*st), query_calls(o.runtime_dir), query_os(o.runtime_dir)};
  if (o.json)
    print_json(o, r);
  else
    print_text(o, r);
  if (!o.ta_dirs.empty() && !o.json) {
    supp::TaStore store(o.ta_dirs);
    auto tas = store.list();
    fmt::print("TAs on disk ({} found):\n", tas.size());
    for (const auto& [uuid, path] : tas) fmt::print("  {}  {}\n", uuid.to_string(), path);
  }
  return 0;
}

}  // namespace swtee::cli
