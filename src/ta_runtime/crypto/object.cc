#include "ta_runtime/crypto/object.h"

#include "ta_runtime/crypto/crypto_panic.h"
#include "ta_runtime/handle_registry.h"

namespace swtee::ta::crypto {
namespace {

using ObjectRegistry = HandleRegistry<Object, kMaxObjects, HandleTag::kObject>;

ObjectRegistry& registry() {
  static auto* r = new ObjectRegistry;  // never destroyed: handles may outlive statics
  return *r;
}

}  // namespace

Object* new_object() noexcept { return registry().create(); }

void delete_object(Object* o) noexcept { registry().destroy(o); }

TEE_ObjectHandle handle_of(const Object* o) noexcept { return registry().handle_of<TEE_ObjectHandle>(o); }

Object* lookup_object(TEE_ObjectHandle h) noexcept { return registry().lookup(static_cast<const void*>(h)); }

Object* object_or_panic(TEE_ObjectHandle h, const char* func) noexcept {
  Object* o = lookup_object(h);
  if (o == nullptr) crypto_panic(func, "invalid object handle");
  return o;
}

}  // namespace swtee::ta::crypto
