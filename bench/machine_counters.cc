#include "machine_counters.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace swtee::bench {

std::optional<MachineCounters> read_machine_counters() {
  std::ifstream in("/proc/stat");
  if (!in) return std::nullopt;
  MachineCounters c;
  bool have_cpu = false, have_ctxt = false;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "cpu") {
      // user nice system idle iowait irq softirq steal
      uint64_t v[8] = {};
      for (auto& x : v) words >> x;
      if (!words) return std::nullopt;
      c.busy_ticks = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
      have_cpu = true;
    } else if (key == "ctxt") {
      words >> c.context_switches;
      if (!words) return std::nullopt;
      have_ctxt = true;
    }
  }
  if (!have_cpu || !have_ctxt) return std::nullopt;
  return c;
}

std::optional<PerCall> per_call(const std::optional<MachineCounters>& before,
                                const std::optional<MachineCounters>& after, uint64_t calls) {
  if (!before || !after || calls == 0 || after->busy_ticks < before->busy_ticks ||
      after->context_switches < before->context_switches)
    return std::nullopt;
  const long hz = sysconf(_SC_CLK_TCK);
  if (hz <= 0) return std::nullopt;
  PerCall p;
  p.cpu_us = static_cast<double>(after->busy_ticks - before->busy_ticks) * 1e6 / static_cast<double>(hz) /
             static_cast<double>(calls);
  p.switches =
      static_cast<double>(after->context_switches - before->context_switches) / static_cast<double>(calls);
  return p;
}

}  // namespace swtee::bench
