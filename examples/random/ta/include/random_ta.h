/* Shared between the random host application and its TA. */
#ifndef TA_RANDOM_H
#define TA_RANDOM_H

/* b6c53aba-9669-4668-a7f2-205629d00f86: the UUID of OP-TEE's example. */
#define TA_RANDOM_UUID \
  { 0xb6c53aba, 0x9669, 0x4668, { 0xa7, 0xf2, 0x20, 0x56, 0x29, 0xd0, 0x0f, 0x86 } }

/* memref[0] (output): filled with random bytes from TEE_GenerateRandom. */
#define TA_RANDOM_CMD_GENERATE 0

#endif
