// The GP Client API operations behind the C boundary (teec_api.cc), in
// C++. Each returns the GP result with its origin and may throw only
// std::bad_alloc, which the boundary turns into TEEC_ERROR_OUT_OF_MEMORY.
#pragma once

#include <memory>

#include "libteec/context_state.h"
#include "libteec/teec_status.h"
#include "tee_client_api.h"

namespace swtee::teec {

// Context (context_ops.cc).
TeecStatus initialize_context(const char* name, TEEC_Context* ctx);
void finalize_context(TEEC_Context* ctx);
// The live context behind ctx->imp.fd; nullptr for NULL or finalized.
std::shared_ptr<ContextState> lookup_context(const TEEC_Context* ctx);

// Sessions and calls (session_ops.cc).
TeecStatus open_session(TEEC_Context* context, TEEC_Session* session, const TEEC_UUID* destination,
                        uint32_t method, const void* data, TEEC_Operation* op);
void close_session(TEEC_Session* session);
TeecStatus invoke_command(TEEC_Session* session, uint32_t command, TEEC_Operation* op);
void request_cancellation(TEEC_Operation* op);

// Shared memory (shm_ops.cc).
TeecStatus register_memory(TEEC_Context* context, TEEC_SharedMemory* shm, bool allocate);
TeecStatus register_fd(TEEC_Context* context, TEEC_SharedMemory* shm, int fd);
void release_memory(TEEC_SharedMemory* shm);

constexpr TeecStatus bad_parameters() { return {TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_API}; }

}  // namespace swtee::teec
