// `swtee run --debug-ta UUID` (docs/debugging.md): the TA is handed to its
// process as a real file, <debug dir>/<uuid>.so, instead of a sealed memfd,
// so the dynamic loader records a path gdb can open and gdb finds the TA's
// symbols. The TA process sees a payload that is not a memfd and runs
// without its seccomp filter (ta_runtime/ta_process.cc). For development
// machines only: the image is readable by whoever can read the directory.
#pragma once

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"
#include "common/uuid.h"

namespace swtee::os {

// Copies the verified payload (a sealed memfd) to <dir>/<uuid>.so (0400,
// replaced atomically) and returns that file opened read-only.
Result<UniqueFd> write_debug_image(const std::string& dir, const Uuid& uuid, int payload_fd);

}  // namespace swtee::os
