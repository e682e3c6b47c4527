#include "os/ta_manager/syscalls.h"

namespace swtee::os {

Result<std::shared_ptr<PhysShm>> adopt_ta_memfd(UniqueFd fd, uint64_t max_size) {
  if (!fd) return Error{EINVAL, "no memfd"};
  ASSIGN_OR_RETURN(uint64_t size, seal_and_size(fd.get()));
  if (size > max_size) return Error{EINVAL, "memfd larger than allowed"};
  auto shm = std::make_shared<PhysShm>();
  ASSIGN_OR_RETURN(shm->map, Mapping::map(fd.get(), size));
  shm->size = size;
  shm->memfd = std::move(fd);
  return shm;
}

}  // namespace swtee::os
