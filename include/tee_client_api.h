/* SPDX-License-Identifier: MIT */
/*
 * GlobalPlatform TEE Client API v1.0, as swtee's libteec.so.2 implements it.
 *
 * Binary compatible with OP-TEE's libteec.so.2: every name, value and struct
 * layout below is OP-TEE's (implementation fields inside the `imp`
 * sub-structs), so a client compiled against OP-TEE's header links and runs
 * against this library unchanged. The `imp` fields are private to the
 * library; their meaning here differs from OP-TEE's (see src/libteec).
 */
#ifndef TEE_CLIENT_API_H
#define TEE_CLIENT_API_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Configuration ---------------------------------------------------- */

/* Parameters per operation. */
#define TEEC_CONFIG_PAYLOAD_REF_COUNT 4
/* Largest shared-memory block the API accepts: no limit beyond memory. */
#define TEEC_CONFIG_SHAREDMEM_MAX_SIZE ULONG_MAX

/* ---- Parameter types (one nibble each in paramTypes) ------------------ */

#define TEEC_NONE 0x00000000
#define TEEC_VALUE_INPUT 0x00000001
#define TEEC_VALUE_OUTPUT 0x00000002
#define TEEC_VALUE_INOUT 0x00000003
#define TEEC_MEMREF_TEMP_INPUT 0x00000005
#define TEEC_MEMREF_TEMP_OUTPUT 0x00000006
#define TEEC_MEMREF_TEMP_INOUT 0x00000007
#define TEEC_MEMREF_WHOLE 0x0000000C
#define TEEC_MEMREF_PARTIAL_INPUT 0x0000000D
#define TEEC_MEMREF_PARTIAL_OUTPUT 0x0000000E
#define TEEC_MEMREF_PARTIAL_INOUT 0x0000000F

/* ---- Shared-memory direction flags ------------------------------------ */

#define TEEC_MEM_INPUT 0x00000001
#define TEEC_MEM_OUTPUT 0x00000002

/* ---- Return codes ------------------------------------------------------ */

#define TEEC_SUCCESS 0x00000000
#define TEEC_ERROR_STORAGE_NOT_AVAILABLE 0xF0100003
#define TEEC_ERROR_GENERIC 0xFFFF0000
#define TEEC_ERROR_ACCESS_DENIED 0xFFFF0001
#define TEEC_ERROR_CANCEL 0xFFFF0002
#define TEEC_ERROR_ACCESS_CONFLICT 0xFFFF0003
#define TEEC_ERROR_EXCESS_DATA 0xFFFF0004
#define TEEC_ERROR_BAD_FORMAT 0xFFFF0005
#define TEEC_ERROR_BAD_PARAMETERS 0xFFFF0006
#define TEEC_ERROR_BAD_STATE 0xFFFF0007
#define TEEC_ERROR_ITEM_NOT_FOUND 0xFFFF0008
#define TEEC_ERROR_NOT_IMPLEMENTED 0xFFFF0009
#define TEEC_ERROR_NOT_SUPPORTED 0xFFFF000A
#define TEEC_ERROR_NO_DATA 0xFFFF000B
#define TEEC_ERROR_OUT_OF_MEMORY 0xFFFF000C
#define TEEC_ERROR_BUSY 0xFFFF000D
#define TEEC_ERROR_COMMUNICATION 0xFFFF000E
#define TEEC_ERROR_SECURITY 0xFFFF000F
#define TEEC_ERROR_SHORT_BUFFER 0xFFFF0010
#define TEEC_ERROR_EXTERNAL_CANCEL 0xFFFF0011
#define TEE_ERROR_OVERFLOW 0xFFFF300F
#define TEEC_ERROR_TARGET_DEAD 0xFFFF3024
#define TEE_ERROR_TARGET_DEAD TEEC_ERROR_TARGET_DEAD
#define TEE_ERROR_STORAGE_NO_SPACE 0xFFFF3041
/* Deprecated spelling, kept for source compatibility. */
#define TEEC_ERROR_STORAGE_NO_SPACE TEE_ERROR_STORAGE_NO_SPACE
#define TEE_ERROR_MAC_INVALID 0xFFFF3071
#define TEE_ERROR_SIGNATURE_INVALID 0xFFFF3072
#define TEE_ERROR_TIME_NOT_SET 0xFFFF5000
#define TEE_ERROR_TIME_NEEDS_RESET 0xFFFF5001

