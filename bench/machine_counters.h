// Machine-wide counters of /proc/stat, read around a bench window: how much
// CPU time and how many context switches the whole machine spent in it
// (every process of the stack, not only the bench's own).
#pragma once

#include <cstdint>
#include <optional>

namespace swtee::bench {

struct MachineCounters {
  uint64_t busy_ticks = 0;        // user + nice + system + irq + softirq + steal, all CPUs
  uint64_t context_switches = 0;  // "ctxt"
};

// Nothing when /proc/stat cannot be read or parsed.
std::optional<MachineCounters> read_machine_counters();

// What a window between two reads cost per call: CPU time in µs and
// context switches. Zero calls or a missing read give nothing.
struct PerCall {
  double cpu_us = 0;
  double switches = 0;
};
std::optional<PerCall> per_call(const std::optional<MachineCounters>& before,
                                const std::optional<MachineCounters>& after, uint64_t calls);

}  // namespace swtee::bench
