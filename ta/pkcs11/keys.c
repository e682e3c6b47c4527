/*
 * GP keys from PKCS#11 objects, and key generation. Asymmetric and AES
 * keys are built once per object and cached on it (the TA is the only
 * user of the cache and runs one command at a time); HMAC keys depend on
 * the mechanism and are built per operation.
 */
#include "pkcs11_priv.h"

#define MAX_BIGNUM 1024

static const uint8_t k_oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
				      0x3d, 0x03, 0x01, 0x07 };
static const uint8_t k_oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t k_oid_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };
static const uint8_t k_oid_ed25519[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };
static const uint8_t k_name_ed25519[] = { 0x13, 0x0c, 'e', 'd', 'w', 'a', 'r',
					  'd', 's', '2', '5', '5', '1', '9' };

static bool eq(const uint8_t *a, uint32_t an, const uint8_t *b, uint32_t bn)
{
	return an == bn && !TEE_MemCompare(a, b, an);
}

uint32_t p11_ec_curve_of(const struct obj_attrs *o, uint32_t *curve, uint32_t *bits)
{
	const uint8_t *p = NULL;
	uint32_t n = 0;

	if (!p11_attrs_get(o, PKCS11_CKA_EC_PARAMS, &p, &n))
		return PKCS11_CKR_TEMPLATE_INCOMPLETE;
	if (eq(p, n, k_oid_p256, sizeof(k_oid_p256))) {
		*curve = TEE_ECC_CURVE_NIST_P256;
		*bits = 256;
	} else if (eq(p, n, k_oid_p384, sizeof(k_oid_p384))) {
		*curve = TEE_ECC_CURVE_NIST_P384;
		*bits = 384;
	} else if (eq(p, n, k_oid_p521, sizeof(k_oid_p521))) {
		*curve = TEE_ECC_CURVE_NIST_P521;
		*bits = 521;
	} else if (eq(p, n, k_oid_ed25519, sizeof(k_oid_ed25519)) ||
		   eq(p, n, k_name_ed25519, sizeof(k_name_ed25519))) {
		*curve = TEE_ECC_CURVE_25519;
		*bits = 256;
	} else {
		return PKCS11_CKR_CURVE_NOT_SUPPORTED;
	}
	return PKCS11_CKR_OK;
}

/* The point inside CKA_EC_POINT: DER OCTET STRING, or raw. */
static uint32_t ec_point_raw(const struct obj_attrs *o, const uint8_t **pt,
			     uint32_t *len, uint32_t expect)
{
	const uint8_t *p = NULL;
	uint32_t n = 0;

	if (!p11_attrs_get(o, PKCS11_CKA_EC_POINT, &p, &n))
		return PKCS11_CKR_TEMPLATE_INCOMPLETE;
	if (n == expect) {
		*pt = p;
		*len = n;
		return PKCS11_CKR_OK;
	}
	if (n >= 2 && p[0] == 0x04 && p[1] < 0x80 && p[1] == n - 2 &&
	    n - 2 == expect) {
		*pt = p + 2;
		*len = n - 2;
		return PKCS11_CKR_OK;
	}
	if (n >= 3 && p[0] == 0x04 && p[1] == 0x81 && p[2] == n - 3 &&
	    n - 3 == expect) {
		*pt = p + 3;
		*len = n - 3;
		return PKCS11_CKR_OK;
	}
	return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
}

/* DER OCTET STRING around a raw point. */
static uint32_t set_ec_point(struct obj_attrs *o, const uint8_t *raw, size_t n)
{
	uint8_t buf[3 + 1 + 2 * 66];
	uint32_t h = 0;

	if (n > sizeof(buf) - 3)
		return PKCS11_CKR_GENERAL_ERROR;
	buf[h++] = 0x04;
	if (n >= 0x80)
		buf[h++] = 0x81;
	buf[h++] = (uint8_t)n;
	TEE_MemMove(buf + h, raw, n);
	return p11_attrs_set(o, PKCS11_CKA_EC_POINT, buf, h + n);
}

