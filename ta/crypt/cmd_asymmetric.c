/* Asymmetric cipher/signature commands, key derivation and random. The
 * optional attribute list (p1) is snapshotted before use. */
#include "crypt_priv.h"

enum asym_kind { ASYM_ENCRYPT, ASYM_DECRYPT, ASYM_SIGN, ASYM_VERIFY };

static TEE_Result asym(struct crypt_session *s, uint32_t pt, TEE_Param p[TEE_NUM_PARAMS], enum asym_kind k)
{
	const uint32_t out_type = k == ASYM_VERIFY ? PT_MIN : PT_MOUT;
	TEE_OperationHandle op;
	struct crypt_attrs attrs;
	TEE_Result res;

	if (PTYPE(pt, 0) != PT_VIN || PTYPE(pt, 2) != PT_MIN || PTYPE(pt, 3) != out_type)
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_attrs_from_param(PTYPE(pt, 1), &p[1], &attrs);
	if (res != TEE_SUCCESS)
		return res;
	switch (k) {
	case ASYM_ENCRYPT:
		res = TEE_AsymmetricEncrypt(op, attrs.attrs, attrs.count, p[2].memref.buffer, p[2].memref.size,
					    p[3].memref.buffer, &p[3].memref.size);
		break;
	case ASYM_DECRYPT:
		res = TEE_AsymmetricDecrypt(op, attrs.attrs, attrs.count, p[2].memref.buffer, p[2].memref.size,
					    p[3].memref.buffer, &p[3].memref.size);
		break;
	case ASYM_SIGN:
		res = TEE_AsymmetricSignDigest(op, attrs.attrs, attrs.count, p[2].memref.buffer,
					       p[2].memref.size, p[3].memref.buffer, &p[3].memref.size);
		break;
	case ASYM_VERIFY:
		res = TEE_AsymmetricVerifyDigest(op, attrs.attrs, attrs.count, p[2].memref.buffer,
						 p[2].memref.size, p[3].memref.buffer, p[3].memref.size);
		break;
	}
	crypt_attrs_free(&attrs);
	return res;
}

CRYPT_HANDLER(crypt_cmd_asymmetric_encrypt)
{
	return asym(s, pt, p, ASYM_ENCRYPT);
}

CRYPT_HANDLER(crypt_cmd_asymmetric_decrypt)
{
	return asym(s, pt, p, ASYM_DECRYPT);
}

CRYPT_HANDLER(crypt_cmd_asymmetric_sign_digest)
{
	return asym(s, pt, p, ASYM_SIGN);
}

CRYPT_HANDLER(crypt_cmd_asymmetric_verify_digest)
{
	return asym(s, pt, p, ASYM_VERIFY);
}

CRYPT_HANDLER(crypt_cmd_derive_key)
{
	TEE_OperationHandle op;
	TEE_ObjectHandle derived;
	struct crypt_attrs attrs;
	TEE_Result res;

	if (PTYPE(pt, 0) != PT_VIN || PTYPE(pt, 2) != PT_NONE || PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = crypt_get_operation(s, p[0].value.a, &op);
	if (res == TEE_SUCCESS)
		res = crypt_get_object(s, p[0].value.b, 0, &derived);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_attrs_from_param(PTYPE(pt, 1), &p[1], &attrs);
	if (res != TEE_SUCCESS)
		return res;
	TEE_DeriveKey(op, attrs.attrs, attrs.count, derived);
	crypt_attrs_free(&attrs);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_random_number_generate)
{
	(void)s;
	if (pt != PTYPES(MOUT, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_GenerateRandom(p[0].memref.buffer, p[0].memref.size);
	return TEE_SUCCESS;
}
