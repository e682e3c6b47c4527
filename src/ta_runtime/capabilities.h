// The zygote's capabilities, and so every TA process's.
//
// swtee-os, and with it the zygote, may run as root (the shipped unit does).
// Landlock and seccomp confine a TA process whatever its user, but a root
// process also holds every capability, and a capability widens what an
// allowed system call may do. After its set-up the zygote needs none: it
// forks, reads its control socket and signals its own children. So it
// drops them all, and every TA process it forks starts without any.
#pragma once

#include "common/result.h"

namespace swtee::ta {

// Empties this process's bounding set (when it may: CAP_SETPCAP), its
// ambient set, and its effective, permitted and inheritable sets.
// Irreversible. A process that holds no capability succeeds at once.
[[nodiscard]] Status drop_all_capabilities();

}  // namespace swtee::ta
