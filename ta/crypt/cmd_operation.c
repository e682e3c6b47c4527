/* Generic operation commands: allocate/free, info, reset, keys, copy. */
#include "crypt_priv.h"

CRYPT_HANDLER(crypt_cmd_allocate_operation)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Result res;
	uint32_t id = 0;

	if (pt != PTYPES(VIN, VIN, VOUT, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateOperation(&op, p[0].value.a, p[0].value.b, p[1].value.a);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_put_operation(s, op, &id);
	if (res != TEE_SUCCESS) {
		TEE_FreeOperation(op);
		return res;
	}
	p[2].value.a = id;
	p[2].value.b = 0;
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_free_operation)
{
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res != TEE_SUCCESS)
		return res;
	crypt_drop_operation(s, p[0].value.a);
	TEE_FreeOperation(op);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_get_operation_info)
{
	TEE_OperationHandle op;
	TEE_OperationInfo info;
	TEE_Result res;

	if (pt != PTYPES(VIN, MOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res != TEE_SUCCESS)
		return res;
	if (p[1].memref.size < sizeof(info)) {
		p[1].memref.size = sizeof(info);
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_GetOperationInfo(op, &info);
	TEE_MemMove(p[1].memref.buffer, &info, sizeof(info));
	p[1].memref.size = sizeof(info);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_get_operation_info_multiple)
{
	TEE_OperationHandle op;
	TEE_Result res;
	void *tmp;
	size_t size;

	if (pt != PTYPES(VIN, MOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res != TEE_SUCCESS)
		return res;
	/* Through a private buffer: GP's output alignment rules are the API's
	 * business, not shared memory's. */
	size = p[1].memref.size;
	if (size > 4096)
		size = 4096;
	tmp = TEE_Malloc(size ? size : 1, TEE_MALLOC_FILL_ZERO);
	if (tmp == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_GetOperationInfoMultiple(op, tmp, &size);
	if (res == TEE_SUCCESS)
		TEE_MemMove(p[1].memref.buffer, tmp, size);
	p[1].memref.size = size;
	TEE_Free(tmp);
	return res;
}

CRYPT_HANDLER(crypt_cmd_reset_operation)
{
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res != TEE_SUCCESS)
		return res;
	TEE_ResetOperation(op);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_set_operation_key)
{
	TEE_OperationHandle op;
	TEE_ObjectHandle key;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res == TEE_SUCCESS)
		res = crypt_get_object(s, p[0].value.b, 1, &key);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_SetOperationKey(op, key);
}

CRYPT_HANDLER(crypt_cmd_set_operation_key2)
{
	TEE_OperationHandle op;
	TEE_ObjectHandle k1, k2;
	TEE_Result res;

	if (pt != PTYPES(VIN, VIN, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res == TEE_SUCCESS)
		res = crypt_get_object(s, p[1].value.a, 1, &k1);
	if (res == TEE_SUCCESS)
		res = crypt_get_object(s, p[1].value.b, 1, &k2);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_SetOperationKey2(op, k1, k2);
}

CRYPT_HANDLER(crypt_cmd_copy_operation)
{
	TEE_OperationHandle dst, src;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &dst);
	if (res == TEE_SUCCESS)
		res = crypt_get_operation(s, p[0].value.b, &src);
	if (res != TEE_SUCCESS)
		return res;
	TEE_CopyOperation(dst, src);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_is_algorithm_supported)
{
	(void)s;
	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_IsAlgorithmSupported(p[0].value.a, p[0].value.b);
}
