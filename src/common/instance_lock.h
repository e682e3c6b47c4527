// One service instance per directory: an exclusive flock(2) on a lock file,
// held for the life of the process (released by the kernel when it dies, so
// a crash leaves no stale lock). The holder writes its pid into the file so a
// refused second instance can name it. Whoever holds the lock owns the
// directory's sockets: only the holder may remove (stale) sockets there.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee {

class InstanceLock {
 public:
  // EWOULDBLOCK when another process holds it (holder_pid() then tells
  // who, 0 if unknown); other errnos for open/flock failures.
  static Result<InstanceLock> acquire(const std::string& path);
  // The pid recorded in a lock file held by someone else; 0 if unreadable.
  static pid_t holder_pid(const std::string& path);

  InstanceLock() = default;
  InstanceLock(InstanceLock&&) noexcept = default;
  InstanceLock& operator=(InstanceLock&&) noexcept = default;
  bool held() const { return fd_.valid(); }
  const std::string& path() const { return path_; }

 private:
  InstanceLock(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::string path_;
  UniqueFd fd_;
};

}  // namespace swtee
