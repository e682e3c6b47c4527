// GP TEE Internal Core API: persistent object enumeration (GP 1.3.1 §5.8).
// An enumerator walks the TA's objects in id order with the last id it
// returned as its cursor, so objects created or deleted meanwhile never
// make it skip or repeat one that stayed.
#include <cstring>
#include <optional>

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/handle_registry.h"
#include "ta_runtime/storage/meta_codec.h"
#include "ta_runtime/storage/storage_client.h"
#include "tee_internal_api.h"

namespace {
struct ObjectEnumerator {
  bool started = false;
  uint32_t storage_id = 0;
  std::optional<std::vector<uint8_t>> cursor;             // last id returned
  std::optional<swtee::ta::storage::EnumResult> pending;  // fetched by Start
};
}  // namespace

namespace swtee::ta::storage {
namespace {

using crypto::crypto_panic;

constexpr size_t kMaxEnumerators = 1024;

using EnumRegistry = HandleRegistry<ObjectEnumerator, kMaxEnumerators, HandleTag::kObjectEnumerator>;

EnumRegistry& enumerators() {
  static EnumRegistry r;
  return r;
}

ObjectEnumerator* enum_or_panic(TEE_ObjectEnumHandle h, const char* func) noexcept {
  ObjectEnumerator* e = enumerators().lookup(h);
  if (e == nullptr) crypto_panic(func, "invalid enumerator handle");
  return e;
}

void fill_info(const EnumResult& e, TEE_ObjectInfo* info) noexcept {
  MetaHeader h{};
  std::memset(info, 0, sizeof(*info));
  if (decode_meta_header(e.meta_prefix, &h)) {
    info->objectType = h.object_type;
    info->objectSize = h.object_size;
    info->maxObjectSize = h.max_object_size;
    info->objectUsage = h.usage;
  }
  info->dataSize = static_cast<size_t>(e.data_size);
  info->dataPosition = 0;
  info->handleFlags = TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED;
}

template <typename InfoT, typename LenT>
TEE_Result get_next(TEE_ObjectEnumHandle handle, InfoT* info, void* object_id, LenT* id_len,
                    const char* func) noexcept {
  ObjectEnumerator* h = enum_or_panic(handle, func);
  if (object_id == nullptr) crypto_panic(func, "objectID is NULL");
  if (id_len == nullptr) crypto_panic(func, "objectIDLen is NULL");
  if (!h->started) return TEE_ERROR_ITEM_NOT_FOUND;
  EnumResult e;
  TEE_Result res = TEE_SUCCESS;
  if (h->pending) {
    e = std::move(*h->pending);
    h->pending.reset();
  } else {
    res = sys_enum_next(h->storage_id, h->cursor ? &*h->cursor : nullptr, &e);
    if (res != TEE_SUCCESS && res != TEE_ERROR_CORRUPT_OBJECT) return res;
  }
  if (e.end) return TEE_ERROR_ITEM_NOT_FOUND;
  h->cursor = e.id;  // a corrupt object is passed over next time
  if (res != TEE_SUCCESS) return res;
  if (info != nullptr) {
    TEE_ObjectInfo full{};
    fill_info(e, &full);
    if constexpr (std::is_same_v<InfoT, TEE_ObjectInfo>) {
      *info = full;
    } else {
      info->objectType = full.objectType;
      info->keySize = full.objectSize;
      info->maxKeySize = full.maxObjectSize;
      info->objectUsage = full.objectUsage;
      info->dataSize = static_cast<uint32_t>(full.dataSize);
      info->dataPosition = 0;
      info->handleFlags = full.handleFlags;
    }
  }
  if (!e.id.empty()) std::memcpy(object_id, e.id.data(), e.id.size());  // a 0-length id: data() may be null
  *id_len = static_cast<LenT>(e.id.size());
  return TEE_SUCCESS;
}

}  // namespace
}  // namespace swtee::ta::storage

using namespace swtee::ta::storage;

extern "C" {

TEE_Result TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle* objectEnumerator) {
  if (objectEnumerator == nullptr) swtee::ta::crypto::crypto_panic(__func__, "objectEnumerator is NULL");
  *objectEnumerator = TEE_HANDLE_NULL;
  auto* e = enumerators().create();
  if (e == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  *objectEnumerator = enumerators().handle_of<TEE_ObjectEnumHandle>(e);
  return TEE_SUCCESS;
}

void TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator) {
  if (objectEnumerator == TEE_HANDLE_NULL) return;
  enumerators().destroy(enum_or_panic(objectEnumerator, __func__));
}

void TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator) {
  if (objectEnumerator == TEE_HANDLE_NULL) return;
  ObjectEnumerator* h = enum_or_panic(objectEnumerator, __func__);
  h->started = false;
  h->cursor.reset();
  h->pending.reset();
}

TEE_Result TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator, uint32_t storageID) {
  ObjectEnumerator* h = enum_or_panic(objectEnumerator, __func__);
  TEE_ResetPersistentObjectEnumerator(objectEnumerator);
  EnumResult e;
  const TEE_Result res = sys_enum_next(storageID, nullptr, &e);
  if (res != TEE_SUCCESS && res != TEE_ERROR_CORRUPT_OBJECT) return res;
  if (e.end) return TEE_ERROR_ITEM_NOT_FOUND;
  h->started = true;
  h->storage_id = storageID;
  if (res == TEE_SUCCESS) {
    h->pending = std::move(e);
  } else {
    h->cursor = e.id;  // the first object is corrupt: start after it
  }
  return TEE_SUCCESS;
}

TEE_Result TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator, TEE_ObjectInfo* objectInfo,
                                       void* objectID, size_t* objectIDLen) {
  return get_next(objectEnumerator, objectInfo, objectID, objectIDLen, __func__);
}

TEE_Result __GP11_TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
                                              __GP11_TEE_ObjectInfo* objectInfo, void* objectID,
                                              uint32_t* objectIDLen) {
  return get_next(objectEnumerator, objectInfo, objectID, objectIDLen, __func__);
}

}  // extern "C"
