// Little-endian encoding helpers for the on-disk formats.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>

namespace swtee::os::storage {

inline std::array<uint8_t, 8> le64(uint64_t v) {
  std::array<uint8_t, 8> b{};
  for (size_t i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
  return b;
}

inline void put_le(std::span<uint8_t> out, size_t off, uint64_t v, size_t width) {
  for (size_t i = 0; i < width; ++i) out[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

inline uint64_t get_le(std::span<const uint8_t> in, size_t off, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint64_t>(in[off + i]) << (8 * i);
  return v;
}

}  // namespace swtee::os::storage
