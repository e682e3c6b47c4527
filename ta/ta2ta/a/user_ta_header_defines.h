#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <ta2ta_ta.h>

#define TA_UUID TA2TA_A_UUID
#define TA_FLAGS 0
#define TA_STACK_SIZE (16 * 1024)
#define TA_DATA_SIZE (4 * 1024 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "swtee TA-to-TA test TA (a)"
#define TA2TA_SELF TA2TA_A

#endif
