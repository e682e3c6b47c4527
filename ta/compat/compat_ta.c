/*
 * The compatibility TA: written as OP-TEE's own TAs are. It includes only
 * what an OP-TEE TA includes (no <inttypes.h>, no <stdio.h>: OP-TEE's
 * headers bring PRIu32 and snprintf), and it hands its handles to the
 * client in value.a and takes them back from it.
 */
#include <compat_ta.h>
#include <pta_system.h>
#include <string.h>
#include <string_ext.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <types_ext.h>
#include <util.h>

/* swtee's invoke_tests PTA (src/os/pta/invoke_tests_pta.h). */
#define SWTEE_INVOKE_TESTS_UUID { 0x6e2b4a10, 0x7c39, 0x4d58, \
		{ 0xb1, 0xa2, 0x3f, 0x4e, 0x5d, 0x6c, 0x7b, 0x81 } }

#define PT(a, b, c, d) TEE_PARAM_TYPES(TEE_PARAM_TYPE_##a, TEE_PARAM_TYPE_##b, \
				       TEE_PARAM_TYPE_##c, TEE_PARAM_TYPE_##d)

/* A handle as the client sees it, and back. */
#define TO_VALUE(h) ((uint32_t)(vaddr_t)(h))
#define FROM_VALUE(type, v) ((type)(vaddr_t)(v))

static TEE_Result obj_alloc(uint32_t pt, TEE_Param p[4])
{
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	TEE_Attribute attr = { };
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_OUTPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &o);
	if (res)
		return res;
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, key, sizeof(key));
	res = TEE_PopulateTransientObject(o, &attr, 1);
	if (res) {
		TEE_FreeTransientObject(o);
		return res;
	}
	p[0].value.a = TO_VALUE(o);
	p[0].value.b = 0;
	return TEE_SUCCESS;
}

static TEE_Result obj_info(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectInfo info = { };
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_INPUT, VALUE_OUTPUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetObjectInfo1(FROM_VALUE(TEE_ObjectHandle, p[0].value.a), &info);
	if (res)
		return res;
	p[1].value.a = info.objectSize;
	p[1].value.b = info.maxObjectSize;
	return TEE_SUCCESS;
}

static TEE_Result op_alloc(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_OUTPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res)
		return res;
	p[0].value.a = TO_VALUE(op);
	return TEE_SUCCESS;
}

static TEE_Result op_digest(uint32_t pt, TEE_Param p[4])
{
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	len = p[2].memref.size;
	res = TEE_DigestDoFinal(FROM_VALUE(TEE_OperationHandle, p[0].value.a),
				p[1].memref.buffer, p[1].memref.size,
				p[2].memref.buffer, &len);
	p[2].memref.size = len;
	return res;
}

static TEE_Result enum_alloc(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle oe = TEE_HANDLE_NULL;
	TEE_PropSetHandle pe = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_OUTPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocatePersistentObjectEnumerator(&oe);
	if (res)
		return res;
	res = TEE_AllocatePropertyEnumerator(&pe);
	if (res) {
		TEE_FreePersistentObjectEnumerator(oe);
		return res;
	}
	p[0].value.a = TO_VALUE(oe);
	p[0].value.b = TO_VALUE(pe);
	return TEE_SUCCESS;
}

static TEE_Result enum_use(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle oe = TEE_HANDLE_NULL;
	TEE_PropSetHandle pe = TEE_HANDLE_NULL;
	char name[64] = { };
	size_t len = sizeof(name);
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_INPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	oe = FROM_VALUE(TEE_ObjectEnumHandle, p[0].value.a);
	pe = FROM_VALUE(TEE_PropSetHandle, p[0].value.b);
	TEE_ResetPersistentObjectEnumerator(oe);
	TEE_StartPropertyEnumerator(pe, TEE_PROPSET_CURRENT_TA);
	res = TEE_GetPropertyName(pe, name, &len);
	TEE_FreePropertyEnumerator(pe);
	TEE_FreePersistentObjectEnumerator(oe);
	return res;
}

