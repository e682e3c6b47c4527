#include "libteec/temp_shm_cache.h"

#include <bit>

namespace swtee::teec {

namespace {
constexpr uint64_t kPage = 4096;
}

uint64_t TempShmCache::alloc_size_for(uint64_t size) const {
  if (size <= kPage) return kPage;
  if (size <= limits_.max_entry_bytes) return std::bit_ceil(size);
  // Page-rounded; sizes near UINT64_MAX are left as they are and fail in
  // SHM_ALLOC with a clear error.
  uint64_t rounded = (size + kPage - 1) & ~(kPage - 1);
  return rounded >= size ? rounded : size;
}

std::optional<TempShm> TempShmCache::take(uint32_t session, uint64_t size) {
  size_t best = entries_.size();
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (e.session != session || e.shm.map.size() < size) continue;
    if (best == entries_.size() || e.shm.map.size() < entries_[best].shm.map.size()) best = i;
  }
  if (best == entries_.size()) return std::nullopt;
  TempShm out = std::move(entries_[best].shm);
  entries_.erase(entries_.begin() + static_cast<ptrdiff_t>(best));
  bytes_ -= out.map.size();
  return out;
}

std::optional<TempShm> TempShmCache::give(uint32_t session, TempShm shm) {
  uint64_t sz = shm.map.size();
  if (sz > limits_.max_entry_bytes || entries_.size() >= limits_.max_entries ||
      bytes_ + sz > limits_.max_bytes) {
    return shm;
  }
  bytes_ += sz;
  entries_.push_back(Entry{session, std::move(shm)});
  return std::nullopt;
}

std::vector<TempShm> TempShmCache::drain(uint32_t session) {
  std::vector<TempShm> out;
  for (size_t i = 0; i < entries_.size();) {
    if (entries_[i].session == session) {
      bytes_ -= entries_[i].shm.map.size();
      out.push_back(std::move(entries_[i].shm));
      entries_.erase(entries_.begin() + static_cast<ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace swtee::teec