/* ---- Return origins ---------------------------------------------------- */

#define TEEC_ORIGIN_API 0x00000001
#define TEEC_ORIGIN_COMMS 0x00000002
#define TEEC_ORIGIN_TEE 0x00000003
#define TEEC_ORIGIN_TRUSTED_APP 0x00000004

/* ---- Login methods ----------------------------------------------------- */

#define TEEC_LOGIN_PUBLIC 0x00000000
#define TEEC_LOGIN_USER 0x00000001
#define TEEC_LOGIN_GROUP 0x00000002
#define TEEC_LOGIN_APPLICATION 0x00000004
#define TEEC_LOGIN_USER_APPLICATION 0x00000005
#define TEEC_LOGIN_GROUP_APPLICATION 0x00000006

/* ---- paramTypes packing: p0 in bits 0-3 ... p3 in bits 12-15 ---------- */

#define TEEC_PARAM_TYPES(p0, p1, p2, p3) \
  ((uint32_t)(p0) | ((uint32_t)(p1) << 4) | ((uint32_t)(p2) << 8) | ((uint32_t)(p3) << 12))
#define TEEC_PARAM_TYPE_GET(p, i) (((uint32_t)(p) >> ((i) * 4)) & 0xF)

/* ---- Types ------------------------------------------------------------- */

typedef uint32_t TEEC_Result;

typedef struct {
  uint32_t timeLow;
  uint16_t timeMid;
  uint16_t timeHiAndVersion;
  uint8_t clockSeqAndNode[8];
} TEEC_UUID;

/* A connection to a TEE. imp.fd identifies it inside the library. */
typedef struct {
  struct {
    int fd;
    bool reg_mem;
    bool memref_null;
  } imp;
} TEEC_Context;

typedef struct {
  struct {
    TEEC_Context *ctx;
    uint32_t session_id;
  } imp;
} TEEC_Session;

typedef struct {
  void *buffer;
  size_t size;
  uint32_t flags;
  struct {
    int id;
    size_t alloced_size;
    void *shadow_buffer;
    int registered_fd;
    uint32_t flags;
  } imp;
} TEEC_SharedMemory;

typedef struct {
  void *buffer;
  size_t size;
} TEEC_TempMemoryReference;

typedef struct {
  TEEC_SharedMemory *parent;
  size_t size;
  size_t offset;
} TEEC_RegisteredMemoryReference;

typedef struct {
  uint32_t a;
  uint32_t b;
} TEEC_Value;

typedef union {
  TEEC_TempMemoryReference tmpref;
  TEEC_RegisteredMemoryReference memref;
  TEEC_Value value;
} TEEC_Parameter;

typedef struct {
  uint32_t started;
  uint32_t paramTypes;
  TEEC_Parameter params[TEEC_CONFIG_PAYLOAD_REF_COUNT];
  struct {
    TEEC_Session *session;
  } imp;
} TEEC_Operation;

/* ---- Functions --------------------------------------------------------- */

/* The library never lets a C++ exception out; C++ callers see that. */
#ifdef __cplusplus
#define TEEC_NOEXCEPT_ noexcept
#else
#define TEEC_NOEXCEPT_
#endif

TEEC_Result TEEC_InitializeContext(const char *name, TEEC_Context *context) TEEC_NOEXCEPT_;
void TEEC_FinalizeContext(TEEC_Context *context) TEEC_NOEXCEPT_;

TEEC_Result TEEC_OpenSession(TEEC_Context *context, TEEC_Session *session,
                             const TEEC_UUID *destination, uint32_t connectionMethod,
                             const void *connectionData, TEEC_Operation *operation,
                             uint32_t *returnOrigin) TEEC_NOEXCEPT_;
