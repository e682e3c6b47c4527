#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID {0x2d6b3c1e, 0x7f40, 0x4a8e, {0x9c, 0x55, 0x0b, 0x1e, 0x2f, 0x3a, 0x4d, 0x5c}}
#define TA_FLAGS TA_FLAG_MULTI_SESSION
#define TA_STACK_SIZE (2 * 1024)
#define TA_DATA_SIZE (16 * 1024)

#endif
