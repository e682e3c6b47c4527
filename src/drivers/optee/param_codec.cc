#include "drivers/optee/param_codec.h"

#include <cstring>
#include <optional>

#include "common/checked_math.h"

namespace swtee::optee {

using core::ParamType;

namespace {

struct TypeInfo {
  uint64_t value_or_rmem;  // attr type when a value / a memref with a Shm
  uint64_t tmem;           // attr type of a NULL memref (0 for values)
};

constexpr TypeInfo type_info(ParamType t) {
  switch (t) {
    case ParamType::None: return {kAttrTypeNone, kAttrTypeNone};
    case ParamType::ValueInput: return {kAttrTypeValueInput, 0};
    case ParamType::ValueOutput: return {kAttrTypeValueOutput, 0};
    case ParamType::ValueInout: return {kAttrTypeValueInout, 0};
    case ParamType::MemrefInput: return {kAttrTypeRmemInput, kAttrTypeTmemInput};
    case ParamType::MemrefOutput: return {kAttrTypeRmemOutput, kAttrTypeTmemOutput};
    case ParamType::MemrefInout: return {kAttrTypeRmemInout, kAttrTypeTmemInout};
  }
  return {kAttrTypeNone, kAttrTypeNone};
}

enum class WireKind : uint8_t { None, Value, Rmem, Tmem };

struct WireType {
  WireKind kind;
  ParamType core;
};

// Maps a wire attr type to its kind and the core type; nullopt if unknown.
std::optional<WireType> wire_type(uint64_t type) {
  switch (type) {
    case kAttrTypeNone: return WireType{WireKind::None, ParamType::None};
    case kAttrTypeValueInput: return WireType{WireKind::Value, ParamType::ValueInput};
    case kAttrTypeValueOutput: return WireType{WireKind::Value, ParamType::ValueOutput};
    case kAttrTypeValueInout: return WireType{WireKind::Value, ParamType::ValueInout};
    case kAttrTypeRmemInput: return WireType{WireKind::Rmem, ParamType::MemrefInput};
    case kAttrTypeRmemOutput: return WireType{WireKind::Rmem, ParamType::MemrefOutput};
    case kAttrTypeRmemInout: return WireType{WireKind::Rmem, ParamType::MemrefInout};
    case kAttrTypeTmemInput: return WireType{WireKind::Tmem, ParamType::MemrefInput};
    case kAttrTypeTmemOutput: return WireType{WireKind::Tmem, ParamType::MemrefOutput};
    case kAttrTypeTmemInout: return WireType{WireKind::Tmem, ParamType::MemrefInout};
    default: return std::nullopt;  // a u64 from the wire, not an enum
  }
}

}  // namespace

uint64_t msg_attr_type(ParamType t, bool null_memref) {
  TypeInfo i = type_info(t);
  return (core::is_memref(t) && null_memref) ? i.tmem : i.value_or_rmem;
}

Result<MsgParam> encode_call_param(const core::TeeParam& p, uint64_t cookie) {
  MsgParam m{};
  if (p.meta) return Error{EINVAL, "META on a user param"};
  bool null_memref = core::is_memref(p.type) && p.memref.shm == nullptr;
  m.attr = msg_attr_type(p.type, null_memref);
  if (core::is_value(p.type)) {
    if (p.type == ParamType::ValueOutput) {
      m.u.value = {0, 0, 0};  // OUTPUT values are not read from the caller
    } else {
      m.u.value = {p.value.a, p.value.b, p.value.c};
    }
  } else if (core::is_memref(p.type)) {
    if (null_memref) {
      m.u.tmem = {0, p.memref.size, 0};
    } else {
      if (cookie == 0) return Error{EINVAL, "memref without a cookie"};
      if (!range_fits(p.memref.shm_offs, p.memref.size, p.memref.shm->size())) {
        return Error{EINVAL, "memref out of range"};
      }
      m.u.rmem = {p.memref.shm_offs, p.memref.size, cookie};
    }
  }
  return m;
}

Status decode_call_result(const MsgParam& returned, core::TeeParam& p) {
  bool null_memref = core::is_memref(p.type) && p.memref.shm == nullptr;
  uint64_t expect = msg_attr_type(p.type, null_memref);
  if ((returned.attr & kAttrTypeMask) != expect || (returned.attr & kAttrMeta) != 0) {
    return Error{EPROTO, "secure world changed a param type"};
  }
  if (!core::is_output(p.type)) return ok_status();
  if (core::is_value(p.type)) {
    p.value = {returned.u.value.a, returned.u.value.b, returned.u.value.c};
  } else {
    // Reported to the caller only (short-buffer pattern); never used to copy.
    p.memref.size = null_memref ? returned.u.tmem.size : returned.u.rmem.size;
  }
  return ok_status();
}

Result<core::TeeParam> decode_rpc_param(const MsgParam& in, const CookieResolver& resolve) {
  if ((in.attr & ~kAttrTypeMask) != 0) return Error{EINVAL, "RPC param attr bits"};
  auto wt = wire_type(in.attr & kAttrTypeMask);
  if (!wt) return Error{EINVAL, "RPC param type"};
  core::TeeParam p;
  p.type = wt->core;
  switch (wt->kind) {
    case WireKind::None:
      break;
    case WireKind::Value:
      p.value = {in.u.value.a, in.u.value.b, in.u.value.c};
      break;
    case WireKind::Tmem:
      // Only NULL memrefs travel as TMEM on this conduit.
      if (in.u.tmem.shm_ref != 0 || in.u.tmem.buf_ptr != 0) return Error{EINVAL, "RPC TMEM with memory"};
      p.memref.size = in.u.tmem.size;
      break;
    case WireKind::Rmem: {
      auto shm = resolve(in.u.rmem.shm_ref);
      if (shm == nullptr) return Error{EINVAL, "RPC memref: unknown cookie"};
      if (!range_fits(in.u.rmem.offs, in.u.rmem.size, shm->size())) return Error{EINVAL, "RPC memref range"};
      p.memref = {in.u.rmem.offs, in.u.rmem.size, std::move(shm)};
      break;
    }
  }
  return p;
}

void encode_rpc_result(const core::TeeParam& p, MsgParam& out) {
  if (!core::is_output(p.type)) return;
  if (core::is_value(p.type)) {
    out.u.value = {p.value.a, p.value.b, p.value.c};
    return;
  }
  auto wt = wire_type(out.attr & kAttrTypeMask);
  if (wt && wt->kind == WireKind::Tmem) {
    out.u.tmem.size = p.memref.size;
  } else {
    out.u.rmem.size = p.memref.size;
  }
}

MsgParam uuid_meta_param(const Uuid& u, uint64_t c) {
  MsgParam p{};
  p.attr = kAttrTypeValueInput | kAttrMeta;
  std::memcpy(&p.u.value.a, u.octets.data(), 8);
  std::memcpy(&p.u.value.b, u.octets.data() + 8, 8);
  p.u.value.c = c;
  return p;
}

}  // namespace swtee::optee
