// TA-side cache of client shared memory: cookie -> mapping of the whole
// memfd. The OS sends each memfd once per instance (lazily, on first use)
// and bounds the cache by asking for a flush (kReqFlushShmCache).
// Every live mapping is registered in shared_ranges() as client memory,
// so TEE_CheckMemoryAccessRights can tell it from the TA's own.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "common/result.h"
#include "common/shm_file.h"
#include "common/unique_fd.h"

namespace swtee::ta {

// A client shm mapping that is registered as a shared range for as long as
// it is mapped. Move-only.
class ClientMapping {
 public:
  [[nodiscard]] static Result<ClientMapping> map(int fd, uint64_t size);
  ClientMapping(ClientMapping&& o) noexcept : map_(std::move(o.map_)) {}
  ClientMapping& operator=(ClientMapping&& o) noexcept;
  ClientMapping(const ClientMapping&) = delete;
  ClientMapping& operator=(const ClientMapping&) = delete;
  ~ClientMapping() { unregister(); }

  uint8_t* data() const { return map_.data(); }
  size_t size() const { return map_.size(); }

 private:
  explicit ClientMapping(Mapping m) : map_(std::move(m)) {}
  void unregister();
  Mapping map_;
};

class ShmCache {
 public:
  // Hard cap: the OS keeps below tachan::kMaxCachedShm; a few more cover
  // the memrefs of the request that triggered a flush.
  static constexpr size_t kHardLimit = 128;

  // Maps `fd` (size from fstat) and files it under `cookie`, replacing an
  // older mapping of a re-registered cookie. The fd is closed afterwards.
  [[nodiscard]] Status add(uint64_t cookie, UniqueFd fd);
  // Pointer to [offset, offset + size) of the shm `cookie`, after checking
  // the range lies inside it (overflow-safe).
  [[nodiscard]] Result<uint8_t*> resolve(uint64_t cookie, uint64_t offset, uint64_t size) const;
  void flush() { entries_.clear(); }
  size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<uint64_t, ClientMapping> entries_;
};

}  // namespace swtee::ta
