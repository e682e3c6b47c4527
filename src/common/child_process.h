// Move-only owner of a child process. Destroying a live owner kills the
// child (SIGKILL) and reaps it, so no error path leaves a process behind.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "common/result.h"

namespace swtee {

class ChildProcess {
 public:
  ChildProcess() = default;
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess();
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // fork + execv. `keep_fds` are fds (already open in the parent) that the
  // child keeps, moved to 3, 4, ... in order; every other fd above 2 is closed.
  // The child gets PR_SET_PDEATHSIG(SIGKILL) so it dies with its parent.
  static Result<ChildProcess> spawn(const std::string& path, const std::vector<std::string>& argv,
                                    const std::vector<int>& keep_fds = {});

  pid_t pid() const { return pid_; }
  bool valid() const { return pid_ > 0; }
  // Sends sig; no-op if already reaped.
  void signal(int sig) const;
  // Waits for exit; returns the raw wait status. Blocks.
  Result<int> wait();
  // Non-blocking: true (and status) if the child has exited.
  bool try_wait(int* status);
  // Gives up ownership (the caller reaps).
  [[nodiscard]] pid_t release();

 private:
  pid_t pid_ = -1;
};

}  // namespace swtee
