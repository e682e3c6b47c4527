// Helpers for PTAs to check param types and reach memref bytes. Memref
// bounds were validated at decode time; they are checked again here at use.
#pragma once

#include <cstdint>
#include <span>

#include "common/checked_math.h"
#include "os/os_types.h"

namespace swtee::os {

constexpr uint32_t pta_param_types(OsParamType t0, OsParamType t1 = OsParamType::None,
                                   OsParamType t2 = OsParamType::None, OsParamType t3 = OsParamType::None) {
  return static_cast<uint32_t>(t0) | static_cast<uint32_t>(t1) << 4 | static_cast<uint32_t>(t2) << 8 |
         static_cast<uint32_t>(t3) << 12;
}

// The bytes of a memref param: empty for a NULL memref or a param whose
// range does not fit its shm (which decode already refused).
inline std::span<uint8_t> memref_bytes(const OsParam& p) {
  if (!p.shm || p.shm->map.data() == nullptr) return {};
  if (!range_fits(p.offset, p.size, p.shm->map.size())) return {};
  return p.shm->map.bytes().subspan(static_cast<size_t>(p.offset), static_cast<size_t>(p.size));
}

}  // namespace swtee::os
