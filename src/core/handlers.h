// The UAPI command handlers (see dispatch.h). Grouped by concern:
// shm_handlers.cc, session_handlers.cc, supp_handlers.cc.
#pragma once

#include "core/dispatch.h"
#include "core/uapi_params.h"

namespace swtee::core::handlers {

#define SWTEE_HANDLER(name) \
  Result<HandlerReply> name(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>& fds)

SWTEE_HANDLER(version);
SWTEE_HANDLER(shm_alloc);
SWTEE_HANDLER(shm_register_fd);
SWTEE_HANDLER(shm_register);
SWTEE_HANDLER(shm_release);
SWTEE_HANDLER(open_session);
SWTEE_HANDLER(invoke);
SWTEE_HANDLER(cancel);
SWTEE_HANDLER(close_session);
SWTEE_HANDLER(supp_recv);
SWTEE_HANDLER(supp_send);

#undef SWTEE_HANDLER

// Memref lookup in the caller's context, for the param codec.
ShmLookup shm_lookup_for(ContextImpl& ctx);

}  // namespace swtee::core::handlers
