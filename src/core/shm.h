// A shared-memory object of the generic core: a sealed memfd of fixed size,
// owned by the context that created it, known to user space by an id.
//
// Lifetime: a Shm is held by shared_ptr. References are the owning context's
// id table (dropped by SWTEE_IOC_SHM_RELEASE or context close), every call
// that uses it as a memref, and whatever a driver keeps. When the id-table
// reference goes, the id is removed from the table under the table lock at
// once, so a later lookup can never resurrect it; the memory itself goes
// when the last shared_ptr does. Drivers learn of registration and of the
// end of life through the optional shm_register / shm_unregister ops.
#pragma once

#include <atomic>
#include <cstdint>

#include "common/shm_file.h"
#include "common/unique_fd.h"
#include "core/uid_quotas.h"

namespace swtee::core {

class Context;

class Shm {
 public:
  enum class Kind : uint8_t { Alloc, RegisteredFd };

  Shm(int id, Kind kind, UniqueFd memfd, uint64_t size, const Context* owner);
  ~Shm();
  Shm(const Shm&) = delete;
  Shm& operator=(const Shm&) = delete;

  int id() const { return id_; }
  Kind kind() const { return kind_; }
  // The memfd; sealed against shrink and grow. Borrowed: dup() to keep it.
  int fd() const { return memfd_.get(); }
  uint64_t size() const { return size_; }
  // Identity of the owner for ownership checks only; never dereferenced
  // after the owner is gone. Only while the owner lives: once it is freed,
  // a new context may get the same address.
  const Context* owner() const { return owner_; }
  // The owner's context id (0: none). Ids are never reused, so this one
  // still tells "not yours" after the owner is gone, for a shm a driver
  // keeps past its owner (e.g. a dead supplicant's buffer).
  uint64_t owner_id() const { return owner_id_; }

  // Opaque per-shm word for the driver (e.g. the OP-TEE cookie once the
  // secure world knows this memfd). 0 = none.
  std::atomic<uint64_t> driver_cookie{0};

  // Hook run from ~Shm so the driver can tell its TEE the memory is gone.
  // Set once by the core at creation when the driver has shm_unregister.
  void set_release_hook(void (*hook)(void* drv, Shm& shm), void* drv) {
    release_hook_ = hook;
    release_drv_ = drv;
  }
  // The owner's share of the pools this shm takes (given back with it).
  void hold(QuotaCharge object, QuotaCharge bytes) {
    object_charge_ = std::move(object);
    bytes_charge_ = std::move(bytes);
  }

 private:
  int id_;
  Kind kind_;
  UniqueFd memfd_;
  uint64_t size_;
  const Context* owner_;
  uint64_t owner_id_;
  void (*release_hook_)(void*, Shm&) = nullptr;
  void* release_drv_ = nullptr;
  QuotaCharge object_charge_;
  QuotaCharge bytes_charge_;
};

inline Shm::~Shm() {
  if (release_hook_ != nullptr) release_hook_(release_drv_, *this);
}

}  // namespace swtee::core
