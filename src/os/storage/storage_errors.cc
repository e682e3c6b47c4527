#include "os/storage/storage_errors.h"

#include "os/os_types.h"

namespace swtee::os::storage {

uint32_t gp_result_of(const Error& e) {
  switch (e.code) {
    case kErrCorrupt:
    case kErrRollback:
      return kTeeErrorCorruptObject;
    case ENOENT:
      return kTeeErrorItemNotFound;
    case EEXIST:
      return kTeeErrorAccessConflict;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return kTeeErrorStorageNoSpace;
    case EOVERFLOW:
      return kTeeErrorOverflow;
    case ENOMEM:
      return kTeeErrorOutOfMemory;
    case EINVAL:
      return kTeeErrorBadParameters;
    case ECONNRESET:
    case EPIPE:
    case EIO:
    case EPROTO:
      return kTeeErrorStorageNotAvailable;
    default:
      return kTeeErrorGeneric;
  }
}

}  // namespace swtee::os::storage
