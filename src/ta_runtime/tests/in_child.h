// Runs a check in a forked child, for tests of process-wide settings (CPU
// affinity, the heap's tuning) that must not leak into the test runner.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace swtee::ta::testing {

// The child's exit code is `body`'s return value: 0 passed, any other
// value names the check that failed; 100 means the child did not exit.
inline int in_child(const std::function<int()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

}  // namespace swtee::ta::testing
