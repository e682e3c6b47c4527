// GP TA persistent time (TEE_GetTAPersistentTime / TEE_SetTAPersistentTime)
// kept per TA across restarts of the whole stack.
//
// Model: what is stored per TA is the offset between the TA's time and a
// wall-clock base, plus the base's reading when the time was set. The TA
// time is then base_now + offset. The base is CLOCK_REALTIME of swtee-os:
// swtee-os shares the kernel's wall clock with the REE, so it is the REE
// time without an RPC round trip (and works in entry points that have no
// RPC path); unlike CLOCK_MONOTONIC it keeps counting across restarts.
//
// Trust (GP TIME_NEEDS_RESET): the record is a trusted-storage object, so
// a corrupted, deleted-after-use or rolled-back record is detected by the
// store (authentication, rollback anchor). A base that reads earlier than
// when the time was set (minus kBackwardSlackMs for clock slewing) means
// the wall clock was moved back: the TA time can no longer be trusted
// either. Both answer TIME_NEEDS_RESET until the TA sets the time again.
//
// Storage: each TA's record lives in an object store of its own, under a
// swtee-internal UUID derived from the TA's (persistent_time_store_uuid),
// so no TA can name or collide with it and a rolled-back or corrupted
// record affects that TA alone. GP: after TIME_NEEDS_RESET the TA's Set
// re-establishes the time; when the store itself is what cannot be
// trusted, Set first resets it (PersistentTimeStorage::reset), which keeps
// every older copy detectably stale.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/uuid.h"
#include "os/os_types.h"

namespace swtee::os {

// uuid_v5(swtee OS namespace, "persistent-time/<ta uuid>").
Uuid persistent_time_store_uuid(const Uuid& ta);

inline constexpr int64_t kBackwardSlackMs = 1000;
inline constexpr size_t kPersistentTimeRecordSize = 32;

// Milliseconds of the time base.
class WallClock {
 public:
  virtual ~WallClock() = default;
  virtual int64_t now_ms() = 0;
};

// CLOCK_REALTIME.
WallClock& system_wall_clock();

// Where records are kept (trusted storage in swtee-os; a map in tests).
// Errors use the storage errno classes (storage/storage_errors.h): ENOENT
// (no record), kErrCorrupt/kErrRollback (untrustworthy), others (could not
// reach the store).
class PersistentTimeStorage {
 public:
  virtual ~PersistentTimeStorage() = default;
  virtual Result<std::vector<uint8_t>> load(const Uuid& ta) = 0;
  virtual Status save(const Uuid& ta, std::span<const uint8_t> record) = 0;
  // Makes a store that fails with kErrCorrupt/kErrRollback writable again,
  // dropping what it held (only `ta`'s record lives there).
  virtual Status reset(const Uuid& ta) = 0;
};

struct TaTime {
  uint32_t seconds = 0;  // truncated to 32 bits when the result is OVERFLOW
  uint32_t millis = 0;
};

class PersistentTime {
 public:
  explicit PersistentTime(WallClock& clock) : clock_(clock) {}

  // SUCCESS, OVERFLOW (time still filled, seconds mod 2^32), TIME_NOT_SET,
  // TIME_NEEDS_RESET, OUT_OF_MEMORY (the store could not be reached).
  uint32_t get(PersistentTimeStorage& storage, const Uuid& ta, TaTime* out) EXCLUDES(mu_);
  // SUCCESS, BAD_PARAMETERS (millis > 999), STORAGE_NO_SPACE,
  // OUT_OF_MEMORY (the store could not be reached or written). An
  // untrustworthy store (rolled back, corrupted) is reset, then written.
  uint32_t set(PersistentTimeStorage& storage, const Uuid& ta, TaTime t) EXCLUDES(mu_);

  // Record codec (exposed for tests).
  struct Record {
    int64_t offset_ms = 0;  // TA time - base
    int64_t set_at_ms = 0;  // base when it was set
  };
  static std::vector<uint8_t> encode(const Record& r);
  static std::optional<Record> decode(std::span<const uint8_t> b);

  // Records cached in memory (one per TA that asked; bounded).
  size_t cached() const EXCLUDES(mu_);

 private:
  enum class State { NotSet, Set, NeedsReset };
  struct Entry {
    State state = State::NotSet;
    Record rec;
  };
  static constexpr size_t kMaxCached = 4096;

  // The TA's entry, from the cache or the store. nullopt: store unreachable.
  std::optional<Entry> lookup(PersistentTimeStorage& storage, const Uuid& ta) REQUIRES(mu_);
  void remember(const Uuid& ta, const Entry& e) REQUIRES(mu_);

  WallClock& clock_;
  mutable Mutex mu_;
  std::map<Uuid, Entry> cache_ GUARDED_BY(mu_);
};

}  // namespace swtee::os
