/* Shared between the smoke TA and its test. */
#ifndef SMOKE_TA_H
#define SMOKE_TA_H

#define SMOKE_TA_UUID_STR "5e4c2f7a-9b1d-4c3e-8f2a-6d7b8c9e0a1b"
#define SMOKE_TA_UUID \
  {0x5e4c2f7a, 0x9b1d, 0x4c3e, {0x8f, 0x2a, 0x6d, 0x7b, 0x8c, 0x9e, 0x0a, 0x1b}}

#define SMOKE_CMD_INC 0  /* p0 VALUE_INOUT: a += 1 */
#define SMOKE_CMD_COPY 1 /* p0 MEMREF_INPUT -> p1 MEMREF_OUTPUT (SHORT_BUFFER sizes) */

#endif
