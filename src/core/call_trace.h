// The call trace (swteed --trace, `swtee run --trace`): one line per
// completed open-session, invoke and close-session, like strace for TEE
// calls (docs/debugging.md). Off, it costs one relaxed atomic load per call:
// no clock is read and nothing is formatted.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/uuid.h"
#include "core/tee_param.h"

namespace swtee::core::trace {

extern std::atomic<int> g_fd;  // -1: off

// Sends every line to `fd` (kept open by the caller); -1 turns tracing off.
void enable(int fd);
inline bool on() { return g_fd.load(std::memory_order_relaxed) >= 0; }

struct Call {
  const char* op = "";  // "open", "invoke", "close"
  pid_t pid = 0;        // the client, from SO_PEERCRED
  uint32_t session = 0;
  const Uuid* ta = nullptr;  // nullptr: unknown
  uint32_t func = 0;
  const TeeParams* params = nullptr;  // nullptr: none (close)
  std::chrono::nanoseconds duration{0};
  uint32_t ret = 0;
  uint32_t origin = 0;
  int error = 0;  // a transport error (positive errno) instead of a GP result
};

// The line for `c` (without the newline).
std::string format(const Call& c);
// Writes format(c) to the trace fd in one write().
void emit(const Call& c);

}  // namespace swtee::core::trace
