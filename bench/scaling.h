// Aggregate null invokes per second with many clients at once: N threads of
// this process, or N processes, each with its own context and session on
// the same TA, all invoking for the same wall-clock time. Per-call
// latencies of all clients make the p50 and p99.
#pragma once

#include <tee_client_api.h>

#include <cstddef>

#include "latency.h"

namespace swtee::bench {

struct ScalingRow {
  unsigned clients = 0;
  bool processes = false;
  double calls_per_s = 0;
  Summary s;
  size_t errors = 0;
  // The whole machine's CPU time (µs) and context switches per call over
  // the measured window (/proc/stat); 0 when it could not be read.
  double cpu_us_per_call = 0;
  double switches_per_call = 0;
};

// `seconds` of measurement after a short warm-up.
ScalingRow scale_threads(const TEEC_UUID& ta, unsigned threads, double seconds);
ScalingRow scale_processes(const TEEC_UUID& ta, unsigned processes, double seconds);

}  // namespace swtee::bench
