// swtee daemon: the stack in the foreground for system use, until SIGTERM or
// SIGINT. A supplicant that dies is restarted in place (with a back-off; a
// crash loop stops the stack); if swteed dies (it exits when swtee-os dies)
// the rest is stopped and the exit code is non-zero, so a service manager
// can restart the whole.
#include <poll.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/signals.h"
#include "cli/stack.h"
#include "cli/stack_defaults.h"
#include "common/log.h"
#include "supplicant/ta_dirs.h"

namespace swtee::cli {

int cmd_daemon(const DaemonOptions& o) {
  auto sfd = block_termination_signals();
  if (!sfd.ok()) {
    log::error("swtee daemon: {}", sfd.error());
    return 1;
  }
  StackConfig cfg = default_stack_config(o.bindir, o.ta_dirs, o.ta_pubkeys);
  if (auto problem = supp::ta_dirs_problem(cfg.ta_dirs)) {
    log::error("swtee daemon: {}", *problem);
    return 2;
  }
  cfg.runtime_dir = absolute_path(o.runtime_dir);
  cfg.state_dir = absolute_path(o.state_dir);
  cfg.threads = o.threads;
  cfg.uid_share = o.uid_share;
  cfg.trace = o.trace;
  cfg.daemon_config = o.config.empty() ? o.config : absolute_path(o.config);
  cfg.cancel_grace_ms = o.call_limits.cancel_grace_ms;
  cfg.ta_call_limits = o.call_limits.ta_call_limits;
  auto stack = Stack::start(cfg);
  if (!stack.ok()) return 1;
  log::info("swtee daemon: serving on {}", cfg.runtime_dir);
  int rc = 0;
  for (;;) {
    pollfd p[3] = {
        {sfd->get(), POLLIN, 0}, {stack->daemon_pidfd(), POLLIN, 0}, {stack->supplicant_pidfd(), POLLIN, 0}};
    const int n = ::poll(p, 3, stack->restart_due_in_ms());
    if (n < 0) {
      if (errno == EINTR) continue;
      rc = 1;
      break;
    }
    if (p[0].revents != 0) {
      if (read_signal(sfd->get()).signo == 0) continue;
      break;
    }
    // Supervision (docs/architecture.md): swteed gone (it exits when
    // swtee-os dies) stops the stack with a non-zero status so the service
    // manager restarts it; a dead supplicant is restarted in place, with a
    // back-off, unless it keeps dying.
    if (p[1].revents != 0) {
      log::error("swtee daemon: swteed exited; stopping");
      rc = 1;
      break;
    }
    if (p[2].revents != 0 && !stack->supplicant_exited().ok()) {
      rc = 1;
      break;
    }
    if (auto s = stack->restart_if_due(); !s.ok()) {
      log::error("swtee daemon: cannot restart swtee-supplicant ({}); stopping", s.error());
      rc = 1;
      break;
    }
  }
  stack->stop();
  return rc;
}

}  // namespace swtee::cli
