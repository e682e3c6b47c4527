/*
 * GP TEE Internal Core API v1.3.1 — types (swtee TA SDK).
 *
 * Layouts are ABI: a TA built against OP-TEE's headers and one built against
 * these agree on every size and offset below (checked at the end of this
 * file for LP64 and ILP32). The __GP11_ variants are the v1.1 layouts with
 * 32-bit sizes, selected by tee_api_compat.h.
 *
 * C99/C11 and C++ compatible.
 */
#ifndef SWTEE_TEE_API_TYPES_H
#define SWTEE_TEE_API_TYPES_H

#include <inttypes.h> /* as OP-TEE's: TAs use PRIx32 etc. without including it */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h" /* __maybe_unused etc., as OP-TEE TAs expect */
#include "tee_api_defines.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compile-time checks usable from C99, C11 and C++. */
#if defined(__cplusplus)
#define SWTEE_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define SWTEE_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#else
#define SWTEE_STATIC_ASSERT_CAT2_(a, b) a##b
#define SWTEE_STATIC_ASSERT_CAT_(a, b) SWTEE_STATIC_ASSERT_CAT2_(a, b)
#define SWTEE_STATIC_ASSERT(cond, msg) \
  typedef char SWTEE_STATIC_ASSERT_CAT_(swtee_static_assert_, __LINE__)[(cond) ? 1 : -1]
#endif

/* Scalar types (all 32-bit). */
typedef uint32_t TEE_Result;
typedef uint32_t TEE_ErrorOrigin;
typedef uint32_t TEE_ObjectType;
typedef uint32_t TEE_Whence;
typedef uint32_t TEE_OperationMode;

/* Same memory layout as TEEC_UUID (host byte order fields). */
typedef struct {
  uint32_t timeLow;
  uint16_t timeMid;
  uint16_t timeHiAndVersion;
  uint8_t clockSeqAndNode[8];
} TEE_UUID;

typedef struct {
  uint32_t login;
  TEE_UUID uuid;
} TEE_Identity;

/* A parameter of an entry point or a TA-to-TA call (v1.3.1: size_t size). */
typedef union {
  struct {
    void *buffer;
    size_t size;
  } memref;
  struct {
    uint32_t a;
    uint32_t b;
  } value;
} TEE_Param;

/* The v1.1 parameter: memref size is 32 bits. */
typedef union {
  struct {
    void *buffer;
    uint32_t size;
  } memref;
  struct {
    uint32_t a;
    uint32_t b;
  } value;
} __GP11_TEE_Param;

/* Opaque handles. The structs are defined only inside the TA runtime. */
typedef struct __TEE_TASessionHandle *TEE_TASessionHandle;
typedef struct __TEE_PropSetHandle *TEE_PropSetHandle;
typedef struct __TEE_ObjectHandle *TEE_ObjectHandle;
typedef struct __TEE_ObjectEnumHandle *TEE_ObjectEnumHandle;
typedef struct __TEE_OperationHandle *TEE_OperationHandle;

typedef struct {
  uint32_t attributeID;
  union {
    struct {
      void *buffer;
      size_t length;
    } ref;
    struct {
      uint32_t a;
      uint32_t b;
    } value;
  } content;
} TEE_Attribute;

typedef struct {
  uint32_t attributeID;
  union {
    struct {
      void *buffer;
      uint32_t length;
    } ref;
    struct {
      uint32_t a;
      uint32_t b;
    } value;
  } content;
} __GP11_TEE_Attribute;

typedef struct {
  uint32_t objectType;
  uint32_t objectSize;
  uint32_t maxObjectSize;
  uint32_t objectUsage;
  size_t dataSize;
  size_t dataPosition;
  uint32_t handleFlags;
} TEE_ObjectInfo;

/* v1.1: all 32-bit; keySize/maxKeySize are the v1.0 names of the sizes. */
typedef struct {
  uint32_t objectType;
  __extension__ union {
    uint32_t keySize;
    uint32_t objectSize;
  };
  __extension__ union {
    uint32_t maxKeySize;
    uint32_t maxObjectSize;
  };
  uint32_t objectUsage;
  uint32_t dataSize;
  uint32_t dataPosition;
  uint32_t handleFlags;
} __GP11_TEE_ObjectInfo;

typedef struct {
  uint32_t algorithm;
  uint32_t operationClass;
  uint32_t mode;
  uint32_t digestLength;
  uint32_t maxKeySize;
  uint32_t keySize;
  uint32_t requiredKeyUsage;
  uint32_t handleState;
} TEE_OperationInfo;

typedef struct {
  uint32_t keySize;
  uint32_t requiredKeyUsage;
} TEE_OperationInfoKey;

/* Followed by numberOfKeys TEE_OperationInfoKey entries. */
typedef struct {
  uint32_t algorithm;
  uint32_t operationClass;
  uint32_t mode;
  uint32_t digestLength;
  uint32_t maxKeySize;
  uint32_t handleState;
  uint32_t operationState;
  uint32_t numberOfKeys;
  TEE_OperationInfoKey keyInformation[];
} TEE_OperationInfoMultiple;

