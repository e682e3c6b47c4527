#include "supplicant/shm_table.h"

#include <sys/stat.h>

namespace swtee::supp {

Status ShmTable::admit(uint64_t size) const {
  if (size == 0 || size > limits_.max_size) return Error{EINVAL, "shm size out of range"};
  MutexLock l(mu_);
  if (shms_.full()) return Error{ENOMEM, "too many supplicant shms"};
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
  if (total_ + size > limits_.max_total) return Error{ENOMEM, "supplicant shm budget exhausted"};
  if (Status st = shms_.insert(id, std::move(e)); !st.ok())
    return st.error().code == ENOSPC ? Error{ENOMEM, "too many supplicant shms"} : st.error().in("shm id");
  total_ += size;
  return ok_status();
}

std::shared_ptr<SuppShm> ShmTable::get(int32_t id) const {
  MutexLock l(mu_);
  const std::shared_ptr<SuppShm>* e = shms_.find(id);
  return e == nullptr ? nullptr : *e;
}

std::shared_ptr<SuppShm> ShmTable::remove(int32_t id) {
  MutexLock l(mu_);
  auto e = shms_.remove(id);
  if (!e) return nullptr;
  total_ -= (*e)->map.size();
  return std::move(*e);
}

size_t ShmTable::count() const {
  MutexLock l(mu_);
  return shms_.size();
}

}  // namespace swtee::supp