static TEE_Result sess_open(uint32_t pt, TEE_Param p[4])
{
	const TEE_UUID uuid = SWTEE_INVOKE_TESTS_UUID;
	TEE_TASessionHandle s = TEE_HANDLE_NULL;
	uint32_t origin = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_OUTPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_OpenTASession(&uuid, TEE_TIMEOUT_INFINITE, 0, NULL, &s, &origin);
	if (res)
		return res;
	p[0].value.a = TO_VALUE(s);
	return TEE_SUCCESS;
}

static TEE_Result sess_inc(uint32_t pt, TEE_Param p[4])
{
	TEE_Param q[4] = { };
	uint32_t origin = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_INPUT, VALUE_INOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	q[0].value.a = p[1].value.a;
	q[0].value.b = p[1].value.b;
	res = TEE_InvokeTACommand(FROM_VALUE(TEE_TASessionHandle, p[0].value.a),
				  TEE_TIMEOUT_INFINITE, 0 /* INC_VALUES */,
				  PT(VALUE_INOUT, NONE, NONE, NONE), q, &origin);
	p[1].value.a = q[0].value.a;
	p[1].value.b = q[0].value.b;
	return res;
}

/* PRIu32/PRIx64 without <inttypes.h>, snprintf without <stdio.h>,
 * strlcpy from <string_ext.h>, ROUNDUP from <util.h>, vaddr_t from
 * <types_ext.h>: what OP-TEE's headers give a TA. */
static TEE_Result headers(uint32_t pt, TEE_Param p[4])
{
	char tmp[16] = { };
	int n = 0;

	if (pt != PT(VALUE_INPUT, MEMREF_OUTPUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	n = snprintf(p[1].memref.buffer, p[1].memref.size,
		     "%" PRIu32 ":%" PRIx64 ":%zu:", p[0].value.a,
		     ((uint64_t)p[0].value.b << 32) | 0xabc,
		     (size_t)ROUNDUP(p[0].value.a, 16));
	if (n < 0 || (size_t)n >= p[1].memref.size)
		return TEE_ERROR_SHORT_BUFFER;
	if (strlcpy(tmp, "truncated-by-strlcpy", 10) != 20)
		return TEE_ERROR_GENERIC;
	if (strlcat(p[1].memref.buffer, tmp, p[1].memref.size) >=
	    p[1].memref.size)
		return TEE_ERROR_SHORT_BUFFER;
	p[1].memref.size = strlen(p[1].memref.buffer);
	return TEE_SUCCESS;
}

static TEE_Result populate_oversized(void)
{
	uint8_t key[32] = { };
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	TEE_Attribute attr = { };
	TEE_Result res = TEE_SUCCESS;

	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &o);
	if (res)
		return res;
	/* 256 bits into a 128-bit object: GP and OP-TEE panic. */
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, key, sizeof(key));
	res = TEE_PopulateTransientObject(o, &attr, 1);
	TEE_FreeTransientObject(o);
	return res;
}