void TEEC_CloseSession(TEEC_Session *session) TEEC_NOEXCEPT_;

TEEC_Result TEEC_InvokeCommand(TEEC_Session *session, uint32_t commandID,
                               TEEC_Operation *operation, uint32_t *returnOrigin) TEEC_NOEXCEPT_;
void TEEC_RequestCancellation(TEEC_Operation *operation) TEEC_NOEXCEPT_;

TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *context, TEEC_SharedMemory *sharedMem) TEEC_NOEXCEPT_;
TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *context, TEEC_SharedMemory *sharedMem) TEEC_NOEXCEPT_;
void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *sharedMemory) TEEC_NOEXCEPT_;

#ifdef __cplusplus
}
#endif

/* ---- ABI checks (LP64 and ILP32 layouts of OP-TEE's libteec.so.2) ------ */

#ifdef __cplusplus
#define TEEC_STATIC_ASSERT_(c, m) static_assert(c, m)
#else
#define TEEC_STATIC_ASSERT_(c, m) _Static_assert(c, m)
#endif

TEEC_STATIC_ASSERT_(sizeof(TEEC_Result) == 4, "TEEC_Result");
TEEC_STATIC_ASSERT_(sizeof(TEEC_UUID) == 16, "TEEC_UUID size");
TEEC_STATIC_ASSERT_(offsetof(TEEC_UUID, clockSeqAndNode) == 8, "TEEC_UUID layout");
TEEC_STATIC_ASSERT_(sizeof(TEEC_Context) == 8, "TEEC_Context size");
TEEC_STATIC_ASSERT_(sizeof(TEEC_Value) == 8, "TEEC_Value size");
TEEC_STATIC_ASSERT_(offsetof(TEEC_Operation, paramTypes) == 4, "TEEC_Operation.paramTypes");
TEEC_STATIC_ASSERT_(offsetof(TEEC_Operation, params) == 8, "TEEC_Operation.params");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
TEEC_STATIC_ASSERT_(sizeof(TEEC_Session) == 16, "TEEC_Session size (LP64)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_SharedMemory) == 56, "TEEC_SharedMemory size (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, size) == 8, "TEEC_SharedMemory.size (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, flags) == 16, "TEEC_SharedMemory.flags (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, imp) == 24, "TEEC_SharedMemory.imp (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, imp.alloced_size) == 32, "imp.alloced_size (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, imp.shadow_buffer) == 40, "imp.shadow_buffer (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, imp.registered_fd) == 48, "imp.registered_fd (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, imp.flags) == 52, "imp.flags (LP64)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_TempMemoryReference) == 16, "TEEC_TempMemoryReference (LP64)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_RegisteredMemoryReference) == 24, "TEEC_RegisteredMemoryReference (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_RegisteredMemoryReference, offset) == 16, "memref.offset (LP64)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_Parameter) == 24, "TEEC_Parameter (LP64)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_Operation) == 112, "TEEC_Operation size (LP64)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_Operation, imp) == 104, "TEEC_Operation.imp (LP64)");
#elif UINTPTR_MAX == 0xFFFFFFFFu
TEEC_STATIC_ASSERT_(sizeof(TEEC_Session) == 8, "TEEC_Session size (ILP32)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_SharedMemory) == 32, "TEEC_SharedMemory size (ILP32)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, flags) == 8, "TEEC_SharedMemory.flags (ILP32)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_SharedMemory, imp) == 12, "TEEC_SharedMemory.imp (ILP32)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_Parameter) == 12, "TEEC_Parameter (ILP32)");
TEEC_STATIC_ASSERT_(sizeof(TEEC_Operation) == 60, "TEEC_Operation size (ILP32)");
TEEC_STATIC_ASSERT_(offsetof(TEEC_Operation, imp) == 56, "TEEC_Operation.imp (ILP32)");
#endif

#undef TEEC_STATIC_ASSERT_

#endif /* TEE_CLIENT_API_H */
