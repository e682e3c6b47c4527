// Ranges of the TA process's address space that the TA does not own
// exclusively: client memory (the memref windows, memref_windows.h), buffers shared
// with another TA (TA-to-TA memrefs) and pages the OS shares with the TA
// (the parameter page). TEE_CheckMemoryAccessRights consults it: without
// TEE_MEMORY_ACCESS_ANY_OWNER any byte in a registered range is refused.
//
// Contract for users (MemrefWindows, the TA-to-TA session code):
//  - register a mapping right after creating it, with the access the TA
//    has to it, and unregister it (by its start) before unmapping it;
//  - ranges never overlap; add() refuses an overlapping range (EEXIST),
//    which is always a bookkeeping bug in the caller.
// Only the TA's dispatcher thread touches the registry (GP instances are
// single-threaded), so it has no lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "common/result.h"

namespace swtee::ta {

enum class RangeOwner : uint8_t {
  Client,  // a client application's memory (normal world, non-secure)
  Ta,      // memory shared with another TA (secure)
  Os,      // pages the trusted OS shares with the TA (secure)
};

struct SharedRange {
  uintptr_t start = 0;
  size_t size = 0;
  bool writable = false;
  RangeOwner owner = RangeOwner::Client;
  uintptr_t end() const { return start + size; }
};

class SharedRanges {
 public:
  // Bound on live ranges: the 8 memref window mappings plus the
  // TA-to-TA buffers of one call chain, with room to spare.
  static constexpr size_t kMaxRanges = 1024;

  // EINVAL for an empty or wrapping range, EEXIST when it overlaps a
  // registered one, ENOSPC past kMaxRanges.
  [[nodiscard]] Status add(const void* start, size_t size, bool writable, RangeOwner owner);
  // Forgets the range starting at `start`; true when there was one.
  bool remove(const void* start);
  // The registered range with the lowest start that overlaps [start, end).
  std::optional<SharedRange> first_overlap(uintptr_t start, uintptr_t end) const;
  size_t size() const { return by_start_.size(); }
  void clear() { by_start_.clear(); }

 private:
  std::map<uintptr_t, SharedRange> by_start_;
};

// The process-wide registry.
SharedRanges& shared_ranges();

// Registration of one range in shared_ranges() for the lifetime of the
// object (e.g. a TA-to-TA BulkBuffer mapping: destroy this before the
// mapping). Move-only; an empty object registers nothing.
class ScopedSharedRange {
 public:
  ScopedSharedRange() = default;
  [[nodiscard]] static Result<ScopedSharedRange> add(const void* start, size_t size, bool writable,
                                                     RangeOwner owner);
  ScopedSharedRange(ScopedSharedRange&& o) noexcept : start_(o.start_) { o.start_ = nullptr; }
  ScopedSharedRange& operator=(ScopedSharedRange&& o) noexcept;
  ScopedSharedRange(const ScopedSharedRange&) = delete;
  ScopedSharedRange& operator=(const ScopedSharedRange&) = delete;
  ~ScopedSharedRange() { reset(); }
  void reset();

 private:
  explicit ScopedSharedRange(const void* start) : start_(start) {}
  const void* start_ = nullptr;
};

}  // namespace swtee::ta
