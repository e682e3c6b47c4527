// TA header defines of the ELF reader's test object.
#pragma once

#define TA_UUID {0x8aaaf200, 0x2450, 0x11e4, {0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b}}
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (32 * 1024)
#define TA_VERSION "1.2"
#define TA_CURRENT_TA_EXT_PROPERTIES \
  {"org.swtee.test.string", USER_TA_PROP_TYPE_STRING, "text"}, \
  {"org.swtee.test.u32", USER_TA_PROP_TYPE_U32, &(const uint32_t){0x10}}
