#include "common/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

namespace swtee {

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st;
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
  }
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept : pid_(std::exchange(o.pid_, -1)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    ChildProcess old(std::exchange(pid_, std::exchange(o.pid_, -1)));
  }
  return *this;
}

Result<ChildProcess> ChildProcess::spawn(const std::string& path, const std::vector<std::string>& argv,
                                         const std::vector<int>& keep_fds) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno("fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) _exit(127);
    // Move kept fds above the target range first, then into place.
    int n = static_cast<int>(keep_fds.size());
    std::vector<int> tmp(keep_fds.size());
    for (int i = 0; i < n; ++i) tmp[i] = ::fcntl(keep_fds[i], F_DUPFD, 100 + n);
    for (int i = 0; i < n; ++i) {
      ::dup2(tmp[i], 3 + i);  // dup2 clears CLOEXEC on the new fd
    }
    ::syscall(SYS_close_range, 3 + n, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(path.c_str(), args.data());
    _exit(127);
  }
  return ChildProcess(pid);
}

void ChildProcess::signal(int sig) const {
  if (pid_ > 0) ::kill(pid_, sig);
}

Result<int> ChildProcess::wait() {
  if (pid_ <= 0) return Error{ECHILD, "no child"};
  int st = 0;
  for (;;) {
    if (::waitpid(pid_, &st, 0) >= 0) break;
    if (errno != EINTR) return Error::from_errno("waitpid");
  }
  pid_ = -1;
  return st;
}

bool ChildProcess::try_wait(int* status) {
  if (pid_ <= 0) return true;
  pid_t r = ::waitpid(pid_, status, WNOHANG);
  if (r == pid_) {
    pid_ = -1;
    return true;
  }
  return false;
}

pid_t ChildProcess::release() { return std::exchange(pid_, -1); }

}  // namespace swtee
