#include "ta_runtime/bulk_buffer.h"

#include "protocol/ta_channel_wire.h"

namespace swtee::ta {

Result<BulkBuffer> BulkBuffer::create(uint64_t size) {
  if (size > tachan::kMaxSyscallBulk) return Error{EINVAL, "bulk buffer over the syscall limit"};
  ASSIGN_OR_RETURN(UniqueFd fd, create_sealed_memfd("swtee-ta-bulk", size));
  ASSIGN_OR_RETURN(Mapping map, Mapping::map(fd.get(), size));
  return BulkBuffer(std::move(fd), std::move(map), size);
}

}  // namespace swtee::ta
