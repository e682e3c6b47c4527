/* ecdsa TA: a key pair per session; sign and verify digests. */
#include <ecdsa_ta.h>
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

struct session {
	TEE_ObjectHandle key;
};

static TEE_Result gen_key(struct session *s)
{
	TEE_Attribute curve = { };
	TEE_Result res = TEE_SUCCESS;

	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	TEE_FreeTransientObject(s->key);
	s->key = TEE_HANDLE_NULL;
	res = TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 256, &s->key);
	if (res)
		return res;
	return TEE_GenerateKey(s->key, 256, &curve, 1);
}

static TEE_Result run(struct session *s, uint32_t mode, TEE_Param p[4])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (s->key == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_STATE;
	res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256, mode, 256);
	if (res)
		return res;
	res = TEE_SetOperationKey(op, s->key);
	if (!res && mode == TEE_MODE_SIGN) {
		len = p[1].memref.size;
		res = TEE_AsymmetricSignDigest(op, NULL, 0, p[0].memref.buffer,
					       p[0].memref.size,
					       p[1].memref.buffer, &len);
		p[1].memref.size = len;
	} else if (!res) {
		res = TEE_AsymmetricVerifyDigest(op, NULL, 0,
						 p[0].memref.buffer,
						 p[0].memref.size,
						 p[1].memref.buffer,
						 p[1].memref.size);
	}
	TEE_FreeOperation(op);
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
	struct session *s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);

	(void)pt;
	(void)params;
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct session *s = sess_ctx;

	TEE_FreeTransientObject(s->key);
	TEE_Free(s);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	const uint32_t two_memrefs =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				cmd == TA_ECDSA_CMD_SIGN ?
				TEE_PARAM_TYPE_MEMREF_OUTPUT :
				TEE_PARAM_TYPE_MEMREF_INPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	switch (cmd) {
	case TA_ECDSA_CMD_GEN_KEY:
		return gen_key(sess_ctx);
	case TA_ECDSA_CMD_SIGN:
	case TA_ECDSA_CMD_VERIFY:
		if (pt != two_memrefs)
			return TEE_ERROR_BAD_PARAMETERS;
		return run(sess_ctx, cmd == TA_ECDSA_CMD_SIGN ?
			   TEE_MODE_SIGN : TEE_MODE_VERIFY, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
