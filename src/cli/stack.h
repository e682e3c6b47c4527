// A running swtee stack: swteed (leader of a new process group) and
// swtee-supplicant (in the same group). start() returns only once both are
// ready (each writes one byte on a ready pipe) and tears down whatever it
// started on failure. stop() is the one teardown path: supplicant first (so it
// does not report its daemon vanishing), then swteed, each SIGTERM then a
// grace period; finally SIGKILL to the whole group, for anything left in it,
// before the leader is reaped (so the group id cannot have been reused).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

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
  bool fast_storage = false;            // supplicant --fast-storage
  // swtee-os --storage-verify-always (tamper tests: no plaintext cache).
  bool storage_verify_always = false;
  bool trace = false;                  // swteed --trace: one line per completed call
  std::string daemon_config;           // swteed --config
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
  // Readable once the process has exited (for poll); -1 when not running.
  int daemon_pidfd() const { return daemon_pidfd_.get(); }
  int supplicant_pidfd() const { return supp_pidfd_.get(); }
  pid_t pgid() const { return pgid_; }

 private:
  Status start_daemon(const StackConfig& cfg);
  Status start_supplicant(const StackConfig& cfg);

  ChildProcess daemon_;
  ChildProcess supp_;
  UniqueFd daemon_pidfd_;
  UniqueFd supp_pidfd_;
  pid_t pgid_ = -1;
  int grace_ms_ = 3000;
};

// Waits until the ready pipe yields a byte, the process exits (pidfd), or
// the timeout passes. ETIMEDOUT / ECHILD (exited first) / EPROTO (wrong byte).
Status wait_ready(int ready_fd, int pidfd, int timeout_ms);

// Waits for a pidfd to become readable (process exited) for up to timeout_ms.
bool wait_exit(int pidfd, int timeout_ms);

}  // namespace swtee::cli
