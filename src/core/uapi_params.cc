#include "core/uapi_params.h"

#include <climits>

#include "common/checked_math.h"

namespace swtee::core {
namespace {

using core::ParamType;

std::optional<ParamType> type_from_attr(uint64_t attr) {
  switch (attr & TEE_IOCTL_PARAM_ATTR_TYPE_MASK) {
    case TEE_IOCTL_PARAM_ATTR_TYPE_NONE:
      return ParamType::None;
    case TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT:
      return ParamType::ValueInput;
    case TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT:
      return ParamType::ValueOutput;
    case TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT:
      return ParamType::ValueInout;
    case TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT:
      return ParamType::MemrefInput;
    case TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT:
      return ParamType::MemrefOutput;
    case TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT:
      return ParamType::MemrefInout;
    default:
      return std::nullopt;  // an integer, not an enum: unknown types land here
  }
}

uint64_t attr_of(const core::TeeParam& p) {
  return static_cast<uint64_t>(p.type) | (p.meta ? TEE_IOCTL_PARAM_ATTR_META : 0);
}

// Validated attr of one wire param.
Result<core::TeeParam> decode_attr(const tee_ioctl_param& ip) {
  if ((ip.attr & ~static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_MASK)) != 0)
    return Error{EINVAL, "param attr bits"};
  auto type = type_from_attr(ip.attr);
  if (!type) return Error{EINVAL, "param type"};
  core::TeeParam p;
  p.type = *type;
  p.meta = (ip.attr & TEE_IOCTL_PARAM_ATTR_META) != 0;
  return p;
}

Status decode_memref(const tee_ioctl_param& ip, const ShmLookup& lookup, MemrefNull memref_null,
                     core::TeeParamMemref& out) {
  if (ip.c == TEE_MEMREF_NULL) {
    switch (memref_null) {
      case MemrefNull::Rejected:
        return Error{EINVAL, "NULL memref without MEMREF_NULL"};
      case MemrefNull::Allowed:
        break;
    }
    out.shm_offs = 0;
    out.size = ip.b;
    out.shm = nullptr;
    return ok_status();
  }
  if (ip.c == 0 || ip.c > static_cast<uint64_t>(INT_MAX)) return Error{EINVAL, "shm id"};
  ASSIGN_OR_RETURN(std::shared_ptr<Shm> shm, lookup(static_cast<int>(ip.c)));
  if (!shm) return Error{EINVAL, "shm id"};
  if (!range_fits(ip.a, ip.b, shm->size())) return Error{EINVAL, "memref outside shm"};
  out.shm_offs = ip.a;
  out.size = ip.b;
  out.shm = std::move(shm);
  return ok_status();
}

}  // namespace

Result<TeeParams> params_from_user(std::span<const tee_ioctl_param> wire, const ShmLookup& lookup,
                                   MemrefNull memref_null) {
  TeeParams out;
  out.reserve(wire.size());
  for (const tee_ioctl_param& ip : wire) {
    ASSIGN_OR_RETURN(core::TeeParam p, decode_attr(ip));
    switch (p.type) {
      case ParamType::None:
      case ParamType::ValueOutput:
        break;
      case ParamType::ValueInput:
      case ParamType::ValueInout:
        p.value = core::TeeParamValue{ip.a, ip.b, ip.c};
        break;
      case ParamType::MemrefInput:
      case ParamType::MemrefOutput:
      case ParamType::MemrefInout:
        TRY_STATUS(decode_memref(ip, lookup, memref_null, p.memref));
        break;
    }
    out.push_back(std::move(p));
  }
  return out;
}

void params_to_user(std::span<tee_ioctl_param> wire, const TeeParams& params) {
  const size_t n = std::min(wire.size(), params.size());
  for (size_t i = 0; i < n; ++i) {
    const core::TeeParam& p = params[i];
    if (p.meta) continue;
    switch (p.type) {
      case ParamType::ValueOutput:
      case ParamType::ValueInout:
        wire[i].a = p.value.a;
        wire[i].b = p.value.b;
        wire[i].c = p.value.c;
        break;
      case ParamType::MemrefOutput:
      case ParamType::MemrefInout:
        wire[i].b = p.memref.size;
        break;
      case ParamType::None:
      case ParamType::ValueInput:
      case ParamType::MemrefInput:
        break;
    }
  }
}

Result<TeeParams> params_from_supp(std::span<const tee_ioctl_param> wire) {
  TeeParams out;
  out.reserve(wire.size());
  for (const tee_ioctl_param& ip : wire) {
    ASSIGN_OR_RETURN(core::TeeParam p, decode_attr(ip));
    switch (p.type) {
      case ParamType::None:
      case ParamType::ValueInput:
        break;
      case ParamType::ValueOutput:
      case ParamType::ValueInout:
        p.value = core::TeeParamValue{ip.a, ip.b, ip.c};
        break;
      case ParamType::MemrefInput:
      case ParamType::MemrefOutput:
      case ParamType::MemrefInout:
        p.memref.shm_offs = ip.a;
        p.memref.size = ip.b;
        break;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Status params_to_supp(std::span<tee_ioctl_param> wire, const TeeParams& params) {
  if (params.size() > wire.size()) return Error{EINVAL, "supplicant offered too few params"};
  for (size_t i = 0; i < wire.size(); ++i) {
    tee_ioctl_param ip{};
    if (i < params.size()) {
      const core::TeeParam& p = params[i];
      ip.attr = attr_of(p);
      switch (p.type) {
        case ParamType::None:
          break;
        case ParamType::ValueInput:
        case ParamType::ValueOutput:
        case ParamType::ValueInout:
          ip.a = p.value.a;
          ip.b = p.value.b;
          ip.c = p.value.c;
          break;
        case ParamType::MemrefInput:
        case ParamType::MemrefOutput:
        case ParamType::MemrefInout:
          ip.a = p.memref.shm_offs;
          ip.b = p.memref.size;
          ip.c = p.memref.shm ? static_cast<uint64_t>(static_cast<int64_t>(p.memref.shm->id()))
                              : TEE_MEMREF_NULL;
          break;
      }
    }
    wire[i] = ip;
  }
  return ok_status();
}

}  // namespace swtee::core
