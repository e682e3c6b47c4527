// GP TEE Internal Core API, generic and transient object functions
// (GP 1.3.1 §5.5, §5.6). Every exported function is noexcept; a bad handle
// or a call the spec lists as a panic reason panics.
#include <openssl/rand.h>

#include <algorithm>
#include <cstring>

#include "ta_runtime/crypto/asym_key.h"
#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/crypto/object.h"
#include "ta_runtime/storage/persistent.h"  // [storage] persistent-handle branches
#include "tee_internal_api.h"

using namespace swtee::ta::crypto;

namespace {

constexpr uint32_t kAllUsage = 0xFFFFFFFFu;

// Each DES key byte gets odd parity in its low bit.
void set_des_parity(uint8_t* k, size_t n) noexcept {
  for (size_t i = 0; i < n; ++i) {
    uint8_t b = k[i] & 0xFE;
    b |= static_cast<uint8_t>((__builtin_popcount(b) & 1) == 0);
    k[i] = b;
  }
}

bool is_transient(const Object& o) noexcept { return (o.handle_flags & TEE_HANDLE_FLAG_PERSISTENT) == 0; }

Object& uninitialized_transient_or_panic(TEE_ObjectHandle h, const char* func) noexcept {
  Object* o = object_or_panic(h, func);
  if (!is_transient(*o)) crypto_panic(func, "object is persistent");
  if (o->initialized()) crypto_panic(func, "transient object already initialized");
  return *o;
}

void reset_object(Object& o) noexcept {
  o.attrs.clear();  // SecureBytes wipe on destruction
  o.key_size = 0;
  o.usage = kAllUsage;
  o.handle_flags &= ~TEE_HANDLE_FLAG_INITIALIZED;
}

// Key size in bits of a secret value of `len` bytes, as GP counts it.
uint32_t secret_bits(size_t len) noexcept { return static_cast<uint32_t>(len * 8); }

// OP-TEE's tee_svc_cryp_check_attr answers ITEM_NOT_FOUND for an attribute
// set the type does not take (unknown, repeated, missing, a partial RSA CRT
// group, generation parameters for a secret key); libutee's
// TEE_PopulateTransientObject and TEE_GenerateKey let only SUCCESS and
// BAD_PARAMETERS through, so the TA panics.
[[noreturn]] void panic_attr_set(const char* func) noexcept {
  crypto_panic(func, "attribute set not accepted for the object type", TEE_ERROR_ITEM_NOT_FOUND);
}

template <typename AttrT>
TEE_Result populate(TEE_ObjectHandle object, const AttrT* attrs, uint32_t count, const char* func) noexcept {
  Object& o = uninitialized_transient_or_panic(object, func);
  if (count != 0 && attrs == nullptr) crypto_panic(func, "attrs is NULL");
  const ObjectTypeInfo& t = *o.type;
  // Every attribute must belong to the type, at most once; every mandatory one present.
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t id = attrs[i].attributeID;
    if (std::find(t.mandatory.begin(), t.mandatory.end(), id) == t.mandatory.end() &&
        std::find(t.optional.begin(), t.optional.end(), id) == t.optional.end())
      crypto_panic(func, "attribute not defined for the object type");
    for (uint32_t j = 0; j < i; ++j) {
      if (attrs[j].attributeID == id) crypto_panic(func, "attribute given twice");
    }
  }
  for (uint32_t id : t.mandatory) {
    bool found = false;
    for (uint32_t i = 0; i < count; ++i) found = found || attrs[i].attributeID == id;
    if (!found) crypto_panic(func, "mandatory attribute missing");
  }
  // Secret-key types: the one attribute is SECRET_VALUE and sets the size.
  std::vector<Attr> built;
  uint32_t key_bits = 0;
  for (uint32_t i = 0; i < count; ++i) {
    Attr at;
    at.id = attrs[i].attributeID;
    if (attr_is_value(at.id)) {
      at.a = attrs[i].content.value.a;
      at.b = attrs[i].content.value.b;
    } else {
      const size_t len = attrs[i].content.ref.length;
      if (len != 0 && attrs[i].content.ref.buffer == nullptr) return TEE_ERROR_BAD_PARAMETERS;
      // An attribute larger than the object can hold panics (GP 1.3.1
      // Panic Reasons; OP-TEE's core refuses it with a code libutee
      // turns into a panic).
      const size_t cap =
          t.kind == KeyKind::kSecret ? (size_t{o.max_size} + 7) / 8 : (size_t{o.max_size} + 7) / 8 + 8;
      if (len > cap) crypto_panic(func, "attribute larger than the object's maximum size");
      if (!at.ref.assign(attrs[i].content.ref.buffer, len)) return TEE_ERROR_OUT_OF_MEMORY;
      key_bits = secret_bits(len);  // every implemented type has one buffer attribute
    }
    built.push_back(std::move(at));
  }
  if (t.kind != KeyKind::kSecret) {
    const TEE_Result r = asym_populate_check(t, built, &key_bits);
    if (r == TEE_ERROR_ITEM_NOT_FOUND) panic_attr_set(func);
    if (r != TEE_SUCCESS) return r;
  }
  if (!key_size_valid(t, key_bits) || key_bits > o.max_size) return TEE_ERROR_BAD_PARAMETERS;
  o.attrs = std::move(built);
  o.key_size = key_bits;
  o.handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
  return TEE_SUCCESS;
}