static uint32_t curve_bytes(uint32_t bits)
{
	return (bits + 7) / 8;
}

struct attr_map {
	uint32_t cka;
	uint32_t tee;
};

static const struct attr_map k_rsa_map[] = {
	{ PKCS11_CKA_MODULUS, TEE_ATTR_RSA_MODULUS },
	{ PKCS11_CKA_PUBLIC_EXPONENT, TEE_ATTR_RSA_PUBLIC_EXPONENT },
	{ PKCS11_CKA_PRIVATE_EXPONENT, TEE_ATTR_RSA_PRIVATE_EXPONENT },
	{ PKCS11_CKA_PRIME_1, TEE_ATTR_RSA_PRIME1 },
	{ PKCS11_CKA_PRIME_2, TEE_ATTR_RSA_PRIME2 },
	{ PKCS11_CKA_EXPONENT_1, TEE_ATTR_RSA_EXPONENT1 },
	{ PKCS11_CKA_EXPONENT_2, TEE_ATTR_RSA_EXPONENT2 },
	{ PKCS11_CKA_COEFFICIENT, TEE_ATTR_RSA_COEFFICIENT },
};

static uint32_t gp_type_for(uint32_t cls, uint32_t kt, uint32_t curve, uint32_t mech)
{
	bool priv = cls == PKCS11_CKO_PRIVATE_KEY;

	switch (kt) {
	case PKCS11_CKK_RSA:
		return priv ? TEE_TYPE_RSA_KEYPAIR : TEE_TYPE_RSA_PUBLIC_KEY;
	case PKCS11_CKK_EC:
		if (mech == PKCS11_CKM_ECDH1_DERIVE)
			return priv ? TEE_TYPE_ECDH_KEYPAIR : TEE_TYPE_ECDH_PUBLIC_KEY;
		return priv ? TEE_TYPE_ECDSA_KEYPAIR : TEE_TYPE_ECDSA_PUBLIC_KEY;
	case PKCS11_CKK_EC_EDWARDS:
		(void)curve;
		return priv ? TEE_TYPE_ED25519_KEYPAIR : TEE_TYPE_ED25519_PUBLIC_KEY;
	case PKCS11_CKK_AES:
		return TEE_TYPE_AES;
	default:
		break;
	}
	switch (mech) {
	case PKCS11_CKM_SHA_1_HMAC:
		return TEE_TYPE_HMAC_SHA1;
	case PKCS11_CKM_SHA224_HMAC:
		return TEE_TYPE_HMAC_SHA224;
	case PKCS11_CKM_SHA256_HMAC:
		return TEE_TYPE_HMAC_SHA256;
	case PKCS11_CKM_SHA384_HMAC:
		return TEE_TYPE_HMAC_SHA384;
	case PKCS11_CKM_SHA512_HMAC:
		return TEE_TYPE_HMAC_SHA512;
	default:
		return TEE_TYPE_GENERIC_SECRET;
	}
}

struct hmac_sizes {
	uint32_t type;
	uint32_t hash_alg;
	uint32_t min_bytes;  /* GP key size range of the type */
	uint32_t max_bytes;
	uint32_t block;      /* hash block size */
};

static const struct hmac_sizes k_hmac[] = {
	{ TEE_TYPE_HMAC_SHA1, TEE_ALG_SHA1, 10, 64, 64 },
	{ TEE_TYPE_HMAC_SHA224, TEE_ALG_SHA224, 14, 64, 64 },
	{ TEE_TYPE_HMAC_SHA256, TEE_ALG_SHA256, 24, 128, 64 },
	{ TEE_TYPE_HMAC_SHA384, TEE_ALG_SHA384, 32, 128, 128 },
	{ TEE_TYPE_HMAC_SHA512, TEE_ALG_SHA512, 32, 128, 128 },
};

