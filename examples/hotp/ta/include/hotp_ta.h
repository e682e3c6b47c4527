/* Shared between the hotp host application and its TA. */
#ifndef TA_HOTP_H
#define TA_HOTP_H

/* 484d4143-2d53-4841-3120-4a6f636b6542: the UUID of OP-TEE's example. */
#define TA_HOTP_UUID \
  { 0x484d4143, 0x2d53, 0x4841, { 0x31, 0x20, 0x4a, 0x6f, 0x63, 0x6b, 0x65, 0x42 } }

/* memref[0] (input): the shared secret K; resets the counter C to 0. */
#define TA_HOTP_CMD_REGISTER_SHARED_KEY 0
/* value[0].a (output): HOTP(K, C) with 6 digits; then C += 1. */
#define TA_HOTP_CMD_GET_HOTP 1

/* RFC 4226 allows 128..512-bit secrets; GP HMAC-SHA1 keys span 80..512 bits. */
#define TA_HOTP_MIN_KEY_SIZE 10
#define TA_HOTP_MAX_KEY_SIZE 64

#endif
