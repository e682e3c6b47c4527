/*
 * The storage test TA (include/storage_ta.h). Thin: each command checks its
 * parameter types and handle ids, calls one GP function and returns its
 * result, so the tests see GP behaviour unfiltered.
 */
#include <stdio.h>
#include <string.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <user_ta_header_defines.h>

#define PT(a, b, c, d) TEE_PARAM_TYPES(TEE_PARAM_TYPE_##a, TEE_PARAM_TYPE_##b, TEE_PARAM_TYPE_##c, TEE_PARAM_TYPE_##d)

/* One table per instance (an instance per session). */

/* A copy of a client memref in TA memory: as on OP-TEE, an object id that
 * lies in client shared memory makes the storage functions panic, so the
 * TA copies it first (as optee_test's storage TA does). */
static void *private_copy(const TEE_Param *m)
{
	void *b = TEE_Malloc(m->memref.size, TEE_MALLOC_FILL_ZERO);

	if (b && m->memref.size)
		TEE_MemMove(b, m->memref.buffer, m->memref.size);
	return b;
}

static TEE_ObjectHandle g_objs[STORAGE_TA_MAX_HANDLES + 1];
static TEE_ObjectEnumHandle g_enums[STORAGE_TA_MAX_HANDLES + 1];

static uint32_t put_obj(TEE_ObjectHandle h)
{
	for (uint32_t i = 1; i <= STORAGE_TA_MAX_HANDLES; i++) {
		if (g_objs[i] == TEE_HANDLE_NULL) {
			g_objs[i] = h;
			return i;
		}
	}
	return 0;
}

static TEE_ObjectHandle get_obj(uint32_t id)
{
	return id >= 1 && id <= STORAGE_TA_MAX_HANDLES ? g_objs[id] : TEE_HANDLE_NULL;
}

static void info_out(const TEE_ObjectInfo *i, struct storage_ta_info *o)
{
	o->object_type = i->objectType;
	o->object_size = i->objectSize;
	o->max_object_size = i->maxObjectSize;
	o->object_usage = i->objectUsage;
	o->data_size = (uint32_t)i->dataSize;
	o->data_position = (uint32_t)i->dataPosition;
	o->handle_flags = i->handleFlags;
}

static TEE_Result cmd_open(uint32_t pt, TEE_Param p[4])
{
	void *id = NULL;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res;

	if (pt != PT(MEMREF_INPUT, VALUE_INPUT, NONE, VALUE_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	id = private_copy(&p[0]);
	if (!id)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_OpenPersistentObject(p[1].value.b, id, p[0].memref.size, p[1].value.a, &h);
	TEE_Free(id);
	if (res != TEE_SUCCESS)
		return res;
	p[3].value.a = put_obj(h);
	if (p[3].value.a == 0) {
		TEE_CloseObject(h);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_create(uint32_t pt, TEE_Param p[4])
{
	void *id = NULL;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_ObjectHandle attrs;
	const void *data = NULL;
	size_t len = 0;
	TEE_Result res;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INPUT ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_INPUT ||
	    TEE_PARAM_TYPE_GET(pt, 3) != TEE_PARAM_TYPE_VALUE_INOUT)
		return TEE_ERROR_BAD_PARAMETERS;
	if (TEE_PARAM_TYPE_GET(pt, 2) == TEE_PARAM_TYPE_MEMREF_INPUT) {
		data = p[2].memref.buffer;
		len = p[2].memref.size;
	} else if (TEE_PARAM_TYPE_GET(pt, 2) != TEE_PARAM_TYPE_NONE) {
		return TEE_ERROR_BAD_PARAMETERS;
	}
	attrs = p[3].value.a ? get_obj(p[3].value.a) : TEE_HANDLE_NULL;
	if (p[3].value.a && attrs == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	id = private_copy(&p[0]);
	if (!id)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_CreatePersistentObject(p[1].value.b, id, p[0].memref.size, p[1].value.a, attrs,
					 data, len, p[3].value.b ? NULL : &h);
	TEE_Free(id);
	p[3].value.a = 0;
	if (res != TEE_SUCCESS || p[3].value.b)
		return res;
	p[3].value.a = put_obj(h);
	if (p[3].value.a == 0) {
		TEE_CloseObject(h);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	return TEE_SUCCESS;
}

/* The object of p0.a, or NULL (then the command answers BAD_PARAMETERS). */
/* The object handle whose id is p[0].value.a when the parameter types are
 * exactly `want`; TEE_HANDLE_NULL otherwise (p[0] is read only then). */
static TEE_ObjectHandle obj_arg(uint32_t pt, uint32_t want, TEE_Param p[4])
{
	return pt == want ? get_obj(p[0].value.a) : TEE_HANDLE_NULL;
}

static TEE_Result cmd_close(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	/* Params 1..3 are not looked at (closing takes whatever comes). */
	if (TEE_PARAM_TYPE_GET(pt, 0) == TEE_PARAM_TYPE_VALUE_INPUT)
		h = get_obj(p[0].value.a);
	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_CloseObject(h);
	g_objs[p[0].value.a] = TEE_HANDLE_NULL;
	return TEE_SUCCESS;
}

/* After CORRUPT_OBJECT GP closes the handle: forget it here too. */
static TEE_Result forget_if_corrupt(TEE_Param p[4], TEE_Result res)
{
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		g_objs[p[0].value.a] = TEE_HANDLE_NULL;
	return res;
}

static TEE_Result cmd_read(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_OUTPUT, NONE, NONE), p);
	size_t n = 0;
	TEE_Result res;

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_ReadObjectData(h, p[1].memref.buffer, p[1].memref.size, &n);
	p[1].memref.size = n;
	return forget_if_corrupt(p, res);
}

static TEE_Result cmd_write(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_INPUT, NONE, NONE), p);

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	return forget_if_corrupt(p, TEE_WriteObjectData(h, p[1].memref.buffer, p[1].memref.size));
}

static TEE_Result cmd_write_repeat(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_INPUT, VALUE_INPUT, NONE), p);
	TEE_Result res = TEE_SUCCESS;

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	for (uint32_t i = 0; i < p[2].value.a && res == TEE_SUCCESS; i++) {
		res = TEE_SeekObjectData(h, 0, TEE_DATA_SEEK_SET);
		if (res == TEE_SUCCESS)
			res = TEE_WriteObjectData(h, p[1].memref.buffer, p[1].memref.size);
	}
	return forget_if_corrupt(p, res);
}

