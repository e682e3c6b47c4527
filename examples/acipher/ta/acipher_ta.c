/*
 * acipher TA: generates an RSA key pair per session and encrypts (or
 * decrypts) buffers with RSAES-PKCS1-v1_5. Written in the style of OP-TEE's
 * examples, in GP 1.1 mode.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <acipher_ta.h>

struct acipher {
	TEE_ObjectHandle key;
};

static TEE_Result cmd_gen_key(struct acipher *state, uint32_t pt, TEE_Param params[4])
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
					     TEE_PARAM_TYPE_NONE);
	const uint32_t key_type = TEE_TYPE_RSA_KEYPAIR;
	uint32_t key_size;
	TEE_ObjectHandle key;
	TEE_Result res;

	if (pt != exp)
		return TEE_ERROR_BAD_PARAMETERS;
	key_size = params[0].value.a;

	res = TEE_AllocateTransientObject(key_type, key_size, &key);
	if (res) {
		EMSG("TEE_AllocateTransientObject(%#x, %u): %#x", key_type, key_size, res);
		return res;
	}
	res = TEE_GenerateKey(key, key_size, NULL, 0);
	if (res) {
		EMSG("TEE_GenerateKey(%u): %#x", key_size, res);
		TEE_FreeTransientObject(key);
		return res;
	}
	TEE_FreeTransientObject(state->key);
	state->key = key;
	return TEE_SUCCESS;
}

static TEE_Result cmd_crypt(struct acipher *state, uint32_t pt, TEE_Param params[4], uint32_t mode)
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	const uint32_t alg = TEE_ALG_RSAES_PKCS1_V1_5;
	TEE_ObjectInfo key_info;
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != exp)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!state->key)
		return TEE_ERROR_BAD_STATE;

	res = TEE_GetObjectInfo1(state->key, &key_info);
	if (res) {
		EMSG("TEE_GetObjectInfo1: %#x", res);
		return res;
	}
	res = TEE_AllocateOperation(&op, alg, mode, key_info.keySize);
	if (res) {
		EMSG("TEE_AllocateOperation(%#x, %u): %#x", alg, key_info.keySize, res);
		return res;
	}
	res = TEE_SetOperationKey(op, state->key);
	if (res) {
		EMSG("TEE_SetOperationKey: %#x", res);
		goto out;
	}
	if (mode == TEE_MODE_ENCRYPT)
		res = TEE_AsymmetricEncrypt(op, NULL, 0, params[0].memref.buffer, params[0].memref.size,
					    params[1].memref.buffer, &params[1].memref.size);
	else
		res = TEE_AsymmetricDecrypt(op, NULL, 0, params[0].memref.buffer, params[0].memref.size,
					    params[1].memref.buffer, &params[1].memref.size);
	if (res && res != TEE_ERROR_SHORT_BUFFER)
		EMSG("TEE_Asymmetric%scrypt: %#x", mode == TEE_MODE_ENCRYPT ? "En" : "De", res);
out:
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

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **session)
{
	struct acipher *state;

	(void)params;
	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	state = TEE_Malloc(sizeof(*state), TEE_MALLOC_FILL_ZERO);
	if (!state)
		return TEE_ERROR_OUT_OF_MEMORY;
	state->key = TEE_HANDLE_NULL;
	*session = state;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session)
{
	struct acipher *state = session;

	TEE_FreeTransientObject(state->key);
	TEE_Free(state);
}

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd, uint32_t param_types, TEE_Param params[4])
{
	switch (cmd) {
	case TA_ACIPHER_CMD_GEN_KEY:
		return cmd_gen_key(session, param_types, params);
	case TA_ACIPHER_CMD_ENCRYPT:
		return cmd_crypt(session, param_types, params, TEE_MODE_ENCRYPT);
	case TA_ACIPHER_CMD_DECRYPT:
		return cmd_crypt(session, param_types, params, TEE_MODE_DECRYPT);
	default:
		EMSG("command not found: %u", cmd);
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