// GP generation parameters as owned attributes (buffers copied).
template <typename AttrT>
TEE_Result collect_params(const AttrT* params, uint32_t count, std::vector<Attr>* out) noexcept {
  for (uint32_t i = 0; i < count; ++i) {
    Attr at;
    at.id = params[i].attributeID;
    if (attr_is_value(at.id)) {
      at.a = params[i].content.value.a;
      at.b = params[i].content.value.b;
    } else {
      const size_t len = params[i].content.ref.length;
      if (len != 0 && params[i].content.ref.buffer == nullptr) return TEE_ERROR_BAD_PARAMETERS;
      if (!at.ref.assign(params[i].content.ref.buffer, len)) return TEE_ERROR_OUT_OF_MEMORY;
    }
    out->push_back(std::move(at));
  }
  return TEE_SUCCESS;
}

template <typename AttrT>
TEE_Result generate_key(TEE_ObjectHandle object, uint32_t key_size, const AttrT* params, uint32_t param_count,
                        const char* func) noexcept {
  Object& o = uninitialized_transient_or_panic(object, func);
  if (param_count != 0 && params == nullptr) crypto_panic(func, "params is NULL");
  const ObjectTypeInfo& t = *o.type;
  key_size = with_des_parity(t.type, key_size);
  if (!key_size_valid(t, key_size) || key_size > o.max_size) crypto_panic(func, "unsupported key size");
  if (t.kind != KeyKind::kSecret) {
    std::vector<Attr> in, out;
    TEE_Result r = collect_params(params, param_count, &in);
    if (r == TEE_SUCCESS) r = asym_generate(t, key_size, in, &out);
    if (r == TEE_ERROR_ITEM_NOT_FOUND) panic_attr_set(func);
    if (r != TEE_SUCCESS) return r;
    o.attrs = std::move(out);
    o.key_size = key_size;
    o.handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
    return TEE_SUCCESS;
  }
  // Secret-key types take no generation parameters.
  if (param_count != 0) panic_attr_set(func);
  Attr at;
  at.id = t.mandatory[0];
  const size_t len = (key_size + 7) / 8;
  if (!at.ref.resize(len)) return TEE_ERROR_OUT_OF_MEMORY;
  if (RAND_priv_bytes(at.ref.data(), static_cast<int>(len)) != 1) return TEE_ERROR_GENERIC;
  if (t.type == TEE_TYPE_DES || t.type == TEE_TYPE_DES3) set_des_parity(at.ref.data(), len);
  o.attrs.clear();
  o.attrs.push_back(std::move(at));
  o.key_size = key_size;
  o.handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
  return TEE_SUCCESS;
}

void fill_info(const Object& o, TEE_ObjectInfo* info) noexcept {
  info->objectType = o.type->type;
  info->objectSize = o.key_size;
  info->maxObjectSize = o.max_size;
  info->objectUsage = o.usage;
  info->dataSize = 0;
  info->dataPosition = 0;
  info->handleFlags = o.handle_flags;
}

// A persistent TEE_TYPE_DATA object has no attributes to ask for: OP-TEE's
// syscall_cryp_obj_get_attr finds no type properties for it and answers
// BAD_STATE, which libutee turns into a panic (not ITEM_NOT_FOUND).
void panic_if_data_object(const Object& o, const char* func) noexcept {
  if (o.type->type == TEE_TYPE_DATA) crypto_panic(func, "a TEE_TYPE_DATA object has no attributes");
}

// OP-TEE's syscall_cryp_obj_get_attr answers BAD_PARAMETERS for an
// uninitialized object, which libutee's TEE_GetObject*Attribute turn into a
// panic (not ITEM_NOT_FOUND).
void panic_if_uninitialized(const Object& o, const char* func) noexcept {
  if (!o.initialized()) crypto_panic(func, "object not initialized");
}

