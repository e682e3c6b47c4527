// A running swtee stack: swteed (leader of a new process group) and
// swtee-supplicant (in the same group; none for a guest swteed, whose TEE
// is a host's, docs/remote.md). start() returns only once both are
// ready (each writes one byte on a ready pipe) and tears down whatever it
// started on failure. stop() is the one teardown path: supplicant first (so it
// does not report its daemon vanishing), then swteed, each SIGTERM then a
// grace period; finally SIGKILL to the whole group, for anything left in it,
// before the leader is reaped (so the group id cannot have been reused).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/restart_backoff.h"
#include "common/child_process.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace swtee::cli {

struct StackConfig {
  std::string bindir;  // holds swteed and swtee-supplicant; empty: the install layout's places
  std::string runtime_dir;
  std::string state_dir;
  std::vector<std::string> ta_dirs;
  std::vector<std::string> ta_pubkeys;  // passed to swtee-os via swteed
  std::optional<unsigned> threads;      // swteed --threads
  std::optional<unsigned> uid_share;    // swteed --uid-share (it passes it on to swtee-os)
  bool fast_storage = false;            // supplicant --fast-storage
  // swtee-os --storage-verify-always (tamper tests: no plaintext cache).
  bool storage_verify_always = false;
  bool trace = false;                  // swteed --trace: one line per completed call
  std::string daemon_config;           // swteed --config
  std::string remote;                  // swteed --remote ADDR: a guest stack (no supplicant)
  std::vector<std::string> debug_tas;  // swtee-os --debug-ta (docs/debugging.md)
  std::string debug_dir;               // swtee-os --debug-ta-dir
  std::string ta_host_preload;         // swtee-os --ta-host-preload
  // swtee-os --cancel-grace-ms and --ta-call-limit UUID=MS (repeatable).
  std::optional<unsigned> cancel_grace_ms;
  std::vector<std::string> ta_call_limits;
  std::string plugin_dir;  // supplicant --plugin-path; empty: none
  int ready_timeout_ms = 15000;
  int grace_ms = 3000;
};

class Stack {
 public:
  static Result<Stack> start(const StackConfig& cfg);
  Stack() = default;
  ~Stack() { stop(); }
  Stack(Stack&&) noexcept = default;
  Stack& operator=(Stack&&) noexcept = default;
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;

  void stop();
  bool running() const { return daemon_.valid(); }

  // Supervision of the supplicant (docs/architecture.md, "Supervision"):
  // called once its pidfd is readable. Reaps it and schedules a restart
  // after a back-off (RestartBackoff: none for the first death, then 100,
  // 200, 400 and 800 ms), or returns EAGAIN for a crash loop (a sixth death
  // within a minute): a broken stack, which the caller stops with a
  // non-zero status. Calls that needed the
  // supplicant meanwhile fail COMMUNICATION (the driver's queue).
  Status supplicant_exited();
  // Milliseconds until a scheduled restart is due (0: now), -1 when none
  // is scheduled: the poll timeout of the supervising loop.
  int restart_due_in_ms() const;
  // Starts the supplicant if its restart is due; one that dies before it
  // is ready counts as another death (supplicant_exited()). An error (a
  // crash loop, it failed to start, or swteed is gone) is for the caller
  // to stop the stack.
  Status restart_if_due();
  // Readable once the process has exited (for poll); -1 when not running.
  int daemon_pidfd() const { return daemon_pidfd_.get(); }
  int supplicant_pidfd() const { return supp_pidfd_.get(); }
  pid_t pgid() const { return pgid_; }

 private:
  Status start_daemon(const StackConfig& cfg);
  // `restart`: a predecessor just died; swteed may not have detached it yet.
  Status start_supplicant(const StackConfig& cfg, bool restart = false);

  StackConfig cfg_;
  RestartBackoff backoff_;
  int64_t restart_at_ms_ = -1;  // a scheduled restart (monotonic ms), or -1
  ChildProcess daemon_;
  ChildProcess supp_;
  UniqueFd daemon_pidfd_;
  UniqueFd supp_pidfd_;
  pid_t pgid_ = -1;
  int grace_ms_ = 3000;
  bool guest_ = false;  // swteed said it is a guest: no supplicant
};

// Waits until the ready pipe yields a byte, the process exits (pidfd), or
// the timeout passes. ETIMEDOUT / ECHILD (exited first) / EPROTO (wrong byte).
// The byte read goes to *got: 'R', or 'G' from a guest swteed
// (protocol/ready_byte.h).
Status wait_ready(int ready_fd, int pidfd, int timeout_ms, char* got = nullptr);

}  // namespace swtee::cli
