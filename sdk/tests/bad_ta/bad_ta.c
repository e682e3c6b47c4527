/* Calls TEE_NoSuchFunction, which no TA runtime provides: the link fails. */
#include <tee_internal_api.h>

TEE_Result TEE_NoSuchFunction(uint32_t x);

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
	(void)pt;
	(void)params;
	return TEE_NoSuchFunction(cmd);
}
