// The object behind a TEE_ObjectHandle (transient today; persistent objects
// reuse it with TEE_HANDLE_FLAG_PERSISTENT). Handles are 32-bit registry
// values (ta_runtime/handle_registry.h), and every API entry validates a
// handle against the live set before use.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ta_runtime/crypto/object_types.h"
#include "ta_runtime/crypto/secure_bytes.h"
#include "tee_internal_api.h"

// [storage] The open persistent object behind a persistent handle
// (ta_runtime/storage/persistent.h).
namespace swtee::ta::storage {
struct PersistentState;
}  // namespace swtee::ta::storage

namespace swtee::ta::crypto {

struct Attr {
  uint32_t id = 0;
  uint32_t a = 0;  // value attributes
  uint32_t b = 0;
  SecureBytes ref;  // buffer attributes
};

struct Object {
  const ObjectTypeInfo* type = nullptr;
  uint32_t max_size = 0;  // bits
  uint32_t key_size = 0;  // bits; 0 while uninitialized
  uint32_t usage = 0xFFFFFFFFu;
  uint32_t handle_flags = 0;
  std::vector<Attr> attrs;
  // [storage] Set exactly when TEE_HANDLE_FLAG_PERSISTENT is: the OS handle
  // and data position of a persistent object.
  std::shared_ptr<storage::PersistentState> persistent;

  [[nodiscard]] bool initialized() const noexcept {
    return (handle_flags & TEE_HANDLE_FLAG_INITIALIZED) != 0;
  }
  [[nodiscard]] const Attr* find(uint32_t id) const noexcept {
    for (const auto& at : attrs) {
      if (at.id == id) return &at;
    }
    return nullptr;
  }
  // The key buffer of a single-secret type (SECRET_VALUE, HKDF_IKM,
  // CONCAT_KDF_Z, PBKDF2_PASSWORD); nullptr when absent.
  [[nodiscard]] const SecureBytes* secret() const noexcept {
    const Attr* at = type->mandatory.empty() ? nullptr : find(type->mandatory[0]);
    return at == nullptr ? nullptr : &at->ref;
  }
};

// Upper bound on live objects of one TA instance.
inline constexpr size_t kMaxObjects = 4096;

// Registry. new_object returns nullptr at the limit or out of memory.
Object* new_object() noexcept;
void delete_object(Object* o) noexcept;
// The handle a TA sees for a live object.
TEE_ObjectHandle handle_of(const Object* o) noexcept;
// The live object behind `h`, or nullptr (never dereferences a stale handle).
Object* lookup_object(TEE_ObjectHandle h) noexcept;
// As lookup_object, but panics on an invalid handle (as GP requires).
Object* object_or_panic(TEE_ObjectHandle h, const char* func) noexcept;

}  // namespace swtee::ta::crypto
