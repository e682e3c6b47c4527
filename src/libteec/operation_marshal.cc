#include "libteec/operation_marshal.h"

#include <cstring>

#include "common/checked_math.h"
#include "libteec/registry.h"

namespace swtee::teec {

namespace {

bool has_input(GpParamType t) {
  return t == GpParamType::TempInput || t == GpParamType::TempInout ||
         t == GpParamType::PartialInput || t == GpParamType::PartialInout;
}

uint64_t memref_attr_for(bool in, bool out) {
  if (in && out) return TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT;
  if (out) return TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT;
  return TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
}

// The parent of a registered memref, which must be live and belong to ctx,
// with the size and direction flags its public struct holds now: OP-TEE's
// libteec reads both at each call, so a block allocated large can be passed
// WHOLE with a smaller `size`. The size may not exceed the registered one.
struct Parent {
  std::shared_ptr<ShmState> state;
  uint64_t size = 0;
  uint32_t flags = 0;  // TEEC_MEM_INPUT | TEEC_MEM_OUTPUT bits only
};

Result<Parent> resolve_parent(const ContextState& ctx, const TEEC_SharedMemory* p) {
  if (p == nullptr || p->imp.id < 0) return Error{EINVAL, "memref without a registered parent"};
  auto shm = Registry::instance().shm(p->imp.id);
  if (!shm || shm->context() != &ctx) return Error{EINVAL, "parent not registered with this context"};
  if (p->size > shm->size()) return Error{EINVAL, "parent size exceeds its registered size"};
  return Parent{std::move(shm), p->size, p->flags & (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT)};
}

}  // namespace

std::optional<GpParamType> parse_param_type(uint32_t nibble) {
  switch (nibble) {
    case TEEC_NONE: return GpParamType::None;
    case TEEC_VALUE_INPUT: return GpParamType::ValueInput;
    case TEEC_VALUE_OUTPUT: return GpParamType::ValueOutput;
    case TEEC_VALUE_INOUT: return GpParamType::ValueInout;
    case TEEC_MEMREF_TEMP_INPUT: return GpParamType::TempInput;
    case TEEC_MEMREF_TEMP_OUTPUT: return GpParamType::TempOutput;
    case TEEC_MEMREF_TEMP_INOUT: return GpParamType::TempInout;
    case TEEC_MEMREF_WHOLE: return GpParamType::Whole;
    case TEEC_MEMREF_PARTIAL_INPUT: return GpParamType::PartialInput;
    case TEEC_MEMREF_PARTIAL_OUTPUT: return GpParamType::PartialOutput;
    case TEEC_MEMREF_PARTIAL_INOUT: return GpParamType::PartialInout;
    default: return std::nullopt;  // a raw integer, not an enum: the GP gaps
  }
}

Result<PreparedOperation> PreparedOperation::prepare(ContextState& ctx, std::optional<uint32_t> session,
                                                     const TEEC_Operation* op,
                                                     std::span<tee_ioctl_param, kNumParams> out) {
  PreparedOperation prep;
  for (auto& p : out) p = tee_ioctl_param{};
  if (op == nullptr) return prep;

  const uint32_t types = op->paramTypes;
  for (size_t i = 0; i < kNumParams; ++i) {
    auto parsed = parse_param_type(TEEC_PARAM_TYPE_GET(types, i));
    if (!parsed) return Error{EINVAL, "unknown parameter type"};
    Slot& s = prep.slots_[i];
    tee_ioctl_param& w = out[i];
    const TEEC_Parameter& p = op->params[i];
    s.type = *parsed;
    switch (s.type) {
      case GpParamType::None:
        break;
      case GpParamType::ValueInput:
      case GpParamType::ValueOutput:
      case GpParamType::ValueInout:
        w.attr = static_cast<uint64_t>(s.type);  // VALUE_* share GP's numbers
        w.a = p.value.a;
        w.b = p.value.b;
        break;
      case GpParamType::TempInput:
      case GpParamType::TempOutput:
      case GpParamType::TempInout: {
        w.attr = static_cast<uint64_t>(s.type);  // MEMREF_* share GP's numbers
        s.user = static_cast<uint8_t*>(p.tmpref.buffer);
        s.size = p.tmpref.size;
        if (s.user == nullptr) {
          if (s.size != 0) return Error{EINVAL, "NULL temporary memref with a size"};
          if (ctx.memref_null()) {
            w.c = TEE_MEMREF_NULL;
            break;
          }
        }
        // A NULL zero-sized memref without MEMREF_NULL gets a small real buffer.
        auto lease = ctx.lease_temp(session, s.size);
        // OP-TEE answers OUT_OF_MEMORY for any temporary buffer it cannot get.
        if (!lease.ok()) return Error{ENOMEM, "temporary memref buffer", lease.error().message()};
        s.temp = std::move(*lease);
        if (has_input(s.type) && s.size != 0) std::memcpy(s.temp.data(), s.user, s.size);
        w.b = s.size;
        w.c = static_cast<uint64_t>(static_cast<int64_t>(s.temp.id()));
        break;
      }
      case GpParamType::Whole: {
        ASSIGN_OR_RETURN(Parent parent, resolve_parent(ctx, p.memref.parent));
        if (parent.flags == 0) return Error{EINVAL, "parent has neither INPUT nor OUTPUT"};
        s.parent = std::move(parent.state);
        s.parent_flags = parent.flags;
        const bool in = (parent.flags & TEEC_MEM_INPUT) != 0;
        const bool outp = (parent.flags & TEEC_MEM_OUTPUT) != 0;
        s.size = parent.size;
        if (in) s.parent->copy_in(0, s.size);
        w.attr = memref_attr_for(in, outp);
        w.b = s.size;
        w.c = static_cast<uint64_t>(static_cast<int64_t>(s.parent->id()));
        break;
      }
      case GpParamType::PartialInput:
      case GpParamType::PartialOutput:
      case GpParamType::PartialInout: {
        ASSIGN_OR_RETURN(Parent parent, resolve_parent(ctx, p.memref.parent));
        s.parent = std::move(parent.state);
        const bool in = s.type != GpParamType::PartialOutput;
        const bool outp = s.type != GpParamType::PartialInput;
        const uint32_t need = (in ? TEEC_MEM_INPUT : 0u) | (outp ? TEEC_MEM_OUTPUT : 0u);
        if ((parent.flags & need) != need) return Error{EINVAL, "direction not allowed by parent"};
        s.offset = p.memref.offset;
        s.size = p.memref.size;
        if (!range_fits(s.offset, s.size, parent.size)) return Error{EINVAL, "memref outside parent"};
        if (in) s.parent->copy_in(s.offset, s.size);
        w.attr = memref_attr_for(in, outp);
        w.a = s.offset;
        w.b = s.size;
        w.c = static_cast<uint64_t>(static_cast<int64_t>(s.parent->id()));
        break;
      }
    }
  }
  return prep;
}

void PreparedOperation::complete(TEEC_Operation* op, std::span<const tee_ioctl_param, kNumParams> in) const {
  if (op == nullptr) return;
  for (size_t i = 0; i < kNumParams; ++i) {
    const Slot& s = slots_[i];
    TEEC_Parameter& p = op->params[i];
    const uint64_t returned = in[i].b;  // memref: the size the TA reported
    // A reported size beyond the buffer is SHORT_BUFFER's "this much is
    // needed": nothing came back, so nothing is copied (OP-TEE's
    // teec_post_process_*); the buffer keeps what the caller had in it.
    const uint64_t copy = returned <= s.size ? returned : 0;
    switch (s.type) {
      case GpParamType::None:
      case GpParamType::ValueInput:
      case GpParamType::TempInput:
      case GpParamType::PartialInput:
        break;
      case GpParamType::ValueOutput:
      case GpParamType::ValueInout:
        p.value.a = static_cast<uint32_t>(in[i].a);
        p.value.b = static_cast<uint32_t>(in[i].b);
        break;
      case GpParamType::TempOutput:
      case GpParamType::TempInout:
        if (s.user != nullptr && s.temp.valid() && copy != 0) std::memcpy(s.user, s.temp.data(), copy);
        p.tmpref.size = static_cast<size_t>(returned);
        break;
      case GpParamType::Whole:
        if ((s.parent_flags & TEEC_MEM_OUTPUT) == 0) break;
        s.parent->copy_out(0, copy);
        p.memref.size = static_cast<size_t>(returned);
        break;
      case GpParamType::PartialOutput:
      case GpParamType::PartialInout:
        s.parent->copy_out(s.offset, copy);
        p.memref.size = static_cast<size_t>(returned);
        break;
    }
  }
}

}  // namespace swtee::teec