/*
 * PKCS#11 HMAC keys have any length; GP HMAC key types a range. HMAC
 * itself zero-pads a key to the hash block and hashes one longer than the
 * block (RFC 2104), so a short key is zero-extended and a long one hashed
 * first: the MAC is the same.
 */
static uint32_t build_hmac_key(uint32_t type, const uint8_t *v, uint32_t sz,
			       TEE_ObjectHandle *out)
{
	const struct hmac_sizes *h = NULL;
	uint8_t k[128];
	size_t kn = 0;
	TEE_Attribute ta;
	TEE_ObjectHandle obj = TEE_HANDLE_NULL;
	size_t i = 0;
	uint32_t rc = PKCS11_CKR_OK;

	for (i = 0; i < sizeof(k_hmac) / sizeof(k_hmac[0]); i++)
		if (k_hmac[i].type == type)
			h = &k_hmac[i];
	if (!h)
		return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	TEE_MemFill(k, 0, sizeof(k));
	if (sz > h->block) {
		TEE_OperationHandle op = TEE_HANDLE_NULL;

		kn = sizeof(k);
		if (TEE_AllocateOperation(&op, h->hash_alg, TEE_MODE_DIGEST, 0))
			return PKCS11_CKR_DEVICE_MEMORY;
		if (TEE_DigestDoFinal(op, v, sz, k, &kn))
			rc = PKCS11_CKR_FUNCTION_FAILED;
		TEE_FreeOperation(op);
	} else {
		TEE_MemMove(k, v, sz);
		kn = sz;
	}
	if (kn < h->min_bytes)
		kn = h->min_bytes;
	if (!rc && kn > h->max_bytes)
		rc = PKCS11_CKR_KEY_SIZE_RANGE;
	if (!rc && TEE_AllocateTransientObject(type, kn * 8, &obj))
		rc = PKCS11_CKR_KEY_SIZE_RANGE;
	if (!rc) {
		TEE_InitRefAttribute(&ta, TEE_ATTR_SECRET_VALUE, k, kn);
		if (TEE_PopulateTransientObject(obj, &ta, 1)) {
			TEE_FreeTransientObject(obj);
			rc = PKCS11_CKR_KEY_SIZE_RANGE;
		} else {
			*out = obj;
		}
	}
	TEE_MemFill(k, 0, sizeof(k));
	return rc;
}

