/*
 * The crypt TA's entry points and command table. Each session owns a
 * crypt_session (its handle tables); commands are looked up in a table keyed
 * by enum crypt_cmd, and unknown ids answer TEE_ERROR_NOT_SUPPORTED.
 */
#include "crypt_priv.h"

#include <user_ta_header_defines.h>

struct crypt_entry {
	enum crypt_cmd cmd;
	crypt_handler fn;
};

static const struct crypt_entry k_commands[] = {
	{ CRYPT_CMD_ALLOCATE_OPERATION, crypt_cmd_allocate_operation },
	{ CRYPT_CMD_FREE_OPERATION, crypt_cmd_free_operation },
	{ CRYPT_CMD_GET_OPERATION_INFO, crypt_cmd_get_operation_info },
	{ CRYPT_CMD_GET_OPERATION_INFO_MULTIPLE, crypt_cmd_get_operation_info_multiple },
	{ CRYPT_CMD_RESET_OPERATION, crypt_cmd_reset_operation },
	{ CRYPT_CMD_SET_OPERATION_KEY, crypt_cmd_set_operation_key },
	{ CRYPT_CMD_SET_OPERATION_KEY2, crypt_cmd_set_operation_key2 },
	{ CRYPT_CMD_COPY_OPERATION, crypt_cmd_copy_operation },
	{ CRYPT_CMD_IS_ALGORITHM_SUPPORTED, crypt_cmd_is_algorithm_supported },
	{ CRYPT_CMD_DIGEST_UPDATE, crypt_cmd_digest_update },
	{ CRYPT_CMD_DIGEST_DO_FINAL, crypt_cmd_digest_do_final },
	{ CRYPT_CMD_DIGEST_EXTRACT, crypt_cmd_digest_extract },
	{ CRYPT_CMD_CIPHER_INIT, crypt_cmd_cipher_init },
	{ CRYPT_CMD_CIPHER_UPDATE, crypt_cmd_cipher_update },
	{ CRYPT_CMD_CIPHER_DO_FINAL, crypt_cmd_cipher_do_final },
	{ CRYPT_CMD_MAC_INIT, crypt_cmd_mac_init },
	{ CRYPT_CMD_MAC_UPDATE, crypt_cmd_mac_update },
	{ CRYPT_CMD_MAC_COMPUTE_FINAL, crypt_cmd_mac_compute_final },
	{ CRYPT_CMD_MAC_COMPARE_FINAL, crypt_cmd_mac_compare_final },
	{ CRYPT_CMD_AE_INIT, crypt_cmd_ae_init },
	{ CRYPT_CMD_AE_UPDATE_AAD, crypt_cmd_ae_update_aad },
	{ CRYPT_CMD_AE_UPDATE, crypt_cmd_ae_update },
	{ CRYPT_CMD_AE_ENCRYPT_FINAL, crypt_cmd_ae_encrypt_final },
	{ CRYPT_CMD_AE_DECRYPT_FINAL, crypt_cmd_ae_decrypt_final },
	{ CRYPT_CMD_ASYMMETRIC_ENCRYPT, crypt_cmd_asymmetric_encrypt },
	{ CRYPT_CMD_ASYMMETRIC_DECRYPT, crypt_cmd_asymmetric_decrypt },
	{ CRYPT_CMD_ASYMMETRIC_SIGN_DIGEST, crypt_cmd_asymmetric_sign_digest },
	{ CRYPT_CMD_ASYMMETRIC_VERIFY_DIGEST, crypt_cmd_asymmetric_verify_digest },
	{ CRYPT_CMD_DERIVE_KEY, crypt_cmd_derive_key },
	{ CRYPT_CMD_RANDOM_NUMBER_GENERATE, crypt_cmd_random_number_generate },
	{ CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT, crypt_cmd_allocate_transient_object },
	{ CRYPT_CMD_FREE_TRANSIENT_OBJECT, crypt_cmd_free_transient_object },
	{ CRYPT_CMD_RESET_TRANSIENT_OBJECT, crypt_cmd_reset_transient_object },
	{ CRYPT_CMD_POPULATE_TRANSIENT_OBJECT, crypt_cmd_populate_transient_object },
	{ CRYPT_CMD_COPY_OBJECT_ATTRIBUTES1, crypt_cmd_copy_object_attributes1 },
	{ CRYPT_CMD_GENERATE_KEY, crypt_cmd_generate_key },
	{ CRYPT_CMD_GET_OBJECT_BUFFER_ATTRIBUTE, crypt_cmd_get_object_buffer_attribute },
	{ CRYPT_CMD_GET_OBJECT_VALUE_ATTRIBUTE, crypt_cmd_get_object_value_attribute },
	{ CRYPT_CMD_GET_OBJECT_INFO1, crypt_cmd_get_object_info1 },
	{ CRYPT_CMD_RESTRICT_OBJECT_USAGE1, crypt_cmd_restrict_object_usage1 },
	{ CRYPT_CMD_ONESHOT, crypt_cmd_oneshot },
	{ CRYPT_CMD_BULK, crypt_cmd_bulk },
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
			return k_commands[i].fn(sess_ctx, param_types, params);
	}
	return TEE_ERROR_NOT_SUPPORTED;
}
