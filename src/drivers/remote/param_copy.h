// Memref contents across the remote protocol: nothing is shared with the
// host, so a call carries copies of exactly the ranges its memrefs cover —
// input ranges read from the client's shm before the call, output ranges
// written back after it, as OP-TEE's rules for output sizes say: the size
// is always the TEE's; bytes come back only when that size fits the
// original (otherwise the TEE asked for a larger buffer, SHORT_BUFFER).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "core/tee_param.h"
#include "protocol/remote_codec.h"

namespace swtee::remote {

// A request frame of `type` with `fixed` (its num_params set here) and the
// params, the input ranges read from their shms. EINVAL for META params or
// more than kMaxParams; E2BIG when the memrefs exceed kMaxMemrefBytes.
template <typename Fixed>
Result<std::vector<uint8_t>> encode_request(MsgType type, Fixed fixed, const core::TeeParams& params);

// Applies a CallReply's params to the call's params: output values, the
// returned sizes, the output bytes written into the shm ranges. EPROTO when
// the reply does not match the request (types, count, more bytes than the
// original range).
[[nodiscard]] Status apply_reply(const CallReplyMsg& reply, core::TeeParams& params);

// Building blocks (unit tests).
[[nodiscard]] Result<std::vector<Param>> wire_params(const core::TeeParams& params);
[[nodiscard]] Status read_inputs(const core::TeeParams& params, std::span<uint8_t> frame,
                                 std::span<const size_t> data_at);

template <typename Fixed>
Result<std::vector<uint8_t>> encode_request(MsgType type, Fixed fixed, const core::TeeParams& params) {
  ASSIGN_OR_RETURN(std::vector<Param> wp, wire_params(params));
  fixed.num_params = static_cast<uint32_t>(wp.size());
  std::vector<size_t> data_at;
  std::vector<uint8_t> frame = encode_fixed(type, 0, fixed, wp, &data_at);
  TRY_STATUS(read_inputs(params, frame, data_at));
  return frame;
}

}  // namespace swtee::remote
