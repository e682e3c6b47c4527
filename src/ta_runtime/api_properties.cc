// GP TEE Internal Core API: properties (13 functions + the v1.1 variants).
// Property sets are the pseudo-handles TEE_PROPSET_*; enumerators are
// runtime-allocated handles validated on every use.
//
// Panics (GP 1.3.1 "Panic Reasons"): an invalid property set or enumerator
// handle, a NULL name where a name is needed (a pseudo-handle), a NULL
// value/length pointer, and a non-pseudo-handle given to
// TEE_StartPropertyEnumerator.
#include <cstring>
#include <optional>

#include "ta_runtime/handle_registry.h"
#include "ta_runtime/property_convert.h"
#include "ta_runtime/property_sets.h"
#include "tee_internal_api.h"

namespace {
struct PropEnumerator {
  bool started = false;
  size_t index = 0;
  std::vector<swtee::ta::Property> snapshot;
};
}  // namespace

namespace {

using swtee::ta::Property;
using swtee::ta::PropSet;

// Live enumerators: a bound keeps a leaking TA from growing this forever.
constexpr size_t kMaxEnumerators = 1024;

using EnumRegistry =
    swtee::ta::HandleRegistry<PropEnumerator, kMaxEnumerators, swtee::ta::HandleTag::kPropertyEnumerator>;

EnumRegistry& enumerators() {
  static EnumRegistry s;
  return s;
}

std::optional<PropSet> pseudo_set(TEE_PropSetHandle h) noexcept {
  if (h == TEE_PROPSET_CURRENT_TA) return PropSet::CurrentTa;
  if (h == TEE_PROPSET_CURRENT_CLIENT) return PropSet::CurrentClient;
  if (h == TEE_PROPSET_TEE_IMPLEMENTATION) return PropSet::TeeImplementation;
  return std::nullopt;
}

PropEnumerator* valid_enumerator(TEE_PropSetHandle h) noexcept {
  PropEnumerator* e = enumerators().lookup(h);
  if (e == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  return e;
}

// The property `name` of a set, or the current property of an enumerator
// (whose `name` argument GP says to ignore). Panics on a bad handle.
std::optional<Property> lookup(TEE_PropSetHandle h, const char* name) noexcept {
  if (auto set = pseudo_set(h)) {
    if (name == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
    for (Property& p : swtee::ta::property_set(*set))
      if (p.name == name) return std::move(p);
    return std::nullopt;
  }
  PropEnumerator* e = valid_enumerator(h);
  if (!e->started || e->index >= e->snapshot.size()) return std::nullopt;
  return e->snapshot[e->index];
}

// Copies `bytes` (+ NUL when `nul`) out with GP SHORT_BUFFER semantics:
// *len becomes the size needed; nothing is written when it does not fit.
TEE_Result copy_out(const void* bytes, size_t n, bool nul, void* buf, size_t* len) noexcept {
  const size_t need = n + (nul ? 1 : 0);
  // An empty binary block fits a zero-length (even NULL) buffer, as on OP-TEE.
  if (*len < need || (buf == nullptr && need != 0)) {
    *len = need;
    return TEE_ERROR_SHORT_BUFFER;
  }
  if (n != 0) std::memcpy(buf, bytes, n);
  if (nul) static_cast<char*>(buf)[n] = '\0';
  *len = need;
  return TEE_SUCCESS;
}

TEE_Result as_string(TEE_PropSetHandle h, const char* name, char* buf, size_t* len) noexcept {
  if (len == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  auto p = lookup(h, name);
  if (!p) return TEE_ERROR_ITEM_NOT_FOUND;
  const std::string s = swtee::ta::property_to_string(*p);
  return copy_out(s.data(), s.size(), true, buf, len);
}

TEE_Result as_binary(TEE_PropSetHandle h, const char* name, void* buf, size_t* len) noexcept {
  if (len == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  auto p = lookup(h, name);
  if (!p) return TEE_ERROR_ITEM_NOT_FOUND;
  auto bytes = swtee::ta::property_as_binary(*p);
  if (!bytes) return TEE_ERROR_BAD_FORMAT;
  return copy_out(bytes->data(), bytes->size(), false, buf, len);
}

// The typed getters share one shape: find, convert, store.
template <typename T, typename Convert>
TEE_Result as_typed(TEE_PropSetHandle h, const char* name, T* value, Convert convert) noexcept {
  if (value == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  auto p = lookup(h, name);
  if (!p) return TEE_ERROR_ITEM_NOT_FOUND;
  auto v = convert(*p);
  if (!v) return TEE_ERROR_BAD_FORMAT;
  *value = *v;
  return TEE_SUCCESS;
}

TEE_Result property_name(TEE_PropSetHandle h, void* buf, size_t* len) noexcept {
  if (len == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  PropEnumerator* e = valid_enumerator(h);
  if (!e->started || e->index >= e->snapshot.size()) return TEE_ERROR_ITEM_NOT_FOUND;
  const std::string& n = e->snapshot[e->index].name;
  return copy_out(n.data(), n.size(), true, buf, len);
}

// v1.1 length in/out through a size_t.
template <typename F>
TEE_Result with_u32_len(uint32_t* len, F&& f) noexcept {
  if (len == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  size_t l = *len;
  TEE_Result r = f(&l);
  *len = l > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(l);
  return r;
}

}  // namespace

extern "C" {

TEE_Result TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator, const char* name, char* valueBuffer,
                                   size_t* valueBufferLen) {
  return as_string(propsetOrEnumerator, name, valueBuffer, valueBufferLen);
}

TEE_Result TEE_GetPropertyAsBool(TEE_PropSetHandle propsetOrEnumerator, const char* name, bool* value) {
  return as_typed(propsetOrEnumerator, name, value, swtee::ta::property_as_bool);
}

TEE_Result TEE_GetPropertyAsU32(TEE_PropSetHandle propsetOrEnumerator, const char* name, uint32_t* value) {
  return as_typed(propsetOrEnumerator, name, value, swtee::ta::property_as_u32);
}

TEE_Result TEE_GetPropertyAsU64(TEE_PropSetHandle propsetOrEnumerator, const char* name, uint64_t* value) {
  return as_typed(propsetOrEnumerator, name, value, swtee::ta::property_as_u64);
}

TEE_Result TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator, const char* name,
                                        void* valueBuffer, size_t* valueBufferLen) {
  return as_binary(propsetOrEnumerator, name, valueBuffer, valueBufferLen);
}

TEE_Result TEE_GetPropertyAsUUID(TEE_PropSetHandle propsetOrEnumerator, const char* name, TEE_UUID* value) {
  return as_typed(propsetOrEnumerator, name, value, swtee::ta::property_as_uuid);
}

TEE_Result TEE_GetPropertyAsIdentity(TEE_PropSetHandle propsetOrEnumerator, const char* name,
                                     TEE_Identity* value) {
  return as_typed(propsetOrEnumerator, name, value, swtee::ta::property_as_identity);
}

TEE_Result TEE_AllocatePropertyEnumerator(TEE_PropSetHandle* enumerator) {
  if (enumerator == nullptr) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  *enumerator = TEE_HANDLE_NULL;
  auto* e = enumerators().create();
  if (e == nullptr) return TEE_ERROR_OUT_OF_MEMORY;
  *enumerator = enumerators().handle_of<TEE_PropSetHandle>(e);
  return TEE_SUCCESS;
}

void TEE_FreePropertyEnumerator(TEE_PropSetHandle enumerator) {
  if (enumerator == TEE_HANDLE_NULL) return;
  enumerators().destroy(valid_enumerator(enumerator));
}

void TEE_StartPropertyEnumerator(TEE_PropSetHandle enumerator, TEE_PropSetHandle propSet) {
  PropEnumerator* e = valid_enumerator(enumerator);
  auto set = pseudo_set(propSet);
  if (!set) TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  e->snapshot = swtee::ta::property_set(*set);
  e->index = 0;
  e->started = true;
}

void TEE_ResetPropertyEnumerator(TEE_PropSetHandle enumerator) {
  PropEnumerator* e = valid_enumerator(enumerator);
  e->started = false;
  e->index = 0;
  e->snapshot.clear();
}

TEE_Result TEE_GetPropertyName(TEE_PropSetHandle enumerator, void* nameBuffer, size_t* nameBufferLen) {
  return property_name(enumerator, nameBuffer, nameBufferLen);
}

TEE_Result TEE_GetNextProperty(TEE_PropSetHandle enumerator) {
  PropEnumerator* e = valid_enumerator(enumerator);
  if (!e->started || e->index >= e->snapshot.size()) return TEE_ERROR_ITEM_NOT_FOUND;
  ++e->index;
  return e->index < e->snapshot.size() ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
}

TEE_Result __GP11_TEE_GetPropertyAsString(TEE_PropSetHandle propsetOrEnumerator, const char* name,
                                          char* valueBuffer, uint32_t* valueBufferLen) {
  return with_u32_len(valueBufferLen,
                      [&](size_t* l) { return as_string(propsetOrEnumerator, name, valueBuffer, l); });
}

TEE_Result __GP11_TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle propsetOrEnumerator, const char* name,
                                               void* valueBuffer, uint32_t* valueBufferLen) {
  return with_u32_len(valueBufferLen,
                      [&](size_t* l) { return as_binary(propsetOrEnumerator, name, valueBuffer, l); });
}

TEE_Result __GP11_TEE_GetPropertyName(TEE_PropSetHandle enumerator, void* nameBuffer,
                                      uint32_t* nameBufferLen) {
  return with_u32_len(nameBufferLen, [&](size_t* l) { return property_name(enumerator, nameBuffer, l); });
}

}  // extern "C"
