#include "cli/stack.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

#include "cli/spawn.h"
#include "cli/state_dir.h"
#include "cli/state_keys.h"
#include "common/install_layout.h"
#include "common/log.h"
#include "common/pidfd.h"
#include "protocol/ready_byte.h"

namespace swtee::cli {
namespace {

Result<std::pair<UniqueFd, UniqueFd>> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return Error::from_errno("pipe2");
  return std::make_pair(UniqueFd(fds[0]), UniqueFd(fds[1]));
}

std::string program(const StackConfig& cfg, const char* name) {
  return cfg.bindir.empty() ? layout::program_path(name) : cfg.bindir + "/" + name;
}

}  // namespace

Status wait_ready(int ready_fd, int pidfd, int timeout_ms, char* got) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    pollfd p[2] = {{ready_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
    int n = ::poll(p, pidfd >= 0 ? 2 : 1, poll_ms_left(deadline));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("poll");
    }
    if (n == 0) return Error{ETIMEDOUT, "not ready in time"};
    if (p[0].revents != 0) {
      char c = 0;
      ssize_t r = ::read(ready_fd, &c, 1);
      if (r == 1) {
        if (c != ready::kServing && c != ready::kGuest) return Error{EPROTO, "unexpected ready byte"};
        if (got != nullptr) *got = c;
        return ok_status();
      }
      if (r < 0 && errno == EINTR) continue;
      return Error{ECHILD, "exited before it was ready"};  // EOF: the writer went away
    }
    if (p[1].revents != 0) return Error{ECHILD, "exited before it was ready"};
  }
}

Status Stack::start_daemon(const StackConfig& cfg) {
  ASSIGN_OR_RETURN(auto pipe, make_pipe());
  SpawnOptions o;
  o.argv = {program(cfg, "swteed"), "--runtime-dir", cfg.runtime_dir, "--ready-fd", "3"};
  if (!cfg.remote.empty()) {
    o.argv.push_back("--remote");
    o.argv.push_back(cfg.remote);
  }
  if (cfg.trace) o.argv.push_back("--trace");
  if (!cfg.daemon_config.empty()) {
    o.argv.push_back("--config");
    o.argv.push_back(cfg.daemon_config);
  }
  if (cfg.threads) {
    o.argv.push_back("--threads");
    o.argv.push_back(std::to_string(*cfg.threads));
  }
  if (cfg.uid_share) {
    o.argv.push_back("--uid-share");
    o.argv.push_back(std::to_string(*cfg.uid_share));
  }
  // The HUK sits in the state dir; swteed opens it for swtee-os alone
  // (protocol/conduit.h, fd 5+C).
  if (!cfg.state_dir.empty()) {
    o.argv.push_back("--huk-file");
    o.argv.push_back(cfg.state_dir + "/" + kHukFile);
  }
  std::vector<std::string> os_args;
  for (const auto& k : cfg.ta_pubkeys) {
    os_args.push_back("--ta-pubkey");
    os_args.push_back(k);
  }
  if (cfg.storage_verify_always) os_args.push_back("--storage-verify-always");
  for (const auto& u : cfg.debug_tas) {
    os_args.push_back("--debug-ta");
    os_args.push_back(u);
  }
  if (!cfg.debug_tas.empty()) {
    os_args.push_back("--debug-ta-dir");
    os_args.push_back(cfg.debug_dir);
    if (!cfg.ta_host_preload.empty()) {
      os_args.push_back("--ta-host-preload");
      os_args.push_back(cfg.ta_host_preload);
    }
  }
  if (cfg.cancel_grace_ms) {
    os_args.push_back("--cancel-grace-ms");
    os_args.push_back(std::to_string(*cfg.cancel_grace_ms));
  }
  for (const auto& l : cfg.ta_call_limits) {
    os_args.push_back("--ta-call-limit");
    os_args.push_back(l);
  }
  if (!os_args.empty()) {
    o.argv.push_back("--");
    o.argv.insert(o.argv.end(), os_args.begin(), os_args.end());
  }
  o.pgid = 0;  // new process group, led by swteed
  o.null_stdin = true;
  o.keep_fds = {pipe.second.get()};
  ASSIGN_OR_RETURN(daemon_, spawn(o));
  pgid_ = daemon_.pid();
  pipe.second.reset();  // only the child holds the write end now
  ASSIGN_OR_RETURN(daemon_pidfd_, open_pidfd(daemon_.pid()));
  char got = 0;
  if (auto s = wait_ready(pipe.first.get(), daemon_pidfd_.get(), cfg.ready_timeout_ms, &got); !s.ok()) {
    if (s.error().code == ETIMEDOUT)
      log::error("swteed did not become ready within {} ms", cfg.ready_timeout_ms);
    else
      log::error("swteed failed to start ({})", s.error());
    return s;
  }
  guest_ = got == ready::kGuest;
  return ok_status();
}

