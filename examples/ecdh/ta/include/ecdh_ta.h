/* The ecdh example: NIST P-256 key agreement in the TA. */
#ifndef ECDH_TA_H
#define ECDH_TA_H

#define TA_ECDH_UUID { 0x8c3e7a10, 0x5b2d, 0x4f6e, \
		{ 0x9a, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b, 0x02 } }

/*
 * [in]  memref[0]  our key pair: d || X || Y, 32 bytes each (big-endian)
 * [in]  memref[1]  the peer's public key: X || Y
 * [out] memref[2]  the shared secret (the x coordinate, 32 bytes)
 */
#define TA_ECDH_CMD_DERIVE 0

#endif
