// Starting the processes of a swtee stack. One small fork/exec helper with the
// few knobs `swtee run` needs: process group placement, kept fds, extra
// environment, PATH lookup, and PR_SET_PDEATHSIG(SIGKILL) so no child outlives
// this process even when it is SIGKILLed.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/child_process.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee::cli {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program (path, or name looked up in PATH)
  // Process group: nullopt keeps ours; 0 starts a new group led by the child;
  // >0 joins that group.
  std::optional<pid_t> pgid;
  // Fds kept in the child at 3, 4, ... in order (everything else above 2 closes).
  std::vector<int> keep_fds;
  std::vector<std::pair<std::string, std::string>> env;  // set in the child
  bool null_stdin = false;  // stdin from /dev/null (daemons must not compete for the terminal)
};

// Resolves argv[0]: a name containing '/' is used as is; otherwise PATH is
// searched for an executable regular file. ENOENT when nothing matches.
Result<std::string> resolve_program(const std::string& name);

Result<ChildProcess> spawn(const SpawnOptions& opts);

// Exit code a shell would report for a wait status: the code, or 128 + signal.
int exit_code_from_status(int wait_status);

}  // namespace swtee::cli
