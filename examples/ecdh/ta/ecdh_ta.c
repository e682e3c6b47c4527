/* ecdh TA: TEE_ALG_ECDH_DERIVE_SHARED_SECRET on P-256. */
#include <ecdh_ta.h>
#include <string.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#define COORD 32

static TEE_Result derive(uint32_t pt, TEE_Param p[4])
{
	uint8_t *key = p[0].memref.buffer;
	uint8_t *peer = p[1].memref.buffer;
	TEE_ObjectHandle pair = TEE_HANDLE_NULL;
	TEE_ObjectHandle secret = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute attrs[4] = { };
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				  TEE_PARAM_TYPE_MEMREF_INPUT,
				  TEE_PARAM_TYPE_MEMREF_OUTPUT,
				  TEE_PARAM_TYPE_NONE) ||
	    p[0].memref.size != 3 * COORD || p[1].memref.size != 2 * COORD)
		return TEE_ERROR_BAD_PARAMETERS;

	res = TEE_AllocateTransientObject(TEE_TYPE_ECDH_KEYPAIR, 256, &pair);
	if (res)
		goto out;
	TEE_InitRefAttribute(&attrs[0], TEE_ATTR_ECC_PRIVATE_VALUE, key, COORD);
	TEE_InitRefAttribute(&attrs[1], TEE_ATTR_ECC_PUBLIC_VALUE_X,
			     key + COORD, COORD);
	TEE_InitRefAttribute(&attrs[2], TEE_ATTR_ECC_PUBLIC_VALUE_Y,
			     key + 2 * COORD, COORD);
	TEE_InitValueAttribute(&attrs[3], TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	res = TEE_PopulateTransientObject(pair, attrs, 4);
	if (res)
		goto out;
	res = TEE_AllocateOperation(&op, TEE_ALG_ECDH_DERIVE_SHARED_SECRET,
				    TEE_MODE_DERIVE, 256);
	if (res)
		goto out;
	res = TEE_SetOperationKey(op, pair);
	if (res)
		goto out;
	res = TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, 256,
					  &secret);
	if (res)
		goto out;
	TEE_InitRefAttribute(&attrs[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, peer,
			     COORD);
	TEE_InitRefAttribute(&attrs[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y,
			     peer + COORD, COORD);
	TEE_DeriveKey(op, attrs, 2, secret);
	len = p[2].memref.size;
	res = TEE_GetObjectBufferAttribute(secret, TEE_ATTR_SECRET_VALUE,
					   p[2].memref.buffer, &len);
	p[2].memref.size = len;
out:
	TEE_FreeTransientObject(secret);
	TEE_FreeOperation(op);
	TEE_FreeTransientObject(pair);
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
	if (cmd == TA_ECDH_CMD_DERIVE)
		return derive(pt, params);
	return TEE_ERROR_NOT_SUPPORTED;
}
