/* The SDK smoke TA: GP 1.1 mode, single instance, one extra property. */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include "smoke_ta.h"

#define TA_UUID SMOKE_TA_UUID
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (4 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_VERSION "0.1"
#define TA_DESCRIPTION "swtee SDK smoke TA"
#define TA_CURRENT_TA_EXT_PROPERTIES \
  {"org.swtee.smoke.answer", USER_TA_PROP_TYPE_U32, &(const uint32_t){42}}

#endif