static TEE_Result malloc_zero(uint32_t pt, TEE_Param p[4])
{
	volatile uint8_t *b = NULL;

	if (pt != PT(VALUE_INPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	b = TEE_Malloc(0, TEE_MALLOC_FILL_ZERO);
	if (!b)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (p[0].value.a)
		b[0] = 1; /* faults, as on OP-TEE */
	TEE_Free((void *)b);
	return TEE_SUCCESS;
}

static TEE_Result id_in_shm(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle o = TEE_HANDLE_NULL;

	if (pt != PT(MEMREF_INPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	/* The id lies in client shared memory: the storage functions panic. */
	return TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE,
					p[0].memref.buffer, p[0].memref.size,
					TEE_DATA_FLAG_ACCESS_READ, &o);
}

static TEE_Result zero_len_id(void)
{
	static const char data[] = "zero-length id";
	char buf[sizeof(data)] = { };
	TEE_ObjectHandle o = TEE_HANDLE_NULL;
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { };
	uint8_t id[TEE_OBJECT_ID_MAX_LEN] = { };
	size_t id_len = 0;
	size_t n = 0;
	bool found = false;
	TEE_Result res = TEE_SUCCESS;

	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "", 0,
					 TEE_DATA_FLAG_ACCESS_WRITE |
					 TEE_DATA_FLAG_OVERWRITE,
					 TEE_HANDLE_NULL, data, sizeof(data), &o);
	if (res)
		return res;
	TEE_CloseObject(o);
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, NULL, 0,
				       TEE_DATA_FLAG_ACCESS_READ |
				       TEE_DATA_FLAG_ACCESS_WRITE_META, &o);
	if (res)
		return res;
	res = TEE_ReadObjectData(o, buf, sizeof(buf), &n);
	if (!res && (n != sizeof(data) || memcmp(buf, data, n)))
		res = TEE_ERROR_CORRUPT_OBJECT;
	if (res)
		goto out;
	res = TEE_AllocatePersistentObjectEnumerator(&e);
	if (res)
		goto out;
	res = TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
	while (!res) {
		id_len = sizeof(id);
		res = TEE_GetNextPersistentObject(e, &info, id, &id_len);
		if (!res && id_len == 0)
			found = true;
	}
	TEE_FreePersistentObjectEnumerator(e);
	res = found ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
out:
	if (res)
		TEE_CloseObject(o);
	else
		res = TEE_CloseAndDeletePersistentObject1(o);
	return res;
}

static TEE_Result binary_props(uint32_t pt, TEE_Param p[4])
{
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_OUTPUT, MEMREF_OUTPUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA,
					   "compat.bin_empty", NULL, &len);
	if (res)
		return res;
	p[0].value.a = len;
	len = p[1].memref.size;
	res = TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA, "compat.bin",
					   p[1].memref.buffer, &len);
	p[1].memref.size = len;
	return res;
}

static TEE_Result system_call(uint32_t cmd, uint32_t types, TEE_Param q[4])
{
	const TEE_UUID uuid = PTA_SYSTEM_UUID;
	TEE_TASessionHandle s = TEE_HANDLE_NULL;
	uint32_t origin = 0;
	TEE_Result res = TEE_SUCCESS;

	res = TEE_OpenTASession(&uuid, TEE_TIMEOUT_INFINITE, 0, NULL, &s, &origin);
	if (res)
		return res;
	res = TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, cmd, types, q, &origin);
	TEE_CloseTASession(s);
	return res;
}

