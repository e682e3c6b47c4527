// Fd helpers for the zygote and the TA process.
#pragma once

#include <sys/stat.h>

#include <initializer_list>

namespace swtee::ta {

// Closes every fd above 2 except those listed (close_range over the gaps).
void close_all_fds_except(std::initializer_list<int> keep);

// fstat through the fd-only system call: glibc's fstat() uses newfstatat,
// which the TA sandbox refuses (it could resolve a path).
int fd_stat(int fd, struct stat* st);

}  // namespace swtee::ta
