// The live set behind an opaque GP handle type. A handle is not a pointer:
// it is a 32-bit value naming a slot of one registry, so OP-TEE TAs that hand
// handles to their clients in a `value.a` and take them back later keep
// working (on OP-TEE every handle is below 2^32). A freed, forged, stale or
// foreign value is refused (the caller panics, as GP requires) and never
// dereferenced.
//
// Value layout (never 0, always below 2^31, so it cannot collide with
// TEE_HANDLE_NULL or the TEE_PROPSET_* pseudo-handles):
//   bits  0..12  slot + 1
//   bits 13..27  generation of the slot (a reused slot gets a new value)
//   bits 28..30  the registry's tag (1..7): one handle type's value is
//                refused by every other type's registry
// One registry per handle type, bounded at Max live objects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <unordered_map>
#include <vector>

#include "common/thread_annotations.h"

namespace swtee::ta {

// The tag of each handle type: one table, so no two types share one.
enum class HandleTag : uint32_t {
  kObject = 1,
  kOperation = 2,
  kObjectEnumerator = 3,
  kPropertyEnumerator = 4,
  kTaSession = 5,
};

namespace handle_bits {
inline constexpr uint32_t kSlotBits = 13;
inline constexpr uint32_t kGenBits = 15;
inline constexpr uint32_t kTagShift = kSlotBits + kGenBits;
inline constexpr uint32_t kSlotMask = (1u << kSlotBits) - 1;
inline constexpr uint32_t kGenMask = (1u << kGenBits) - 1;
}  // namespace handle_bits

template <typename T, size_t Max, HandleTag Tag>
class HandleRegistry {
  static_assert(Max > 0 && Max < handle_bits::kSlotMask, "slot + 1 must fit the slot bits");
  static_assert(static_cast<uint32_t>(Tag) >= 1 && static_cast<uint32_t>(Tag) <= 7);

 public:
  // A new, registered T; nullptr when Max are live or memory is short.
  T* create() noexcept EXCLUDES(mu_) {
    T* t = new (std::nothrow) T();
    if (t == nullptr) return nullptr;
    MutexLock l(mu_);
    size_t slot = slots_.size();
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else if (slots_.size() >= Max || !grow()) {
      delete t;
      return nullptr;
    }
    try {
      slot_by_obj_.emplace(t, static_cast<uint32_t>(slot));
    } catch (...) {
      free_.push_back(static_cast<uint32_t>(slot));
      delete t;
      return nullptr;
    }
    slots_[slot].obj = t;
    return t;
  }

  // Unregisters and frees t (nullptr is a no-op).
  void destroy(T* t) noexcept EXCLUDES(mu_) {
    if (t == nullptr) return;
    {
      MutexLock l(mu_);
      const size_t slot = slot_of(t);
      if (slot == kNone) return;  // not ours: never free it
      Slot& s = slots_[slot];
      slot_by_obj_.erase(t);
      s.obj = nullptr;
      s.gen = (s.gen + 1) & handle_bits::kGenMask;
      free_.push_back(static_cast<uint32_t>(slot));  // capacity reserved in grow()
    }
    delete t;
  }

  // The value a TA sees for the registered t (0 for an unregistered one).
  uint32_t value_of(const T* t) const noexcept EXCLUDES(mu_) {
    MutexLock l(mu_);
    const size_t slot = slot_of(t);
    if (slot == kNone) return 0;
    return (static_cast<uint32_t>(Tag) << handle_bits::kTagShift) |
           (slots_[slot].gen << handle_bits::kSlotBits) | static_cast<uint32_t>(slot + 1);
  }

  // The TA-visible handle of type H (a GP opaque pointer type) for t.
  template <typename H>
  H handle_of(const T* t) const noexcept {
    return reinterpret_cast<H>(static_cast<uintptr_t>(value_of(t)));
  }

  // The registered T that `h` names, or nullptr.
  T* lookup(const void* h) const noexcept EXCLUDES(mu_) {
    const uintptr_t v = reinterpret_cast<uintptr_t>(h);
    if (v == 0 || v > UINT32_MAX) return nullptr;
    const auto value = static_cast<uint32_t>(v);
    if ((value >> handle_bits::kTagShift) != static_cast<uint32_t>(Tag)) return nullptr;
    const uint32_t slot1 = value & handle_bits::kSlotMask;
    const uint32_t gen = (value >> handle_bits::kSlotBits) & handle_bits::kGenMask;
    MutexLock l(mu_);
    if (slot1 == 0 || slot1 > slots_.size()) return nullptr;
    const Slot& s = slots_[slot1 - 1];
    return s.obj != nullptr && s.gen == gen ? s.obj : nullptr;
  }

 private:
  struct Slot {
    T* obj = nullptr;
    uint32_t gen = 0;
  };
  static constexpr size_t kNone = SIZE_MAX;

  // Adds one slot; free_ keeps room for every slot so destroy never allocates.
  bool grow() noexcept REQUIRES(mu_) {
    try {
      free_.reserve(slots_.size() + 1);
      slot_by_obj_.reserve(slots_.size() + 1);
      slots_.emplace_back();
    } catch (...) {
      return false;
    }
    return true;
  }

  size_t slot_of(const T* t) const noexcept REQUIRES(mu_) {
    if (t == nullptr) return kNone;
    const auto it = slot_by_obj_.find(t);
    return it == slot_by_obj_.end() ? kNone : it->second;
  }

  mutable Mutex mu_;
  std::vector<Slot> slots_ GUARDED_BY(mu_);
  std::vector<uint32_t> free_ GUARDED_BY(mu_);
  std::unordered_map<const T*, uint32_t> slot_by_obj_ GUARDED_BY(mu_);
};

}  // namespace swtee::ta
