/*
 * hotp TA: RFC 4226 HMAC-based one-time passwords. The client registers
 * the shared secret once per session; each GET_HOTP computes
 * HMAC-SHA1(K, C) with the GP MAC API, applies the dynamic truncation and
 * returns a 6-digit value, then advances the counter.
 *
 * Built against the GP 1.3.1 API (size_t sizes).
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <hotp_ta.h>

#define SHA1_SIZE 20
#define HOTP_DIGITS_MOD 1000000 /* 10^6: six digits */

struct hotp_session {
	uint8_t key[TA_HOTP_MAX_KEY_SIZE];
	size_t key_len;
	uint64_t counter;
};

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx)
{
	struct hotp_session *s;

	(void)params;
	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct hotp_session *s = sess_ctx;

	/* The secret does not outlive the session in freed heap memory. */
	TEE_MemFill(s, 0, sizeof(*s));
	TEE_Free(s);
}

static TEE_Result register_key(struct hotp_session *s, uint32_t param_types, TEE_Param params[4])
{
	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[0].memref.size < TA_HOTP_MIN_KEY_SIZE ||
	    params[0].memref.size > TA_HOTP_MAX_KEY_SIZE)
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_MemMove(s->key, params[0].memref.buffer, params[0].memref.size);
	s->key_len = params[0].memref.size;
	s->counter = 0;
	return TEE_SUCCESS;
}

/* mac = HMAC-SHA1(key, msg). */
static TEE_Result hmac_sha1(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t msg_len,
			    uint8_t mac[SHA1_SIZE])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectHandle key_obj = TEE_HANDLE_NULL;
	TEE_Attribute attr;
	size_t mac_len = SHA1_SIZE;
	TEE_Result res;

	res = TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA1, TEE_MODE_MAC, key_len * 8);
	if (res != TEE_SUCCESS)
		goto out;
	res = TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA1, key_len * 8, &key_obj);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, key, key_len);
	res = TEE_PopulateTransientObject(key_obj, &attr, 1);
	if (res != TEE_SUCCESS)
		goto out;
	res = TEE_SetOperationKey(op, key_obj);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_MACInit(op, NULL, 0);
	res = TEE_MACComputeFinal(op, msg, msg_len, mac, &mac_len);
	if (res == TEE_SUCCESS && mac_len != SHA1_SIZE)
		res = TEE_ERROR_GENERIC;
out:
	TEE_FreeTransientObject(key_obj);
	TEE_FreeOperation(op);
	return res;
}

/* RFC 4226 §5.3: 31 bits at the offset the last nibble names, mod 10^6. */
static uint32_t hotp_truncate(const uint8_t mac[SHA1_SIZE])
{
	size_t offset = mac[SHA1_SIZE - 1] & 0xf;
	uint32_t bin = ((uint32_t)(mac[offset] & 0x7f) << 24) | ((uint32_t)mac[offset + 1] << 16) |
		       ((uint32_t)mac[offset + 2] << 8) | (uint32_t)mac[offset + 3];

	return bin % HOTP_DIGITS_MOD;
}

static TEE_Result get_hotp(struct hotp_session *s, uint32_t param_types, TEE_Param params[4])
{
	uint8_t counter[8];
	uint8_t mac[SHA1_SIZE];
	TEE_Result res;
	size_t i;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (!s->key_len)
		return TEE_ERROR_BAD_STATE;
	for (i = 0; i < sizeof(counter); i++) /* big-endian moving factor */
		counter[i] = (uint8_t)(s->counter >> (8 * (sizeof(counter) - 1 - i)));
	res = hmac_sha1(s->key, s->key_len, counter, sizeof(counter), mac);
	if (res != TEE_SUCCESS)
		return res;
	params[0].value.a = hotp_truncate(mac);
	params[0].value.b = 0;
	s->counter++;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[4])
{
	switch (cmd_id) {
	case TA_HOTP_CMD_REGISTER_SHARED_KEY:
		return register_key(sess_ctx, param_types, params);
	case TA_HOTP_CMD_GET_HOTP:
		return get_hotp(sess_ctx, param_types, params);
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
}