Status Stack::start_supplicant(const StackConfig& cfg, bool restart) {
  ASSIGN_OR_RETURN(auto pipe, make_pipe());
  SpawnOptions o;
  o.argv = {program(cfg, "swtee-supplicant"),
            "--runtime-dir",
            cfg.runtime_dir,
            "--state",
            cfg.state_dir,
            "--ready-fd",
            "3"};
  for (const auto& d : cfg.ta_dirs) {
    o.argv.push_back("--ta-dir");
    o.argv.push_back(d);
  }
  if (cfg.fast_storage) o.argv.push_back("--fast-storage");
  if (!cfg.plugin_dir.empty()) {
    o.argv.push_back("--plugin-path");
    o.argv.push_back(cfg.plugin_dir);
  }
  if (restart) o.argv.insert(o.argv.end(), {"--attach-wait-ms", "5000"});
  o.pgid = pgid_;
  o.null_stdin = true;
  o.keep_fds = {pipe.second.get()};
  ASSIGN_OR_RETURN(supp_, spawn(o));
  pipe.second.reset();
  ASSIGN_OR_RETURN(supp_pidfd_, open_pidfd(supp_.pid()));
  if (auto s = wait_ready(pipe.first.get(), supp_pidfd_.get(), cfg.ready_timeout_ms); !s.ok()) {
    log::error("swtee-supplicant failed to attach ({})", s.error());
    return s;
  }
  return ok_status();
}

Result<Stack> Stack::start(const StackConfig& cfg) {
  Stack st;
  st.cfg_ = cfg;
  st.grace_ms_ = cfg.grace_ms;
  if (!cfg.state_dir.empty()) {
    Status s = prepare_state_dir(cfg.state_dir);
    if (s.ok()) s = check_state_keys(cfg.state_dir);
    if (!s.ok()) {
      log::error("state dir {}: {}", cfg.state_dir, s.error());
      return s.error();
    }
  }
  TRY_STATUS(st.start_daemon(cfg));  // on error ~Stack tears down what started
  // A guest swteed has no teepriv0: TA loading and storage are the host's.
  if (!st.guest_) TRY_STATUS(st.start_supplicant(cfg));
  return st;
}

namespace {
int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Status Stack::supplicant_exited() {
  if (supp_.valid()) (void)supp_.wait();
  supp_ = ChildProcess();
  supp_pidfd_.reset();
  const int64_t now = now_ms();
  const std::optional<int64_t> delay = backoff_.on_death(now);
  if (!delay) {
    log::error("swtee-supplicant died {} times within {} s; not restarting it again", backoff_.recent() + 1,
               RestartBackoff::kWindowMs / 1000);
    return Error{EAGAIN, "supplicant keeps dying"};
  }
  restart_at_ms_ = now + *delay;
  log::warn("swtee-supplicant exited; restarting it{}", *delay == 0 ? "" : fmt::format(" in {} ms", *delay));
  return ok_status();
}

int Stack::restart_due_in_ms() const {
  if (restart_at_ms_ < 0) return -1;
  return static_cast<int>(std::max<int64_t>(0, restart_at_ms_ - now_ms()));
}

Status Stack::restart_if_due() {
  if (restart_at_ms_ < 0 || restart_due_in_ms() > 0) return ok_status();
  restart_at_ms_ = -1;
  if (wait_exit(daemon_pidfd_.get(), 0)) return Error{ECHILD, "swteed is gone"};
  Status s = start_supplicant(cfg_, /*restart=*/true);
  // Dying before it was ready is one more death of the same crash loop.
  if (!s.ok() && s.error().code == ECHILD && !wait_exit(daemon_pidfd_.get(), 0)) return supplicant_exited();
  return s;
}

void Stack::stop() {
  if (supp_.valid()) {
    supp_.signal(SIGTERM);
    if (!wait_exit(supp_pidfd_.get(), grace_ms_)) supp_.signal(SIGKILL);
  }
  if (daemon_.valid()) {
    daemon_.signal(SIGTERM);
    if (!wait_exit(daemon_pidfd_.get(), grace_ms_))
      log::warn("swteed did not stop in {} ms; killing", grace_ms_);
  }
  // Sweep the group while its leader is still unreaped (the id stays ours).
  if (pgid_ > 0 && daemon_.valid()) (void)::kill(-pgid_, SIGKILL);
  if (supp_.valid()) (void)supp_.wait();
  if (daemon_.valid()) (void)daemon_.wait();
  supp_pidfd_.reset();
  daemon_pidfd_.reset();
  pgid_ = -1;
}

}  // namespace swtee::cli
