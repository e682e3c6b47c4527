// Decoding of an optee_msg_arg that sits in memory the normal world shares
// and may rewrite at any moment. The rule: copy the header and params out
// ONCE into a private snapshot, validate every field of the snapshot, use
// only the snapshot afterwards, and write results back to fixed offsets
// derived from the snapshot (never from a second read).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "os/os_types.h"
#include "protocol/conduit.h"
#include "protocol/optee_msg.h"

namespace swtee::os {

class ShmRegistry;

// One optee_msg_param as plain words (attr, then the three union words).
struct RawParam {
  uint64_t attr;
  uint64_t a;
  uint64_t b;
  uint64_t c;
};
static_assert(sizeof(RawParam) == sizeof(optee::MsgParam));
static_assert(offsetof(RawParam, a) == offsetof(optee::MsgParam, u));

struct ArgSnapshot {
  uint32_t cmd = 0;
  uint32_t func = 0;
  uint32_t session = 0;
  uint32_t cancel_id = 0;
  uint32_t num_params = 0;
  std::array<RawParam, conduit::kMaxArgParams> params{};
};

// Field offsets inside optee_msg_arg / optee_msg_param used for write-back.
inline constexpr size_t kArgSessionOffset = offsetof(optee::MsgArg, session);
inline constexpr size_t kArgRetOffset = offsetof(optee::MsgArg, ret);
inline constexpr size_t kArgRetOriginOffset = offsetof(optee::MsgArg, ret_origin);
inline constexpr size_t kArgParamsOffset = sizeof(optee::MsgArg);
static_assert(kArgSessionOffset == 8 && kArgRetOffset == 20 && kArgRetOriginOffset == 24);

// Room an RPC arg needs behind the call's arg (conduit.h: RPC_ARG capability).
inline constexpr size_t kRpcArgRoom = optee::msg_arg_size(optee::kRpcMaxParams);

// Copies the arg at the start of `area` (the slot bytes from the arg to the
// slot's end) into a snapshot. nullopt when the area cannot hold a header
// plus an RPC arg, or num_params exceeds kMaxArgParams or would leave no room
// for the RPC arg behind the params.
std::optional<ArgSnapshot> snapshot_arg(std::span<const uint8_t> area);

// The validated meaning of a snapshot.
struct DecodedMsg {
  optee::MsgCmd cmd = optee::MsgCmd::OpenSession;
  uint32_t func = 0;
  uint32_t session = 0;
  uint32_t cancel_id = 0;
  uint32_t num_params = 0;  // as in the arg (meta included)
  // OPEN_SESSION
  Uuid ta_uuid;
  ClientIdentity client;  // with the opener's uid, if given (protocol/opener_uid.h)
  // OPEN_SESSION / INVOKE_COMMAND: user params live at arg index
  // first_user_param .. first_user_param + num_user_params - 1.
  uint32_t first_user_param = 0;
  uint32_t num_user_params = 0;
  OsParams params{};
  std::array<OsParamType, kNumGpParams> in_types{};  // types as validated (for write-back)
  // REGISTER_SHM / UNREGISTER_SHM
  uint64_t shm_cookie = 0;
  uint64_t shm_size = 0;
};

// Validates every field of `snap` (command, param count for the command,
// attribute types and bits, META placement, logins, the opener's uid word,
// cookies against `registry`, RMEM offs+size inside the registered size,
// TMEM only as a NULL memref). On success fills *out and returns SUCCESS; otherwise
// BAD_PARAMETERS (or NOT_IMPLEMENTED for commands swtee-os does not offer),
// origin TEE.
GpResult decode_msg(const ArgSnapshot& snap, const ShmRegistry& registry, DecodedMsg* out);

// Converts GP user params from raw OPTEE_MSG params (no META allowed).
// Used by decode_msg; exposed for tests.
GpResult decode_user_params(std::span<const RawParam> raw, const ShmRegistry& registry, OsParams* out);

// Writes ret/ret_origin into the arg at the start of `area`.
void write_status(std::span<uint8_t> area, GpResult r);
// Writes ret/ret_origin, the session (OPEN_SESSION success) and the output
// params of a decoded message: values (a, b; c = 0) and memref sizes, only
// for params whose validated type is output or inout.
void write_results(std::span<uint8_t> area, const DecodedMsg& msg, GpResult r, uint32_t session);

inline bool is_output(OsParamType t) {
  return t == OsParamType::ValueOutput || t == OsParamType::ValueInout || t == OsParamType::MemrefOutput ||
         t == OsParamType::MemrefInout;
}
inline bool is_memref(OsParamType t) {
  return t == OsParamType::MemrefInput || t == OsParamType::MemrefOutput || t == OsParamType::MemrefInout;
}
inline bool is_value(OsParamType t) {
  return t == OsParamType::ValueInput || t == OsParamType::ValueOutput || t == OsParamType::ValueInout;
}

}  // namespace swtee::os
