/*
 * Key derivation (ECDH1 with the null KDF) and AES key wrap (RFC 3394) of
 * secret keys. New keys are built completely (template rules, value) and
 * only then become objects.
 */
#include "pkcs11_priv.h"

/* Fills CKA_VALUE (and VALUE_LEN) of a new secret key from bytes. */
static uint32_t finish_secret(struct p11_client *c, struct p11_session *s,
			      const struct obj_attrs *tmpl, enum p11_origin origin,
			      uint32_t mech, const uint8_t *val, uint32_t len,
			      uint32_t *handle)
{
	struct obj_attrs a;
	uint32_t want = 0;
	uint32_t kt = 0;
	uint32_t rc = p11_template_create(tmpl, origin, PKCS11_CKO_SECRET_KEY,
					  PKCS11_UNDEFINED_ID, mech, &a);

	if (rc)
		return rc;
	kt = p11_obj_key_type(&a);
	if (!p11_attrs_get_u32(&a, PKCS11_CKA_VALUE_LEN, &want)) {
		if (!want || want > len)
			rc = PKCS11_CKR_TEMPLATE_INCONSISTENT;
		else
			len = want;
	}
	if (!rc && kt == PKCS11_CKK_AES && len != 16 && len != 24 && len != 32)
		rc = PKCS11_CKR_TEMPLATE_INCONSISTENT;
	if (!rc)
		rc = p11_attrs_set(&a, PKCS11_CKA_VALUE, val, len);
	if (!rc)
		rc = p11_attrs_set_u32(&a, PKCS11_CKA_VALUE_LEN, len);
	if (!rc)
		rc = p11_object_access(c, s, &a, true);
	if (!rc)
		rc = p11_object_add(c, s, &a, handle);
	p11_attrs_free(&a);
	return rc;
}

