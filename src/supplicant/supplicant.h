// The request loop, threaded as OP-TEE's tee-supplicant: each worker offers a
// NONE|META first param on SUPPL_RECV (async mode), and when a request
// arrives while no other worker is left waiting in RECV, it starts another
// worker (up to max_threads) before handling it, so a request that blocks
// (e.g. the secure side waiting on a second RPC) never starves the rest.
// The reply echoes the META param, as the driver requires.
#pragma once

#include <pthread.h>

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "supplicant/rpc_handlers.h"

namespace swtee::supp {

struct SupplicantStats {
  uint64_t requests = 0;
  uint32_t threads_started = 0;
};

class Supplicant {
 public:
  static constexpr uint32_t kDefaultMaxThreads = 8;

  Supplicant(RpcEnv env, uint32_t max_threads);
  ~Supplicant();  // stop() + join
  Supplicant(const Supplicant&) = delete;
  Supplicant& operator=(const Supplicant&) = delete;

  // Starts the first worker.
  Status start();
  // Shuts the transport down; workers leave RECV and exit.
  void stop();
  // Blocks until every worker has exited. Returns the error that ended the
  // loop, or OK after stop().
  Status wait();
  // Readable (eventfd) once every worker has exited; for poll().
  int done_fd() const { return done_.get(); }

  SupplicantStats stats() const;

 private:
  static void* thread_main(void* self);
  void worker();
  // Handles one request; false when the reply could not be sent.
  bool handle(SuppMessage& msg, bool meta);
  Status spawn_worker() REQUIRES(mu_);

  RpcEnv env_;
  const uint32_t max_threads_;
  UniqueFd done_;
  mutable Mutex mu_;
  CondVar cv_;
  std::vector<pthread_t> threads_ GUARDED_BY(mu_);
  uint32_t live_ GUARDED_BY(mu_) = 0;
  uint32_t waiting_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  Status exit_status_ GUARDED_BY(mu_);
  SupplicantStats stats_ GUARDED_BY(mu_);
};

}  // namespace swtee::supp
