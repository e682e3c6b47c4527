/*
 * The compatibility TA (tests/integration/compat.cc): a TA written the
 * OP-TEE way, as optee_test's TAs are, to check swtee behaves as OP-TEE.
 * Handles travel to the client in value.a and come back from it.
 */
#ifndef COMPAT_TA_H
#define COMPAT_TA_H

#define COMPAT_TA_UUID { 0x4c1d7e2a, 0x9b3f, 0x4a6e, \
		{ 0x8d, 0x2c, 0x5f, 0x7a, 0x1b, 0x3e, 0x9c, 0x60 } }

/* Handles in value params (OP-TEE's crypt/storage TAs do this). */
#define COMPAT_CMD_OBJ_ALLOC		0  /* [0] value out: a = AES-128 key handle */
#define COMPAT_CMD_OBJ_INFO		1  /* [0] value in: a = handle; [1] value out: a = size, b = max */
#define COMPAT_CMD_OBJ_FREE		2  /* [0] value in: a = handle */
#define COMPAT_CMD_OP_ALLOC		3  /* [0] value out: a = SHA-256 operation handle */
#define COMPAT_CMD_OP_DIGEST		4  /* [0] value in: a = handle; [1] memref in; [2] memref out */
#define COMPAT_CMD_OP_FREE		5  /* [0] value in: a = handle */
#define COMPAT_CMD_ENUM_ALLOC		6  /* [0] value out: a = object enumerator, b = property enumerator */
#define COMPAT_CMD_ENUM_USE		7  /* [0] value in: a, b as from ENUM_ALLOC; frees both */
#define COMPAT_CMD_SESS_OPEN		8  /* [0] value out: a = TA session handle (invoke_tests PTA) */
#define COMPAT_CMD_SESS_INC		9  /* [0] value in: a = handle; [1] value inout: a, b += 1 */
#define COMPAT_CMD_SESS_CLOSE		10 /* [0] value in: a = handle */

/* The SDK header contract. */
#define COMPAT_CMD_HEADERS		11 /* [0] value in: a, b; [1] memref out: text */

/* Panics where GP and OP-TEE panic. */
#define COMPAT_CMD_POPULATE_OVERSIZED	12 /* panics */
#define COMPAT_CMD_MALLOC_ZERO		13 /* [0] value in: a = 1 to touch it (panics) */
#define COMPAT_CMD_ID_IN_SHM		14 /* [0] memref in: the object id (panics) */
#define COMPAT_CMD_ZERO_LEN_ID		15 /* create/open/enumerate/delete an object with id "" */
#define COMPAT_CMD_BINARY_PROPS		16 /* [0] value out: a = empty block len; [1] memref out: block */

/* The system PTA. */
#define COMPAT_CMD_SYS_DERIVE		17 /* [0] memref in: extra; [1] memref out: key (16..32) */
#define COMPAT_CMD_SYS_ENTROPY		18 /* [0] memref in: entropy */
#define COMPAT_CMD_SYS_OTHER		19 /* [0] value in: a = cmd; [1] value out: a = result */

/* Supplicant plugins (tee_invoke_supp_plugin). */
#define COMPAT_CMD_PLUGIN		20 /* [0] value in: a = cmd, b = sub_cmd; [1] memref inout;
					    * [2] value out: a = outlen, b = result */

#endif /* COMPAT_TA_H */
