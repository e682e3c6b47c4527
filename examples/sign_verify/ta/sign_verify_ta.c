/* sign_verify TA: the shared signing TA (../../common/sign_ta_body.h) with
 * TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256 on a 2048-bit TEE_TYPE_RSA_KEYPAIR. */
#include <sign_verify_ta.h>

#define SIGN_KEY_TYPE TEE_TYPE_RSA_KEYPAIR
#define SIGN_KEY_BITS 2048
#define SIGN_ALG TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256
#define SIGN_CURVE 0
#define SIGN_CMD_GEN_KEY TA_SIGN_VERIFY_CMD_GEN_KEY
#define SIGN_CMD_SIGN TA_SIGN_VERIFY_CMD_SIGN
#define SIGN_CMD_VERIFY TA_SIGN_VERIFY_CMD_VERIFY

#include <sign_ta_body.h>
