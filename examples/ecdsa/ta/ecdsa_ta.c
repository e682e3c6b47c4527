/* ecdsa TA: the shared signing TA (../../common/sign_ta_body.h) with
 * TEE_ALG_ECDSA_SHA256 on a 256-bit TEE_TYPE_ECDSA_KEYPAIR. */
#include <ecdsa_ta.h>

#define SIGN_KEY_TYPE TEE_TYPE_ECDSA_KEYPAIR
#define SIGN_KEY_BITS 256
#define SIGN_ALG TEE_ALG_ECDSA_SHA256
#define SIGN_CURVE TEE_ECC_CURVE_NIST_P256
#define SIGN_CMD_GEN_KEY TA_ECDSA_CMD_GEN_KEY
#define SIGN_CMD_SIGN TA_ECDSA_CMD_SIGN
#define SIGN_CMD_VERIFY TA_ECDSA_CMD_VERIFY

#include <sign_ta_body.h>
