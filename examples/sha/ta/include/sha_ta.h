/* The sha example: message digests computed in the TA. */
#ifndef SHA_TA_H
#define SHA_TA_H

#define TA_SHA_UUID { 0x8c3e7a10, 0x5b2d, 0x4f6e, \
		{ 0x9a, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b, 0x01 } }

/*
 * [in]  value[0].a  TEE_ALG_SHA1 / SHA224 / SHA256 / SHA384 / SHA512
 * [in]  memref[1]   message
 * [out] memref[2]   digest
 */
#define TA_SHA_CMD_DIGEST 0

#endif
