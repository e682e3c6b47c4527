// The fixed part of struct optee_msg_arg as a complete type, so it can be a
// member of private snapshots (MsgArg ends in a flexible array).
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/optee_msg.h"

namespace swtee::optee {

struct MsgArgHeader {
  uint32_t cmd;
  uint32_t func;
  uint32_t session;
  uint32_t cancel_id;
  uint32_t pad;
  uint32_t ret;
  uint32_t ret_origin;
  uint32_t num_params;
};
static_assert(sizeof(MsgArgHeader) == sizeof(MsgArg));
static_assert(offsetof(MsgArgHeader, session) == offsetof(MsgArg, session));
static_assert(offsetof(MsgArgHeader, cancel_id) == offsetof(MsgArg, cancel_id));
static_assert(offsetof(MsgArgHeader, ret) == offsetof(MsgArg, ret));
static_assert(offsetof(MsgArgHeader, ret_origin) == offsetof(MsgArg, ret_origin));
static_assert(offsetof(MsgArgHeader, num_params) == offsetof(MsgArg, num_params));

}  // namespace swtee::optee
