#include "os/after_answer.h"

#include "common/pidfd.h"

namespace swtee::os {

bool AfterAnswer::kill_later(UniqueFd& pidfd) {
  if (!pidfd || kills_.size() >= kMaxKills) return false;
  kills_.push_back(std::move(pidfd));
  return true;
}

void AfterAnswer::run() {
  for (const UniqueFd& fd : kills_) kill_pidfd(fd.get());
  kills_.clear();
}

}  // namespace swtee::os