static TEE_Result cmd_read_repeat(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_OUTPUT, VALUE_INPUT, NONE), p);
	TEE_Result res = TEE_SUCCESS;
	size_t n = 0;

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	for (uint32_t i = 0; i < p[2].value.a && res == TEE_SUCCESS; i++) {
		res = TEE_SeekObjectData(h, 0, TEE_DATA_SEEK_SET);
		if (res == TEE_SUCCESS)
			res = TEE_ReadObjectData(h, p[1].memref.buffer, p[1].memref.size, &n);
	}
	p[1].memref.size = n;
	return forget_if_corrupt(p, res);
}

static TEE_Result cmd_seek(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, VALUE_INPUT, NONE, NONE), p);
	int64_t off;

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	off = (int64_t)(((uint64_t)p[1].value.b << 32) | p[1].value.a);
	return forget_if_corrupt(p, TEE_SeekObjectData(h, off, p[0].value.b));
}

static TEE_Result cmd_truncate(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	return forget_if_corrupt(p, TEE_TruncateObjectData(h, p[0].value.b));
}

static TEE_Result cmd_rename(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_INPUT, NONE, NONE), p);
	void *id = NULL;
	TEE_Result res;

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	id = private_copy(&p[1]);
	if (!id)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_RenamePersistentObject(h, id, p[1].memref.size);
	TEE_Free(id);
	return forget_if_corrupt(p, res);
}

static TEE_Result cmd_unlink(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	g_objs[p[0].value.a] = TEE_HANDLE_NULL; /* closed whatever the result */
	return TEE_CloseAndDeletePersistentObject1(h);
}

static TEE_Result cmd_info(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_OUTPUT, NONE, NONE), p);
	TEE_ObjectInfo info;
	TEE_Result res;

	if (h == TEE_HANDLE_NULL ||
	    p[1].memref.size < sizeof(struct storage_ta_info))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetObjectInfo1(h, &info);
	if (res != TEE_SUCCESS)
		return forget_if_corrupt(p, res);
	info_out(&info, p[1].memref.buffer);
	p[1].memref.size = sizeof(struct storage_ta_info);
	return TEE_SUCCESS;
}

/* obj_arg for enumerator handles. */
static TEE_ObjectEnumHandle enum_arg(uint32_t pt, uint32_t want, TEE_Param p[4])
{
	uint32_t id;

	if (pt != want)
		return TEE_HANDLE_NULL;
	id = p[0].value.a;
	return id >= 1 && id <= STORAGE_TA_MAX_HANDLES ? g_enums[id] : TEE_HANDLE_NULL;
}

