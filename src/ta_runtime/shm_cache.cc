#include "ta_runtime/shm_cache.h"

#include <sys/stat.h>

#include "common/checked_math.h"
#include "ta_runtime/fd_util.h"
#include "ta_runtime/shared_ranges.h"

namespace swtee::ta {

Result<ClientMapping> ClientMapping::map(int fd, uint64_t size) {
  ASSIGN_OR_RETURN(Mapping m, Mapping::map(fd, size));
  if (m.data() != nullptr)
    TRY_STATUS(shared_ranges().add(m.data(), m.size(), /*writable=*/true, RangeOwner::Client));
  return ClientMapping(std::move(m));
}

ClientMapping& ClientMapping::operator=(ClientMapping&& o) noexcept {
  if (this != &o) {
    unregister();
    map_ = std::move(o.map_);
  }
  return *this;
}

void ClientMapping::unregister() {
  if (map_.data() != nullptr) (void)shared_ranges().remove(map_.data());
  map_.reset();
}

Status ShmCache::add(uint64_t cookie, UniqueFd fd) {
  if (cookie == 0) return Error{EINVAL, "cookie 0"};
  if (entries_.size() >= kHardLimit && entries_.count(cookie) == 0) return Error{ENOSPC, "shm cache full"};
  struct stat st {};
  if (fd_stat(fd.get(), &st) != 0) return Error::from_errno("fstat shm");
  if (!S_ISREG(st.st_mode) || st.st_size < 0) return Error{EINVAL, "shm is not a memfd"};
  ASSIGN_OR_RETURN(ClientMapping m, ClientMapping::map(fd.get(), static_cast<uint64_t>(st.st_size)));
  entries_.insert_or_assign(cookie, std::move(m));
  return ok_status();
}

Result<uint8_t*> ShmCache::resolve(uint64_t cookie, uint64_t offset, uint64_t size) const {
  auto it = entries_.find(cookie);
  if (it == entries_.end()) return Error{ENOENT, "unknown shm cookie"};
  const ClientMapping& m = it->second;
  if (!range_fits(offset, size, m.size())) return Error{ERANGE, "memref outside its shm"};
  if (m.data() == nullptr) return static_cast<uint8_t*>(nullptr);
  return m.data() + offset;
}

}  // namespace swtee::ta
