/*
 * swtee_ta_info: the record every swtee TA exports (swtee TA SDK).
 *
 * sdk/user_ta_header.c defines `const struct swtee_ta_info swtee_ta_info`
 * from the TA's user_ta_header_defines.h. Two readers depend on it:
 *  - `swtee sign` reads uuid and flags from the ELF symbol table without
 *    loading the TA (src/ta_image, read_ta_info_from_elf);
 *  - the TA runtime reads the whole record after dlopen() and answers the
 *    gpd.ta.* properties from it (singleInstance, multiSession,
 *    instanceKeepAlive, optee.ta.instanceKeepCrashed and
 *    doesNotCloseHandleOnCorruptObject from `flags`; dataSize, stackSize,
 *    version, description; endian 0), then the TA's own `props`.
 *
 * The layout is ABI (abi_version 1); new fields go at the end with a new
 * abi_version.
 */
#ifndef SWTEE_TA_INFO_H
#define SWTEE_TA_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "tee_api_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SWTEE_TA_INFO_ABI_VERSION 1
#define SWTEE_TA_INFO_SYMBOL "swtee_ta_info"

/* One TA_CURRENT_TA_EXT_PROPERTIES entry; type is a USER_TA_PROP_TYPE_*. */
struct swtee_ta_property {
  const char *name;
  uint32_t type;
  const void *value;
};

struct swtee_ta_info {
  uint32_t abi_version; /* SWTEE_TA_INFO_ABI_VERSION */
  TEE_UUID uuid;        /* TA_UUID */
  uint32_t flags;       /* TA_FLAGS */
  uint32_t stack_size;  /* TA_STACK_SIZE */
  uint32_t data_size;   /* TA_DATA_SIZE (heap) */
  const char *version;
  const char *description;
  const struct swtee_ta_property *props;
  size_t num_props;
};

/* Offsets the ELF reader relies on (uuid and flags, LP64 and ILP32 alike). */
SWTEE_STATIC_ASSERT(offsetof(struct swtee_ta_info, uuid) == 4, "swtee_ta_info.uuid at 4");
SWTEE_STATIC_ASSERT(offsetof(struct swtee_ta_info, flags) == 20, "swtee_ta_info.flags at 20");
SWTEE_STATIC_ASSERT(offsetof(struct swtee_ta_info, stack_size) == 24, "swtee_ta_info.stack_size at 24");
SWTEE_STATIC_ASSERT(offsetof(struct swtee_ta_info, data_size) == 28, "swtee_ta_info.data_size at 28");
SWTEE_STATIC_ASSERT(offsetof(struct swtee_ta_info, version) == 32, "swtee_ta_info.version at 32");
SWTEE_STATIC_ASSERT(sizeof(struct swtee_ta_info) == 32 + 4 * sizeof(void *), "swtee_ta_info size");
SWTEE_STATIC_ASSERT(sizeof(struct swtee_ta_property) == 3 * sizeof(void *), "swtee_ta_property size");

/* The record itself is not declared here: in C++ a variable named
 * swtee_ta_info would hide the type name. Find it with
 * dlsym(handle, SWTEE_TA_INFO_SYMBOL). */

#ifdef __cplusplus
}
#endif

#endif /* SWTEE_TA_INFO_H */
