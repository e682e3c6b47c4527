/*
 * The "storage" test TA: GP trusted storage (persistent objects, data
 * streams, enumerators) exposed as TA commands, in the spirit of OP-TEE
 * xtest's storage TA. Used by the 6000s of tests/integration, by
 * bench/storage and by the storage scripts. Built twice, with two UUIDs,
 * so that tests can check that TAs cannot see each other's objects.
 *
 * Handles. Objects and enumerators travel as u32 ids (1..STORAGE_TA_MAX_HANDLES)
 * into a per-instance table (an instance per session). An unknown id answers
 * TEE_ERROR_BAD_PARAMETERS. Object ids are passed to the GP API straight
 * from the shared-memory memref (xtest 6017 "ID in shared memory"); a
 * memref longer than TEE_OBJECT_ID_MAX_LEN makes the TA panic, as GP says.
 *
 * Results are the GP function's TEE_Result. Param notation: vIN/vOUT/vIO
 * value, mIN/mOUT memref, "-" none.
 */
#ifndef STORAGE_TA_H
#define STORAGE_TA_H

#include <stdint.h>

/* 5b1e6a0c-51f7-4c4e-9a44-0d3f6c1d7a01 */
#define STORAGE_TA_UUID \
  { 0x5b1e6a0c, 0x51f7, 0x4c4e, { 0x9a, 0x44, 0x0d, 0x3f, 0x6c, 0x1d, 0x7a, 0x01 } }
/* 5b1e6a0c-51f7-4c4e-9a44-0d3f6c1d7a02: the same TA under another identity */
#define STORAGE_TA2_UUID \
  { 0x5b1e6a0c, 0x51f7, 0x4c4e, { 0x9a, 0x44, 0x0d, 0x3f, 0x6c, 0x1d, 0x7a, 0x02 } }
#define STORAGE_TA_UUID_STR "5b1e6a0c-51f7-4c4e-9a44-0d3f6c1d7a01"
#define STORAGE_TA2_UUID_STR "5b1e6a0c-51f7-4c4e-9a44-0d3f6c1d7a02"

#define STORAGE_TA_MAX_HANDLES 64u

/* TEE_ObjectInfo as the TA reports it (fixed layout, 7 x u32). */
struct storage_ta_info {
	uint32_t object_type;
	uint32_t object_size;
	uint32_t max_object_size;
	uint32_t object_usage;
	uint32_t data_size;
	uint32_t data_position;
	uint32_t handle_flags;
};

enum storage_ta_cmd {
	/* p0 mIN id, p1 vIN a=flags b=storage, p3 vOUT a=handle */
	STORAGE_CMD_OPEN = 0,
	/* p0 mIN id, p1 vIN a=flags b=storage, p2 mIN initial data (or -),
	 * p3 vIO in: a=attributes handle (0 = TEE_HANDLE_NULL), b=1: pass
	 * object = NULL; out: a=handle */
	STORAGE_CMD_CREATE = 1,
	/* p0 vIN a=handle */
	STORAGE_CMD_CLOSE = 2,
	/* p0 vIN a=handle, p1 mOUT data (size = bytes read) */
	STORAGE_CMD_READ = 3,
	/* p0 vIN a=handle, p1 mIN data */
	STORAGE_CMD_WRITE = 4,
	/* p0 vIN a=handle b=whence, p1 vIN a=offset low 32 b=offset high 32 (signed 64) */
	STORAGE_CMD_SEEK = 5,
	/* p0 vIN a=handle b=size */
	STORAGE_CMD_TRUNCATE = 6,
	/* p0 vIN a=handle, p1 mIN new id */
	STORAGE_CMD_RENAME = 7,
	/* p0 vIN a=handle: TEE_CloseAndDeletePersistentObject1 */
	STORAGE_CMD_UNLINK = 8,
	/* p0 vIN a=handle, p1 mOUT struct storage_ta_info */
	STORAGE_CMD_INFO = 9,
	/* p0 vOUT a=enumerator handle */
	STORAGE_CMD_ENUM_ALLOC = 10,
	/* p0 vIN a=enumerator */
	STORAGE_CMD_ENUM_FREE = 11,
	/* p0 vIN a=enumerator */
	STORAGE_CMD_ENUM_RESET = 12,
	/* p0 vIN a=enumerator b=storage */
	STORAGE_CMD_ENUM_START = 13,
	/* p0 vIN a=enumerator, p1 mOUT struct storage_ta_info, p2 mOUT id (>= 64 bytes) */
	STORAGE_CMD_ENUM_NEXT = 14,
	/* p0 vIN a=handle b=usage */
	STORAGE_CMD_RESTRICT_USAGE = 15,
	/* p0 vIN a=handle b=attribute id, p1 mOUT buffer attribute */
	STORAGE_CMD_GET_ATTR = 16,
	/* p0 vIN a=TEE_TYPE_* b=key bits, p1 mIN key (SECRET_VALUE), p3 vOUT a=transient handle */
	STORAGE_CMD_MAKE_KEY = 17,
	/* p0 vIN a=key handle (transient or persistent) b=TEE_ALG_HMAC_*, p1 mIN data, p2 mOUT mac */
	STORAGE_CMD_HMAC = 18,
	/* p0 vIN a=iterations b=worker id, p1 vIN a=object size:
	 * create/write/read back/rename/delete loop on the worker's own ids */
	STORAGE_CMD_STRESS = 19,
	/* p0 vIN a=transient handle: TEE_FreeTransientObject */
	STORAGE_CMD_FREE_TRANSIENT = 20,
	/* p0 mIN id, p1 vIN a=storage: delete the object if it exists (cleanup) */
	STORAGE_CMD_DELETE_IF_EXISTS = 21,
	/* p0 vIN a=handle, p1 mIN data, p2 vIN a=count: write data count times
	 * (bench: many writes in one invoke) */
	STORAGE_CMD_WRITE_REPEAT = 22,
	/* p0 vIN a=handle, p1 mOUT buffer, p2 vIN a=count: seek 0 + read count
	 * times (bench: cached reads without the client round trip) */
	STORAGE_CMD_READ_REPEAT = 23,
};

#endif
