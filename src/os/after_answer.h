// What a secure thread does once the answer of the call it served has been
// posted to the normal world: the SIGKILL of TA processes whose instance the
// call destroyed. Such a process has taken its Destroy and reaches nothing
// more (ta_runtime/dispatcher.h); the kill wakes it, and on a small machine
// its exit (the teardown of its address space) would otherwise run on the
// call's path, before the answer. One per channel, used by its thread only.
#pragma once

#include <cstddef>
#include <vector>

#include "common/unique_fd.h"

namespace swtee::os {

class AfterAnswer {
 public:
  // Kills waiting at most; a further one is the caller's to send at once.
  static constexpr size_t kMaxKills = 4;

  AfterAnswer() = default;
  ~AfterAnswer() { run(); }
  AfterAnswer(const AfterAnswer&) = delete;
  AfterAnswer& operator=(const AfterAnswer&) = delete;

  // Takes `pidfd` (leaving it empty) to kill at the next run(). False, with
  // `pidfd` untouched, when kMaxKills wait already or it is empty.
  bool kill_later(UniqueFd& pidfd);
  // Sends each waiting SIGKILL and closes its pidfd.
  void run();
  size_t pending() const { return kills_.size(); }

 private:
  std::vector<UniqueFd> kills_;
};

}  // namespace swtee::os