static TEE_Result sys_derive(uint32_t pt, TEE_Param p[4])
{
	TEE_Param q[4] = { };
	uint8_t key[TA_DERIVED_KEY_MAX_SIZE] = { };
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(MEMREF_INPUT, MEMREF_OUTPUT, NONE, NONE) ||
	    p[1].memref.size > sizeof(key))
		return TEE_ERROR_BAD_PARAMETERS;
	q[0].memref.buffer = p[0].memref.buffer;
	q[0].memref.size = p[0].memref.size;
	q[1].memref.buffer = key;
	q[1].memref.size = p[1].memref.size;
	res = system_call(PTA_SYSTEM_DERIVE_TA_UNIQUE_KEY,
			  PT(MEMREF_INPUT, MEMREF_OUTPUT, NONE, NONE), q);
	if (res)
		return res;
	TEE_MemMove(p[1].memref.buffer, key, q[1].memref.size);
	p[1].memref.size = q[1].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result sys_entropy(uint32_t pt, TEE_Param p[4])
{
	TEE_Param q[4] = { };

	if (pt != PT(MEMREF_INPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	q[0].memref.buffer = p[0].memref.buffer;
	q[0].memref.size = p[0].memref.size;
	return system_call(PTA_SYSTEM_ADD_RNG_ENTROPY,
			   PT(MEMREF_INPUT, NONE, NONE, NONE), q);
}

static TEE_Result sys_other(uint32_t pt, TEE_Param p[4])
{
	TEE_Param q[4] = { };

	if (pt != PT(VALUE_INPUT, VALUE_OUTPUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	p[1].value.a = system_call(p[0].value.a,
				   PT(VALUE_INPUT, VALUE_OUTPUT, NONE, NONE), q);
	return TEE_SUCCESS;
}

/* The compat test plugin (tests/integration/plugins). */
#define COMPAT_PLUGIN_UUID { 0x7a1c3f90, 0x2b4d, 0x4e6a, \
		{ 0x9c, 0x8b, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b, 0x5c } }

static TEE_Result plugin(uint32_t pt, TEE_Param p[4])
{
	const TEE_UUID uuid = COMPAT_PLUGIN_UUID;
	size_t outlen = 0;
	void *buf = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_INPUT, MEMREF_INOUT, VALUE_OUTPUT, NONE) ||
	    !p[1].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	buf = TEE_Malloc(p[1].memref.size, TEE_MALLOC_FILL_ZERO);
	if (!buf)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(buf, p[1].memref.buffer, p[1].memref.size);
	res = tee_invoke_supp_plugin(&uuid, p[0].value.a, p[0].value.b, buf,
				     p[1].memref.size, &outlen);
	p[2].value.a = outlen;
	p[2].value.b = res;
	if (!res) {
		TEE_MemMove(p[1].memref.buffer, buf, outlen);
		p[1].memref.size = outlen;
	}
	TEE_Free(buf);
	return TEE_SUCCESS;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt, TEE_Param params[4],
				    void **sess_ctx)
{
	(void)pt;
	(void)params;
	(void)sess_ctx;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd,
				      uint32_t pt, TEE_Param p[4])
{
	(void)sess_ctx;

	switch (cmd) {
	case COMPAT_CMD_OBJ_ALLOC:
		return obj_alloc(pt, p);
	case COMPAT_CMD_OBJ_INFO:
		return obj_info(pt, p);
	case COMPAT_CMD_OBJ_FREE:
		TEE_FreeTransientObject(FROM_VALUE(TEE_ObjectHandle, p[0].value.a));
		return TEE_SUCCESS;
	case COMPAT_CMD_OP_ALLOC:
		return op_alloc(pt, p);
	case COMPAT_CMD_OP_DIGEST:
		return op_digest(pt, p);
	case COMPAT_CMD_OP_FREE:
		TEE_FreeOperation(FROM_VALUE(TEE_OperationHandle, p[0].value.a));
		return TEE_SUCCESS;
	case COMPAT_CMD_ENUM_ALLOC:
		return enum_alloc(pt, p);
	case COMPAT_CMD_ENUM_USE:
		return enum_use(pt, p);
	case COMPAT_CMD_SESS_OPEN:
		return sess_open(pt, p);
	case COMPAT_CMD_SESS_INC:
		return sess_inc(pt, p);
	case COMPAT_CMD_SESS_CLOSE:
		TEE_CloseTASession(FROM_VALUE(TEE_TASessionHandle, p[0].value.a));
		return TEE_SUCCESS;
	case COMPAT_CMD_HEADERS:
		return headers(pt, p);
	case COMPAT_CMD_POPULATE_OVERSIZED:
		return populate_oversized();
	case COMPAT_CMD_MALLOC_ZERO:
		return malloc_zero(pt, p);
	case COMPAT_CMD_ID_IN_SHM:
		return id_in_shm(pt, p);
	case COMPAT_CMD_ZERO_LEN_ID:
		return zero_len_id();
	case COMPAT_CMD_BINARY_PROPS:
		return binary_props(pt, p);
	case COMPAT_CMD_SYS_DERIVE:
		return sys_derive(pt, p);
	case COMPAT_CMD_SYS_ENTROPY:
		return sys_entropy(pt, p);
	case COMPAT_CMD_SYS_OTHER:
		return sys_other(pt, p);
	case COMPAT_CMD_PLUGIN:
		return plugin(pt, p);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
