#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <storage_ta.h>

#ifdef STORAGE_TA_SECOND
#define TA_UUID STORAGE_TA2_UUID
#else
#define TA_UUID STORAGE_TA_UUID
#endif
/* An instance (process) per session: concurrency tests run several
 * instances of one TA against the same objects. */
#define TA_FLAGS (0)
#define TA_STACK_SIZE (64 * 1024)
#define TA_DATA_SIZE (32 * 1024 * 1024)
#define TA_VERSION "1.0"
#define TA_DESCRIPTION "swtee storage test TA: GP trusted storage as commands"

#endif
