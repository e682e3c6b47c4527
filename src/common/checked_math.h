// Overflow-safe arithmetic for sizes and offsets that come from untrusted
// input. Every offset + size check on a wire value goes through these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace swtee {

template <typename T>
[[nodiscard]] constexpr std::optional<T> checked_add(T a, T b) {
  T r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

template <typename T>
[[nodiscard]] constexpr std::optional<T> checked_mul(T a, T b) {
  T r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// True when [offset, offset + size) lies inside [0, total) without wrapping.
[[nodiscard]] constexpr bool range_fits(uint64_t offset, uint64_t size, uint64_t total) {
  auto end = checked_add<uint64_t>(offset, size);
  return end && *end <= total;
}

}  // namespace swtee
