/*
 * ecdsa host application: ECDSA P-256 with SHA-256 signatures made and checked by the
 * TA; the steps are in ../common/sign_host.h. Prints "ecdsa: OK".
 */
#include <tee_client_api.h>

#include <ecdsa_ta.h>

#define SIGN_EXAMPLE "ecdsa"
#define SIGN_TA_UUID TA_ECDSA_UUID
#define SIGN_CMD_GEN_KEY TA_ECDSA_CMD_GEN_KEY
#define SIGN_CMD_SIGN TA_ECDSA_CMD_SIGN
#define SIGN_CMD_VERIFY TA_ECDSA_CMD_VERIFY
#define SIGN_SIG_LEN 64

#include <sign_host.h>
