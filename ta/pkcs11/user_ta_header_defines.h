#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <swtee/pkcs11_ta.h>

#define TA_UUID PKCS11_TA_UUID
/* One instance holds the token for every client; kept alive so that the
 * token and its objects stay loaded between applications. */
#define TA_FLAGS (TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
		  TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE (64 * 1024)
#define TA_DATA_SIZE (64 * 1024 * 1024)
#define TA_VERSION "0.1"
#define TA_DESCRIPTION "swtee PKCS#11 token (OP-TEE pkcs11 TA protocol)"

#endif