static uint32_t build_key(const struct obj_attrs *a, uint32_t mech, TEE_ObjectHandle *out)
{
	uint32_t cls = p11_obj_class(a);
	uint32_t kt = p11_obj_key_type(a);
	TEE_Attribute ta[8];
	uint32_t n = 0;
	uint32_t bits = 0;
	uint32_t curve = 0;
	uint32_t type = 0;
	const uint8_t *v = NULL;
	uint32_t sz = 0;
	uint32_t rc = 0;
	size_t i = 0;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	if (kt == PKCS11_CKK_EC || kt == PKCS11_CKK_EC_EDWARDS) {
		rc = p11_ec_curve_of(a, &curve, &bits);
		if (rc)
			return rc;
		if ((kt == PKCS11_CKK_EC_EDWARDS) != (curve == TEE_ECC_CURVE_25519))
			return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	}
	type = gp_type_for(cls, kt, curve, mech);
	switch (kt) {
	case PKCS11_CKK_RSA:
		for (i = 0; i < sizeof(k_rsa_map) / sizeof(k_rsa_map[0]); i++) {
			if (cls == PKCS11_CKO_PUBLIC_KEY && i >= 2)
				break;
			if (!p11_attrs_get(a, k_rsa_map[i].cka, &v, &sz)) {
				if (i < 3)
					return PKCS11_CKR_TEMPLATE_INCOMPLETE;
				if (i == 3)
					break; /* no CRT values at all */
				return PKCS11_CKR_TEMPLATE_INCOMPLETE;
			}
			TEE_InitRefAttribute(&ta[n++], k_rsa_map[i].tee, v, sz);
			if (i == 0) {
				while (sz && !*v) {
					v++;
					sz--;
				}
				bits = sz * 8;
			}
		}
		break;
	case PKCS11_CKK_EC: {
		uint32_t cb = curve_bytes(bits);
		const uint8_t *pt = NULL;
		uint32_t ptn = 0;

		rc = ec_point_raw(a, &pt, &ptn, 1 + 2 * cb);
		if (rc)
			return rc;
		if (pt[0] != 0x04)
			return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
		TEE_InitRefAttribute(&ta[n++], TEE_ATTR_ECC_PUBLIC_VALUE_X, pt + 1, cb);
		TEE_InitRefAttribute(&ta[n++], TEE_ATTR_ECC_PUBLIC_VALUE_Y, pt + 1 + cb, cb);
		TEE_InitValueAttribute(&ta[n++], TEE_ATTR_ECC_CURVE, curve, 0);
		if (cls == PKCS11_CKO_PRIVATE_KEY) {
			if (!p11_attrs_get(a, PKCS11_CKA_VALUE, &v, &sz))
				return PKCS11_CKR_TEMPLATE_INCOMPLETE;
			TEE_InitRefAttribute(&ta[n++], TEE_ATTR_ECC_PRIVATE_VALUE, v, sz);
		}
		break;
	}
	case PKCS11_CKK_EC_EDWARDS: {
		const uint8_t *pt = NULL;
		uint32_t ptn = 0;

		rc = ec_point_raw(a, &pt, &ptn, 32);
		if (rc)
			return rc;
		TEE_InitRefAttribute(&ta[n++], TEE_ATTR_ED25519_PUBLIC_VALUE, pt, 32);
		if (cls == PKCS11_CKO_PRIVATE_KEY) {
			if (!p11_attrs_get(a, PKCS11_CKA_VALUE, &v, &sz) || sz != 32)
				return PKCS11_CKR_TEMPLATE_INCOMPLETE;
			TEE_InitRefAttribute(&ta[n++], TEE_ATTR_ED25519_PRIVATE_VALUE, v, sz);
		}
		break;
	}
	default:
		if (cls != PKCS11_CKO_SECRET_KEY ||
		    !p11_attrs_get(a, PKCS11_CKA_VALUE, &v, &sz) || !sz)
			return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
		if (type != TEE_TYPE_AES && type != TEE_TYPE_GENERIC_SECRET)
			return build_hmac_key(type, v, sz, out);
		TEE_InitRefAttribute(&ta[n++], TEE_ATTR_SECRET_VALUE, v, sz);
		bits = sz * 8;
		break;
	}
	if (TEE_AllocateTransientObject(type, bits, &h))
		return PKCS11_CKR_KEY_SIZE_RANGE;
	if (TEE_PopulateTransientObject(h, ta, n)) {
		TEE_FreeTransientObject(h);
		return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	}
	*out = h;
	return PKCS11_CKR_OK;
}

uint32_t p11_key_load(struct p11_object *o, uint32_t mech, TEE_ObjectHandle *out,
		      bool *owned)
{
	uint32_t kt = p11_obj_key_type(&o->attrs);
	bool cacheable = (kt == PKCS11_CKK_RSA || kt == PKCS11_CKK_EC ||
			  kt == PKCS11_CKK_EC_EDWARDS || kt == PKCS11_CKK_AES) &&
			 mech != PKCS11_CKM_ECDH1_DERIVE;
	uint32_t rc = 0;

	if (cacheable && o->key) {
		*out = o->key;
		*owned = false;
		return PKCS11_CKR_OK;
	}
	rc = build_key(&o->attrs, mech, out);
	if (rc)
		return rc;
	if (cacheable) {
		o->key = *out;
		*owned = false;
	} else {
		*owned = true;
	}
	return PKCS11_CKR_OK;
}

