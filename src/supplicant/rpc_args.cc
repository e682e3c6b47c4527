#include "supplicant/rpc_args.h"

#include <limits>

#include "common/checked_math.h"

namespace swtee::supp {

bool RpcArgs::value_in(size_t i) const {
  uint32_t t = type(i);
  return t == TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT || t == TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT;
}
bool RpcArgs::value_out(size_t i) const {
  uint32_t t = type(i);
  return t == TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT || t == TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT;
}
bool RpcArgs::memref_in(size_t i) const {
  uint32_t t = type(i);
  return t == TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT || t == TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT;
}
bool RpcArgs::memref_out(size_t i) const {
  uint32_t t = type(i);
  return t == TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT || t == TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT;
}

void RpcArgs::set_value(size_t i, uint64_t a, uint64_t b, uint64_t c) {
  p_[i].a = a;
  p_[i].b = b;
  p_[i].c = c;
}

std::optional<MemrefView> RpcArgs::memref(size_t i) const {
  if (!memref_in(i) && !memref_out(i)) return std::nullopt;
  const tee_ioctl_param p = p_[i];  // snapshot
  MemrefView v;
  v.size = p.b;
  // No shm: id -1, as a 64-bit or a 32-bit value.
  if (p.c == TEE_MEMREF_NULL || p.c == 0xffffffffu) {
    v.null = true;
    return v;
  }
  if (p.c > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) return std::nullopt;
  v.hold = shms_.get(static_cast<int32_t>(p.c));
  if (!v.hold || !range_fits(p.a, p.b, v.hold->map.size())) return std::nullopt;
  v.bytes = std::span<uint8_t>(v.hold->map.data() + p.a, static_cast<size_t>(p.b));
  return v;
}

}  // namespace swtee::supp
