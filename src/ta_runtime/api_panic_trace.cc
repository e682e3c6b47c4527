// GP TEE Internal Core API: TEE_Panic, and the trace backend behind the
// EMSG/IMSG/DMSG/FMSG macros (trace.h).
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "protocol/ta_channel_codec.h"
#include "ta_runtime/dispatcher.h"
#include "ta_runtime/runtime_state.h"
#include "tee_internal_api.h"

using swtee::ta::runtime;

namespace {

const char* level_tag(int level) noexcept {
  switch (level) {
    case TRACE_ERROR:
      return "E";
    case TRACE_INFO:
      return "I";
    case TRACE_DEBUG:
      return "D";
    case TRACE_FLOW:
      return "F";
    default:
      return "M";
  }
}

}  // namespace

extern "C" {

// Reports the code to the OS, then ends the process. The OS answers the
// panicking call, and every later call of this instance, TARGET_DEAD.
void TEE_Panic(TEE_Result panicCode) {
  const auto& rt = runtime();
  std::fprintf(stderr, "TEE_Panic(%#x)\n", panicCode);  // the zygote prefixes "TA <uuid>: "
  if (rt.link != nullptr) {
    swtee::tachan::TaPanic p{panicCode, 0};
    (void)swtee::tachan::send_ta_message(*rt.link, swtee::tachan::TaMsgKind::Panic, 0,
                                         {reinterpret_cast<const uint8_t*>(&p), sizeof(p)});
  }
  ::_exit(swtee::ta::kExitPanic);
}

// One write(2) per message to stderr (allowed by the sandbox), so lines of
// concurrent TAs do not interleave. Prefix: "<L> func:line: " (the zygote,
// which reads stderr, adds "TA <uuid>: ").
void swtee_trace_printf(int level, const char* func, int line, const char* fmt, ...) {
  const auto& rt = runtime();
  if (level > rt.trace_level) return;
  char buf[1024];
  int n = 0;
  if (func != nullptr) {
    n = std::snprintf(buf, sizeof(buf), "%s %s:%d: ", level_tag(level), func, line);
    if (n < 0) return;
  }
  va_list ap;
  va_start(ap, fmt);
  int m = std::vsnprintf(buf + n, sizeof(buf) - static_cast<size_t>(n), fmt, ap);
  va_end(ap);
  if (m < 0) return;
  size_t len = std::min(sizeof(buf) - 1, static_cast<size_t>(n) + static_cast<size_t>(m));
  if (func != nullptr) {
    if (len == sizeof(buf) - 1) len = sizeof(buf) - 2;
    if (len == 0 || buf[len - 1] != '\n') buf[len++] = '\n';
  }
  (void)!::write(STDERR_FILENO, buf, len);
}

}  // extern "C"
