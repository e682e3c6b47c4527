/*
 * Digest, cipher, MAC and AE commands (layouts: entry.c). p0.a is the
 * operation (c->op), p1 the optional input (c->in, NULL/0 when NONE). Bulk
 * data is read from and written to the client's memrefs directly (zero
 * copy): GP treats them as plain buffers, and nothing here validates their
 * content first.
 */
#include "crypt_priv.h"

typedef TEE_Result (*transform_fn)(TEE_OperationHandle op, const void *in, size_t len, void *out,
				   size_t *out_len);

/* in -> p2 (an output memref). */
static TEE_Result transform(struct crypt_call *c, transform_fn fn)
{
	return fn(c->op, c->in, c->in_len, c->p[2].memref.buffer, &c->p[2].memref.size);
}

/* ---- digest ---- */

CRYPT_HANDLER(crypt_cmd_digest_update)
{
	TEE_DigestUpdate(c->op, c->in, c->in_len);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_digest_do_final)
{
	return transform(c, TEE_DigestDoFinal);
}

CRYPT_HANDLER(crypt_cmd_digest_extract)
{
	return TEE_DigestExtract(c->op, c->p[2].memref.buffer, &c->p[2].memref.size);
}

/* ---- cipher ---- */

CRYPT_HANDLER(crypt_cmd_cipher_init)
{
	TEE_CipherInit(c->op, c->in, c->in_len);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_cipher_update)
{
	return transform(c, TEE_CipherUpdate);
}

CRYPT_HANDLER(crypt_cmd_cipher_do_final)
{
	return transform(c, TEE_CipherDoFinal);
}

/* ---- MAC ---- */

CRYPT_HANDLER(crypt_cmd_mac_init)
{
	TEE_MACInit(c->op, c->in, c->in_len);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_mac_update)
{
	TEE_MACUpdate(c->op, c->in, c->in_len);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_mac_compute_final)
{
	return transform(c, TEE_MACComputeFinal);
}

/* p2 = the expected MAC. */
CRYPT_HANDLER(crypt_cmd_mac_compare_final)
{
	return TEE_MACCompareFinal(c->op, c->in, c->in_len, c->p[2].memref.buffer, c->p[2].memref.size);
}

/* ---- AE ---- */

/* p1 = nonce, p0.b = tag length in bits, p2 = (AAD length, payload length). */
CRYPT_HANDLER(crypt_cmd_ae_init)
{
	const TEE_Param *p = c->p;

	return TEE_AEInit(c->op, c->in, c->in_len, p[0].value.b, p[2].value.a, p[2].value.b);
}

CRYPT_HANDLER(crypt_cmd_ae_update_aad)
{
	TEE_AEUpdateAAD(c->op, c->in, c->in_len);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_ae_update)
{
	return transform(c, TEE_AEUpdate);
}

/* p2 = output, p3 = tag (out for encrypt, in for decrypt). */
CRYPT_HANDLER(crypt_cmd_ae_encrypt_final)
{
	TEE_Param *p = c->p;

	return TEE_AEEncryptFinal(c->op, c->in, c->in_len, p[2].memref.buffer, &p[2].memref.size,
				  p[3].memref.buffer, &p[3].memref.size);
}

CRYPT_HANDLER(crypt_cmd_ae_decrypt_final)
{
	TEE_Param *p = c->p;

	return TEE_AEDecryptFinal(c->op, c->in, c->in_len, p[2].memref.buffer, &p[2].memref.size,
				  p[3].memref.buffer, p[3].memref.size);
}
