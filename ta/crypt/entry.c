/*
 * The crypt TA's entry points and command table. Each session owns a
 * crypt_session (its handle tables); commands are looked up in a table keyed
 * by enum crypt_cmd that also states each one's param layout (checked by
 * crypt_dispatch), and unknown ids answer TEE_ERROR_NOT_SUPPORTED.
 */
#include "crypt_priv.h"

#include <user_ta_header_defines.h>

/* CMD(command, what p0.a names, param types, slots that may also be NONE,
 * handler). */
#define OPT_0 0
#define OPT_P1 CRYPT_OPT_P1
#define OPT_P2 CRYPT_OPT_P2
#define OPT_P3 CRYPT_OPT_P3
#define CMD(name, p0, layout, opt, fn) \
	{ CRYPT_CMD_##name, CRYPT_P0_##p0, PTYPES layout, OPT_##opt, crypt_cmd_##fn }

static const struct crypt_entry k_commands[] = {
	CMD(ALLOCATE_OPERATION, NONE, (VIN, VIN, VOUT, NONE), 0, allocate_operation),
	CMD(FREE_OPERATION, OPERATION, (VIN, NONE, NONE, NONE), 0, free_operation),
	CMD(GET_OPERATION_INFO, OPERATION, (VIN, MOUT, NONE, NONE), 0, get_operation_info),
	CMD(GET_OPERATION_INFO_MULTIPLE, OPERATION, (VIN, MOUT, NONE, NONE), 0, get_operation_info_multiple),
	CMD(RESET_OPERATION, OPERATION, (VIN, NONE, NONE, NONE), 0, reset_operation),
	CMD(SET_OPERATION_KEY, OPERATION, (VIN, NONE, NONE, NONE), 0, set_operation_key),
	CMD(SET_OPERATION_KEY2, OPERATION, (VIN, VIN, NONE, NONE), 0, set_operation_key2),
	CMD(COPY_OPERATION, OPERATION, (VIN, NONE, NONE, NONE), 0, copy_operation),
	CMD(IS_ALGORITHM_SUPPORTED, NONE, (VIN, NONE, NONE, NONE), 0, is_algorithm_supported),
	CMD(DIGEST_UPDATE, OPERATION, (VIN, MIN, NONE, NONE), 0, digest_update),
	CMD(DIGEST_DO_FINAL, OPERATION, (VIN, MIN, MOUT, NONE), P1, digest_do_final),
	CMD(DIGEST_EXTRACT, OPERATION, (VIN, NONE, MOUT, NONE), 0, digest_extract),
	CMD(CIPHER_INIT, OPERATION, (VIN, MIN, NONE, NONE), P1, cipher_init),
	CMD(CIPHER_UPDATE, OPERATION, (VIN, MIN, MOUT, NONE), P1, cipher_update),
	CMD(CIPHER_DO_FINAL, OPERATION, (VIN, MIN, MOUT, NONE), P1, cipher_do_final),
	CMD(MAC_INIT, OPERATION, (VIN, MIN, NONE, NONE), P1, mac_init),
	CMD(MAC_UPDATE, OPERATION, (VIN, MIN, NONE, NONE), 0, mac_update),
	CMD(MAC_COMPUTE_FINAL, OPERATION, (VIN, MIN, MOUT, NONE), P1, mac_compute_final),
	CMD(MAC_COMPARE_FINAL, OPERATION, (VIN, MIN, MIN, NONE), P1, mac_compare_final),
	CMD(AE_INIT, OPERATION, (VIN, MIN, VIN, NONE), P1, ae_init),
	CMD(AE_UPDATE_AAD, OPERATION, (VIN, MIN, NONE, NONE), 0, ae_update_aad),
	CMD(AE_UPDATE, OPERATION, (VIN, MIN, MOUT, NONE), P1, ae_update),
	CMD(AE_ENCRYPT_FINAL, OPERATION, (VIN, MIN, MOUT, MOUT), P1, ae_encrypt_final),
	CMD(AE_DECRYPT_FINAL, OPERATION, (VIN, MIN, MOUT, MIN), P1, ae_decrypt_final),
	CMD(ASYMMETRIC_ENCRYPT, OPERATION, (VIN, MIN, MIN, MOUT), P1, asymmetric_encrypt),
	CMD(ASYMMETRIC_DECRYPT, OPERATION, (VIN, MIN, MIN, MOUT), P1, asymmetric_decrypt),
	CMD(ASYMMETRIC_SIGN_DIGEST, OPERATION, (VIN, MIN, MIN, MOUT), P1, asymmetric_sign_digest),
	CMD(ASYMMETRIC_VERIFY_DIGEST, OPERATION, (VIN, MIN, MIN, MIN), P1, asymmetric_verify_digest),
	CMD(DERIVE_KEY, OPERATION, (VIN, MIN, NONE, NONE), P1, derive_key),
	CMD(RANDOM_NUMBER_GENERATE, NONE, (MOUT, NONE, NONE, NONE), 0, random_number_generate),
	CMD(ALLOCATE_TRANSIENT_OBJECT, NONE, (VIN, VOUT, NONE, NONE), 0, allocate_transient_object),
	CMD(FREE_TRANSIENT_OBJECT, OBJECT, (VIN, NONE, NONE, NONE), 0, free_transient_object),
	CMD(RESET_TRANSIENT_OBJECT, OBJECT, (VIN, NONE, NONE, NONE), 0, reset_transient_object),
	CMD(POPULATE_TRANSIENT_OBJECT, OBJECT, (VIN, MIN, NONE, NONE), 0, populate_transient_object),
	CMD(COPY_OBJECT_ATTRIBUTES1, OBJECT, (VIN, NONE, NONE, NONE), 0, copy_object_attributes1),
	CMD(GENERATE_KEY, OBJECT, (VIN, MIN, NONE, NONE), P1, generate_key),
	CMD(GET_OBJECT_BUFFER_ATTRIBUTE, OBJECT, (VIN, MOUT, NONE, NONE), 0, get_object_buffer_attribute),
	CMD(GET_OBJECT_VALUE_ATTRIBUTE, OBJECT, (VIN, VOUT, NONE, NONE), 0, get_object_value_attribute),
	CMD(GET_OBJECT_INFO1, OBJECT, (VIN, MOUT, NONE, NONE), 0, get_object_info1),
	CMD(RESTRICT_OBJECT_USAGE1, OBJECT, (VIN, NONE, NONE, NONE), 0, restrict_object_usage1),
	CMD(ONESHOT, NONE, (MIN, MOUT, MOUT, VOUT), P2, oneshot),
	CMD(BULK, OPERATION, (VIN, MIN, MOUT, MIO), P3, bulk),
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
	struct crypt_session *s;

	(void)params;
	if (param_types != PTYPES(NONE, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (s == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct crypt_session *s = sess_ctx;

	if (s == NULL)
		return;
	crypt_session_free_all(s);
	TEE_Free(s);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[4])
{
	for (size_t i = 0; i < sizeof(k_commands) / sizeof(k_commands[0]); i++) {
		if ((uint32_t)k_commands[i].cmd == cmd_id)
			return crypt_dispatch(&k_commands[i], sess_ctx, param_types, params);
	}
	return TEE_ERROR_NOT_SUPPORTED;
}
