#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#define TA_UUID { 0x6f1d0c2b, 0x3a4e, 0x4b5f, \
		{ 0x8c, 0x6d, 0x7e, 0x8f, 0x9a, 0x0b, 0x1c, 0x2d } }
#define TA_FLAGS 0
#define TA_STACK_SIZE (16 * 1024)
#define TA_DATA_SIZE (64 * 1024)

#endif
