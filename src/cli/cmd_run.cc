// swtee run: a private stack for one command.
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstring>

#include "cli/commands.h"
#include "cli/runtime_dir.h"
#include "cli/signals.h"
#include "cli/spawn.h"
#include "cli/stack.h"
#include "cli/stack_defaults.h"
#include "common/log.h"
#include "supplicant/ta_dirs.h"
#include "swtee/uapi/tee.h"

namespace swtee::cli {
namespace {

// Signals forwarded before the command is killed outright.
constexpr int kSignalsBeforeKill = 3;

// Runs the command to completion, forwarding termination signals; returns
// its wait status.
int supervise(ChildProcess& cmd, int sfd, const Stack& stack) {
  auto pidfd = open_pidfd(cmd.pid());
  if (!pidfd.ok()) {
    auto st = cmd.wait();
    return st.ok() ? *st : (128 + SIGKILL) << 8;
  }
  int signals = 0;
  bool stack_down_reported = false;
  for (;;) {
    pollfd p[3] = {{pidfd->get(), POLLIN, 0}, {sfd, POLLIN, 0}, {stack.daemon_pidfd(), POLLIN, 0}};
    const nfds_t n = stack_down_reported || stack.daemon_pidfd() < 0 ? 2 : 3;
    if (::poll(p, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p[0].revents != 0) break;
    if (p[1].revents != 0) {
      ReceivedSignal s = read_signal(sfd);
      if (s.signo == 0) continue;
      if (++signals >= kSignalsBeforeKill) {
        log::warn("signal {} again: killing the command", s.signo);
        cmd.signal(SIGKILL);
      } else if (!s.from_terminal) {
        cmd.signal(s.signo);  // a ^C from the terminal already reached it
      }
    }
    if (n == 3 && p[2].revents != 0) {
      log::error("swteed exited while the command is running; TEE calls will fail");
      stack_down_reported = true;
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
  if (auto problem = supp::ta_dirs_problem(cfg.ta_dirs)) {
    log::error("swtee run: {}", *problem);
    return 2;
  }
  cfg.runtime_dir = rd->path();
  cfg.threads = o.threads;
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
      log::error("swtee run: {}: {}", cfg.debug_dir, std::strerror(errno));
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
  int status = 0;
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
    status = supervise(*cmd, sfd->get(), *stack);
    stack->stop();
  }
  reap_orphans();
  rd->remove();
  return exit_code_from_status(status);
}

}  // namespace swtee::cli
