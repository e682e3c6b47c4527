/* Compiled as C11: a C client builds against tee_client_api.h, and the
 * layouts it sees are OP-TEE's libteec.so.2 layouts (LP64). */
#include <stddef.h>
#include <tee_client_api.h>
#include <tee_client_api_extensions.h>

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(sizeof(TEEC_Context) == 8, "Context");
_Static_assert(offsetof(TEEC_Context, imp.fd) == 0, "Context.imp.fd");
_Static_assert(offsetof(TEEC_Context, imp.reg_mem) == 4, "Context.imp.reg_mem");
_Static_assert(offsetof(TEEC_Context, imp.memref_null) == 5, "Context.imp.memref_null");
_Static_assert(sizeof(TEEC_Session) == 16 && _Alignof(TEEC_Session) == 8, "Session");
_Static_assert(offsetof(TEEC_Session, imp.session_id) == 8, "Session.imp.session_id");
_Static_assert(sizeof(TEEC_SharedMemory) == 56, "SharedMemory");
_Static_assert(offsetof(TEEC_SharedMemory, buffer) == 0, "SharedMemory.buffer");
_Static_assert(offsetof(TEEC_SharedMemory, size) == 8, "SharedMemory.size");
_Static_assert(offsetof(TEEC_SharedMemory, flags) == 16, "SharedMemory.flags");
_Static_assert(offsetof(TEEC_SharedMemory, imp.id) == 24, "SharedMemory.imp.id");
_Static_assert(offsetof(TEEC_SharedMemory, imp.alloced_size) == 32, "imp.alloced_size");
_Static_assert(offsetof(TEEC_SharedMemory, imp.shadow_buffer) == 40, "imp.shadow_buffer");
_Static_assert(offsetof(TEEC_SharedMemory, imp.registered_fd) == 48, "imp.registered_fd");
_Static_assert(offsetof(TEEC_SharedMemory, imp.flags) == 52, "imp.flags");
_Static_assert(sizeof(TEEC_UUID) == 16 && _Alignof(TEEC_UUID) == 4, "UUID");
_Static_assert(offsetof(TEEC_UUID, timeMid) == 4, "UUID.timeMid");
_Static_assert(offsetof(TEEC_UUID, timeHiAndVersion) == 6, "UUID.timeHiAndVersion");
_Static_assert(offsetof(TEEC_UUID, clockSeqAndNode) == 8, "UUID.clockSeqAndNode");
_Static_assert(sizeof(TEEC_TempMemoryReference) == 16, "TempMemoryReference");
_Static_assert(offsetof(TEEC_TempMemoryReference, size) == 8, "tmpref.size");
_Static_assert(sizeof(TEEC_RegisteredMemoryReference) == 24, "RegisteredMemoryReference");
_Static_assert(offsetof(TEEC_RegisteredMemoryReference, size) == 8, "memref.size");
_Static_assert(offsetof(TEEC_RegisteredMemoryReference, offset) == 16, "memref.offset");
_Static_assert(sizeof(TEEC_Value) == 8 && offsetof(TEEC_Value, b) == 4, "Value");
_Static_assert(sizeof(TEEC_Parameter) == 24, "Parameter");
_Static_assert(sizeof(TEEC_Operation) == 112, "Operation");
_Static_assert(offsetof(TEEC_Operation, started) == 0, "Operation.started");
_Static_assert(offsetof(TEEC_Operation, paramTypes) == 4, "Operation.paramTypes");
_Static_assert(offsetof(TEEC_Operation, params) == 8, "Operation.params");
_Static_assert(offsetof(TEEC_Operation, imp.session) == 104, "Operation.imp.session");
#endif

/* Constants a C client uses in constant expressions. */
_Static_assert(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_MEMREF_WHOLE,
                                TEEC_MEMREF_PARTIAL_INOUT) == 0xFC61u, "nibble packing");
_Static_assert(TEEC_PARAM_TYPE_GET(0xFC61u, 2) == TEEC_MEMREF_WHOLE, "nibble read");
_Static_assert(TEEC_ERROR_SHORT_BUFFER == 0xFFFF0010u, "SHORT_BUFFER");
_Static_assert(TEEC_ERROR_TARGET_DEAD == 0xFFFF3024u, "TARGET_DEAD");
_Static_assert(TEEC_CONFIG_PAYLOAD_REF_COUNT == 4, "4 params");

/* The prototypes are usable from C (function pointers of the right type). */
typedef TEEC_Result (*invoke_fn)(TEEC_Session *, uint32_t, TEEC_Operation *, uint32_t *);
typedef TEEC_Result (*regfd_fn)(TEEC_Context *, TEEC_SharedMemory *, int);
const invoke_fn teec_c_layout_invoke = TEEC_InvokeCommand;
const regfd_fn teec_c_layout_regfd = TEEC_RegisterSharedMemoryFileDescriptor;
