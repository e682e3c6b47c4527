#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crypt_ta.h>

#define TA_UUID CRYPT_TA_UUID
/* An instance (process) per session: a mandated panic in one test kills
 * only that test's session. Each session still owns its own handle table. */
#define TA_FLAGS (0)
#define TA_STACK_SIZE (64 * 1024)
#define TA_DATA_SIZE (32 * 1024 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "swtee crypt test TA: the GP crypto API as commands"

#endif
