/* Shared between the aes host application and its TA. */
#ifndef AES_TA_H
#define AES_TA_H

/* 5dbac793-f574-4871-8ad3-04331ec17f24: the UUID of OP-TEE's aes example. */
#define TA_AES_UUID \
  { 0x5dbac793, 0xf574, 0x4871, { 0x8a, 0xd3, 0x04, 0x33, 0x1e, 0xc1, 0x7f, 0x24 } }

/* The algorithms the TA offers (value[0].a of PREPARE). */
#define TA_AES_ALGO_ECB 0
#define TA_AES_ALGO_CBC 1
#define TA_AES_ALGO_CTR 2

#define TA_AES_SIZE_128BIT (128 / 8)
#define TA_AES_SIZE_256BIT (256 / 8)

#define TA_AES_MODE_ENCODE 1
#define TA_AES_MODE_DECODE 0

/* value[0].a algorithm, value[1].a key size in bytes, value[2].a mode:
 * allocates the session's cipher operation. */
#define TA_AES_CMD_PREPARE 0
/* memref[0] input: the raw key; sets it on the prepared operation. */
#define TA_AES_CMD_SET_KEY 1
/* memref[0] input: the IV; (re)starts the cipher. */
#define TA_AES_CMD_SET_IV 2
/* memref[0] input, memref[1] output of the same size: one update. */
#define TA_AES_CMD_CIPHER 3

#endif
