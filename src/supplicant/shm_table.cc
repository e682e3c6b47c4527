#include "supplicant/shm_table.h"

#include <sys/stat.h>

namespace swtee::supp {

Status ShmTable::admit(uint64_t size) const {
  if (size == 0 || size > limits_.max_size) return Error{EINVAL, "shm size out of range"};
  MutexLock l(mu_);
  if (shms_.size() >= limits_.max_count) return Error{ENOMEM, "too many supplicant shms"};
  if (total_ + size > limits_.max_total) return Error{ENOMEM, "supplicant shm budget exhausted"};
  return ok_status();
}

Status ShmTable::insert(int32_t id, UniqueFd memfd, uint64_t size) {
  TRY_STATUS(admit(size));
  struct stat st {};
  if (::fstat(memfd.get(), &st) != 0) return Error::from_errno("fstat shm");
  if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) < size) return Error{EINVAL, "shm memfd too small"};
  ASSIGN_OR_RETURN(Mapping m, Mapping::map(memfd.get(), size));
  auto e = std::make_shared<SuppShm>();
  e->id = id;
  e->memfd = std::move(memfd);
  e->map = std::move(m);
  MutexLock l(mu_);
  if (shms_.count(id) != 0) return Error{EEXIST, "duplicate shm id"};
  total_ += size;
  shms_.emplace(id, std::move(e));
  return ok_status();
}

std::shared_ptr<SuppShm> ShmTable::get(int32_t id) const {
  MutexLock l(mu_);
  auto it = shms_.find(id);
  return it == shms_.end() ? nullptr : it->second;
}

std::shared_ptr<SuppShm> ShmTable::remove(int32_t id) {
  MutexLock l(mu_);
  auto it = shms_.find(id);
  if (it == shms_.end()) return nullptr;
  auto e = std::move(it->second);
  shms_.erase(it);
  total_ -= e->map.size();
  return e;
}

size_t ShmTable::count() const {
  MutexLock l(mu_);
  return shms_.size();
}

}  // namespace swtee::supp
