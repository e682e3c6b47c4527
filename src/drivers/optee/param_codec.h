// The one parameter codec between the core's TeeParam and OPTEE_MSG params.
// open_session, invoke_func and the supplicant RPC path all use it.
//
// Call direction (normal -> secure): values travel as VALUE_*, memrefs as
// RMEM {offs, size, cookie} against a memfd the secure world knows by its
// cookie, a NULL memref as TMEM {0, size, 0}.
// Results (secure -> normal) are read from a private snapshot of the slot:
// output values give a, b, c; output memrefs give only the size, which is
// reported and never used for copying.
// RPC direction (secure -> normal -> supplicant) is the mirror image: RMEM
// cookies resolve to Shm objects of the supplicant's context.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "common/result.h"
#include "common/uuid.h"
#include "core/shm.h"
#include "core/tee_param.h"
#include "protocol/optee_msg.h"

namespace swtee::optee {

// OPTEE_MSG attribute type for a core param type; `null_memref` selects
// TMEM for memref types.
uint64_t msg_attr_type(core::ParamType t, bool null_memref);

// Encodes one call param. `cookie` is the secure-world cookie of the memref's
// Shm (ignored for values and NULL memrefs); 0 for a non-NULL memref is EINVAL.
Result<MsgParam> encode_call_param(const core::TeeParam& p, uint64_t cookie);

// Applies one returned param (from the snapshot) to `p`. The returned type
// must be the one sent (EPROTO otherwise); META params are never returned.
Status decode_call_result(const MsgParam& returned, core::TeeParam& p);

// A META VALUE_INPUT param carrying the 16 octets of a UUID raw in its a
// and b words, and `c` (OPEN_SESSION's TA and client identity params).
MsgParam uuid_meta_param(const Uuid& u, uint64_t c);

// Resolves an RPC cookie to the Shm it names; nullptr if unknown.
using CookieResolver = std::function<std::shared_ptr<core::Shm>(uint64_t cookie)>;

// Decodes one RPC param for the supplicant. Unknown types, META, unknown
// cookies or an out-of-range (offs, size) are EINVAL.
Result<core::TeeParam> decode_rpc_param(const MsgParam& in, const CookieResolver& resolve);

// Writes the supplicant's outputs back into the RPC param `out` (whose attr
// is the validated snapshot): values a, b, c; memrefs only the size.
void encode_rpc_result(const core::TeeParam& p, MsgParam& out);

}  // namespace swtee::optee
