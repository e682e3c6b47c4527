/* The ecdsa example: ECDSA P-256 with SHA-256 signatures made and checked in a TA. */
#ifndef ECDSA_TA_H
#define ECDSA_TA_H

#define TA_ECDSA_UUID { 0x8c3e7a10, 0x5b2d, 0x4f6e, \
		{ 0x9a, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b, 0x03 } }

/* Generates the session's key pair. */
#define TA_ECDSA_CMD_GEN_KEY 0
/* [in] memref[0] digest (SHA-256), [out] memref[1] signature */
#define TA_ECDSA_CMD_SIGN 1
/* [in] memref[0] digest, [in] memref[1] signature; the result says */
#define TA_ECDSA_CMD_VERIFY 2

#endif
