// The live set behind an opaque GP handle type: a handle is valid only while
// its object is registered here, so a freed, forged or foreign pointer is
// refused (and the caller panics, as GP requires) instead of dereferenced.
// One registry per handle type, bounded at Max live objects.
#pragma once

#include <cstddef>
#include <new>
#include <unordered_set>

#include "common/thread_annotations.h"

namespace swtee::ta {

template <typename T, size_t Max>
class HandleRegistry {
 public:
  // A new, registered T; nullptr when Max are live or memory is short.
  T* create() noexcept EXCLUDES(mu_) {
    MutexLock l(mu_);
    if (live_.size() >= Max) return nullptr;
    T* t = new (std::nothrow) T();
    if (t == nullptr) return nullptr;
    live_.insert(t);
    return t;
  }

  // Unregisters and frees t (nullptr is a no-op).
  void destroy(T* t) noexcept EXCLUDES(mu_) {
    if (t == nullptr) return;
    {
      MutexLock l(mu_);
      live_.erase(t);
    }
    delete t;
  }

  // The registered T that `h` names, or nullptr.
  T* lookup(const void* h) const noexcept EXCLUDES(mu_) {
    if (h == nullptr) return nullptr;
    MutexLock l(mu_);
    return live_.count(h) != 0 ? static_cast<T*>(const_cast<void*>(h)) : nullptr;
  }

 private:
  mutable Mutex mu_;
  std::unordered_set<const void*> live_ GUARDED_BY(mu_);
};

}  // namespace swtee::ta
