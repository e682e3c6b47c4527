// The TA process's main loop: serves the channel until the OS goes away or
// ends the process. Requests are decoded (ta_channel_codec), dispatched
// through a table keyed by TaOp, and answered with exactly one Reply.
//
// After Destroy's reply the process does not exit by itself: it waits,
// taking no further request, until the OS kills it or lets go of the
// channel. Its exit (the teardown of its address space, most of a
// millisecond on the 2-vCPU VM) used to run between that reply and the
// OS's next steps, and the session close that destroyed an instance took
// 675-804 us p50 instead of 168-260 us (docs/performance.md, "Closing the
// last session"). A --debug-ta process still exits at once, through its
// exit handlers (coverage data), and the OS waits for that exit.
#pragma once

#include "ta_runtime/runtime_state.h"

namespace swtee::ta {

[[noreturn]] void serve_channel(Runtime& rt);

// Exit status of a TA process, by cause.
inline constexpr int kExitNormal = 0;
inline constexpr int kExitProtocol = 3;
inline constexpr int kExitPanic = 4;

}  // namespace swtee::ta