static uint32_t get_buf_attr(TEE_ObjectHandle h, uint32_t tee_id,
			     struct obj_attrs *dst, uint32_t cka, uint32_t pad_to)
{
	uint8_t buf[MAX_BIGNUM];
	uint8_t padded[MAX_BIGNUM];
	size_t n = sizeof(buf);
	uint32_t rc = 0;

	if (TEE_GetObjectBufferAttribute(h, tee_id, buf, &n))
		return PKCS11_CKR_GENERAL_ERROR;
	if (pad_to && n < pad_to) {
		TEE_MemFill(padded, 0, pad_to - n);
		TEE_MemMove(padded + pad_to - n, buf, n);
		rc = p11_attrs_set(dst, cka, padded, pad_to);
	} else {
		rc = p11_attrs_set(dst, cka, buf, n);
	}
	TEE_MemFill(buf, 0, sizeof(buf));
	TEE_MemFill(padded, 0, sizeof(padded));
	return rc;
}

uint32_t p11_generate_key(uint32_t mech, const uint8_t *params, uint32_t psize,
			  struct obj_attrs *attrs)
{
	uint32_t len = 0;
	uint8_t *v = NULL;
	uint32_t rc = 0;

	if (psize)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	(void)params;
	if (p11_attrs_get_u32(attrs, PKCS11_CKA_VALUE_LEN, &len))
		return PKCS11_CKR_TEMPLATE_INCOMPLETE;
	if (mech == PKCS11_CKM_AES_KEY_GEN) {
		if (len != 16 && len != 24 && len != 32)
			return PKCS11_CKR_KEY_SIZE_RANGE;
	} else if (len < 1 || len > 512) {
		return PKCS11_CKR_KEY_SIZE_RANGE;
	}
	v = TEE_Malloc(len, 0);
	if (!v)
		return PKCS11_CKR_DEVICE_MEMORY;
	TEE_GenerateRandom(v, len);
	rc = p11_attrs_set(attrs, PKCS11_CKA_VALUE, v, len);
	TEE_MemFill(v, 0, len);
	TEE_Free(v);
	return rc;
}

static uint32_t gen_rsa(struct obj_attrs *pub, struct obj_attrs *priv)
{
	uint32_t bits = 0;
	const uint8_t *e = NULL;
	uint32_t en = 0;
	TEE_Attribute p;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	uint32_t rc = 0;
	size_t i = 0;

	if (p11_attrs_get_u32(pub, PKCS11_CKA_MODULUS_BITS, &bits))
		return PKCS11_CKR_TEMPLATE_INCOMPLETE;
	if (bits < 2048 || bits > 4096 || bits % 8)
		return PKCS11_CKR_KEY_SIZE_RANGE;
	if (TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, bits, &h))
		return PKCS11_CKR_DEVICE_MEMORY;
	if (p11_attrs_get(pub, PKCS11_CKA_PUBLIC_EXPONENT, &e, &en) && en) {
		TEE_InitRefAttribute(&p, TEE_ATTR_RSA_PUBLIC_EXPONENT, e, en);
		rc = TEE_GenerateKey(h, bits, &p, 1) ? PKCS11_CKR_ATTRIBUTE_VALUE_INVALID : 0;
	} else {
		rc = TEE_GenerateKey(h, bits, NULL, 0) ? PKCS11_CKR_DEVICE_ERROR : 0;
	}
	for (i = 0; !rc && i < sizeof(k_rsa_map) / sizeof(k_rsa_map[0]); i++) {
		rc = get_buf_attr(h, k_rsa_map[i].tee, priv, k_rsa_map[i].cka, 0);
		if (!rc && i < 2)
			rc = get_buf_attr(h, k_rsa_map[i].tee, pub, k_rsa_map[i].cka, 0);
	}
	TEE_FreeTransientObject(h);
	return rc;
}

