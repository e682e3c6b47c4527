/*
 * secure_storage example TA: every command names an object by the id its
 * client passes; the TA copies id and data out of shared memory before use.
 */
#include <string.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <secure_storage_ta.h>

#define ID_MAX TEE_OBJECT_ID_MAX_LEN

/*
 * Checks the parameter types against `want` and copies the id memref (p0)
 * into `id`; BAD_PARAMETERS if either is wrong or the id does not fit.
 */
static TEE_Result take_id(uint32_t pt, uint32_t want, TEE_Param p[4], char id[ID_MAX], size_t *len)
{
	if (pt != want || p[0].memref.size == 0 || p[0].memref.size > ID_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_MemMove(id, p[0].memref.buffer, p[0].memref.size);
	*len = p[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result write_raw(uint32_t pt, TEE_Param p[4])
{
	const uint32_t want = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
					      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t flags = TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE |
			       TEE_DATA_FLAG_ACCESS_WRITE_META | TEE_DATA_FLAG_OVERWRITE;
	char id[ID_MAX];
	size_t id_len = 0;
	void *data;
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_Result res;

	res = take_id(pt, want, p, id, &id_len);
	if (res != TEE_SUCCESS)
		return res;
	data = TEE_Malloc(p[1].memref.size, 0);
	if (!data && p[1].memref.size)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(data, p[1].memref.buffer, p[1].memref.size);
	/* OVERWRITE: the old object, if any, is replaced in one atomic step. */
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, id, id_len, flags, TEE_HANDLE_NULL, data,
					 p[1].memref.size, &obj);
	TEE_Free(data);
	if (res != TEE_SUCCESS) {
		EMSG("create failed: 0x%08x", res);
		return res;
	}
	TEE_CloseObject(obj);
	return TEE_SUCCESS;
}

static TEE_Result read_raw(uint32_t pt, TEE_Param p[4])
{
	const uint32_t want = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
					      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	char id[ID_MAX];
	size_t id_len = 0, n = 0;
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	void *data = NULL;
	TEE_Result res;

	res = take_id(pt, want, p, id, &id_len);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, id, id_len,
				       TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &obj);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_GetObjectInfo1(obj, &info);
	if (res != TEE_SUCCESS)
		goto out;
	if (info.dataSize > p[1].memref.size) {
		p[1].memref.size = info.dataSize;
		res = TEE_ERROR_SHORT_BUFFER;
		goto out;
	}
	data = TEE_Malloc(info.dataSize ? info.dataSize : 1, 0);
	if (!data) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	res = TEE_ReadObjectData(obj, data, info.dataSize, &n);
	if (res == TEE_SUCCESS) {
		TEE_MemMove(p[1].memref.buffer, data, n);
		p[1].memref.size = n;
	}
	TEE_Free(data);
out:
	TEE_CloseObject(obj);
	return res;
}

static TEE_Result delete_object(uint32_t pt, TEE_Param p[4])
{
	const uint32_t want = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
					      TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	char id[ID_MAX];
	size_t id_len = 0;
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	TEE_Result res;

	res = take_id(pt, want, p, id, &id_len);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, id, id_len, TEE_DATA_FLAG_ACCESS_WRITE_META, &obj);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_CloseAndDeletePersistentObject1(obj);
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
	(void)sess;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess)
{
	(void)sess;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess, uint32_t cmd, uint32_t pt, TEE_Param p[4])
{
	(void)sess;
	switch (cmd) {
	case TA_SECURE_STORAGE_CMD_WRITE_RAW:
		return write_raw(pt, p);
	case TA_SECURE_STORAGE_CMD_READ_RAW:
		return read_raw(pt, p);
	case TA_SECURE_STORAGE_CMD_DELETE:
		return delete_object(pt, p);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
