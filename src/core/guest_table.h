// The guests of one device. A guest is a client machine (a VM) whose
// clients reach this TEE through the host; its contexts carry its guest id.
// Guest 0 is the host's own local clients: always present, never created or
// destroyed. Any other id must be announced before its first context
// (create) and is retired by destroy, which the core follows with the
// driver's guest_created / guest_destroyed ops (tee_driver.h).
//
// Every context of a guest holds a GuestRef, so the table knows when the
// last context of a departed guest is gone: until then the id cannot be
// created again (EBUSY), so a late close of the old incarnation never
// reaches the new one's state in the TEE.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>

#include "common/result.h"
#include "common/thread_annotations.h"

namespace swtee::core {

// The guest id of the host's own (local) clients.
inline constexpr uint32_t kHostGuestId = 0;

class GuestTable;

// One context's hold on its guest. Move-only; guest 0 holds nothing.
class GuestRef {
 public:
  GuestRef() = default;
  ~GuestRef() { reset(); }
  GuestRef(GuestRef&& o) noexcept { *this = std::move(o); }
  GuestRef& operator=(GuestRef&& o) noexcept;
  GuestRef(const GuestRef&) = delete;
  GuestRef& operator=(const GuestRef&) = delete;

  uint32_t id() const { return id_; }
  void reset();

 private:
  friend class GuestTable;
  GuestRef(GuestTable* t, uint32_t id) : table_(t), id_(id) {}
  GuestTable* table_ = nullptr;
  uint32_t id_ = kHostGuestId;
};

class GuestTable {
 public:
  GuestTable() = default;
  GuestTable(const GuestTable&) = delete;
  GuestTable& operator=(const GuestTable&) = delete;

  // Announces guest `id`. EINVAL for id 0; EEXIST if it is live; EBUSY
  // while contexts of an earlier incarnation are still being torn down.
  Status create(uint32_t id) EXCLUDES(mu_);
  // Retires a live guest: no new context may attach. ENOENT if not live.
  Status destroy(uint32_t id) EXCLUDES(mu_);
  bool live(uint32_t id) const EXCLUDES(mu_);
  // A context's hold on guest `id` (0 always succeeds). ENOENT if the guest
  // is not live.
  Result<GuestRef> attach(uint32_t id) EXCLUDES(mu_);
  // Contexts of guest `id` still alive (0 for the host: not counted).
  uint32_t contexts(uint32_t id) const EXCLUDES(mu_);
  // Waits until no context of guest `id` is left or `deadline` passes;
  // true when none is left.
  bool wait_drained(uint32_t id, std::chrono::steady_clock::time_point deadline) EXCLUDES(mu_);

 private:
  friend class GuestRef;
  void detach(uint32_t id) EXCLUDES(mu_);

  struct Entry {
    bool live = false;
    uint32_t contexts = 0;
  };
  mutable Mutex mu_;
  CondVar drained_;
  std::map<uint32_t, Entry> guests_ GUARDED_BY(mu_);
};

}  // namespace swtee::core
