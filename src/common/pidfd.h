// pidfds: a handle on a process that polls readable once it has exited
// (it stays unreaped), for waits with a timeout and for kills that cannot
// reach a recycled pid.
#pragma once

#include <sys/types.h>

#include <chrono>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee {

Result<UniqueFd> open_pidfd(pid_t pid);

// SIGKILL to the process of `pidfd` (pidfd_send_signal). ESRCH (already
// gone) is the only failure a valid pidfd can give, so none is reported.
void kill_pidfd(int pidfd);

// A poll() timeout: the milliseconds left until `deadline`, 0 once past.
int poll_ms_left(std::chrono::steady_clock::time_point deadline);

// True once the process of `pidfd` has exited, waiting up to `timeout_ms`
// (0: just look). False on timeout or a poll error. A negative pidfd (no
// process) counts as exited.
bool wait_exit(int pidfd, int timeout_ms);

}  // namespace swtee
