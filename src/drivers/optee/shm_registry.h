// What the secure world knows of normal-world memory, by cookie.
//
// Cookies are unique for the driver's life and never 0. Two kinds of memfd
// carry one:
//  * client Shms, registered lazily with OPTEE_MSG_CMD_REGISTER_SHM on first
//    use as a memref; the cookie is stored in Shm::driver_cookie and the
//    registry does not hold the Shm (its release hook queues the
//    UNREGISTER_SHM here, drained by a worker without any other lock held);
//  * RPC shared memory handed out by RPC SHM_ALLOC: a driver-made memfd
//    (type KERNEL) or a Shm of the supplicant's context (type APPL). These
//    entries hold their memory until RPC SHM_FREE.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "common/id_table.h"
#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/shm.h"

namespace swtee::optee {

class ShmRegistry {
 public:
  static constexpr uint64_t kMaxRpcShmSize = 64ull << 20;
  static constexpr size_t kMaxRpcShms = 1024;
  static constexpr size_t kMaxPendingUnregister = 65536;

  struct RpcShm {
    uint32_t type = 0;  // OPTEE_RPC_SHM_TYPE_*
    uint64_t size = 0;
    UniqueFd memfd;                  // KERNEL: the driver's memfd
    std::shared_ptr<core::Shm> shm;  // APPL: the supplicant's Shm
    int fd() const { return shm ? shm->fd() : memfd.get(); }
  };

  // A fresh cookie: unique, never 0. Its top 16 bits name the guest whose
  // memory it is (0: the host's, as all RPC memory is), so the cookie alone
  // says for which client id to unregister it.
  uint64_t new_cookie(uint32_t guest = 0);
  static uint32_t cookie_guest(uint64_t cookie) { return static_cast<uint32_t>(cookie >> kGuestShift); }

  // Records RPC memory; returns its cookie. ENOSPC when the table is full.
  // For an APPL Shm, also stores the cookie in shm->driver_cookie.
  Result<uint64_t> add_rpc(RpcShm entry) EXCLUDES(mu_);
  // The attachable fd of an RPC entry (borrowed), or -1.
  int rpc_fd(uint64_t cookie) const EXCLUDES(mu_);
  // The APPL Shm behind a cookie, or nullptr.
  std::shared_ptr<core::Shm> find_appl(uint64_t cookie) const EXCLUDES(mu_);
  // Removes an entry; the caller destroys it (outside any lock it holds).
  std::optional<RpcShm> remove_rpc(uint64_t cookie) EXCLUDES(mu_);
  // Removes everything (driver teardown).
  std::vector<RpcShm> take_all_rpc() EXCLUDES(mu_);
  size_t rpc_count() const EXCLUDES(mu_);

  // Queue of cookies to unregister. queue_unregister() is called from Shm
  // release hooks on any thread: it only takes this leaf lock.
  void queue_unregister(uint64_t cookie) EXCLUDES(pending_mu_);
  // Blocks until a cookie is pending or stop_worker(); nullopt when stopped
  // and drained.
  std::optional<uint64_t> next_unregister() EXCLUDES(pending_mu_);
  void stop_worker() EXCLUDES(pending_mu_);
  size_t pending_unregister() const EXCLUDES(pending_mu_);

 private:
  static constexpr unsigned kGuestShift = 48;
  std::atomic<uint64_t> next_cookie_{1};

  mutable Mutex mu_;
  IdTable<uint64_t, RpcShm> rpc_ GUARDED_BY(mu_){kMaxRpcShms};

  mutable Mutex pending_mu_;
  CondVar pending_cv_;
  std::deque<uint64_t> pending_ GUARDED_BY(pending_mu_);
  bool stopped_ GUARDED_BY(pending_mu_) = false;
};

}  // namespace swtee::optee
