/*
 * The TA side the ecdsa and sign_verify examples share: a key pair per
 * session, made by SIGN_CMD_GEN_KEY; SIGN_CMD_SIGN signs a digest and
 * SIGN_CMD_VERIFY checks one. The including TA source defines
 * SIGN_KEY_TYPE, SIGN_KEY_BITS, SIGN_ALG, SIGN_CURVE (0: none) and the
 * SIGN_CMD_* numbers.
 */
#ifndef SIGN_TA_BODY_H
#define SIGN_TA_BODY_H

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

struct session {
	TEE_ObjectHandle key;
};

static TEE_Result gen_key(struct session *s)
{
	TEE_Attribute curve = { };
	TEE_Result res = TEE_SUCCESS;

	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE, SIGN_CURVE, 0);
	TEE_FreeTransientObject(s->key);
	s->key = TEE_HANDLE_NULL;
	res = TEE_AllocateTransientObject(SIGN_KEY_TYPE, SIGN_KEY_BITS,
					  &s->key);
	if (res)
		return res;
	return TEE_GenerateKey(s->key, SIGN_KEY_BITS, SIGN_CURVE ? &curve : NULL,
			       SIGN_CURVE ? 1 : 0);
}

static TEE_Result run(struct session *s, uint32_t mode, TEE_Param p[4])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (s->key == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_STATE;
	res = TEE_AllocateOperation(&op, SIGN_ALG, mode, SIGN_KEY_BITS);
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
				cmd == SIGN_CMD_SIGN ?
				TEE_PARAM_TYPE_MEMREF_OUTPUT :
				TEE_PARAM_TYPE_MEMREF_INPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	switch (cmd) {
	case SIGN_CMD_GEN_KEY:
		return gen_key(sess_ctx);
	case SIGN_CMD_SIGN:
	case SIGN_CMD_VERIFY:
		if (pt != two_memrefs)
			return TEE_ERROR_BAD_PARAMETERS;
		return run(sess_ctx, cmd == SIGN_CMD_SIGN ?
			   TEE_MODE_SIGN : TEE_MODE_VERIFY, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}

#endif /* SIGN_TA_BODY_H */
