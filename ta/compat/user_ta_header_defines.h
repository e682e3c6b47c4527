#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <compat_ta.h>

#define TA_UUID COMPAT_TA_UUID
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (32 * 1024)
#define TA_DATA_SIZE (256 * 1024)

/* Binary-block properties, one of them empty (OP-TEE decodes both). */
#define TA_CURRENT_TA_EXT_PROPERTIES \
	{ "compat.bin", USER_TA_PROP_TYPE_BINARY_BLOCK, "AAEC\nAw==" }, \
	{ "compat.bin_empty", USER_TA_PROP_TYPE_BINARY_BLOCK, "" }

#endif
