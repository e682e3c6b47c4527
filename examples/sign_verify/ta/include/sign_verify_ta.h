/* The sign_verify example: RSASSA-PSS (SHA-256, 2048-bit key) signatures made and checked in a TA. */
#ifndef SIGN_VERIFY_TA_H
#define SIGN_VERIFY_TA_H

#define TA_SIGN_VERIFY_UUID { 0x8c3e7a10, 0x5b2d, 0x4f6e, \
		{ 0x9a, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b, 0x04 } }

/* Generates the session's key pair. */
#define TA_SIGN_VERIFY_CMD_GEN_KEY 0
/* [in] memref[0] digest (SHA-256), [out] memref[1] signature */
#define TA_SIGN_VERIFY_CMD_SIGN 1
/* [in] memref[0] digest, [in] memref[1] signature; the result says */
#define TA_SIGN_VERIFY_CMD_VERIFY 2

#endif
