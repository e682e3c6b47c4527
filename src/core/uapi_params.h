// Parameters between the UAPI wire (struct tee_ioctl_param) and the core's
// TeeParams: one codec for open_session, invoke and the supplicant path.
//
// Rules (the kernel's, see reference §2):
//   * any attr bit outside TEE_IOCTL_PARAM_ATTR_MASK, or an unknown type: EINVAL;
//   * MEMREF in: the shm id is looked up in the caller's context (a counted
//     reference is taken and held by the TeeParam); offset + size must not
//     wrap and must lie inside the shm; TEE_MEMREF_NULL is a NULL memref only
//     when the context has the MEMREF_NULL capability;
//   * OUTPUT values are not read;
//   * copy-back: VALUE_OUTPUT/INOUT a,b,c; MEMREF_OUTPUT/INOUT only the size
//     (b); META-flagged params are never copied back.
#pragma once

#include <swtee/uapi/tee.h>

#include <functional>
#include <memory>
#include <span>

#include "common/result.h"
#include "core/shm.h"
#include "core/tee_param.h"

namespace swtee::core {

// Looks up a shm id in the caller's context. Must fail (EINVAL) for ids the
// context does not own.
using ShmLookup = std::function<Result<std::shared_ptr<Shm>>(int id)>;

enum class MemrefNull : uint8_t { Rejected, Allowed };

// Client params of OPEN_SESSION / INVOKE (and the slots SUPPL_RECV offers).
Result<TeeParams> params_from_user(std::span<const tee_ioctl_param> wire, const ShmLookup& lookup,
                                   MemrefNull memref_null);

// Writes results back into the wire params the request carried.
void params_to_user(std::span<tee_ioctl_param> wire, const TeeParams& params);

// SUPPL_SEND: the supplicant's answer. Values are copied; memrefs carry only
// offset and size (the driver matches them to its request's buffers).
Result<TeeParams> params_from_supp(std::span<const tee_ioctl_param> wire);

// SUPPL_RECV: a request for the supplicant. Memrefs are sent as (offset,
// size, shm id); a NULL memref as TEE_MEMREF_NULL. Slots beyond the request's
// params are NONE. EINVAL if the request has more params than slots.
Status params_to_supp(std::span<tee_ioctl_param> wire, const TeeParams& params);

}  // namespace swtee::core
