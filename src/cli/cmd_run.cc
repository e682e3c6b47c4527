// swtee run: a private stack for one command.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <vector>

#include "cli/commands.h"
#include "cli/runtime_dir.h"
#include "cli/signals.h"
#include "cli/spawn.h"
#include "cli/stack.h"
#include "cli/stack_defaults.h"
#include "common/log.h"
#include "common/pidfd.h"
#include "supplicant/ta_dirs.h"
#include "swtee/uapi/tee.h"

namespace swtee::cli {
namespace {

// Signals forwarded before the command is killed outright.
constexpr int kSignalsBeforeKill = 3;

// Runs the command to completion, forwarding termination signals and
// supervising the stack as `swtee daemon` does (docs/architecture.md): a
// supplicant that dies is restarted in place (with a back-off); if it keeps
// dying, or swteed dies (it exits when swtee-os dies), *stack_died is set
// and swtee run will exit non-zero; the command's TEE calls fail cleanly
// meanwhile. Returns the command's wait status.
int supervise(ChildProcess& cmd, int sfd, Stack& stack, bool* stack_died) {
  auto pidfd = open_pidfd(cmd.pid());
  if (!pidfd.ok()) {
    auto st = cmd.wait();
    return st.ok() ? *st : (128 + SIGKILL) << 8;
  }
  int signals = 0;
  for (;;) {
    std::vector<pollfd> p = {{pidfd->get(), POLLIN, 0}, {sfd, POLLIN, 0}};
    if (!*stack_died && stack.daemon_pidfd() >= 0) p.push_back({stack.daemon_pidfd(), POLLIN, 0});
    if (!*stack_died && stack.supplicant_pidfd() >= 0) p.push_back({stack.supplicant_pidfd(), POLLIN, 0});
    if (::poll(p.data(), p.size(), *stack_died ? -1 : stack.restart_due_in_ms()) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    const bool cmd_exited = p[0].revents != 0;  // after the stack's events of this round
    if (!cmd_exited && p[1].revents != 0) {
      ReceivedSignal s = read_signal(sfd);
      if (s.signo == 0) continue;
      if (++signals >= kSignalsBeforeKill) {
        log::warn("signal {} again: killing the command", s.signo);
        cmd.signal(SIGKILL);
      } else if (!s.from_terminal) {
        cmd.signal(s.signo);  // a ^C from the terminal already reached it
      }
    }
    for (size_t i = 2; i < p.size() && !*stack_died; ++i) {
      if (p[i].revents == 0) continue;
      if (p[i].fd == stack.supplicant_pidfd()) {
        if (stack.supplicant_exited().ok()) continue;
        log::error("swtee-supplicant keeps dying; TEE calls that need it fail from now on");
      } else {
        log::error("swteed exited while the command is running (swtee-os died?); TEE calls fail from now on");
      }
      *stack_died = true;
    }
    if (cmd_exited) break;
    if (!*stack_died) {
      if (auto s = stack.restart_if_due(); !s.ok()) {
        log::error("cannot restart swtee-supplicant ({}); TEE calls that need it fail from now on",
                   s.error());
        *stack_died = true;
      }
    }
  }
  auto st = cmd.wait();
  return st.ok() ? *st : (128 + SIGKILL) << 8;
}

// Reaps whatever was orphaned onto us (we are a child subreaper) and has
// already exited, e.g. a TA host whose swtee-os went first. Only called once
// every ChildProcess we own has been waited for.
void reap_orphans() {
  int st = 0;
  while (::waitpid(-1, &st, WNOHANG) > 0) {
  }
}

}  // namespace

int cmd_run(const RunOptions& o) {
  if (o.command.empty()) {
    log::error("swtee run: no command given (usage: swtee run [options] -- CMD...)");
    return 2;
  }
  if (auto prog = resolve_program(o.command[0]); !prog.ok()) {
    log::error("swtee run: {}: command not found", o.command[0]);
    return 127;
  }
  auto sfd = block_termination_signals();
  if (!sfd.ok()) {
    log::error("swtee run: {}", sfd.error());
    return 1;
  }
  // Orphans of the stack are re-parented to us rather than to init, so none
  // outlives `swtee run` as an unreaped zombie.
  (void)::prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto rd = RuntimeDir::create();
  if (!rd.ok()) {
    log::error("swtee run: cannot create a runtime directory: {}", rd.error());
    return 1;
  }
  StackConfig cfg = default_stack_config(o.bindir, o.ta_dirs, o.ta_pubkeys);
  cfg.remote = o.remote;
  cfg.daemon_config = o.config.empty() ? o.config : absolute_path(o.config);
  // A guest loads no TAs: its host does.
  if (auto problem = o.remote.empty() ? supp::ta_dirs_problem(cfg.ta_dirs) : std::nullopt) {
    log::error("swtee run: {}", *problem);
    return 2;
  }
  cfg.runtime_dir = rd->path();
  cfg.threads = o.threads;
  cfg.uid_share = o.uid_share;
  if (o.state_dir.empty()) {
    cfg.state_dir = rd->path() + "/state";  // thrown away: durability buys nothing
    cfg.fast_storage = true;
  } else {
    cfg.state_dir = absolute_path(o.state_dir);
    cfg.fast_storage = o.fast_storage;
  }
  cfg.storage_verify_always = o.storage_verify_always;
  cfg.trace = o.trace;
  if (!o.debug_tas.empty()) {
    cfg.debug_tas = o.debug_tas;
    cfg.ta_host_preload = o.ta_host_preload.empty() ? o.ta_host_preload : absolute_path(o.ta_host_preload);
    cfg.debug_dir = rd->path() + "/debug-ta";
    if (::mkdir(cfg.debug_dir.c_str(), 0700) != 0) {
      log::error("swtee run: {}: {}", cfg.debug_dir, Error::from_errno("mkdir"));
      return 1;
    }
    for (const auto& u : o.debug_tas)
      log::warn(
          "swtee run: DEBUG MODE for TA {}: it is loaded from {} and runs WITHOUT its seccomp sandbox; "
          "its pid and the gdb command are printed when it starts (docs/debugging.md)",
          u, cfg.debug_dir);
  }
  if (!o.ta_host_preload.empty() && o.debug_tas.empty()) {
    log::error("swtee run: --ta-host-preload needs --debug-ta");
    return 2;
  }
  cfg.cancel_grace_ms = o.call_limits.cancel_grace_ms;
  cfg.ta_call_limits = o.call_limits.ta_call_limits;
  if (!o.plugin_dir.empty()) cfg.plugin_dir = absolute_path(o.plugin_dir);
  int status = 0;
  bool stack_died = false;
  {
    auto stack = Stack::start(cfg);
    if (!stack.ok()) return 1;  // start() logged why; ~RuntimeDir cleans up
    SpawnOptions so;
    so.argv = o.command;
    so.env = {{SWTEE_RUNTIME_DIR_ENV, rd->path()}};
    auto cmd = spawn(so);
    if (!cmd.ok()) {
      log::error("swtee run: cannot start {}: {}", o.command[0], cmd.error());
      return 1;
    }
    status = supervise(*cmd, sfd->get(), *stack, &stack_died);
    stack->stop();
  }
  reap_orphans();
  rd->remove();
  const int rc = exit_code_from_status(status);
  if (stack_died && rc == 0) {
    log::error("swtee run: the stack died during the run; exiting 1");
    return 1;
  }
  return rc;
}

}  // namespace swtee::cli