static uint32_t gen_ec(struct obj_attrs *pub, struct obj_attrs *priv, bool edwards)
{
	uint32_t curve = 0;
	uint32_t bits = 0;
	TEE_Attribute p;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	const uint8_t *par = NULL;
	uint32_t parn = 0;
	uint8_t pt[1 + 2 * 66];
	size_t n = 0;
	uint32_t rc = p11_ec_curve_of(pub, &curve, &bits);

	if (rc)
		return rc;
	if (edwards != (curve == TEE_ECC_CURVE_25519))
		return PKCS11_CKR_CURVE_NOT_SUPPORTED;
	p11_attrs_get(pub, PKCS11_CKA_EC_PARAMS, &par, &parn);
	rc = p11_attrs_set(priv, PKCS11_CKA_EC_PARAMS, par, parn);
	if (rc)
		return rc;
	if (edwards) {
		if (TEE_AllocateTransientObject(TEE_TYPE_ED25519_KEYPAIR, 256, &h))
			return PKCS11_CKR_DEVICE_MEMORY;
		if (TEE_GenerateKey(h, 256, NULL, 0))
			rc = PKCS11_CKR_DEVICE_ERROR;
		if (!rc)
			rc = get_buf_attr(h, TEE_ATTR_ED25519_PRIVATE_VALUE, priv,
					  PKCS11_CKA_VALUE, 32);
		n = 32;
		if (!rc && TEE_GetObjectBufferAttribute(h, TEE_ATTR_ED25519_PUBLIC_VALUE,
							pt, &n))
			rc = PKCS11_CKR_GENERAL_ERROR;
	} else {
		uint32_t cb = curve_bytes(bits);
		size_t xn = cb;
		size_t yn = cb;
		uint8_t x[66];
		uint8_t y[66];

		if (TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, bits, &h))
			return PKCS11_CKR_DEVICE_MEMORY;
		TEE_InitValueAttribute(&p, TEE_ATTR_ECC_CURVE, curve, 0);
		if (TEE_GenerateKey(h, bits, &p, 1))
			rc = PKCS11_CKR_DEVICE_ERROR;
		if (!rc)
			rc = get_buf_attr(h, TEE_ATTR_ECC_PRIVATE_VALUE, priv,
					  PKCS11_CKA_VALUE, cb);
		if (!rc && (TEE_GetObjectBufferAttribute(h, TEE_ATTR_ECC_PUBLIC_VALUE_X, x, &xn) ||
			    TEE_GetObjectBufferAttribute(h, TEE_ATTR_ECC_PUBLIC_VALUE_Y, y, &yn) ||
			    xn > cb || yn > cb))
			rc = PKCS11_CKR_GENERAL_ERROR;
		if (!rc) {
			TEE_MemFill(pt, 0, sizeof(pt));
			pt[0] = 0x04;
			TEE_MemMove(pt + 1 + cb - xn, x, xn);
			TEE_MemMove(pt + 1 + 2 * cb - yn, y, yn);
			n = 1 + 2 * cb;
		}
	}
	TEE_FreeTransientObject(h);
	if (!rc)
		rc = set_ec_point(pub, pt, n);
	/* The private object carries the point too: GP keys need it. */
	if (!rc)
		rc = set_ec_point(priv, pt, n);
	return rc;
}

uint32_t p11_generate_key_pair(uint32_t mech, struct obj_attrs *pub,
			       struct obj_attrs *priv)
{
	switch (mech) {
	case PKCS11_CKM_RSA_PKCS_KEY_PAIR_GEN:
		return gen_rsa(pub, priv);
	case PKCS11_CKM_EC_KEY_PAIR_GEN:
		return gen_ec(pub, priv, false);
	case PKCS11_CKM_EC_EDWARDS_KEY_PAIR_GEN:
		return gen_ec(pub, priv, true);
	default:
		return PKCS11_CKR_MECHANISM_INVALID;
	}
}
