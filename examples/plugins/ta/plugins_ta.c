/* plugins TA: hands the client's text to the reverse plugin. */
#include <plugins_ta.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

static TEE_Result reverse(uint32_t pt, TEE_Param p[4])
{
	const TEE_UUID plugin = REVERSE_PLUGIN_UUID;
	size_t outlen = 0;
	void *buf = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INOUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				  TEE_PARAM_TYPE_NONE) || !p[0].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	/* A private copy: the plugin's data travels through the TEE. */
	buf = TEE_Malloc(p[0].memref.size, TEE_MALLOC_FILL_ZERO);
	if (!buf)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(buf, p[0].memref.buffer, p[0].memref.size);
	res = tee_invoke_supp_plugin(&plugin, REVERSE_PLUGIN_CMD_REVERSE, 0,
				     buf, p[0].memref.size, &outlen);
	if (!res) {
		IMSG("plugin answered %zu bytes", outlen);
		TEE_MemMove(p[0].memref.buffer, buf, outlen);
		p[0].memref.size = outlen;
	}
	TEE_Free(buf);
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
	if (cmd == TA_PLUGINS_CMD_REVERSE)
		return reverse(pt, params);
	return TEE_ERROR_NOT_SUPPORTED;
}
