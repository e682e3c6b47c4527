/* sha TA: one command, a digest of the client's message. */
#include <sha_ta.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

static TEE_Result digest(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
				  TEE_PARAM_TYPE_MEMREF_INPUT,
				  TEE_PARAM_TYPE_MEMREF_OUTPUT,
				  TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateOperation(&op, p[0].value.a, TEE_MODE_DIGEST, 0);
	if (res)
		return res;
	len = p[2].memref.size;
	res = TEE_DigestDoFinal(op, p[1].memref.buffer, p[1].memref.size,
				p[2].memref.buffer, &len);
	p[2].memref.size = len;
	TEE_FreeOperation(op);
	if (!res)
		DMSG("digest of %zu bytes: %zu bytes", p[1].memref.size, len);
	return res;
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
				      uint32_t pt, TEE_Param params[4])
{
	(void)sess_ctx;
	if (cmd == TA_SHA_CMD_DIGEST)
		return digest(pt, params);
	return TEE_ERROR_NOT_SUPPORTED;
}
