/*
 * sign_verify host application: RSASSA-PSS with SHA-256 and a 2048-bit key signatures made and checked by the
 * TA; the steps are in ../common/sign_host.h. Prints "sign_verify: OK".
 */
#include <tee_client_api.h>

#include <sign_verify_ta.h>

#define SIGN_EXAMPLE "sign_verify"
#define SIGN_TA_UUID TA_SIGN_VERIFY_UUID
#define SIGN_CMD_GEN_KEY TA_SIGN_VERIFY_CMD_GEN_KEY
#define SIGN_CMD_SIGN TA_SIGN_VERIFY_CMD_SIGN
#define SIGN_CMD_VERIFY TA_SIGN_VERIFY_CMD_VERIFY
#define SIGN_SIG_LEN 256

#include <sign_host.h>
