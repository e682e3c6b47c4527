#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

/* d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000002: the cov build of debug_ta.c */
#define TA_UUID { 0xd1e6a5a0, 0x0c3b, 0x4f7e, { 0x9a, 0x51, 0x3c, 0x2b, 0x1a, 0x00, 0x00, 0x02 } }

#define TA_FLAGS 0
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (64 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "debug recipe TA (cov)"

#endif
