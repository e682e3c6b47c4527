/* Shared between the hello_world host application and its TA. */
#ifndef HELLO_WORLD_TA_H
#define HELLO_WORLD_TA_H

/* 8aaaf200-2450-11e4-abe2-0002a5d5c51b: the UUID OP-TEE's example uses, so
 * existing tooling and documentation about it apply unchanged. */
#define TA_HELLO_WORLD_UUID \
  { 0x8aaaf200, 0x2450, 0x11e4, { 0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b } }

/* value[0].a += 1 */
#define TA_HELLO_WORLD_CMD_INC_VALUE 0
/* value[0].a -= 1 */
#define TA_HELLO_WORLD_CMD_DEC_VALUE 1

#endif
