// GP TEE Internal Core API: persistent object functions (GP 1.3.1 §5.7)
// and the persistent branches of the generic object functions. Every
// exported function is noexcept; the panics are the ones GP lists.
#include <cstring>
#include <memory>
#include <new>

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/runtime_state.h"
#include "ta_runtime/storage/meta_codec.h"
#include "ta_runtime/storage/persistent.h"
#include "ta_runtime/storage/storage_client.h"
#include "tee_internal_api.h"
#include "user_ta_header.h"

namespace swtee::ta::storage {

using crypto::crypto_panic;
using crypto::Object;
using namespace os::storage_abi;

namespace {

// The object id as a span. Zero-length ids are valid. The id must be TA
// memory: one in client shared memory panics (OP-TEE checks it without
// TEE_MEMORY_ACCESS_ANY_OWNER; the client could change it under us).
std::span<const uint8_t> id_span(const void* id, size_t len, const char* func) noexcept {
  if (len > TEE_OBJECT_ID_MAX_LEN) crypto_panic(func, "objectIDLen exceeds TEE_OBJECT_ID_MAX_LEN");
  if (len != 0 && id == nullptr) crypto_panic(func, "objectID is NULL");
  if (len != 0 &&
      TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ, const_cast<void*>(id), len) != TEE_SUCCESS)
    crypto_panic(func, "objectID is not TA private memory");
  return {static_cast<const uint8_t*>(id), len};
}

std::shared_ptr<PersistentState> new_state(uint64_t handle, uint32_t flags) noexcept {
  try {
    auto s = std::make_shared<PersistentState>();
    s->handle = handle;
    s->flags = flags;
    return s;
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

// The caller's flags as given, OVERWRITE of a create included: what OP-TEE's
// syscall_storage_obj_open/_create store in handleFlags (access checks use
// PersistentState::flags, which never has OVERWRITE).
uint32_t handle_flags_of(uint32_t data_flags) noexcept {
  return TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED | data_flags;
}

TEE_Result open_object(uint32_t storage_id, const void* object_id, size_t id_len, uint32_t flags,
                       TEE_ObjectHandle* object, const char* func) noexcept {
  if (object == nullptr) crypto_panic(func, "object is NULL");
  *object = TEE_HANDLE_NULL;
  const auto id = id_span(object_id, id_len, func);
  // OP-TEE's syscall answers BAD_PARAMETERS, which libutee does not allow
  // here (OVERWRITE is a create flag only).
  if ((flags & ~kOpenFlagsMask) != 0) crypto_panic(func, "invalid flags");
  Object* o = crypto::new_object();
  if (o == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  OpenResult r;
  TEE_Result res = sys_open(storage_id, id, flags, &r);
  MetaBlob meta;
  meta.bytes = std::move(r.meta);
  if (res != TEE_SUCCESS) {
    crypto::delete_object(o);
    return res;
  }
  o->persistent = new_state(r.handle, flags);
  if (!o->persistent) {
    sys_close(r.handle);
    crypto::delete_object(o);
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  if (!decode_meta(meta.bytes, *o)) {
    // Authentic but unparseable: written by a newer runtime or damaged
    // before sealing. Not ours to delete.
    sys_close(r.handle);
    o->persistent.reset();
    crypto::delete_object(o);
    return TEE_ERROR_CORRUPT_OBJECT;
  }
  o->handle_flags = handle_flags_of(flags);
  *object = crypto::handle_of(o);
  return TEE_SUCCESS;
}

// A new Object with the type, sizes, usage and attributes of `src` (a data
// object when null), or nullptr out of memory.
Object* new_object_like(const Object* src) noexcept {
  Object* o = crypto::new_object();
  if (o == nullptr) return nullptr;
  if (src == nullptr) {
    o->type = &data_object_type();
    return o;
  }
  o->type = src->type;
  o->max_size = src->max_size;
  o->key_size = src->key_size;
  o->usage = src->usage;
  o->attrs = src->attrs;
  for (const auto& a : o->attrs) {
    if (a.ref.size() != 0 && a.ref.data() == nullptr) {
      crypto::delete_object(o);
      return nullptr;
    }
  }
  return o;
}

// Creates the object from `src` (a data object when null); its OS handle,
// or 0 with the error.
TEE_Result sys_create_from(uint32_t storage_id, std::span<const uint8_t> id, uint32_t flags,
                           const Object& src, std::span<const uint8_t> data, uint64_t* handle) noexcept {
  MetaBlob meta;
  if (!encode_meta(src, kMaxMetaLen, &meta)) return TEE_ERROR_STORAGE_NO_SPACE;
  return sys_create(storage_id, id, flags, meta.bytes, data, handle);
}

// object == NULL with a transient attributes handle: as OP-TEE's
// syscall_storage_obj_create, that handle becomes the new object's, open
// with `flags` (its type and attributes are the object's already). Unlike
// OP-TEE, the object is fully created: other handles may open it.
TEE_Result create_into(uint32_t storage_id, std::span<const uint8_t> id, uint32_t flags, Object& attrs,
                       std::span<const uint8_t> data) noexcept {
  auto st = new_state(0, flags & kOpenFlagsMask);
  if (!st) return TEE_ERROR_OUT_OF_MEMORY;
  const TEE_Result res = sys_create_from(storage_id, id, flags, attrs, data, &st->handle);
  if (res != TEE_SUCCESS) return res;
  attrs.persistent = std::move(st);
  attrs.handle_flags = handle_flags_of(flags);
  return TEE_SUCCESS;
}

TEE_Result create_object(uint32_t storage_id, const void* object_id, size_t id_len, uint32_t flags,
                         TEE_ObjectHandle attributes, const void* initial_data, size_t initial_len,
                         TEE_ObjectHandle* object, const char* func) noexcept {
  if (object != nullptr) *object = TEE_HANDLE_NULL;
  const auto id = id_span(object_id, id_len, func);
  if (initial_len != 0 && initial_data == nullptr) crypto_panic(func, "initialData is NULL");
  Object* src = nullptr;
  if (attributes != TEE_HANDLE_NULL) {
    src = crypto::object_or_panic(attributes, func);
    if (!src->initialized()) crypto_panic(func, "attributes object is not initialized");
  }
  if ((flags & ~kCreateFlagsMask) != 0) crypto_panic(func, "invalid flags");  // as open_object
  if (initial_len > kMaxDataPosition) return TEE_ERROR_STORAGE_NO_SPACE;
  const std::span<const uint8_t> data{static_cast<const uint8_t*>(initial_data), initial_len};
  if (object == nullptr && src != nullptr && !src->persistent)
    return create_into(storage_id, id, flags, *src, data);
  Object* o = new_object_like(src);
  if (o == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  uint64_t handle = 0;
  const TEE_Result res = sys_create_from(storage_id, id, flags, *o, data, &handle);
  if (res != TEE_SUCCESS) {
    crypto::delete_object(o);
    return res;
  }
  if (object == nullptr) {  // GP 1.2+: create without keeping a handle
    sys_close(handle);
    crypto::delete_object(o);
    return TEE_SUCCESS;
  }
  o->persistent = new_state(handle, flags & kOpenFlagsMask);
  if (!o->persistent) {
    sys_close(handle);
    crypto::delete_object(o);
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  o->handle_flags = handle_flags_of(flags);
  *object = crypto::handle_of(o);
  return TEE_SUCCESS;
}

Object& persistent_or_panic(TEE_ObjectHandle h, const char* func) noexcept {
  Object* o = crypto::object_or_panic(h, func);
  if (!o->persistent) crypto_panic(func, "object is not persistent");
  return *o;
}

TEE_Result rename_object(TEE_ObjectHandle object, const void* new_id, size_t len, const char* func) noexcept {
  Object& o = persistent_or_panic(object, func);
  if ((o.persistent->flags & TEE_DATA_FLAG_ACCESS_WRITE_META) == 0)
    crypto_panic(func, "object not opened with TEE_DATA_FLAG_ACCESS_WRITE_META");
  const auto id = id_span(new_id, len, func);
  if (kept_corrupt(o)) return TEE_ERROR_CORRUPT_OBJECT;
  const TEE_Result res = sys_rename(o.persistent->handle, id);
  if (res == TEE_ERROR_CORRUPT_OBJECT) on_corrupt(o);
  return res;
}

bool keeps_corrupt_handles() noexcept {
  const swtee_ta_info* info = runtime().info;
  return info != nullptr && (info->flags & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT) != 0;
}

}  // namespace

void on_corrupt(Object& o) noexcept {
  if (keeps_corrupt_handles()) {
    drop_cache(*o.persistent);
    o.persistent->corrupt = true;
    return;
  }
  close_persistent(o);
  crypto::delete_object(&o);
}

bool kept_corrupt(const Object& o) noexcept { return o.persistent->corrupt; }

void close_persistent(Object& o) noexcept {
  if (o.persistent) sys_close(o.persistent->handle);
  o.persistent.reset();
}

TEE_Result persistent_info(const Object& o, TEE_ObjectInfo* info) noexcept {
  const PersistentState& st = *o.persistent;
  // A kept handle of a corrupt object: deleted, no data; the info still
  // comes (OP-TEE answers it from the handle alone).
  uint64_t size = st.corrupt ? 0 : st.cache.size();
  const TEE_Result res = st.cached || st.corrupt ? TEE_SUCCESS : sys_data_size(st.handle, &size);
  if (res == TEE_ERROR_CORRUPT_OBJECT) {
    info->dataSize = 0;
    info->dataPosition = 0;
    on_corrupt(const_cast<Object&>(o));  // the registry owns it; it may close the handle
    return res;
  }
  if (res != TEE_SUCCESS) return res;
  info->dataSize = static_cast<size_t>(size);
  info->dataPosition = static_cast<size_t>(st.position);
  return TEE_SUCCESS;
}

TEE_Result restrict_persistent_usage(Object& o, uint32_t usage) noexcept {
  if (kept_corrupt(o)) return TEE_ERROR_CORRUPT_OBJECT;
  const uint32_t before = o.usage;
  o.usage &= usage;
  if (o.usage == before) return TEE_SUCCESS;
  MetaBlob meta;
  if (!encode_meta(o, kMaxMetaLen, &meta)) {
    o.usage = before;
    return TEE_ERROR_OUT_OF_MEMORY;
  }
  const TEE_Result res = sys_set_meta(o.persistent->handle, meta.bytes);
  if (res != TEE_SUCCESS) o.usage = before;
  if (res == TEE_ERROR_CORRUPT_OBJECT) on_corrupt(o);
  return res;
}

}  // namespace swtee::ta::storage

using namespace swtee::ta::storage;

extern "C" {

TEE_Result TEE_OpenPersistentObject(uint32_t storageID, const void* objectID, size_t objectIDLen,
                                    uint32_t flags, TEE_ObjectHandle* object) {
  return open_object(storageID, objectID, objectIDLen, flags, object, __func__);
}

TEE_Result __GP11_TEE_OpenPersistentObject(uint32_t storageID, const void* objectID, uint32_t objectIDLen,
                                           uint32_t flags, TEE_ObjectHandle* object) {
  return open_object(storageID, objectID, objectIDLen, flags, object, __func__);
}

TEE_Result TEE_CreatePersistentObject(uint32_t storageID, const void* objectID, size_t objectIDLen,
                                      uint32_t flags, TEE_ObjectHandle attributes, const void* initialData,
                                      size_t initialDataLen, TEE_ObjectHandle* object) {
  return create_object(storageID, objectID, objectIDLen, flags, attributes, initialData, initialDataLen,
                       object, __func__);
}

TEE_Result __GP11_TEE_CreatePersistentObject(uint32_t storageID, const void* objectID, uint32_t objectIDLen,
                                             uint32_t flags, TEE_ObjectHandle attributes,
                                             const void* initialData, uint32_t initialDataLen,
                                             TEE_ObjectHandle* object) {
  return create_object(storageID, objectID, objectIDLen, flags, attributes, initialData, initialDataLen,
                       object, __func__);
}

TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object) {
  if (object == TEE_HANDLE_NULL) return TEE_SUCCESS;
  swtee::ta::crypto::Object& o = persistent_or_panic(object, __func__);
  if ((o.persistent->flags & TEE_DATA_FLAG_ACCESS_WRITE_META) == 0)
    swtee::ta::crypto::crypto_panic(__func__, "object not opened with TEE_DATA_FLAG_ACCESS_WRITE_META");
  const TEE_Result res = sys_close_and_delete(o.persistent->handle);
  // The handle is closed whatever the result.
  o.persistent.reset();
  swtee::ta::crypto::delete_object(&o);
  return res;
}

void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object) {
  // The deprecated form has no result: any failure panics, STORAGE_NOT_AVAILABLE too.
  const TEE_Result res = TEE_CloseAndDeletePersistentObject1(object);
  if (res != TEE_SUCCESS) swtee::ta::crypto::crypto_panic(__func__, "delete failed", res);
}

TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object, const void* newObjectID,
                                      size_t newObjectIDLen) {
  return rename_object(object, newObjectID, newObjectIDLen, __func__);
}

TEE_Result __GP11_TEE_RenamePersistentObject(TEE_ObjectHandle object, const void* newObjectID,
                                             uint32_t newObjectIDLen) {
  return rename_object(object, newObjectID, newObjectIDLen, __func__);
}

}  // extern "C"
