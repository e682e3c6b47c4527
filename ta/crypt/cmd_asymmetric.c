/* Asymmetric cipher/signature commands, key derivation and random (layouts:
 * entry.c). The optional attribute list (p1) is snapshotted before use. */
#include "crypt_priv.h"

enum asym_kind { ASYM_ENCRYPT, ASYM_DECRYPT, ASYM_SIGN, ASYM_VERIFY };

/* p2 = input, p3 = output (for VERIFY: the signature, an input). */
static TEE_Result asym(struct crypt_call *c, enum asym_kind k)
{
	TEE_Param *p = c->p;
	struct crypt_attrs attrs;
	TEE_Result res;

	res = crypt_attrs_snapshot(c->in, c->in_len, &attrs);
	if (res != TEE_SUCCESS)
		return res;
	switch (k) {
	case ASYM_ENCRYPT:
		res = TEE_AsymmetricEncrypt(c->op, attrs.attrs, attrs.count, p[2].memref.buffer,
					    p[2].memref.size, p[3].memref.buffer, &p[3].memref.size);
		break;
	case ASYM_DECRYPT:
		res = TEE_AsymmetricDecrypt(c->op, attrs.attrs, attrs.count, p[2].memref.buffer,
					    p[2].memref.size, p[3].memref.buffer, &p[3].memref.size);
		break;
	case ASYM_SIGN:
		res = TEE_AsymmetricSignDigest(c->op, attrs.attrs, attrs.count, p[2].memref.buffer,
					       p[2].memref.size, p[3].memref.buffer, &p[3].memref.size);
		break;
	case ASYM_VERIFY:
		res = TEE_AsymmetricVerifyDigest(c->op, attrs.attrs, attrs.count, p[2].memref.buffer,
						 p[2].memref.size, p[3].memref.buffer, p[3].memref.size);
		break;
	}
	crypt_attrs_free(&attrs);
	return res;
}

CRYPT_HANDLER(crypt_cmd_asymmetric_encrypt)
{
	return asym(c, ASYM_ENCRYPT);
}

CRYPT_HANDLER(crypt_cmd_asymmetric_decrypt)
{
	return asym(c, ASYM_DECRYPT);
}

CRYPT_HANDLER(crypt_cmd_asymmetric_sign_digest)
{
	return asym(c, ASYM_SIGN);
}

CRYPT_HANDLER(crypt_cmd_asymmetric_verify_digest)
{
	return asym(c, ASYM_VERIFY);
}

/* p0.b = the object receiving the derived secret. */
CRYPT_HANDLER(crypt_cmd_derive_key)
{
	TEE_ObjectHandle derived;
	struct crypt_attrs attrs;
	TEE_Result res;

	res = crypt_get_object(c->s, c->p[0].value.b, 0, &derived);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_attrs_snapshot(c->in, c->in_len, &attrs);
	if (res != TEE_SUCCESS)
		return res;
	TEE_DeriveKey(c->op, attrs.attrs, attrs.count, derived);
	crypt_attrs_free(&attrs);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_random_number_generate)
{
	TEE_GenerateRandom(c->p[0].memref.buffer, c->p[0].memref.size);
	return TEE_SUCCESS;
}
