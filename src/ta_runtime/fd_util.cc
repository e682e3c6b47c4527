#include "ta_runtime/fd_util.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace swtee::ta {

void close_all_fds_except(std::initializer_list<int> keep) {
  std::vector<int> k(keep);
  k.push_back(STDERR_FILENO);
  std::sort(k.begin(), k.end());
  unsigned next = STDERR_FILENO + 1;
  for (int fd : k) {
    if (fd < static_cast<int>(next)) continue;
    if (static_cast<unsigned>(fd) > next) ::syscall(SYS_close_range, next, static_cast<unsigned>(fd) - 1, 0);
    next = static_cast<unsigned>(fd) + 1;
  }
  ::syscall(SYS_close_range, next, ~0U, 0);
}

int fd_stat(int fd, struct stat* st) { return static_cast<int>(::syscall(SYS_fstat, fd, st)); }

}  // namespace swtee::ta
