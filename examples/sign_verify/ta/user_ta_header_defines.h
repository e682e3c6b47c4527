#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <sign_verify_ta.h>

#define TA_UUID TA_SIGN_VERIFY_UUID
#define TA_FLAGS TA_FLAG_EXEC_DDR
#define TA_STACK_SIZE (8 * 1024)
#define TA_DATA_SIZE (64 * 1024)

#endif
