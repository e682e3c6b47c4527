// Directory trust, as ssh's StrictModes: a directory swtee keeps sockets or
// secrets in must be owned by the process's effective uid (or root) and
// not writable by group or others, and so must every directory above it
// (a group/other-writable ancestor is accepted only with the sticky bit,
// as /tmp has, since then nobody else can rename or replace our entry).
// Anything else is refused with a log line that says which directory,
// who owns it and what to do.
#pragma once

#include <string>

#include "common/result.h"

namespace swtee {

// `what` names the directory in the log ("runtime dir", "state dir").
// EPERM when it is not trustworthy; the stat error when it cannot be seen.
Status check_trusted_dir(const std::string& dir, const char* what);

}  // namespace swtee
