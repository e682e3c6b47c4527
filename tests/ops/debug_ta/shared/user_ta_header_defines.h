#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

/* d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000004: debug_ta.c as one instance shared by
 * every session (swtee status: one pid, several sessions) */
#define TA_UUID { 0xd1e6a5a0, 0x0c3b, 0x4f7e, { 0x9a, 0x51, 0x3c, 0x2b, 0x1a, 0x00, 0x00, 0x04 } }

#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (64 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "debug recipe TA (shared instance)"

#endif
