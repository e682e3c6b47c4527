/* Generic operation commands: allocate/free, info, reset, keys, copy
 * (layouts: entry.c). p0.a is the operation (c->op) except for ALLOCATE and
 * IS_ALGORITHM_SUPPORTED. */
#include "crypt_priv.h"

/* p0 = (algorithm, mode), p1.a = max key size -> p2.a = operation id. */
CRYPT_HANDLER(crypt_cmd_allocate_operation)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Param *p = c->p;
	TEE_Result res;
	uint32_t id = 0;

	res = TEE_AllocateOperation(&op, p[0].value.a, p[0].value.b, p[1].value.a);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_put_operation(c->s, op, &id);
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
	crypt_drop_operation(c->s, c->p[0].value.a);
	TEE_FreeOperation(c->op);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_get_operation_info)
{
	TEE_OperationInfo info;

	TEE_GetOperationInfo(c->op, &info);
	return crypt_copy_out(&c->p[1], &info, sizeof(info));
}

CRYPT_HANDLER(crypt_cmd_get_operation_info_multiple)
{
	TEE_Result res;
	void *tmp;
	size_t size;

	/* Through a private buffer: GP's output alignment rules are the API's
	 * business, not shared memory's. */
	size = c->p[1].memref.size;
	if (size > 4096)
		size = 4096;
	tmp = TEE_Malloc(size ? size : 1, TEE_MALLOC_FILL_ZERO);
	if (tmp == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_GetOperationInfoMultiple(c->op, tmp, &size);
	if (res == TEE_SUCCESS)
		TEE_MemMove(c->p[1].memref.buffer, tmp, size);
	c->p[1].memref.size = size;
	TEE_Free(tmp);
	return res;
}

CRYPT_HANDLER(crypt_cmd_reset_operation)
{
	TEE_ResetOperation(c->op);
	return TEE_SUCCESS;
}

/* p0.b = the key object, 0 for TEE_HANDLE_NULL (clears the key). */
CRYPT_HANDLER(crypt_cmd_set_operation_key)
{
	TEE_ObjectHandle key;
	TEE_Result res;

	res = crypt_get_object(c->s, c->p[0].value.b, 1, &key);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_SetOperationKey(c->op, key);
}

/* p1 = the two key objects (0 for TEE_HANDLE_NULL). */
CRYPT_HANDLER(crypt_cmd_set_operation_key2)
{
	TEE_ObjectHandle k1, k2;
	TEE_Result res;

	res = crypt_get_object(c->s, c->p[1].value.a, 1, &k1);
	if (res == TEE_SUCCESS)
		res = crypt_get_object(c->s, c->p[1].value.b, 1, &k2);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_SetOperationKey2(c->op, k1, k2);
}

/* p0.b = the source operation. */
CRYPT_HANDLER(crypt_cmd_copy_operation)
{
	TEE_OperationHandle src;
	TEE_Result res;

	res = crypt_get_operation(c->s, c->p[0].value.b, &src);
	if (res != TEE_SUCCESS)
		return res;
	TEE_CopyOperation(c->op, src);
	return TEE_SUCCESS;
}

/* p0 = (algorithm, element). */
CRYPT_HANDLER(crypt_cmd_is_algorithm_supported)
{
	return TEE_IsAlgorithmSupported(c->p[0].value.a, c->p[0].value.b);
}
