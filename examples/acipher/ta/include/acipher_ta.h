/* Shared between the acipher host application and its TA. */
#ifndef ACIPHER_TA_H
#define ACIPHER_TA_H

/* a734eed9-d6a1-4244-aa50-7c99719e7b7b: the UUID of OP-TEE's acipher example. */
#define TA_ACIPHER_UUID \
  { 0xa734eed9, 0xd6a1, 0x4244, { 0xaa, 0x50, 0x7c, 0x99, 0x71, 0x9e, 0x7b, 0x7b } }

/* value[0].a: key size in bits. Generates the session's RSA key pair. */
#define TA_ACIPHER_CMD_GEN_KEY 0
/* memref[0] input: clear text, memref[1] output: RSAES-PKCS1-v1_5 cipher
 * text. A short output answers TEE_ERROR_SHORT_BUFFER with the size needed. */
#define TA_ACIPHER_CMD_ENCRYPT 1
/* memref[0] input: cipher text, memref[1] output: clear text (so the host
 * can check the round trip; the private key never leaves the TA). */
#define TA_ACIPHER_CMD_DECRYPT 2

#endif
