#include "ta_runtime/memref_windows.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/checked_math.h"
#include "ta_runtime/fd_util.h"
#include "ta_runtime/shared_ranges.h"

namespace swtee::ta {

Result<ClientMapping> ClientMapping::map(int fd, uint64_t size, bool writable) {
  ASSIGN_OR_RETURN(Mapping m, Mapping::map(fd, size, writable));
  if (m.data() != nullptr) TRY_STATUS(shared_ranges().add(m.data(), m.size(), writable, RangeOwner::Client));
  return ClientMapping(std::move(m), writable);
}

ClientMapping& ClientMapping::operator=(ClientMapping&& o) noexcept {
  if (this != &o) {
    reset();
    map_ = std::move(o.map_);
    writable_ = o.writable_;
    exposed_ = o.exposed_;
  }
  return *this;
}

Status ClientMapping::expose(size_t n) {
  if (map_.data() == nullptr) return ok_status();
  if (n > map_.size()) return Error{ERANGE, "expose past a mapping"};
  if (n == exposed_) return ok_status();  // the common case: same size as the last call
  (void)shared_ranges().remove(map_.data());
  exposed_ = 0;
  if (n == 0) return ok_status();
  TRY_STATUS(shared_ranges().add(map_.data(), n, writable_, RangeOwner::Client));
  exposed_ = n;
  return ok_status();
}

void ClientMapping::reset() {
  if (map_.data() != nullptr) (void)shared_ranges().remove(map_.data());
  map_.reset();
  exposed_ = 0;
}

Status MemrefWindows::adopt(size_t index, size_t dir, UniqueFd fd) {
  if (index >= w_.size() || dir >= tachan::kNumWindowDirs) return Error{EINVAL, "memref window index"};
  struct stat st {};
  if (fd_stat(fd.get(), &st) != 0) return Error::from_errno("fstat memref window");
  if (!S_ISREG(st.st_mode)) return Error{EINVAL, "memref window is not a memfd"};
  Window& w = w_[index][dir];
  w.map.reset();
  w.fd = std::move(fd);
  return ok_status();
}

Result<uint8_t*> MemrefWindows::buffer(size_t index, size_t dir, uint64_t size, Fill fill) {
  if (index >= w_.size() || dir >= tachan::kNumWindowDirs) return Error{EINVAL, "memref window index"};
  if (size > tachan::kMaxCallMemrefBytes) return Error{ERANGE, "memref larger than a call may carry"};
  Window& w = w_[index][dir];
  if (!w.fd) return Error{ENOENT, "memref window never sent"};
  // Round up: sizes that vary a little do not remap every call. A 0-byte
  // memref still gets an address (a granule with no pages behind it).
  const uint64_t len = (size / tachan::kWindowMapGranule + 1) * tachan::kWindowMapGranule;
  if (w.map.size() != len) {
    w.map.reset();
    ASSIGN_OR_RETURN(w.map, ClientMapping::map(w.fd.get(), len, /*writable=*/dir != 0));
  }
  // The memref's pages only (a 0-byte memref: none).
  static const uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  TRY_STATUS(w.map.expose(static_cast<size_t>((size + page - 1) / page * page)));
  if (fill != Fill::None && size > tachan::kWindowKeepBytes) {
    // Best effort: a kernel without it (before 5.14) leaves it to faults.
    (void)::madvise(w.map.data(), size, fill == Fill::Read ? MADV_POPULATE_READ : MADV_POPULATE_WRITE);
  }
  return w.map.data();
}

void MemrefWindows::trim(uint32_t used) {
  for (size_t i = 0; i < w_.size(); ++i)
    for (size_t d = 0; d < tachan::kNumWindowDirs; ++d)
      if ((used & (1u << (i * tachan::kNumWindowDirs + d))) == 0 &&
          w_[i][d].map.size() > tachan::kWindowMapGranule)
        w_[i][d].map.reset();
}

uint64_t MemrefWindows::mapped_bytes() const {
  uint64_t n = 0;
  for (const auto& per_index : w_)
    for (const Window& w : per_index) n += w.map.size();
  return n;
}

}  // namespace swtee::ta
