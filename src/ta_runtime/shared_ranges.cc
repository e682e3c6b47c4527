#include "ta_runtime/shared_ranges.h"

#include "common/checked_math.h"

namespace swtee::ta {

Status SharedRanges::add(const void* start, size_t size, bool writable, RangeOwner owner) {
  const auto s = reinterpret_cast<uintptr_t>(start);
  const auto e = checked_add<uintptr_t>(s, size);
  if (start == nullptr || size == 0 || !e) return Error{EINVAL, "empty or wrapping shared range"};
  if (first_overlap(s, *e)) return Error{EEXIST, "shared range overlaps another"};
  if (by_start_.size() >= kMaxRanges) return Error{ENOSPC, "too many shared ranges"};
  by_start_.emplace(s, SharedRange{s, size, writable, owner});
  return ok_status();
}

bool SharedRanges::remove(const void* start) {
  return by_start_.erase(reinterpret_cast<uintptr_t>(start)) != 0;
}

std::optional<SharedRange> SharedRanges::first_overlap(uintptr_t start, uintptr_t end) const {
  if (start >= end) return std::nullopt;
  // Ranges do not overlap each other, so at most one starts before `start`
  // and still covers it: the last one starting at or below it.
  auto it = by_start_.upper_bound(start);
  if (it != by_start_.begin()) {
    auto prev = std::prev(it);
    if (prev->second.end() > start) return prev->second;
  }
  if (it != by_start_.end() && it->first < end) return it->second;
  return std::nullopt;
}

Result<ScopedSharedRange> ScopedSharedRange::add(const void* start, size_t size, bool writable,
                                                 RangeOwner owner) {
  TRY_STATUS(shared_ranges().add(start, size, writable, owner));
  return ScopedSharedRange(start);
}

ScopedSharedRange& ScopedSharedRange::operator=(ScopedSharedRange&& o) noexcept {
  if (this != &o) {
    reset();
    start_ = o.start_;
    o.start_ = nullptr;
  }
  return *this;
}

void ScopedSharedRange::reset() {
  if (start_ != nullptr) (void)shared_ranges().remove(start_);
  start_ = nullptr;
}

SharedRanges& shared_ranges() {
  // Never destroyed: mappings owned by other statics (the runtime's
  // MemrefWindows) unregister themselves during exit, in any order.
  static SharedRanges* const ranges = new SharedRanges();
  return *ranges;
}

}  // namespace swtee::ta
