#include "os/shm_registry.h"

#include "common/shm_file.h"

namespace swtee::os {

Result<std::shared_ptr<PhysShm>> adopt_phys_shm(uint64_t cookie, UniqueFd memfd, uint64_t declared_size) {
  if (cookie == 0) return Error{EINVAL, "shm cookie 0"};
  if (!memfd) return Error{EINVAL, "no shm fd"};
  ASSIGN_OR_RETURN(uint64_t actual, seal_and_size(memfd.get()));
  if (actual < declared_size) return Error{EINVAL, "shm memfd smaller than declared"};
  ASSIGN_OR_RETURN(Mapping map, Mapping::map(memfd.get(), declared_size, true));
  auto shm = std::make_shared<PhysShm>();
  shm->cookie = cookie;
  shm->memfd = std::move(memfd);
  shm->size = declared_size;
  shm->map = std::move(map);
  return shm;
}

Status ShmRegistry::add(std::shared_ptr<PhysShm> shm) {
  if (!shm || shm->cookie == 0) return Error{EINVAL, "bad shm"};
  MutexLock lock(mu_);
  const uint64_t cookie = shm->cookie;
  if (Status st = table_.insert(cookie, std::move(shm)); !st.ok())
    return Error{st.error().code, "REGISTER_SHM"}.in(fmt::format("cookie {:#x}", cookie));
  return ok_status();
}

Status ShmRegistry::remove(uint64_t cookie) {
  std::shared_ptr<PhysShm> dropped;  // released outside the lock (munmap)
  {
    MutexLock lock(mu_);
    auto entry = table_.remove(cookie);
    if (!entry) return Error{ENOENT, "shm cookie not registered"};
    dropped = std::move(*entry);
  }
  return ok_status();
}

std::shared_ptr<PhysShm> ShmRegistry::find(uint64_t cookie) const {
  MutexLock lock(mu_);
  const std::shared_ptr<PhysShm>* shm = table_.find(cookie);
  return shm == nullptr ? nullptr : *shm;
}

size_t ShmRegistry::size() const {
  MutexLock lock(mu_);
  return table_.size();
}

}  // namespace swtee::os