typedef struct {
  uint32_t seconds;
  uint32_t millis;
} TEE_Time;

/* Big integers are arrays of 32-bit words whose layout is private to the
 * runtime; size them with TEE_BigIntSizeInU32() and the FMM sizing calls. */
typedef uint32_t TEE_BigInt;
typedef uint32_t TEE_BigIntFMM;
typedef uint32_t TEE_BigIntFMMContext;

/* Secure Element API types (the API itself is not provided). */
typedef struct __TEE_SEServiceHandle *TEE_SEServiceHandle;
typedef struct __TEE_SEReaderHandle *TEE_SEReaderHandle;
typedef struct __TEE_SESessionHandle *TEE_SESessionHandle;
typedef struct __TEE_SEChannelHandle *TEE_SEChannelHandle;

typedef struct {
  bool sePresent;
  bool teeOnly;
  bool selectResponseEnable;
} TEE_SEReaderProperties;

typedef struct {
  uint8_t *buffer;
  size_t bufferLen;
} TEE_SEAID;

/* ---- ABI checks ------------------------------------------------------- */
#define SWTEE_PTR_BYTES_ (sizeof(void *))

SWTEE_STATIC_ASSERT(sizeof(TEE_UUID) == 16, "TEE_UUID is 16 bytes");
SWTEE_STATIC_ASSERT(sizeof(TEE_Identity) == 20, "TEE_Identity is 20 bytes");
SWTEE_STATIC_ASSERT(offsetof(TEE_Identity, uuid) == 4, "TEE_Identity.uuid at 4");
SWTEE_STATIC_ASSERT(sizeof(TEE_Param) == 2 * SWTEE_PTR_BYTES_, "TEE_Param is 16 (LP64) / 8 (ILP32)");
SWTEE_STATIC_ASSERT(offsetof(TEE_Param, memref.size) == SWTEE_PTR_BYTES_, "TEE_Param.memref.size");
SWTEE_STATIC_ASSERT(sizeof(__GP11_TEE_Param) == 2 * SWTEE_PTR_BYTES_, "__GP11_TEE_Param size");
SWTEE_STATIC_ASSERT(offsetof(__GP11_TEE_Param, memref.size) == SWTEE_PTR_BYTES_, "__GP11_TEE_Param.memref.size");
SWTEE_STATIC_ASSERT(sizeof(TEE_Attribute) == 3 * SWTEE_PTR_BYTES_, "TEE_Attribute is 24 (LP64) / 12 (ILP32)");
SWTEE_STATIC_ASSERT(offsetof(TEE_Attribute, content) == SWTEE_PTR_BYTES_, "TEE_Attribute.content at 8 / 4");
SWTEE_STATIC_ASSERT(sizeof(__GP11_TEE_Attribute) == 3 * SWTEE_PTR_BYTES_, "__GP11_TEE_Attribute size");
SWTEE_STATIC_ASSERT(offsetof(__GP11_TEE_Attribute, content) == SWTEE_PTR_BYTES_, "__GP11_TEE_Attribute.content");
SWTEE_STATIC_ASSERT(offsetof(TEE_ObjectInfo, dataSize) == 16, "TEE_ObjectInfo.dataSize at 16");
SWTEE_STATIC_ASSERT(offsetof(TEE_ObjectInfo, dataPosition) == 16 + SWTEE_PTR_BYTES_, "TEE_ObjectInfo.dataPosition");
SWTEE_STATIC_ASSERT(offsetof(TEE_ObjectInfo, handleFlags) == 16 + 2 * SWTEE_PTR_BYTES_, "TEE_ObjectInfo.handleFlags");
SWTEE_STATIC_ASSERT(sizeof(TEE_ObjectInfo) == (SWTEE_PTR_BYTES_ == 8 ? 40 : 28), "TEE_ObjectInfo is 40 / 28");
SWTEE_STATIC_ASSERT(sizeof(__GP11_TEE_ObjectInfo) == 28, "__GP11_TEE_ObjectInfo is 28");
SWTEE_STATIC_ASSERT(sizeof(TEE_OperationInfo) == 32, "TEE_OperationInfo is 32");
SWTEE_STATIC_ASSERT(sizeof(TEE_OperationInfoKey) == 8, "TEE_OperationInfoKey is 8");
SWTEE_STATIC_ASSERT(sizeof(TEE_OperationInfoMultiple) == 32, "TEE_OperationInfoMultiple header is 32");
SWTEE_STATIC_ASSERT(offsetof(TEE_OperationInfoMultiple, keyInformation) == 32, "keyInformation at 32");
SWTEE_STATIC_ASSERT(sizeof(TEE_Time) == 8, "TEE_Time is 8");

#ifdef __cplusplus
}
#endif

#endif /* SWTEE_TEE_API_TYPES_H */
