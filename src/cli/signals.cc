#include "cli/signals.h"

#include <signal.h>
#include <unistd.h>

namespace swtee::cli {

Result<UniqueFd> block_termination_signals() {
  sigset_t s;
  sigemptyset(&s);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&s, sig);
  if (::sigprocmask(SIG_BLOCK, &s, nullptr) != 0) return Error::from_errno("sigprocmask");
  UniqueFd fd(::signalfd(-1, &s, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!fd) return Error::from_errno("signalfd");
  return fd;
}

ReceivedSignal read_signal(int sfd) {
  signalfd_siginfo si{};
  ssize_t n = ::read(sfd, &si, sizeof(si));
  if (n != sizeof(si)) return {};
  return {static_cast<int>(si.ssi_signo), si.ssi_code == SI_KERNEL};
}

}  // namespace swtee::cli
