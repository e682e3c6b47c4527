/*
 * Digest, cipher, MAC and AE commands. Bulk data is read from and written to
 * the client's memrefs directly (zero copy): GP treats them as plain buffers,
 * and nothing here validates their content first.
 */
#include "crypt_priv.h"

/* p[0].value.a names an operation; the rest of the layout is checked by the
 * caller. */
static TEE_Result op_of(struct crypt_session *s, TEE_Param p[TEE_NUM_PARAMS], TEE_OperationHandle *op)
{
	return crypt_get_operation(s, p[0].value.a, op);
}

/* An optional input memref: NONE reads as (NULL, 0). */
static int opt_in(uint32_t type)
{
	return type == PT_NONE || type == PT_MIN;
}

static const void *in_buf(uint32_t type, const TEE_Param *p, size_t *len)
{
	if (type == PT_NONE) {
		*len = 0;
		return NULL;
	}
	*len = p->memref.size;
	return p->memref.buffer;
}

/* ---- digest ---- */

CRYPT_HANDLER(crypt_cmd_digest_update)
{
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != PTYPES(VIN, MIN, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	TEE_DigestUpdate(op, p[1].memref.buffer, p[1].memref.size);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_digest_do_final)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MOUT ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	return TEE_DigestDoFinal(op, in, in_len, p[2].memref.buffer, &p[2].memref.size);
}

CRYPT_HANDLER(crypt_cmd_digest_extract)
{
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, MOUT, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_DigestExtract(op, p[2].memref.buffer, &p[2].memref.size);
}

/* ---- cipher ---- */

CRYPT_HANDLER(crypt_cmd_cipher_init)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *iv;
	size_t iv_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_NONE ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	iv = in_buf(PTYPE(pt, 1), &p[1], &iv_len);
	TEE_CipherInit(op, iv, iv_len);
	return TEE_SUCCESS;
}

static TEE_Result cipher_step(struct crypt_session *s, uint32_t pt, TEE_Param p[TEE_NUM_PARAMS], int final)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MOUT ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	if (final)
		return TEE_CipherDoFinal(op, in, in_len, p[2].memref.buffer, &p[2].memref.size);
	return TEE_CipherUpdate(op, in, in_len, p[2].memref.buffer, &p[2].memref.size);
}

CRYPT_HANDLER(crypt_cmd_cipher_update)
{
	return cipher_step(s, pt, p, 0);
}

CRYPT_HANDLER(crypt_cmd_cipher_do_final)
{
	return cipher_step(s, pt, p, 1);
}

/* ---- MAC ---- */

CRYPT_HANDLER(crypt_cmd_mac_init)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *iv;
	size_t iv_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_NONE ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	iv = in_buf(PTYPE(pt, 1), &p[1], &iv_len);
	TEE_MACInit(op, iv, iv_len);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_mac_update)
{
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != PTYPES(VIN, MIN, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	TEE_MACUpdate(op, p[1].memref.buffer, p[1].memref.size);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_mac_compute_final)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MOUT ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	return TEE_MACComputeFinal(op, in, in_len, p[2].memref.buffer, &p[2].memref.size);
}

CRYPT_HANDLER(crypt_cmd_mac_compare_final)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MIN ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	return TEE_MACCompareFinal(op, in, in_len, p[2].memref.buffer, p[2].memref.size);
}

/* ---- AE ---- */

CRYPT_HANDLER(crypt_cmd_ae_init)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *nonce;
	size_t nonce_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_VIN ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	nonce = in_buf(PTYPE(pt, 1), &p[1], &nonce_len);
	return TEE_AEInit(op, nonce, nonce_len, p[0].value.b, p[2].value.a, p[2].value.b);
}

CRYPT_HANDLER(crypt_cmd_ae_update_aad)
{
	TEE_OperationHandle op;
	TEE_Result res;

	if (pt != PTYPES(VIN, MIN, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	TEE_AEUpdateAAD(op, p[1].memref.buffer, p[1].memref.size);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_ae_update)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MOUT ||
	    PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	return TEE_AEUpdate(op, in, in_len, p[2].memref.buffer, &p[2].memref.size);
}

CRYPT_HANDLER(crypt_cmd_ae_encrypt_final)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MOUT ||
	    PTYPE(pt, 3) != PT_MOUT)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	return TEE_AEEncryptFinal(op, in, in_len, p[2].memref.buffer, &p[2].memref.size, p[3].memref.buffer,
				  &p[3].memref.size);
}

CRYPT_HANDLER(crypt_cmd_ae_decrypt_final)
{
	TEE_OperationHandle op;
	TEE_Result res;
	const void *in;
	size_t in_len;

	if (PTYPE(pt, 0) != PT_VIN || !opt_in(PTYPE(pt, 1)) || PTYPE(pt, 2) != PT_MOUT ||
	    PTYPE(pt, 3) != PT_MIN)
		return TEE_ERROR_BAD_PARAMETERS;
	res = op_of(s, p, &op);
	if (res != TEE_SUCCESS)
		return res;
	in = in_buf(PTYPE(pt, 1), &p[1], &in_len);
	return TEE_AEDecryptFinal(op, in, in_len, p[2].memref.buffer, &p[2].memref.size, p[3].memref.buffer,
				  p[3].memref.size);
}
