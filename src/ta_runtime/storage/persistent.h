// GP persistent objects inside the TA process (TEE Internal Core §5.7–5.9):
// what a persistent TEE_ObjectHandle carries beyond a transient one, and
// the hooks the generic object functions (crypto/api_object.cc) call for
// persistent handles. The objects themselves live in swtee-os (Storage
// syscall family, protocol/syscalls/storage_abi.h).
#pragma once

#include <cstdint>

#include "ta_runtime/crypto/secure_bytes.h"
#include "tee_internal_api.h"

namespace swtee::ta::crypto {
struct Object;
}  // namespace swtee::ta::crypto

namespace swtee::ta::storage {

struct PersistentState {
  uint64_t handle = 0;    // the OS's handle (valid in this process only)
  uint32_t flags = 0;     // TEE_DATA_FLAG_ACCESS_* | TEE_DATA_FLAG_SHARE_*
  uint64_t position = 0;  // data position, <= TEE_DATA_MAX_POSITION
  // Read cache (api_data_stream.cc): the whole data of a small object,
  // kept only while no other handle can change it — this handle lacks
  // SHARE_WRITE, so by the sharing rules no other handle anywhere has
  // ACCESS_WRITE or WRITE_META; writes through this handle drop it.
  bool cached = false;
  crypto::SecureBytes cache;
  // The object was found corrupt and deleted, and the TA keeps such handles
  // open (TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT): data operations
  // answer CORRUPT_OBJECT, info and close work.
  bool corrupt = false;
  ~PersistentState();
};

// Wipes the read cache of `st` (api_data_stream.cc).
void drop_cache(PersistentState& st) noexcept;

// TEE_CloseObject on a persistent handle: closes the OS handle (the caller
// then frees the Object).
void close_persistent(crypto::Object& o) noexcept;
// TEE_GetObjectInfo1 after the generic fields are filled: dataSize (asks the
// OS: another handle may have changed it) and dataPosition.
TEE_Result persistent_info(const crypto::Object& o, TEE_ObjectInfo* info) noexcept;
// TEE_RestrictObjectUsage1 on a persistent object: the new usage is stored
// with the object (GP 1.3.1 §5.5.9), then applied to the handle.
TEE_Result restrict_persistent_usage(crypto::Object& o, uint32_t usage) noexcept;

// After CORRUPT_OBJECT on a handle: the OS deleted the object and keeps its
// handle, marked corrupt. As OP-TEE (remove_corrupt_obj in
// tee_svc_storage.c), the handle is closed (the OS handle too, the Object
// freed) unless the TA has TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT;
// then it stays open, marked corrupt.
void on_corrupt(crypto::Object& o) noexcept;
// True when `o` is such a kept handle of a corrupt (deleted) object.
bool kept_corrupt(const crypto::Object& o) noexcept;

// Every function that got CORRUPT_OBJECT on `o` calls on_corrupt, and
// every data operation answers CORRUPT_OBJECT when kept_corrupt(o).
}  // namespace swtee::ta::storage
