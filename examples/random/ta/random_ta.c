/*
 * random TA: fills the client's buffer from TEE_GenerateRandom. Built in
 * GP 1.1 mode (__OPTEE_CORE_API_COMPAT_1_1), as OP-TEE's example is: the
 * parameters are the v1.1 TEE_Param with 32-bit memref sizes.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <random_ta.h>

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx)
{
	uint32_t exp_param_types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	(void)params;
	(void)sess_ctx;
	if (param_types != exp_param_types)
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

/* Generates into a private buffer first, so the client's shared memory
 * only ever sees the finished bytes. */
static TEE_Result generate(uint32_t param_types, TEE_Param params[4])
{
	uint32_t exp_param_types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
						   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	uint32_t size;
	void *buf;

	if (param_types != exp_param_types)
		return TEE_ERROR_BAD_PARAMETERS;
	size = params[0].memref.size;
	if (size == 0)
		return TEE_SUCCESS;
	buf = TEE_Malloc(size, TEE_MALLOC_FILL_ZERO);
	if (!buf)
		return TEE_ERROR_OUT_OF_MEMORY;
	IMSG("generating %u random bytes", size);
	TEE_GenerateRandom(buf, size);
	TEE_MemMove(params[0].memref.buffer, buf, size);
	TEE_Free(buf);
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[4])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case TA_RANDOM_CMD_GENERATE:
		return generate(param_types, params);
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
}
