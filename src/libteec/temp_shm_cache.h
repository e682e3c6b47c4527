// Bounded per-context cache of shm objects for temporary memrefs, so that
// repeated calls with TEEC_MEMREF_TEMP_* don't pay SHM_ALLOC + RELEASE each.
//
// Entries are keyed by session id: a TA keeps the memfds it was handed, so
// a buffer once passed to one session's TA is only ever reused for that same
// session (never leaks one TA's data to another). Pure data structure: it
// does not talk to swteed; whatever it refuses or drains, the caller
// releases. Not thread-safe on its own (ContextState locks around it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/shm_file.h"

namespace swtee::teec {

// One shm object from SHM_ALLOC, mapped.
struct TempShm {
  int id = -1;
  Mapping map;
};

class TempShmCache {
 public:
  struct Limits {
    size_t max_entries = 16;              // per context, all sessions together
    uint64_t max_bytes = 4u << 20;        // mapped bytes kept, all sessions
    uint64_t max_entry_bytes = 1u << 20;  // bigger buffers are never kept
  };
  // Reserves room for max_entries, so give() never allocates.
  TempShmCache() : TempShmCache(Limits{}) {}
  explicit TempShmCache(Limits l) : limits_(l) { entries_.reserve(l.max_entries); }

  // Size to allocate for a request of `size` bytes: a power of two of at
  // least one page when the result is cacheable, else `size` page-rounded.
  uint64_t alloc_size_for(uint64_t size) const;

  // Takes the smallest kept entry of `session` holding >= size bytes.
  std::optional<TempShm> take(uint32_t session, uint64_t size);
  // Keeps `shm` for `session`, or hands it back when it is too big or the
  // cache is full; the caller then releases it.
  std::optional<TempShm> give(uint32_t session, TempShm shm);
  // Removes every entry of `session` (session closed).
  std::vector<TempShm> drain(uint32_t session);

  size_t entries() const { return entries_.size(); }
  uint64_t bytes() const { return bytes_; }

 private:
  struct Entry {
    uint32_t session;
    TempShm shm;
  };
  Limits limits_;
  std::vector<Entry> entries_;
  uint64_t bytes_ = 0;
};

}  // namespace swtee::teec
