// swtee status: what a running swteed reports, plus the TAs on disk.
#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/control_client.h"
#include "common/log.h"
#include "supplicant/ta_store.h"

namespace swtee::cli {

int cmd_status(const StatusOptions& o) {
  int rc = 0;
  auto st = query_status(o.runtime_dir);
  if (!st.ok()) {
    fmt::print("swteed: not reachable at {}: {}\n", o.runtime_dir, st.error());
    rc = 1;
  } else {
    const auto& h = st->header;
    fmt::print("swteed: running at {}, up {}.{:03} s; trusted OS {}\n", o.runtime_dir, h.uptime_ms / 1000,
               h.uptime_ms % 1000, h.os_alive ? "alive" : "DOWN");
    fmt::print("{:<12} {:<5} {:>7} {:>10} {:>8} {:>8} {:>6}\n", "DEVICE", "PRIV", "IMPL", "GEN_CAPS",
               "CONTEXTS", "SESSIONS", "SHMS");
    for (const auto& d : st->devices) {
      fmt::print("{:<12} {:<5} {:>7} {:>#10x} {:>8} {:>8} {:>6}\n", d.name, d.privileged ? "yes" : "no",
                 d.impl_id == 1 ? "optee" : std::to_string(d.impl_id), d.gen_caps, d.contexts, d.sessions,
                 d.shms);
    }
  }
  if (!o.ta_dirs.empty()) {
    supp::TaStore store(o.ta_dirs);
    auto tas = store.list();
    fmt::print("TAs ({} found):\n", tas.size());
    for (const auto& [uuid, path] : tas) fmt::print("  {}  {}\n", uuid.to_string(), path);
  }
  return rc;
}

}  // namespace swtee::cli
