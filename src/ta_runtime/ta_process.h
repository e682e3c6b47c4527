// The TA process: what a zygote child becomes. Loads the TA from its sealed
// payload memfd, sandboxes itself, reports to the OS and serves the channel.
#pragma once

#include <sys/types.h>

#include "common/unique_fd.h"
#include "ta_runtime/sandbox.h"

namespace swtee::ta {

// Never returns. `zygote` is the parent's pid (for the PDEATHSIG race
// check); `sandbox` the programs the zygote compiled. The channel moves to
// kTaChannelFd; `stdio` (the write end of the zygote's log pipe) becomes
// fds 1 and 2; stdin is /dev/null's absence (closed); nothing else stays.
[[noreturn]] void run_ta_process(pid_t zygote, const SandboxPrograms& sandbox, UniqueFd payload,
                                 UniqueFd channel, UniqueFd page, UniqueFd stdio);

}  // namespace swtee::ta
