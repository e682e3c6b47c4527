#include "os/after_answer.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace swtee::os {

bool AfterAnswer::kill_later(UniqueFd& pidfd) {
  if (!pidfd || kills_.size() >= kMaxKills) return false;
  kills_.push_back(std::move(pidfd));
  return true;
}

void AfterAnswer::run() {
  // ESRCH (already gone) is the only failure a valid pidfd can give.
  for (const UniqueFd& fd : kills_) (void)::syscall(SYS_pidfd_send_signal, fd.get(), SIGKILL, nullptr, 0);
  kills_.clear();
}

}  // namespace swtee::os
