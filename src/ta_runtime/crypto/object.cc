#include "ta_runtime/crypto/object.h"

#include <new>
#include <unordered_set>

#include "common/thread_annotations.h"
#include "ta_runtime/crypto/crypto_panic.h"

namespace swtee::ta::crypto {
namespace {

struct Registry {
  Mutex mu;
  std::unordered_set<const void*> live GUARDED_BY(mu);
};

Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

}  // namespace

Object* new_object() noexcept {
  Registry& r = registry();
  MutexLock l(r.mu);
  if (r.live.size() >= kMaxObjects) return nullptr;
  auto* o = new (std::nothrow) Object;
  if (o == nullptr) return nullptr;
  r.live.insert(o);
  return o;
}

void delete_object(Object* o) noexcept {
  if (o == nullptr) return;
  {
    Registry& r = registry();
    MutexLock l(r.mu);
    r.live.erase(o);
  }
  delete o;
}

Object* lookup_object(TEE_ObjectHandle h) noexcept {
  if (h == TEE_HANDLE_NULL) return nullptr;
  Registry& r = registry();
  MutexLock l(r.mu);
  if (r.live.count(static_cast<const void*>(h)) == 0) return nullptr;
  return static_cast<Object*>(h);
}

Object* object_or_panic(TEE_ObjectHandle h, const char* func) noexcept {
  Object* o = lookup_object(h);
  if (o == nullptr) crypto_panic(func, "invalid object handle");
  return o;
}

}  // namespace swtee::ta::crypto