static TEE_Result cmd_enum_alloc(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_Result res;

	if (pt != PT(VALUE_OUTPUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	for (uint32_t i = 1; i <= STORAGE_TA_MAX_HANDLES; i++) {
		if (g_enums[i] == TEE_HANDLE_NULL) {
			res = TEE_AllocatePersistentObjectEnumerator(&e);
			if (res != TEE_SUCCESS)
				return res;
			g_enums[i] = e;
			p[0].value.a = i;
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_OUT_OF_MEMORY;
}

static TEE_Result cmd_enum_free(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle e = enum_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (e == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_FreePersistentObjectEnumerator(e);
	g_enums[p[0].value.a] = TEE_HANDLE_NULL;
	return TEE_SUCCESS;
}

static TEE_Result cmd_enum_reset(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle e = enum_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (e == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_ResetPersistentObjectEnumerator(e);
	return TEE_SUCCESS;
}

static TEE_Result cmd_enum_start(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle e = enum_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (e == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_StartPersistentObjectEnumerator(e, p[0].value.b);
}

static TEE_Result cmd_enum_next(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectEnumHandle e = enum_arg(pt, PT(VALUE_INPUT, MEMREF_OUTPUT, MEMREF_OUTPUT, NONE), p);
	TEE_ObjectInfo info;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	size_t len = sizeof(id);
	TEE_Result res;

	if (e == TEE_HANDLE_NULL ||
	    p[1].memref.size < sizeof(struct storage_ta_info) || p[2].memref.size < TEE_OBJECT_ID_MAX_LEN)
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetNextPersistentObject(e, &info, id, &len);
	if (res != TEE_SUCCESS)
		return res;
	info_out(&info, p[1].memref.buffer);
	p[1].memref.size = sizeof(struct storage_ta_info);
	TEE_MemMove(p[2].memref.buffer, id, len);
	p[2].memref.size = len;
	return TEE_SUCCESS;
}

static TEE_Result cmd_restrict_usage(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	return forget_if_corrupt(p, TEE_RestrictObjectUsage1(h, p[0].value.b));
}

static TEE_Result cmd_get_attr(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, MEMREF_OUTPUT, NONE, NONE), p);
	size_t n;
	TEE_Result res;

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	n = p[1].memref.size;
	res = TEE_GetObjectBufferAttribute(h, p[0].value.b, p[1].memref.buffer, &n);
	p[1].memref.size = n;
	return res;
}

static TEE_Result cmd_make_key(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Attribute a;
	TEE_Result res;

	if (pt != PT(VALUE_INPUT, MEMREF_INPUT, NONE, VALUE_OUTPUT))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateTransientObject(p[0].value.a, p[0].value.b, &h);
	if (res != TEE_SUCCESS)
		return res;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, p[1].memref.buffer, p[1].memref.size);
	res = TEE_PopulateTransientObject(h, &a, 1);
	if (res == TEE_SUCCESS) {
		p[3].value.a = put_obj(h);
		if (p[3].value.a != 0)
			return TEE_SUCCESS;
		res = TEE_ERROR_OUT_OF_MEMORY;
	}
	TEE_FreeTransientObject(h);
	return res;
}

static TEE_Result cmd_free_transient(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = obj_arg(pt, PT(VALUE_INPUT, NONE, NONE, NONE), p);

	if (h == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_FreeTransientObject(h);
	g_objs[p[0].value.a] = TEE_HANDLE_NULL;
	return TEE_SUCCESS;
}

static TEE_Result cmd_hmac(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle key = obj_arg(pt, PT(VALUE_INPUT, MEMREF_INPUT, MEMREF_OUTPUT, NONE), p);
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	size_t n;
	TEE_Result res;

	if (key == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetObjectInfo1(key, &info);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_AllocateOperation(&op, p[0].value.b, TEE_MODE_MAC, info.objectSize);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_SetOperationKey(op, key);
	if (res == TEE_SUCCESS) {
		TEE_MACInit(op, NULL, 0);
		n = p[2].memref.size;
		res = TEE_MACComputeFinal(op, p[1].memref.buffer, p[1].memref.size, p[2].memref.buffer, &n);
		p[2].memref.size = n;
	}
	TEE_FreeOperation(op);
	return res;
}

/* Each worker uses its own ids: "w<worker>-<i%4>" and its renamed twin. */
static TEE_Result cmd_stress(uint32_t pt, TEE_Param p[4])
{
	static uint8_t buf[8192], back[8192];
	const uint32_t flags = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |
			       TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_OVERWRITE;
	uint32_t size;
	TEE_Result res = TEE_SUCCESS;

	if (pt != PT(VALUE_INPUT, VALUE_INPUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	size = p[1].value.a > sizeof(buf) ? sizeof(buf) : p[1].value.a;
	for (uint32_t i = 0; i < p[0].value.a && res == TEE_SUCCESS; i++) {
		char id[32], id2[32];
		TEE_ObjectHandle h = TEE_HANDLE_NULL;
		size_t n = 0;

		snprintf(id, sizeof(id), "w%u-%u", (unsigned)p[0].value.b, (unsigned)(i % 4));
		snprintf(id2, sizeof(id2), "w%u-%u-r", (unsigned)p[0].value.b, (unsigned)(i % 4));
		for (uint32_t k = 0; k < size; k++)
			buf[k] = (uint8_t)(k * 31 + i + p[0].value.b);
		res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, id, strlen(id), flags, TEE_HANDLE_NULL, buf, size,
						 &h);
		if (res != TEE_SUCCESS)
			break;
		res = TEE_ReadObjectData(h, back, sizeof(back), &n);
		if (res == TEE_SUCCESS && (n != size || TEE_MemCompare(buf, back, size) != 0))
			res = TEE_ERROR_CORRUPT_OBJECT;
		if (res == TEE_SUCCESS)
			res = TEE_RenamePersistentObject(h, id2, strlen(id2));
		if (res == TEE_SUCCESS) {
			res = TEE_CloseAndDeletePersistentObject1(h);
		} else {
			TEE_CloseObject(h);
		}
	}
	return res;
}

static TEE_Result cmd_delete_if_exists(uint32_t pt, TEE_Param p[4])
{
	void *id = NULL;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res;

	if (pt != PT(MEMREF_INPUT, VALUE_INPUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	id = private_copy(&p[0]);
	if (!id)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_OpenPersistentObject(p[1].value.a, id, p[0].memref.size,
				       TEE_DATA_FLAG_ACCESS_WRITE_META, &h);
	TEE_Free(id);
	if (res == TEE_ERROR_ITEM_NOT_FOUND)
		return TEE_SUCCESS;
	if (res != TEE_SUCCESS)
		return res;
	return TEE_CloseAndDeletePersistentObject1(h);
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt, TEE_Param p[4], void **sess)
{
	(void)pt;
	(void)p;
	*sess = NULL;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess)
{
	(void)sess;
	for (uint32_t i = 1; i <= STORAGE_TA_MAX_HANDLES; i++) {
		if (g_enums[i] != TEE_HANDLE_NULL)
			TEE_FreePersistentObjectEnumerator(g_enums[i]);
		g_enums[i] = TEE_HANDLE_NULL;
		if (g_objs[i] != TEE_HANDLE_NULL)
			TEE_CloseObject(g_objs[i]);
		g_objs[i] = TEE_HANDLE_NULL;
	}
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess, uint32_t cmd, uint32_t pt, TEE_Param p[4])
{
	(void)sess;
	switch (cmd) {
	case STORAGE_CMD_OPEN: return cmd_open(pt, p);
	case STORAGE_CMD_CREATE: return cmd_create(pt, p);
	case STORAGE_CMD_CLOSE: return cmd_close(pt, p);
	case STORAGE_CMD_READ: return cmd_read(pt, p);
	case STORAGE_CMD_WRITE: return cmd_write(pt, p);
	case STORAGE_CMD_SEEK: return cmd_seek(pt, p);
	case STORAGE_CMD_TRUNCATE: return cmd_truncate(pt, p);
	case STORAGE_CMD_RENAME: return cmd_rename(pt, p);
	case STORAGE_CMD_UNLINK: return cmd_unlink(pt, p);
	case STORAGE_CMD_INFO: return cmd_info(pt, p);
	case STORAGE_CMD_ENUM_ALLOC: return cmd_enum_alloc(pt, p);
	case STORAGE_CMD_ENUM_FREE: return cmd_enum_free(pt, p);
	case STORAGE_CMD_ENUM_RESET: return cmd_enum_reset(pt, p);
	case STORAGE_CMD_ENUM_START: return cmd_enum_start(pt, p);
	case STORAGE_CMD_ENUM_NEXT: return cmd_enum_next(pt, p);
	case STORAGE_CMD_RESTRICT_USAGE: return cmd_restrict_usage(pt, p);
	case STORAGE_CMD_GET_ATTR: return cmd_get_attr(pt, p);
	case STORAGE_CMD_MAKE_KEY: return cmd_make_key(pt, p);
	case STORAGE_CMD_HMAC: return cmd_hmac(pt, p);
	case STORAGE_CMD_STRESS: return cmd_stress(pt, p);
	case STORAGE_CMD_FREE_TRANSIENT: return cmd_free_transient(pt, p);
	case STORAGE_CMD_DELETE_IF_EXISTS: return cmd_delete_if_exists(pt, p);
	case STORAGE_CMD_WRITE_REPEAT: return cmd_write_repeat(pt, p);
	case STORAGE_CMD_READ_REPEAT: return cmd_read_repeat(pt, p);
	default: return TEE_ERROR_NOT_SUPPORTED;
	}
}
