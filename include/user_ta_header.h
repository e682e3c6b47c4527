/*
 * The TA header contract (swtee TA SDK), source compatible with OP-TEE.
 *
 * Each TA provides user_ta_header_defines.h with TA_UUID (a TEE_UUID brace
 * initializer), TA_FLAGS, TA_STACK_SIZE and TA_DATA_SIZE, and optionally
 * TA_VERSION, TA_DESCRIPTION and TA_CURRENT_TA_EXT_PROPERTIES (a list of
 * struct user_ta_property initializers). sdk/user_ta_header.c turns those
 * into the swtee_ta_info record (swtee_ta_info.h) in every TA.
 */
#ifndef SWTEE_USER_TA_HEADER_H
#define SWTEE_USER_TA_HEADER_H

#include <stdint.h>

#include "tee_api_types.h"
#include "util.h"

/* ---- TA_FLAGS ------------------------------------------------------------ */
#define TA_FLAG_USER_MODE 0            /* deprecated, always 0 */
#define TA_FLAG_EXEC_DDR 0             /* deprecated, always 0 */
#define TA_FLAG_SINGLE_INSTANCE (1u << 2)
#define TA_FLAG_MULTI_SESSION (1u << 3)
#define TA_FLAG_INSTANCE_KEEP_ALIVE (1u << 4) /* only with SINGLE_INSTANCE */
#define TA_FLAG_SECURE_DATA_PATH (1u << 5)
#define TA_FLAG_REMAP_SUPPORT 0        /* deprecated, always 0 */
#define TA_FLAG_CACHE_MAINTENANCE (1u << 7)
#define TA_FLAG_CONCURRENT (1u << 8)   /* pseudo-TAs only */
#define TA_FLAG_DEVICE_ENUM (1u << 9)
#define TA_FLAG_DEVICE_ENUM_SUPP (1u << 10)
#define TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT (1u << 11)
#define TA_FLAG_DEVICE_ENUM_TEE_STORAGE_PRIVATE (1u << 12)
#define TA_FLAG_INSTANCE_KEEP_CRASHED (1u << 13)
#define TA_FLAGS_MASK ((1u << 14) - 1)

/* ---- Property value types (order is ABI) --------------------------------- */
enum user_ta_prop_type {
  USER_TA_PROP_TYPE_BOOL = 0,         /* const bool * */
  USER_TA_PROP_TYPE_U32 = 1,          /* const uint32_t * */
  USER_TA_PROP_TYPE_UUID = 2,         /* const TEE_UUID * */
  USER_TA_PROP_TYPE_IDENTITY = 3,     /* const TEE_Identity * */
  USER_TA_PROP_TYPE_STRING = 4,       /* const char * (NUL-terminated) */
  USER_TA_PROP_TYPE_BINARY_BLOCK = 5, /* const char * (base64 text) */
  USER_TA_PROP_TYPE_U64 = 6,          /* const uint64_t * */
  USER_TA_PROP_TYPE_INVALID = 7,
};

struct user_ta_property {
  const char *name;
  enum user_ta_prop_type type;
  const void *value;
};

/* Standard property names the runtime answers for the current TA. */
#define TA_PROP_STR_SINGLE_INSTANCE "gpd.ta.singleInstance"
#define TA_PROP_STR_MULTI_SESSION "gpd.ta.multiSession"
#define TA_PROP_STR_KEEP_ALIVE "gpd.ta.instanceKeepAlive"
#define TA_PROP_STR_KEEP_CRASHED "optee.ta.instanceKeepCrashed"
#define TA_PROP_STR_DATA_SIZE "gpd.ta.dataSize"
#define TA_PROP_STR_STACK_SIZE "gpd.ta.stackSize"
#define TA_PROP_STR_VERSION "gpd.ta.version"
#define TA_PROP_STR_DESCRIPTION "gpd.ta.description"
#define TA_PROP_STR_ENDIAN "gpd.ta.endian"
#define TA_PROP_STR_DOES_NOT_CLOSE_HANDLE_ON_CORRUPT_OBJECT "gpd.ta.doesNotCloseHandleOnCorruptObject"

#endif /* SWTEE_USER_TA_HEADER_H */
