/*
 * secure_storage example: a TA that keeps raw data objects in GP trusted
 * storage (TEE_STORAGE_PRIVATE) on behalf of its client, with the command
 * set of OP-TEE's secure_storage example.
 */
#ifndef SECURE_STORAGE_TA_H
#define SECURE_STORAGE_TA_H

/* f4e750bb-1437-4fbf-8785-8d3580c34994 */
#define TA_SECURE_STORAGE_UUID \
  { 0xf4e750bb, 0x1437, 0x4fbf, { 0x87, 0x85, 0x8d, 0x35, 0x80, 0xc3, 0x49, 0x94 } }

/* p0 memref input: object id; p1 memref output: data (SHORT_BUFFER gives the size) */
#define TA_SECURE_STORAGE_CMD_READ_RAW 0
/* p0 memref input: object id; p1 memref input: data (replaces the object) */
#define TA_SECURE_STORAGE_CMD_WRITE_RAW 1
/* p0 memref input: object id */
#define TA_SECURE_STORAGE_CMD_DELETE 2

#endif