template <typename SizeT>
TEE_Result get_buffer_attr(TEE_ObjectHandle object, uint32_t id, void* buffer, SizeT* size,
                           const char* func) noexcept {
  const Object* o = object_or_panic(object, func);
  if (attr_is_value(id)) crypto_panic(func, "attribute is a value attribute");
  if (size == nullptr) crypto_panic(func, "size is NULL");
  panic_if_uninitialized(*o, func);
  if (!attr_is_public(id) && (o->usage & TEE_USAGE_EXTRACTABLE) == 0)
    crypto_panic(func, "protected attribute of a non-extractable object");
  panic_if_data_object(*o, func);
  const Attr* at = o->find(id);
  if (at == nullptr) return TEE_ERROR_ITEM_NOT_FOUND;
  const size_t need = at->ref.size();
  if (*size < need || (buffer == nullptr && need != 0)) {
    *size = static_cast<SizeT>(need);
    return TEE_ERROR_SHORT_BUFFER;
  }
  if (need != 0) std::memcpy(buffer, at->ref.data(), need);
  *size = static_cast<SizeT>(need);
  return TEE_SUCCESS;
}

template <typename AttrT, typename LenT>
void init_ref(AttrT* attr, uint32_t id, const void* buffer, LenT length, const char* func) noexcept {
  if (attr == nullptr) crypto_panic(func, "attr is NULL");
  if (attr_is_value(id)) crypto_panic(func, "attribute id is a value attribute");
  attr->attributeID = id;
  attr->content.ref.buffer = const_cast<void*>(buffer);
  attr->content.ref.length = length;
}

template <typename AttrT>
void init_value(AttrT* attr, uint32_t id, uint32_t a, uint32_t b, const char* func) noexcept {
  if (attr == nullptr) crypto_panic(func, "attr is NULL");
  if (!attr_is_value(id)) crypto_panic(func, "attribute id is a buffer attribute");
  attr->attributeID = id;
  attr->content.value.a = a;
  attr->content.value.b = b;
}

}  // namespace

extern "C" {

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType, uint32_t maxObjectSize,
                                       TEE_ObjectHandle* object) {
  if (object == nullptr) SWTEE_CRYPTO_PANIC("object is NULL");
  *object = TEE_HANDLE_NULL;
  const ObjectTypeInfo* t = find_object_type(objectType);
  maxObjectSize = with_des_parity(objectType, maxObjectSize);
  if (t == nullptr || !key_size_valid(*t, maxObjectSize)) return TEE_ERROR_NOT_SUPPORTED;
  Object* o = new_object();
  if (o == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  o->type = t;
  o->max_size = maxObjectSize;
  *object = handle_of(o);
  return TEE_SUCCESS;
}

void TEE_FreeTransientObject(TEE_ObjectHandle object) {
  if (object == TEE_HANDLE_NULL) return;
  Object* o = object_or_panic(object, __func__);
  if (!is_transient(*o)) SWTEE_CRYPTO_PANIC("object is persistent");
  delete_object(o);
}

void TEE_CloseObject(TEE_ObjectHandle object) {
  if (object == TEE_HANDLE_NULL) return;
  Object* o = object_or_panic(object, __func__);
  if (o->persistent) swtee::ta::storage::close_persistent(*o);  // [storage]
  delete_object(o);
}

void TEE_ResetTransientObject(TEE_ObjectHandle object) {
  if (object == TEE_HANDLE_NULL) return;
  Object* o = object_or_panic(object, __func__);
  if (!is_transient(*o)) SWTEE_CRYPTO_PANIC("object is persistent");
  reset_object(*o);
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object, const TEE_Attribute* attrs,
                                       uint32_t attrCount) {
  return populate(object, attrs, attrCount, __func__);
}

TEE_Result __GP11_TEE_PopulateTransientObject(TEE_ObjectHandle object, const __GP11_TEE_Attribute* attrs,
                                              uint32_t attrCount) {
  return populate(object, attrs, attrCount, __func__);
}

void TEE_InitRefAttribute(TEE_Attribute* attr, uint32_t attributeID, const void* buffer, size_t length) {
  init_ref(attr, attributeID, buffer, length, __func__);
}

void __GP11_TEE_InitRefAttribute(__GP11_TEE_Attribute* attr, uint32_t attributeID, const void* buffer,
                                 uint32_t length) {
  init_ref(attr, attributeID, buffer, length, __func__);
}

void TEE_InitValueAttribute(TEE_Attribute* attr, uint32_t attributeID, uint32_t a, uint32_t b) {
  init_value(attr, attributeID, a, b, __func__);
}

void __GP11_TEE_InitValueAttribute(__GP11_TEE_Attribute* attr, uint32_t attributeID, uint32_t a, uint32_t b) {
  init_value(attr, attributeID, a, b, __func__);
}

TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject) {
  Object& dst = uninitialized_transient_or_panic(destObject, __func__);
  const Object* src = object_or_panic(srcObject, __func__);
  if (!src->initialized()) SWTEE_CRYPTO_PANIC("source object not initialized");
  // A key pair may be copied into its public-key type: public parts only.
  const bool to_public = src->type != dst.type && src->type->kind != KeyKind::kSecret && src->type->keypair &&
                         dst.type->type == public_type_of(src->type->type);
  if (src->type != dst.type && !to_public) return TEE_ERROR_BAD_PARAMETERS;
  if (src->key_size > dst.max_size) return TEE_ERROR_BAD_PARAMETERS;
  std::vector<Attr> copy = src->attrs;
  if (to_public) std::erase_if(copy, [](const Attr& a) { return !attr_is_public(a.id); });
  for (const auto& a : copy) {
    if (a.ref.size() != 0 && a.ref.data() == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  }
  dst.attrs = std::move(copy);
  dst.key_size = src->key_size;
  dst.usage &= src->usage;
  dst.handle_flags |= TEE_HANDLE_FLAG_INITIALIZED;
  return TEE_SUCCESS;
}

void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject, TEE_ObjectHandle srcObject) {
  const TEE_Result r = TEE_CopyObjectAttributes1(destObject, srcObject);
  if (r != TEE_SUCCESS) SWTEE_CRYPTO_PANIC_CODE("copy failed", r);
}

TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize, const TEE_Attribute* params,
                           uint32_t paramCount) {
  return generate_key(object, keySize, params, paramCount, __func__);
}

TEE_Result __GP11_TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
                                  const __GP11_TEE_Attribute* params, uint32_t paramCount) {
  return generate_key(object, keySize, params, paramCount, __func__);
}

TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object, TEE_ObjectInfo* objectInfo) {
  const Object* o = object_or_panic(object, __func__);
  if (objectInfo == nullptr) SWTEE_CRYPTO_PANIC("objectInfo is NULL");
  fill_info(*o, objectInfo);
  if (o->persistent) return swtee::ta::storage::persistent_info(*o, objectInfo);  // [storage]
  return TEE_SUCCESS;
}

void TEE_GetObjectInfo(TEE_ObjectHandle object, TEE_ObjectInfo* objectInfo) {
  (void)TEE_GetObjectInfo1(object, objectInfo);
}

TEE_Result __GP11_TEE_GetObjectInfo1(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo* objectInfo) {
  if (objectInfo == nullptr) SWTEE_CRYPTO_PANIC("objectInfo is NULL");
  TEE_ObjectInfo info{};
  const TEE_Result r = TEE_GetObjectInfo1(object, &info);
  objectInfo->objectType = info.objectType;
  objectInfo->keySize = info.objectSize;
  objectInfo->maxKeySize = info.maxObjectSize;
  objectInfo->objectUsage = info.objectUsage;
  objectInfo->dataSize = static_cast<uint32_t>(info.dataSize);
  objectInfo->dataPosition = static_cast<uint32_t>(info.dataPosition);
  objectInfo->handleFlags = info.handleFlags;
  return r;
}

void __GP11_TEE_GetObjectInfo(TEE_ObjectHandle object, __GP11_TEE_ObjectInfo* objectInfo) {
  (void)__GP11_TEE_GetObjectInfo1(object, objectInfo);
}

TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object, uint32_t objectUsage) {
  Object* o = object_or_panic(object, __func__);
  if (o->persistent) return swtee::ta::storage::restrict_persistent_usage(*o, objectUsage);  // [storage]
  o->usage &= objectUsage;
  return TEE_SUCCESS;
}

void TEE_RestrictObjectUsage(TEE_ObjectHandle object, uint32_t objectUsage) {
  (void)TEE_RestrictObjectUsage1(object, objectUsage);
}

TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID, void* buffer,
                                        size_t* size) {
  return get_buffer_attr(object, attributeID, buffer, size, __func__);
}

TEE_Result __GP11_TEE_GetObjectBufferAttribute(TEE_ObjectHandle object, uint32_t attributeID, void* buffer,
                                               uint32_t* size) {
  return get_buffer_attr(object, attributeID, buffer, size, __func__);
}

TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object, uint32_t attributeID, uint32_t* a,
                                       uint32_t* b) {
  const Object* o = object_or_panic(object, __func__);
  if (!attr_is_value(attributeID)) SWTEE_CRYPTO_PANIC("attribute is a buffer attribute");
  panic_if_uninitialized(*o, __func__);
  if (!attr_is_public(attributeID) && (o->usage & TEE_USAGE_EXTRACTABLE) == 0)
    SWTEE_CRYPTO_PANIC("protected attribute of a non-extractable object");
  panic_if_data_object(*o, __func__);
  const Attr* at = o->find(attributeID);
  if (at == nullptr) return TEE_ERROR_ITEM_NOT_FOUND;
  if (a != nullptr) *a = at->a;
  if (b != nullptr) *b = at->b;
  return TEE_SUCCESS;
}

}  // extern "C"
