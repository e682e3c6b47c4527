// The TA process's file-system confinement, with Landlock (Linux 5.13+).
//
// The loader stage of the seccomp sandbox (sandbox.h) must let the dynamic
// loader open the payload through /proc/self/fd/N, and seccomp cannot look
// at a path. So before that stage the process confines itself with a
// Landlock domain that handles every file-system right the kernel knows
// and grants none: no file on any file system can be opened, created,
// removed, renamed or truncated through a path. Files that live on no
// user-visible file system, such as the payload's memfd, are outside
// Landlock's reach and still open. Where the kernel also scopes them, the
// domain keeps the process from signalling processes outside it (swtee-os,
// the zygote) and from abstract Unix sockets, and handles TCP bind and
// connect.
#pragma once

#include "common/result.h"

namespace swtee::ta {

// Landlock's ABI version on this kernel; 0 when it has none (not built in,
// or not among the enabled LSMs). Asked of the kernel once per process
// image; a forked child keeps its parent's answer.
int landlock_abi();

// Confines this process (and its future children) as above, with what
// landlock_abi() offers. Needs PR_SET_NO_NEW_PRIVS or CAP_SYS_ADMIN; sets
// the former. Irreversible. EOPNOTSUPP when the kernel has no Landlock.
[[nodiscard]] Status confine_file_system();

}  // namespace swtee::ta
