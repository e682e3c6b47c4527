#include "ta_runtime/shm_cache.h"

#include <sys/stat.h>

#include "common/checked_math.h"

namespace swtee::ta {

Status ShmCache::add(uint64_t cookie, UniqueFd fd) {
  if (cookie == 0) return Error{EINVAL, "cookie 0"};
  if (entries_.size() >= kHardLimit && entries_.count(cookie) == 0) return Error{ENOSPC, "shm cache full"};
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Error::from_errno("fstat shm");
  if (!S_ISREG(st.st_mode) || st.st_size < 0) return Error{EINVAL, "shm is not a memfd"};
  ASSIGN_OR_RETURN(Mapping m, Mapping::map(fd.get(), static_cast<uint64_t>(st.st_size)));
  entries_.insert_or_assign(cookie, std::move(m));
  return ok_status();
}

Result<uint8_t*> ShmCache::resolve(uint64_t cookie, uint64_t offset, uint64_t size) const {
  auto it = entries_.find(cookie);
  if (it == entries_.end()) return Error{ENOENT, "unknown shm cookie"};
  const Mapping& m = it->second;
  if (!range_fits(offset, size, m.size())) return Error{ERANGE, "memref outside its shm"};
  if (m.data() == nullptr) return static_cast<uint8_t*>(nullptr);
  return m.data() + offset;
}

}  // namespace swtee::ta
