/*
 * aes TA: each session owns one AES operation. The client prepares it
 * (algorithm, key size, direction), sets a key and an IV, then streams
 * buffers through TEE_CipherUpdate. Written in the style of OP-TEE's
 * examples, in GP 1.1 mode.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <aes_ta.h>

struct aes_session {
	uint32_t algo;       /* TEE_ALG_AES_* */
	uint32_t mode;       /* TEE_MODE_ENCRYPT / DECRYPT */
	uint32_t key_size;   /* bytes */
	TEE_OperationHandle op;
	TEE_ObjectHandle key;
};

static TEE_Result to_gp_algo(uint32_t id, uint32_t *algo)
{
	switch (id) {
	case TA_AES_ALGO_ECB:
		*algo = TEE_ALG_AES_ECB_NOPAD;
		return TEE_SUCCESS;
	case TA_AES_ALGO_CBC:
		*algo = TEE_ALG_AES_CBC_NOPAD;
		return TEE_SUCCESS;
	case TA_AES_ALGO_CTR:
		*algo = TEE_ALG_AES_CTR;
		return TEE_SUCCESS;
	default:
		EMSG("invalid algorithm %u", id);
		return TEE_ERROR_BAD_PARAMETERS;
	}
}

static void release(struct aes_session *s)
{
	if (s->op != TEE_HANDLE_NULL)
		TEE_FreeOperation(s->op);
	if (s->key != TEE_HANDLE_NULL)
		TEE_FreeTransientObject(s->key);
	s->op = TEE_HANDLE_NULL;
	s->key = TEE_HANDLE_NULL;
}

static TEE_Result prepare(struct aes_session *s, uint32_t param_types, TEE_Param params[4])
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
					     TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE);
	TEE_Result res;

	if (param_types != exp)
		return TEE_ERROR_BAD_PARAMETERS;
	res = to_gp_algo(params[0].value.a, &s->algo);
	if (res != TEE_SUCCESS)
		return res;
	if (params[1].value.a != TA_AES_SIZE_128BIT && params[1].value.a != TA_AES_SIZE_256BIT)
		return TEE_ERROR_BAD_PARAMETERS;
	s->key_size = params[1].value.a;
	if (params[2].value.a == TA_AES_MODE_ENCODE)
		s->mode = TEE_MODE_ENCRYPT;
	else if (params[2].value.a == TA_AES_MODE_DECODE)
		s->mode = TEE_MODE_DECRYPT;
	else
		return TEE_ERROR_BAD_PARAMETERS;

	release(s);
	res = TEE_AllocateOperation(&s->op, s->algo, s->mode, s->key_size * 8);
	if (res != TEE_SUCCESS) {
		EMSG("TEE_AllocateOperation failed 0x%x", res);
		s->op = TEE_HANDLE_NULL;
		return res;
	}
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, s->key_size * 8, &s->key);
	if (res != TEE_SUCCESS) {
		EMSG("TEE_AllocateTransientObject failed 0x%x", res);
		s->key = TEE_HANDLE_NULL;
		release(s);
	}
	return res;
}

static TEE_Result set_key(struct aes_session *s, uint32_t param_types, TEE_Param params[4])
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	TEE_OperationInfo info;
	TEE_Attribute attr;
	TEE_Result res;

	if (param_types != exp || s->op == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[0].memref.size != s->key_size) {
		EMSG("wrong key size %u, expected %u", params[0].memref.size, s->key_size);
		return TEE_ERROR_BAD_PARAMETERS;
	}
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, params[0].memref.buffer, params[0].memref.size);
	TEE_ResetTransientObject(s->key);
	res = TEE_PopulateTransientObject(s->key, &attr, 1);
	if (res != TEE_SUCCESS) {
		EMSG("TEE_PopulateTransientObject failed 0x%x", res);
		return res;
	}
	/* A new key needs the operation back in its initial state; resetting
	 * an operation that never had a key is a GP panic. */
	TEE_GetOperationInfo(s->op, &info);
	if (info.handleState & TEE_HANDLE_FLAG_KEY_SET)
		TEE_ResetOperation(s->op);
	res = TEE_SetOperationKey(s->op, s->key);
	if (res != TEE_SUCCESS)
		EMSG("TEE_SetOperationKey failed 0x%x", res);
	return res;
}

static TEE_Result set_iv(struct aes_session *s, uint32_t param_types, TEE_Param params[4])
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	TEE_OperationInfo info;

	if (param_types != exp || s->op == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_GetOperationInfo(s->op, &info);
	if (!(info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		return TEE_ERROR_BAD_STATE;
	/* ECB takes no IV; CBC and CTR take one block. */
	if (s->algo == TEE_ALG_AES_ECB_NOPAD) {
		TEE_CipherInit(s->op, NULL, 0);
		return TEE_SUCCESS;
	}
	if (params[0].memref.size != 16)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_CipherInit(s->op, params[0].memref.buffer, params[0].memref.size);
	return TEE_SUCCESS;
}

static TEE_Result cipher(struct aes_session *s, uint32_t param_types, TEE_Param params[4])
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	TEE_OperationInfo info;

	if (param_types != exp || s->op == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[1].memref.size < params[0].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	/* Block modes need whole blocks; the operation must have been started. */
	if (s->algo != TEE_ALG_AES_CTR && params[0].memref.size % 16)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_GetOperationInfo(s->op, &info);
	if (!(info.handleState & TEE_HANDLE_FLAG_INITIALIZED))
		return TEE_ERROR_BAD_STATE;
	return TEE_CipherUpdate(s->op, params[0].memref.buffer, params[0].memref.size, params[1].memref.buffer,
				&params[1].memref.size);
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx)
{
	struct aes_session *s;

	(void)params;
	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->op = TEE_HANDLE_NULL;
	s->key = TEE_HANDLE_NULL;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct aes_session *s = sess_ctx;

	release(s);
	TEE_Free(s);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[4])
{
	struct aes_session *s = sess_ctx;

	switch (cmd_id) {
	case TA_AES_CMD_PREPARE:
		return prepare(s, param_types, params);
	case TA_AES_CMD_SET_KEY:
		return set_key(s, param_types, params);
	case TA_AES_CMD_SET_IV:
		return set_iv(s, param_types, params);
	case TA_AES_CMD_CIPHER:
		return cipher(s, param_types, params);
	default:
		EMSG("unknown command %u", cmd_id);
		return TEE_ERROR_BAD_PARAMETERS;
	}
}
