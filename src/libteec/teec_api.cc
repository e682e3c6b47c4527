// The exported GP TEE Client API (and OP-TEE's extension): the C ABI
// boundary. Every function is noexcept and catches everything below it:
// allocation failure becomes TEEC_ERROR_OUT_OF_MEMORY, anything else
// TEEC_ERROR_GENERIC. The work is in context_ops / session_ops / shm_ops.
#include <new>

#include "libteec/api_ops.h"
#include "tee_client_api.h"
#include "tee_client_api_extensions.h"

#define TEEC_EXPORT extern "C" __attribute__((visibility("default")))

namespace swtee::teec {
namespace {

template <typename F>
TeecStatus guarded(F&& f) noexcept {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return {TEEC_ERROR_OUT_OF_MEMORY, TEEC_ORIGIN_API};
  } catch (...) {
    return {TEEC_ERROR_GENERIC, TEEC_ORIGIN_API};
  }
}

template <typename F>
void guarded_void(F&& f) noexcept {
  try {
    f();
  } catch (...) {
  }
}

}  // namespace
}  // namespace swtee::teec

using namespace swtee::teec;  // NOLINT(google-build-using-namespace): this file is the boundary

TEEC_EXPORT TEEC_Result TEEC_InitializeContext(const char* name, TEEC_Context* context) noexcept {
  return guarded([&] { return initialize_context(name, context); }).result;
}

TEEC_EXPORT void TEEC_FinalizeContext(TEEC_Context* context) noexcept {
  guarded_void([&] { finalize_context(context); });
}

TEEC_EXPORT TEEC_Result TEEC_OpenSession(TEEC_Context* context, TEEC_Session* session,
                                         const TEEC_UUID* destination, uint32_t connectionMethod,
                                         const void* connectionData, TEEC_Operation* operation,
                                         uint32_t* returnOrigin) noexcept {
  TeecStatus st = guarded([&] {
    return open_session(context, session, destination, connectionMethod, connectionData, operation);
  });
  if (returnOrigin != nullptr) *returnOrigin = st.origin;
  return st.result;
}

TEEC_EXPORT void TEEC_CloseSession(TEEC_Session* session) noexcept {
  guarded_void([&] { close_session(session); });
}

TEEC_EXPORT TEEC_Result TEEC_InvokeCommand(TEEC_Session* session, uint32_t commandID,
                                           TEEC_Operation* operation, uint32_t* returnOrigin) noexcept {
  TeecStatus st = guarded([&] { return invoke_command(session, commandID, operation); });
  if (returnOrigin != nullptr) *returnOrigin = st.origin;
  return st.result;
}

TEEC_EXPORT void TEEC_RequestCancellation(TEEC_Operation* operation) noexcept {
  guarded_void([&] { request_cancellation(operation); });
}

TEEC_EXPORT TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context* context,
                                                  TEEC_SharedMemory* sharedMem) noexcept {
  return guarded([&] { return register_memory(context, sharedMem, false); }).result;
}

TEEC_EXPORT TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context* context,
                                                  TEEC_SharedMemory* sharedMem) noexcept {
  return guarded([&] { return register_memory(context, sharedMem, true); }).result;
}

TEEC_EXPORT void TEEC_ReleaseSharedMemory(TEEC_SharedMemory* sharedMemory) noexcept {
  guarded_void([&] { release_memory(sharedMemory); });
}

TEEC_EXPORT TEEC_Result TEEC_RegisterSharedMemoryFileDescriptor(TEEC_Context* context,
                                                                TEEC_SharedMemory* sharedMem,
                                                                int fd) noexcept {
  return guarded([&] { return register_fd(context, sharedMem, fd); }).result;
}
