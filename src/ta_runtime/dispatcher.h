// The TA process's main loop: serves the channel until the OS sends
// Destroy or goes away. Requests are decoded (ta_channel_codec), dispatched
// through a table keyed by TaOp, and answered with exactly one Reply.
#pragma once

#include "ta_runtime/runtime_state.h"

namespace swtee::ta {

[[noreturn]] void serve_channel(Runtime& rt);

// Exit status of a TA process, by cause.
inline constexpr int kExitNormal = 0;
inline constexpr int kExitProtocol = 3;
inline constexpr int kExitPanic = 4;

}  // namespace swtee::ta
