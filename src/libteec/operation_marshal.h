// The one parameter codec of libteec: TEEC_Operation <-> the four
// tee_ioctl_params of an OPEN_SESSION or INVOKE request, shared by both.
//
// prepare() validates every parameter, resolves registered memrefs to their
// ShmState (which must belong to the calling context), borrows buffers for
// temporary memrefs, copies inputs in and encodes the params. complete()
// writes the outputs back with OP-TEE's rules:
//  - values: a and b of VALUE_OUTPUT/INOUT;
//  - memrefs (TEMP_OUTPUT/INOUT, PARTIAL_OUTPUT/INOUT, WHOLE on an OUTPUT
//    parent): `size` becomes what the TA returned, even when larger than the
//    buffer (the SHORT_BUFFER idiom). The returned size's bytes are copied
//    back only when they fit the buffer; a larger size copies nothing.
// The caller's buffer pointers and sizes, and a parent's public `size` and
// `flags`, are read once, in prepare().
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "common/result.h"
#include "libteec/context_state.h"
#include "libteec/shm_state.h"
#include "swtee/uapi/tee.h"
#include "tee_client_api.h"

namespace swtee::teec {

inline constexpr size_t kNumParams = TEEC_CONFIG_PAYLOAD_REF_COUNT;

enum class GpParamType : uint32_t {
  None = TEEC_NONE,
  ValueInput = TEEC_VALUE_INPUT,
  ValueOutput = TEEC_VALUE_OUTPUT,
  ValueInout = TEEC_VALUE_INOUT,
  TempInput = TEEC_MEMREF_TEMP_INPUT,
  TempOutput = TEEC_MEMREF_TEMP_OUTPUT,
  TempInout = TEEC_MEMREF_TEMP_INOUT,
  Whole = TEEC_MEMREF_WHOLE,
  PartialInput = TEEC_MEMREF_PARTIAL_INPUT,
  PartialOutput = TEEC_MEMREF_PARTIAL_OUTPUT,
  PartialInout = TEEC_MEMREF_PARTIAL_INOUT,
};

// nullopt for codes the GP API does not define (4, 8-11).
std::optional<GpParamType> parse_param_type(uint32_t nibble);

class PreparedOperation {
 public:
  PreparedOperation() = default;
  PreparedOperation(PreparedOperation&&) noexcept = default;
  PreparedOperation& operator=(PreparedOperation&&) noexcept = default;

  // `op` nullptr means four NONE parameters. `session`: cache key for
  // temporary buffers (nullopt: not cached). Errors: EINVAL for any invalid
  // parameter (unknown type, NULL buffer with size > 0, missing or foreign
  // parent, a parent's size beyond its registered size or its flags without
  // a direction, direction not allowed by the parent, range outside it); ENOMEM when a
  // temporary buffer cannot be had, whatever SHM_ALLOC said.
  static Result<PreparedOperation> prepare(ContextState& ctx, std::optional<uint32_t> session,
                                           const TEEC_Operation* op,
                                           std::span<tee_ioctl_param, kNumParams> out);

  // Writes outputs back into `op` (nullptr: nothing) from the reply params.
  void complete(TEEC_Operation* op, std::span<const tee_ioctl_param, kNumParams> in) const;

 private:
  struct Slot {
    GpParamType type = GpParamType::None;
    TempShmLease temp;                  // temporary memref with a buffer
    std::shared_ptr<ShmState> parent;   // registered memref
    uint32_t parent_flags = 0;          // WHOLE: the parent's flags at prepare()
    uint8_t* user = nullptr;            // temporary memref: the caller's buffer
    uint64_t offset = 0;                // range sent
    uint64_t size = 0;
  };
  std::array<Slot, kNumParams> slots_;
};

}  // namespace swtee::teec
