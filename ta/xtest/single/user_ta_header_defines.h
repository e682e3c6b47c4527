#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <xtest_ta.h>

#define TA_UUID XTEST_TA_SINGLE_UUID
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (1024 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "swtee test TA (single)"

#endif
