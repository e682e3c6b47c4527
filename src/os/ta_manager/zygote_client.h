// The TA manager's end of the zygote (swtee-ta-host): exec'd once, then
// asked to fork one TA process per instance (no exec on open-session).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "common/child_process.h"
#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "common/uuid.h"

namespace swtee::os {

struct SpawnedTa {
  UniqueFd pidfd;  // the TA process; signal it through this, never by pid
  pid_t pid = -1;
};

class ZygoteClient {
 public:
  // Execs `binary --zygote` with the control socket on fd 3. The zygote
  // dies with this process (PDEATHSIG of the calling thread: call from a
  // thread that lives as long as the host, e.g. main).
  // `allow_without_landlock`: TA processes start on a kernel without
  // Landlock too (ta_runtime/zygote.h); otherwise they fail there.
  static Result<std::unique_ptr<ZygoteClient>> start(const std::string& binary,
                                                     bool allow_without_landlock = false);

  // Forks a TA process serving `channel_fd` (the TA end) with the sealed
  // payload memfd and the parameter page. Thread-safe (requests are
  // serialised). If the zygote has died, it is restarted once.
  // `uuid` names the TA in the process's log lines.
  Result<SpawnedTa> spawn(int payload_fd, int channel_fd, int page_fd, const Uuid& uuid = {}) EXCLUDES(mu_);

  pid_t pid() EXCLUDES(mu_) {
    MutexLock l(mu_);
    return proc_.pid();
  }
  // Spawn requests sent to a zygote so far (tests).
  uint64_t spawns() EXCLUDES(mu_) {
    MutexLock l(mu_);
    return next_id_ - 1;
  }

 private:
  ZygoteClient(std::string binary, bool allow_without_landlock, ChildProcess proc, UniqueFd ctl)
      : binary_(std::move(binary)),
        allow_without_landlock_(allow_without_landlock),
        proc_(std::move(proc)),
        ctl_(std::move(ctl)) {}
  Result<SpawnedTa> spawn_once(int payload_fd, int channel_fd, int page_fd, const Uuid& uuid) REQUIRES(mu_);
  Status restart() REQUIRES(mu_);

  const std::string binary_;
  const bool allow_without_landlock_;
  Mutex mu_;
  ChildProcess proc_ GUARDED_BY(mu_);
  UniqueFd ctl_ GUARDED_BY(mu_);
  uint64_t next_id_ GUARDED_BY(mu_) = 1;
};

}  // namespace swtee::os