uint32_t p11_derive(struct p11_client *c, struct p11_session *s, uint32_t key_handle,
		    uint32_t mech, const uint8_t *params, uint32_t psize,
		    const struct obj_attrs *tmpl, uint32_t *handle)
{
	struct p11_reader r;
	struct p11_object *o = NULL;
	uint32_t kdf = 0;
	uint32_t shared_len = 0;
	uint32_t pub_len = 0;
	const uint8_t *shared = NULL;
	const uint8_t *pub = NULL;
	uint32_t curve = 0;
	uint32_t bits = 0;
	uint32_t cb = 0;
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_ObjectHandle out = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute pa[2];
	uint8_t secret[66];
	size_t secret_len = sizeof(secret);
	bool owned = false;
	uint32_t rc = 0;

	if (mech != PKCS11_CKM_ECDH1_DERIVE)
		return PKCS11_CKR_MECHANISM_INVALID;
	p11_reader_init(&r, params, psize);
	rc = p11_get_u32(&r, &kdf);
	if (!rc)
		rc = p11_get_u32(&r, &shared_len);
	if (!rc)
		rc = p11_get_bytes(&r, shared_len, &shared);
	if (!rc)
		rc = p11_get_u32(&r, &pub_len);
	if (!rc)
		rc = p11_get_bytes(&r, pub_len, &pub);
	if (!rc)
		rc = p11_reader_done(&r);
	if (rc || kdf != PKCS11_CKD_NULL || shared_len)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	o = p11_object_get(c, key_handle);
	if (!o)
		return PKCS11_CKR_KEY_HANDLE_INVALID;
	if (p11_obj_class(&o->attrs) != PKCS11_CKO_PRIVATE_KEY ||
	    p11_obj_key_type(&o->attrs) != PKCS11_CKK_EC)
		return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	if (!p11_attrs_bool_or(&o->attrs, PKCS11_CKA_DERIVE, false))
		return PKCS11_CKR_KEY_FUNCTION_NOT_PERMITTED;
	rc = p11_ec_curve_of(&o->attrs, &curve, &bits);
	if (rc)
		return rc;
	cb = (bits + 7) / 8;
	/* The peer point: raw uncompressed, or in a DER OCTET STRING. */
	if (pub_len == 2 + 1 + 2 * cb && pub[0] == 0x04 && pub[1] == 1 + 2 * cb) {
		pub += 2;
		pub_len -= 2;
	} else if (pub_len == 3 + 1 + 2 * cb && pub[0] == 0x04 && pub[1] == 0x81) {
		pub += 3;
		pub_len -= 3;
	}
	if (pub_len != 1 + 2 * cb || pub[0] != 0x04)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	rc = p11_key_load(o, mech, &key, &owned);
	if (rc)
		return rc;
	if (TEE_AllocateOperation(&op, curve == TEE_ECC_CURVE_NIST_P256 ? TEE_ALG_ECDH_P256 :
				  curve == TEE_ECC_CURVE_NIST_P384 ? TEE_ALG_ECDH_P384 :
								     TEE_ALG_ECDH_P521,
				  TEE_MODE_DERIVE, bits) ||
	    TEE_SetOperationKey(op, key) ||
	    TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, cb * 8, &out))
		rc = PKCS11_CKR_DEVICE_MEMORY;
	if (owned)
		TEE_FreeTransientObject(key);
	if (!rc) {
		TEE_InitRefAttribute(&pa[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, pub + 1, cb);
		TEE_InitRefAttribute(&pa[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, pub + 1 + cb, cb);
		TEE_DeriveKey(op, pa, 2, out);
		if (TEE_GetObjectBufferAttribute(out, TEE_ATTR_SECRET_VALUE, secret,
						 &secret_len))
			rc = PKCS11_CKR_FUNCTION_FAILED;
	}
	if (op)
		TEE_FreeOperation(op);
	if (out)
		TEE_FreeTransientObject(out);
	if (!rc)
		rc = finish_secret(c, s, tmpl, P11_ORIGIN_DERIVE, mech, secret,
				   secret_len, handle);
	TEE_MemFill(secret, 0, sizeof(secret));
	return rc;
}

static const uint8_t k_kw_iv[8] = { 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6 };

static uint32_t kw_op(struct p11_client *c, uint32_t key_handle, uint32_t usage,
		      uint32_t mode, TEE_OperationHandle *op)
{
	struct p11_object *o = p11_object_get(c, key_handle);
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	bool owned = false;
	uint32_t rc = 0;
	bool wrap = usage == PKCS11_CKA_WRAP;

	if (!o)
		return wrap ? PKCS11_CKR_WRAPPING_KEY_HANDLE_INVALID :
			      PKCS11_CKR_UNWRAPPING_KEY_HANDLE_INVALID;
	if (p11_obj_key_type(&o->attrs) != PKCS11_CKK_AES)
		return wrap ? PKCS11_CKR_WRAPPING_KEY_TYPE_INCONSISTENT :
			      PKCS11_CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT;
	if (!p11_attrs_bool_or(&o->attrs, usage, false))
		return PKCS11_CKR_KEY_FUNCTION_NOT_PERMITTED;
	rc = p11_key_load(o, PKCS11_CKM_AES_ECB, &key, &owned);
	if (rc)
		return rc;
	TEE_GetObjectInfo1(key, &info);
	if (TEE_AllocateOperation(op, TEE_ALG_AES_ECB_NOPAD, mode, info.maxObjectSize) ||
	    TEE_SetOperationKey(*op, key))
		rc = PKCS11_CKR_DEVICE_MEMORY;
	if (owned)
		TEE_FreeTransientObject(key);
	if (!rc)
		TEE_CipherInit(*op, NULL, 0);
	return rc;
}

static void aes_block(TEE_OperationHandle op, uint8_t b[16])
{
	uint8_t out[16];
	size_t n = sizeof(out);

	if (TEE_CipherUpdate(op, b, 16, out, &n) || n != 16)
		TEE_Panic(0);
	TEE_MemMove(b, out, 16);
}

uint32_t p11_wrap(struct p11_client *c, struct p11_session *s, uint32_t wrapping,
		  uint32_t key, uint32_t mech, const uint8_t *params, uint32_t psize,
		  void *out, size_t *out_len)
{
	struct p11_object *o = NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	const uint8_t *v = NULL;
	uint32_t n = 0;
	uint32_t blocks = 0;
	uint8_t *res = out;
	uint8_t b[16];
	uint32_t i = 0;
	uint32_t j = 0;
	uint32_t rc = 0;

	(void)s;
	(void)params;
	if (mech != PKCS11_CKM_AES_KEY_WRAP)
		return PKCS11_CKR_MECHANISM_INVALID;
	if (psize)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	o = p11_object_get(c, key);
	if (!o)
		return PKCS11_CKR_KEY_HANDLE_INVALID;
	if (p11_obj_class(&o->attrs) != PKCS11_CKO_SECRET_KEY)
		return PKCS11_CKR_KEY_NOT_WRAPPABLE;
	if (!p11_attrs_bool_or(&o->attrs, PKCS11_CKA_EXTRACTABLE, false))
		return PKCS11_CKR_KEY_UNEXTRACTABLE;
	if (!p11_attrs_get(&o->attrs, PKCS11_CKA_VALUE, &v, &n) || n < 16 || n % 8)
		return PKCS11_CKR_KEY_SIZE_RANGE;
	if (*out_len < n + 8) {
		*out_len = n + 8;
		return PKCS11_CKR_BUFFER_TOO_SMALL;
	}
	rc = kw_op(c, wrapping, PKCS11_CKA_WRAP, TEE_MODE_ENCRYPT, &op);
	if (rc)
		return rc;
	blocks = n / 8;
	TEE_MemMove(res, k_kw_iv, 8);
	TEE_MemMove(res + 8, v, n);
	for (j = 0; j < 6; j++) {
		for (i = 1; i <= blocks; i++) {
			uint32_t t = blocks * j + i;

			TEE_MemMove(b, res, 8);
			TEE_MemMove(b + 8, res + 8 * i, 8);
			aes_block(op, b);
			b[7] ^= t & 0xff;
			b[6] ^= (t >> 8) & 0xff;
			b[5] ^= (t >> 16) & 0xff;
			b[4] ^= (t >> 24) & 0xff;
			TEE_MemMove(res, b, 8);
			TEE_MemMove(res + 8 * i, b + 8, 8);
		}
	}
	TEE_MemFill(b, 0, sizeof(b));
	TEE_FreeOperation(op);
	*out_len = n + 8;
	return PKCS11_CKR_OK;
}

uint32_t p11_unwrap(struct p11_client *c, struct p11_session *s, uint32_t unwrapping,
		    uint32_t mech, const uint8_t *params, uint32_t psize,
		    const struct obj_attrs *tmpl, const void *in, size_t in_len,
		    uint32_t *handle)
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	uint8_t *r = NULL;
	uint8_t a[8];
	uint8_t b[16];
	uint32_t blocks = 0;
	uint32_t i = 0;
	int j = 0;
	uint32_t rc = 0;
	uint8_t diff = 0;

	(void)params;
	if (mech != PKCS11_CKM_AES_KEY_WRAP)
		return PKCS11_CKR_MECHANISM_INVALID;
	if (psize)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	if (in_len < 24 || in_len % 8 || in_len > 8 + 512)
		return PKCS11_CKR_WRAPPED_KEY_LEN_RANGE;
	rc = kw_op(c, unwrapping, PKCS11_CKA_UNWRAP, TEE_MODE_DECRYPT, &op);
	if (rc)
		return rc;
	blocks = (in_len - 8) / 8;
	r = TEE_Malloc(in_len, 0);
	if (!r) {
		TEE_FreeOperation(op);
		return PKCS11_CKR_DEVICE_MEMORY;
	}
	TEE_MemMove(a, in, 8);
	TEE_MemMove(r, (const uint8_t *)in + 8, in_len - 8);
	for (j = 5; j >= 0; j--) {
		for (i = blocks; i >= 1; i--) {
			uint32_t t = blocks * (uint32_t)j + i;

			TEE_MemMove(b, a, 8);
			b[7] ^= t & 0xff;
			b[6] ^= (t >> 8) & 0xff;
			b[5] ^= (t >> 16) & 0xff;
			b[4] ^= (t >> 24) & 0xff;
			TEE_MemMove(b + 8, r + 8 * (i - 1), 8);
			aes_block(op, b);
			TEE_MemMove(a, b, 8);
			TEE_MemMove(r + 8 * (i - 1), b + 8, 8);
		}
	}
	TEE_FreeOperation(op);
	for (i = 0; i < 8; i++)
		diff |= a[i] ^ k_kw_iv[i];
	if (diff)
		rc = PKCS11_CKR_WRAPPED_KEY_INVALID;
	else
		rc = finish_secret(c, s, tmpl, P11_ORIGIN_UNWRAP, mech, r, in_len - 8,
				   handle);
	TEE_MemFill(r, 0, in_len);
	TEE_MemFill(b, 0, sizeof(b));
	TEE_Free(r);
	return rc;
}
