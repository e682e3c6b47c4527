// Parameters as the generic core hands them to a driver: decoded and
// validated from the UAPI (struct tee_ioctl_param), memrefs resolved to
// counted shm references. Mirrors the kernel's struct tee_param.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace swtee::core {

class Shm;

enum class ParamType : uint8_t {
  None = 0,
  ValueInput = 1,
  ValueOutput = 2,
  ValueInout = 3,
  MemrefInput = 5,
  MemrefOutput = 6,
  MemrefInout = 7,
};

struct TeeParamValue {
  uint64_t a = 0, b = 0, c = 0;
};

struct TeeParamMemref {
  uint64_t shm_offs = 0;
  uint64_t size = 0;
  // Counted reference held for the duration of the call. nullptr = NULL
  // memref (TEE_MEMREF_NULL); then shm_offs is 0 and size may be non-zero.
  std::shared_ptr<Shm> shm;
};

struct TeeParam {
  ParamType type = ParamType::None;
  bool meta = false;  // TEE_IOCTL_PARAM_ATTR_META
  TeeParamValue value;  // for value types
  TeeParamMemref memref;  // for memref types
};

using TeeParams = std::vector<TeeParam>;

constexpr bool is_value(ParamType t) {
  return t == ParamType::ValueInput || t == ParamType::ValueOutput || t == ParamType::ValueInout;
}
constexpr bool is_memref(ParamType t) {
  return t == ParamType::MemrefInput || t == ParamType::MemrefOutput || t == ParamType::MemrefInout;
}
constexpr bool is_output(ParamType t) {
  return t == ParamType::ValueOutput || t == ParamType::ValueInout || t == ParamType::MemrefOutput ||
         t == ParamType::MemrefInout;
}

}  // namespace swtee::core
