/* TA properties read by the SDK (the OP-TEE user_ta_header_defines.h contract). */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <hello_world_ta.h>

#define TA_UUID TA_HELLO_WORLD_UUID

#define TA_FLAGS TA_FLAG_EXEC_DDR
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (32 * 1024)

#define TA_VERSION "1.0"
#define TA_DESCRIPTION "hello_world example TA"

#define TA_CURRENT_TA_EXT_PROPERTIES \
  { "org.swtee.hello_world.description", USER_TA_PROP_TYPE_STRING, "Hello from the secure world" }, \
  { "org.swtee.hello_world.version", USER_TA_PROP_TYPE_U32, &(const uint32_t){ 0x0010 } }

#endif
