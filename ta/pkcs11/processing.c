/*
 * Sign/verify, encrypt/decrypt and digest operations: PKCS#11 mechanisms
 * mapped onto GP operations. An active operation lives on its session
 * until its final step (or an error other than "buffer too small") ends it.
 */
#include "pkcs11_priv.h"

uint32_t p11_tee2rc(TEE_Result res)
{
	switch (res) {
	case TEE_SUCCESS:
		return PKCS11_CKR_OK;
	case TEE_ERROR_SHORT_BUFFER:
		return PKCS11_CKR_BUFFER_TOO_SMALL;
	case TEE_ERROR_OUT_OF_MEMORY:
		return PKCS11_CKR_DEVICE_MEMORY;
	case TEE_ERROR_SIGNATURE_INVALID:
		return PKCS11_CKR_SIGNATURE_INVALID;
	case TEE_ERROR_MAC_INVALID:
		return PKCS11_CKR_ENCRYPTED_DATA_INVALID;
	case TEE_ERROR_BAD_PARAMETERS:
		return PKCS11_CKR_DATA_LEN_RANGE;
	default:
		return PKCS11_CKR_FUNCTION_FAILED;
	}
}

struct hash_info {
	uint32_t ckm;       /* CKM_SHA* */
	uint32_t mgf;       /* CKG_MGF1_* */
	uint32_t alg;       /* TEE_ALG_SHA* */
	uint32_t len;
	uint32_t rsa_pkcs1; /* RSASSA v1.5 with this hash */
	uint32_t rsa_pss;
	uint32_t rsa_oaep;
	uint32_t hmac_ckm;
	uint32_t hmac_alg;
	uint32_t rsa_pkcs1_ckm;
	uint32_t rsa_pss_ckm;
	uint32_t ecdsa_ckm;
};

static const struct hash_info k_hashes[] = {
	{ PKCS11_CKM_SHA_1, PKCS11_CKG_MGF1_SHA1, TEE_ALG_SHA1, 20,
	  TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1,
	  TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, PKCS11_CKM_SHA_1_HMAC, TEE_ALG_HMAC_SHA1,
	  PKCS11_CKM_SHA1_RSA_PKCS, PKCS11_CKM_SHA1_RSA_PKCS_PSS, PKCS11_CKM_ECDSA_SHA1 },
	{ PKCS11_CKM_SHA224, PKCS11_CKG_MGF1_SHA224, TEE_ALG_SHA224, 28,
	  TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224,
	  TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224, PKCS11_CKM_SHA224_HMAC, TEE_ALG_HMAC_SHA224,
	  PKCS11_CKM_SHA224_RSA_PKCS, PKCS11_CKM_SHA224_RSA_PKCS_PSS, PKCS11_CKM_ECDSA_SHA224 },
	{ PKCS11_CKM_SHA256, PKCS11_CKG_MGF1_SHA256, TEE_ALG_SHA256, 32,
	  TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256,
	  TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, PKCS11_CKM_SHA256_HMAC, TEE_ALG_HMAC_SHA256,
	  PKCS11_CKM_SHA256_RSA_PKCS, PKCS11_CKM_SHA256_RSA_PKCS_PSS, PKCS11_CKM_ECDSA_SHA256 },
	{ PKCS11_CKM_SHA384, PKCS11_CKG_MGF1_SHA384, TEE_ALG_SHA384, 48,
	  TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384,
	  TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384, PKCS11_CKM_SHA384_HMAC, TEE_ALG_HMAC_SHA384,
	  PKCS11_CKM_SHA384_RSA_PKCS, PKCS11_CKM_SHA384_RSA_PKCS_PSS, PKCS11_CKM_ECDSA_SHA384 },
	{ PKCS11_CKM_SHA512, PKCS11_CKG_MGF1_SHA512, TEE_ALG_SHA512, 64,
	  TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512,
	  TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512, PKCS11_CKM_SHA512_HMAC, TEE_ALG_HMAC_SHA512,
	  PKCS11_CKM_SHA512_RSA_PKCS, PKCS11_CKM_SHA512_RSA_PKCS_PSS, PKCS11_CKM_ECDSA_SHA512 },
};
#define N_HASHES (sizeof(k_hashes) / sizeof(k_hashes[0]))

static const struct hash_info *hash_by(uint32_t field_off, uint32_t v)
{
	size_t i = 0;

	for (i = 0; i < N_HASHES; i++) {
		const uint8_t *base = (const uint8_t *)&k_hashes[i];
		uint32_t cur = 0;

		TEE_MemMove(&cur, base + field_off, sizeof(cur));
		if (cur == v)
			return &k_hashes[i];
	}
	return NULL;
}

#define HASH_BY(field, v) hash_by(__builtin_offsetof(struct hash_info, field), (v))

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v = 0;

	TEE_MemMove(&v, p, 4);
	return v;
}

/* What a mechanism needs of its key. */
static uint32_t check_key(const struct obj_attrs *a, enum p11_op_kind kind,
			  uint32_t mech, uint32_t want_kt)
{
	uint32_t cls = p11_obj_class(a);
	uint32_t kt = p11_obj_key_type(a);
	uint32_t usage = 0;
	bool ok_cls = false;
	const uint8_t *am = NULL;
	uint32_t amn = 0;

	switch (kind) {
	case P11_OP_SIGN:
		usage = PKCS11_CKA_SIGN;
		ok_cls = cls == PKCS11_CKO_PRIVATE_KEY || cls == PKCS11_CKO_SECRET_KEY;
		break;
	case P11_OP_VERIFY:
		usage = PKCS11_CKA_VERIFY;
		ok_cls = cls == PKCS11_CKO_PUBLIC_KEY || cls == PKCS11_CKO_SECRET_KEY;
		break;
	case P11_OP_ENCRYPT:
		usage = PKCS11_CKA_ENCRYPT;
		ok_cls = cls == PKCS11_CKO_PUBLIC_KEY || cls == PKCS11_CKO_SECRET_KEY;
		break;
	case P11_OP_DECRYPT:
		usage = PKCS11_CKA_DECRYPT;
		ok_cls = cls == PKCS11_CKO_PRIVATE_KEY || cls == PKCS11_CKO_SECRET_KEY;
		break;
	default:
		return PKCS11_CKR_GENERAL_ERROR;
	}
	if (!ok_cls)
		return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	if (want_kt == PKCS11_CKK_GENERIC_SECRET) {
		if (cls != PKCS11_CKO_SECRET_KEY || kt == PKCS11_CKK_AES)
			return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	} else if (kt != want_kt) {
		return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
	}
	if (!p11_attrs_bool_or(a, usage, false))
		return PKCS11_CKR_KEY_FUNCTION_NOT_PERMITTED;
	if (p11_attrs_get(a, PKCS11_CKA_ALLOWED_MECHANISMS, &am, &amn) && amn) {
		uint32_t i = 0;

		for (i = 0; i + 4 <= amn; i += 4)
			if (rd32(am + i) == mech)
				return PKCS11_CKR_OK;
		return PKCS11_CKR_MECHANISM_INVALID;
	}
	return PKCS11_CKR_OK;
}

/* Sizes of results, known before the work is done. */
static uint32_t rsa_bytes(const struct obj_attrs *a)
{
	const uint8_t *m = NULL;
	uint32_t n = 0;

	if (!p11_attrs_get(a, PKCS11_CKA_MODULUS, &m, &n))
		return 0;
	while (n && !*m) {
		m++;
		n--;
	}
	return n;
}

struct plan {
	enum p11_flow flow;
	uint32_t alg;
	uint32_t hash_alg;
	uint32_t key_type;
	uint32_t out_len;  /* signature length, 0 when it depends on input */
	uint32_t salt;
	bool has_salt;
	uint32_t tag_len;
	const uint8_t *iv;
	uint32_t iv_len;
	const uint8_t *aad;
	uint32_t aad_len;
	uint32_t ec_digest_len;
};

static uint32_t plan_rsa_pss(const uint8_t *p, uint32_t n, const struct hash_info *fixed,
			     struct plan *pl)
{
	const struct hash_info *h = NULL;

	if (n != 12)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	h = HASH_BY(ckm, rd32(p));
	if (!h || (fixed && fixed != h) || rd32(p + 4) != h->mgf)
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	pl->alg = h->rsa_pss;
	pl->salt = rd32(p + 8);
	pl->has_salt = true;
	if (fixed)
		pl->hash_alg = h->alg;
	return PKCS11_CKR_OK;
}

static uint32_t make_plan(uint32_t mech, enum p11_op_kind kind, const struct obj_attrs *key,
			  const uint8_t *p, uint32_t n, struct plan *pl)
{
	const struct hash_info *h = NULL;
	bool sv = kind == P11_OP_SIGN || kind == P11_OP_VERIFY;
	uint32_t curve = 0;
	uint32_t bits = 0;

	TEE_MemFill(pl, 0, sizeof(*pl));
	switch (mech) {
	case PKCS11_CKM_RSA_PKCS:
		if (n)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_RSA;
		pl->flow = sv ? P11_FLOW_ASYM_RAW : P11_FLOW_ASYM_CIPHER;
		pl->alg = sv ? TEE_ALG_RSASSA_PKCS1_V1_5 : TEE_ALG_RSAES_PKCS1_V1_5;
		pl->out_len = rsa_bytes(key);
		return PKCS11_CKR_OK;
	case PKCS11_CKM_RSA_PKCS_PSS:
		if (!sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		pl->key_type = PKCS11_CKK_RSA;
		pl->flow = P11_FLOW_ASYM_RAW;
		pl->out_len = rsa_bytes(key);
		return plan_rsa_pss(p, n, NULL, pl);
	case PKCS11_CKM_RSA_PKCS_OAEP:
		if (sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		/* hash, mgf, source, source length, source data (empty) */
		if (n != 16 || rd32(p + 12) != 0)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		h = HASH_BY(ckm, rd32(p));
		if (!h || rd32(p + 4) != h->mgf)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_RSA;
		pl->flow = P11_FLOW_ASYM_CIPHER;
		pl->alg = h->rsa_oaep;
		pl->out_len = rsa_bytes(key);
		return PKCS11_CKR_OK;
	case PKCS11_CKM_ECDSA:
	case PKCS11_CKM_ECDSA_SHA1:
	case PKCS11_CKM_ECDSA_SHA224:
	case PKCS11_CKM_ECDSA_SHA256:
	case PKCS11_CKM_ECDSA_SHA384:
	case PKCS11_CKM_ECDSA_SHA512:
		if (!sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		if (n)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_EC;
		if (p11_ec_curve_of(key, &curve, &bits) || curve == TEE_ECC_CURVE_25519)
			return PKCS11_CKR_KEY_TYPE_INCONSISTENT;
		pl->alg = curve == TEE_ECC_CURVE_NIST_P256 ? TEE_ALG_ECDSA_P256 :
			  curve == TEE_ECC_CURVE_NIST_P384 ? TEE_ALG_ECDSA_P384 :
							     TEE_ALG_ECDSA_P521;
		pl->out_len = 2 * ((bits + 7) / 8);
		pl->ec_digest_len = curve == TEE_ECC_CURVE_NIST_P256 ? 32 :
				    curve == TEE_ECC_CURVE_NIST_P384 ? 48 : 64;
		if (mech == PKCS11_CKM_ECDSA) {
			pl->flow = P11_FLOW_ASYM_RAW;
		} else {
			pl->flow = P11_FLOW_ASYM_HASH;
			pl->hash_alg = HASH_BY(ecdsa_ckm, mech)->alg;
		}
		return PKCS11_CKR_OK;
	case PKCS11_CKM_EDDSA:
		if (!sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		/* Pure Ed25519 only: no prehash, no context. */
		if (n && !(n == 8 && rd32(p) == 0 && rd32(p + 4) == 0))
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_EC_EDWARDS;
		pl->flow = P11_FLOW_ASYM_RAW;
		pl->alg = TEE_ALG_ED25519;
		pl->out_len = 64;
		return PKCS11_CKR_OK;
	case PKCS11_CKM_AES_ECB:
	case PKCS11_CKM_AES_CBC:
	case PKCS11_CKM_AES_CTR:
		if (sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		pl->key_type = PKCS11_CKK_AES;
		pl->flow = P11_FLOW_CIPHER;
		if (mech == PKCS11_CKM_AES_ECB) {
			if (n)
				return PKCS11_CKR_MECHANISM_PARAM_INVALID;
			pl->alg = TEE_ALG_AES_ECB_NOPAD;
		} else if (mech == PKCS11_CKM_AES_CBC) {
			if (n != 16)
				return PKCS11_CKR_MECHANISM_PARAM_INVALID;
			pl->alg = TEE_ALG_AES_CBC_NOPAD;
			pl->iv = p;
			pl->iv_len = 16;
		} else {
			/* counter bits, counter block */
			if (n != 20 || rd32(p) == 0 || rd32(p) > 128)
				return PKCS11_CKR_MECHANISM_PARAM_INVALID;
			pl->alg = TEE_ALG_AES_CTR;
			pl->iv = p + 4;
			pl->iv_len = 16;
		}
		return PKCS11_CKR_OK;
	case PKCS11_CKM_AES_GCM: {
		/* iv len, iv, aad len, aad, tag bits */
		struct p11_reader r;
		uint32_t rc = 0;
		uint32_t tag_bits = 0;

		if (sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		p11_reader_init(&r, p, n);
		rc = p11_get_u32(&r, &pl->iv_len);
		if (!rc)
			rc = p11_get_bytes(&r, pl->iv_len, &pl->iv);
		if (!rc)
			rc = p11_get_u32(&r, &pl->aad_len);
		if (!rc)
			rc = p11_get_bytes(&r, pl->aad_len, &pl->aad);
		if (!rc)
			rc = p11_get_u32(&r, &tag_bits);
		if (!rc)
			rc = p11_reader_done(&r);
		if (rc || !pl->iv_len || pl->iv_len > 256 || tag_bits % 8 ||
		    tag_bits < 96 || tag_bits > 128)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_AES;
		pl->flow = P11_FLOW_AE;
		pl->alg = TEE_ALG_AES_GCM;
		pl->tag_len = tag_bits / 8;
		return PKCS11_CKR_OK;
	}
	default:
		break;
	}
	h = HASH_BY(rsa_pkcs1_ckm, mech);
	if (h) {
		if (!sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		if (n)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_RSA;
		pl->flow = P11_FLOW_ASYM_HASH;
		pl->alg = h->rsa_pkcs1;
		pl->hash_alg = h->alg;
		pl->out_len = rsa_bytes(key);
		return PKCS11_CKR_OK;
	}
	h = HASH_BY(rsa_pss_ckm, mech);
	if (h) {
		if (!sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		pl->key_type = PKCS11_CKK_RSA;
		pl->flow = P11_FLOW_ASYM_HASH;
		pl->out_len = rsa_bytes(key);
		return plan_rsa_pss(p, n, h, pl);
	}
	h = HASH_BY(hmac_ckm, mech);
	if (h) {
		if (!sv)
			return PKCS11_CKR_MECHANISM_INVALID;
		if (n)
			return PKCS11_CKR_MECHANISM_PARAM_INVALID;
		pl->key_type = PKCS11_CKK_GENERIC_SECRET;
		pl->flow = P11_FLOW_MAC;
		pl->alg = h->hmac_alg;
		pl->out_len = h->len;
		return PKCS11_CKR_OK;
	}
	return PKCS11_CKR_MECHANISM_INVALID;
}

static uint32_t mode_of(enum p11_op_kind kind, enum p11_flow flow)
{
	if (flow == P11_FLOW_MAC)
		return TEE_MODE_MAC;
	switch (kind) {
	case P11_OP_SIGN:
		return TEE_MODE_SIGN;
	case P11_OP_VERIFY:
		return TEE_MODE_VERIFY;
	case P11_OP_ENCRYPT:
		return TEE_MODE_ENCRYPT;
	default:
		return TEE_MODE_DECRYPT;
	}
}

uint32_t p11_crypto_init(struct p11_client *c, struct p11_session *s,
			 enum p11_op_kind kind, uint32_t key_handle, uint32_t mech,
			 const uint8_t *params, uint32_t psize)
{
	struct p11_active *a = &s->op;
	struct p11_object *o = NULL;
	struct plan pl;
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	bool owned = false;
	bool reusable = false;
	uint32_t rc = 0;
	TEE_Result res = TEE_SUCCESS;

	if (a->kind != P11_OP_NONE)
		return PKCS11_CKR_OPERATION_ACTIVE;
	if (!p11_mech_find(mech))
		return PKCS11_CKR_MECHANISM_INVALID;
	o = p11_object_get(c, key_handle);
	if (!o)
		return PKCS11_CKR_KEY_HANDLE_INVALID;
	rc = make_plan(mech, kind, &o->attrs, params, psize, &pl);
	if (!rc)
		rc = check_key(&o->attrs, kind, mech, pl.key_type);
	if (!rc)
		rc = p11_key_load(o, mech, &key, &owned);
	if (rc)
		return rc;
	reusable = !owned && (pl.flow == P11_FLOW_ASYM_RAW || pl.flow == P11_FLOW_ASYM_HASH);
	if (reusable && o->op_cache && !o->op_cache_busy &&
	    o->op_cache_alg == pl.alg && o->op_cache_mode == mode_of(kind, pl.flow)) {
		a->op = o->op_cache;
		a->op_owner = o;
		o->op_cache_busy = true;
	} else {
		TEE_GetObjectInfo1(key, &info);
		res = TEE_AllocateOperation(&a->op, pl.alg, mode_of(kind, pl.flow),
					    info.maxObjectSize ? info.maxObjectSize :
								 info.objectSize);
		if (!res)
			res = TEE_SetOperationKey(a->op, key);
		/* Kept on the object for the next operation of this kind. */
		if (!res && reusable && !o->op_cache_busy) {
			if (o->op_cache)
				TEE_FreeOperation(o->op_cache);
			o->op_cache = a->op;
			o->op_cache_alg = pl.alg;
			o->op_cache_mode = mode_of(kind, pl.flow);
			o->op_cache_busy = true;
			a->op_owner = o;
		}
	}
	if (owned)
		TEE_FreeTransientObject(key);
	if (!res && pl.flow == P11_FLOW_ASYM_HASH)
		res = TEE_AllocateOperation(&a->digest, pl.hash_alg, TEE_MODE_DIGEST, 0);
	if (res) {
		p11_active_release(a);
		return res == TEE_ERROR_NOT_SUPPORTED ? PKCS11_CKR_MECHANISM_INVALID :
							PKCS11_CKR_KEY_SIZE_RANGE;
	}
	switch (pl.flow) {
	case P11_FLOW_MAC:
		TEE_MACInit(a->op, NULL, 0);
		break;
	case P11_FLOW_CIPHER:
		TEE_CipherInit(a->op, pl.iv, pl.iv_len);
		break;
	case P11_FLOW_AE:
		res = TEE_AEInit(a->op, pl.iv, pl.iv_len, pl.tag_len * 8, pl.aad_len, 0);
		if (!res && pl.aad_len)
			TEE_AEUpdateAAD(a->op, pl.aad, pl.aad_len);
		break;
	default:
		break;
	}
	if (res) {
		p11_active_release(a);
		return PKCS11_CKR_MECHANISM_PARAM_INVALID;
	}
	if (pl.has_salt) {
		TEE_InitValueAttribute(&a->params[0], TEE_ATTR_RSA_PSS_SALT_LENGTH,
				       pl.salt, 0);
		a->param_count = 1;
	}
	a->kind = kind;
	a->flow = pl.flow;
	a->mech = mech;
	a->key_handle = key_handle;
	a->tag_len = pl.tag_len;
	a->out_size = pl.out_len;
	a->ec_digest_len = pl.ec_digest_len;
	return PKCS11_CKR_OK;
}

uint32_t p11_digest_init(struct p11_session *s, uint32_t mech)
{
	struct p11_active *a = &s->op;
	const struct hash_info *h = HASH_BY(ckm, mech);

	if (a->kind != P11_OP_NONE)
		return PKCS11_CKR_OPERATION_ACTIVE;
	if (!h)
		return PKCS11_CKR_MECHANISM_INVALID;
	if (TEE_AllocateOperation(&a->op, h->alg, TEE_MODE_DIGEST, 0))
		return PKCS11_CKR_DEVICE_MEMORY;
	a->kind = P11_OP_DIGEST;
	a->flow = P11_FLOW_DIGEST;
	a->mech = mech;
	a->out_size = h->len;
	return PKCS11_CKR_OK;
}

static uint32_t accumulate(struct p11_active *a, const void *in, size_t n)
{
	if (n > P11_MAX_ACCUMULATE - a->len)
		return PKCS11_CKR_DATA_LEN_RANGE;
	if (a->len + n > a->cap) {
		size_t cap = a->cap ? a->cap : 256;
		uint8_t *nb = NULL;

		while (cap < a->len + n)
			cap *= 2;
		nb = TEE_Malloc(cap, 0);
		if (!nb)
			return PKCS11_CKR_DEVICE_MEMORY;
		if (a->buf) {
			TEE_MemMove(nb, a->buf, a->len);
			TEE_MemFill(a->buf, 0, a->cap);
			TEE_Free(a->buf);
		}
		a->buf = nb;
		a->cap = cap;
	}
	if (n)
		TEE_MemMove(a->buf + a->len, in, n);
	a->len += n;
	return PKCS11_CKR_OK;
}

/* Sign or verify a message (raw) or a digest (hash flows). */
static uint32_t asym_sign_verify(struct p11_active *a, const void *msg, size_t msg_len,
				 void *sig, size_t *sig_len)
{
	uint8_t dig[64];
	size_t dig_len = sizeof(dig);
	const void *m = msg;
	size_t mlen = msg_len;
	TEE_Result res = TEE_SUCCESS;

	if (a->flow == P11_FLOW_ASYM_HASH) {
		res = TEE_DigestDoFinal(a->digest, msg, msg_len, dig, &dig_len);
		if (res)
			return p11_tee2rc(res);
		m = dig;
		mlen = dig_len;
	}
	/*
	 * ECDSA: the GP algorithm takes a digest of one length. A longer one
	 * keeps its leftmost bytes and a shorter one is zero-extended on the
	 * left; both are the integer ECDSA signs (FIPS 186-4, 6.4).
	 */
	if (a->ec_digest_len && mlen != a->ec_digest_len) {
		uint8_t norm[64];
		const uint8_t *src = m;

		TEE_MemFill(norm, 0, sizeof(norm));
		if (mlen > a->ec_digest_len)
			TEE_MemMove(norm, src, a->ec_digest_len);
		else
			TEE_MemMove(norm + a->ec_digest_len - mlen, src, mlen);
		TEE_MemMove(dig, norm, a->ec_digest_len);
		m = dig;
		mlen = a->ec_digest_len;
	}
	if (a->kind == P11_OP_SIGN) {
		size_t n = *sig_len;

		res = TEE_AsymmetricSignDigest(a->op, a->params, a->param_count, m,
					       mlen, sig, &n);
		*sig_len = n;
		if (res == TEE_ERROR_BAD_PARAMETERS)
			return PKCS11_CKR_DATA_LEN_RANGE;
		return p11_tee2rc(res);
	}
	if (a->out_size && *sig_len != a->out_size)
		return PKCS11_CKR_SIGNATURE_LEN_RANGE;
	res = TEE_AsymmetricVerifyDigest(a->op, a->params, a->param_count, m, mlen,
					 sig, *sig_len);
	if (res == TEE_ERROR_SIGNATURE_INVALID || res == TEE_ERROR_BAD_PARAMETERS)
		return PKCS11_CKR_SIGNATURE_INVALID;
	return p11_tee2rc(res);
}

static uint32_t sign_verify_step(struct p11_active *a, uint32_t step, const void *in,
				 size_t in_len, void *out, size_t *out_len)
{
	bool sign = a->kind == P11_OP_SIGN;
	TEE_Result res = TEE_SUCCESS;

	if (step == P11_STEP_UPDATE) {
		switch (a->flow) {
		case P11_FLOW_ASYM_HASH:
			TEE_DigestUpdate(a->digest, in, in_len);
			return PKCS11_CKR_OK;
		case P11_FLOW_MAC:
			TEE_MACUpdate(a->op, in, in_len);
			return PKCS11_CKR_OK;
		default:
			return accumulate(a, in, in_len);
		}
	}
	/* Length query or short buffer: the operation stays. */
	if (sign && a->out_size && *out_len < a->out_size) {
		*out_len = a->out_size;
		return PKCS11_CKR_BUFFER_TOO_SMALL;
	}
	if (a->flow == P11_FLOW_MAC) {
		size_t n = *out_len;

		if (sign) {
			res = TEE_MACComputeFinal(a->op, in, in_len, out, &n);
			*out_len = n;
			return p11_tee2rc(res);
		}
		if (*out_len != a->out_size)
			return PKCS11_CKR_SIGNATURE_LEN_RANGE;
		res = TEE_MACCompareFinal(a->op, in, in_len, out, *out_len);
		return res == TEE_ERROR_MAC_INVALID ? PKCS11_CKR_SIGNATURE_INVALID :
						      p11_tee2rc(res);
	}
	if (a->flow == P11_FLOW_ASYM_RAW && step == P11_STEP_FINAL)
		return asym_sign_verify(a, a->buf, a->len, out, out_len);
	return asym_sign_verify(a, in, in_len, out, out_len);
}

static uint32_t cipher_step(struct p11_active *a, uint32_t step, const void *in,
			    size_t in_len, void *out, size_t *out_len)
{
	bool enc = a->kind == P11_OP_ENCRYPT;
	TEE_Result res = TEE_SUCCESS;
	size_t n = *out_len;

	switch (a->flow) {
	case P11_FLOW_CIPHER:
		if ((a->mech == PKCS11_CKM_AES_ECB || a->mech == PKCS11_CKM_AES_CBC) &&
		    step == P11_STEP_ONESHOT && in_len % 16)
			return enc ? PKCS11_CKR_DATA_LEN_RANGE :
				     PKCS11_CKR_ENCRYPTED_DATA_LEN_RANGE;
		if (step == P11_STEP_UPDATE)
			res = TEE_CipherUpdate(a->op, in, in_len, out, &n);
		else
			res = TEE_CipherDoFinal(a->op, in, in_len, out, &n);
		*out_len = n;
		if (res == TEE_ERROR_BAD_PARAMETERS)
			return enc ? PKCS11_CKR_DATA_LEN_RANGE :
				     PKCS11_CKR_ENCRYPTED_DATA_LEN_RANGE;
		return p11_tee2rc(res);
	case P11_FLOW_AE:
		if (enc) {
			size_t tag_n = a->tag_len;

			if (step == P11_STEP_UPDATE) {
				res = TEE_AEUpdate(a->op, in, in_len, out, &n);
				*out_len = n;
				return p11_tee2rc(res);
			}
			if (*out_len < in_len + a->tag_len) {
				*out_len = in_len + a->tag_len;
				return PKCS11_CKR_BUFFER_TOO_SMALL;
			}
			n = *out_len - a->tag_len;
			res = TEE_AEEncryptFinal(a->op, in, in_len, out, &n,
						 (uint8_t *)out + in_len, &tag_n);
			if (res)
				return p11_tee2rc(res);
			/* GCM: ciphertext length equals input length. */
			*out_len = n + tag_n;
			return PKCS11_CKR_OK;
		}
		/* Decrypt: nothing is released before the tag is checked. */
		if (step == P11_STEP_UPDATE) {
			*out_len = 0;
			return accumulate(a, in, in_len);
		}
		{
			const uint8_t *all = in;
			size_t all_len = in_len;
			uint32_t rc = 0;

			if (step == P11_STEP_FINAL) {
				all = a->buf;
				all_len = a->len;
			}
			if (all_len < a->tag_len)
				return PKCS11_CKR_ENCRYPTED_DATA_LEN_RANGE;
			if (*out_len < all_len - a->tag_len) {
				*out_len = all_len - a->tag_len;
				return PKCS11_CKR_BUFFER_TOO_SMALL;
			}
			n = *out_len;
			res = TEE_AEDecryptFinal(a->op, all, all_len - a->tag_len, out, &n,
						 (void *)(all + all_len - a->tag_len),
						 a->tag_len);
			rc = res == TEE_ERROR_MAC_INVALID ?
				     PKCS11_CKR_ENCRYPTED_DATA_INVALID :
				     p11_tee2rc(res);
			*out_len = rc ? 0 : n;
			return rc;
		}
	case P11_FLOW_ASYM_CIPHER: {
		const void *all = in;
		size_t all_len = in_len;

		if (step == P11_STEP_UPDATE) {
			*out_len = 0;
			return accumulate(a, in, in_len);
		}
		if (step == P11_STEP_FINAL) {
			all = a->buf;
			all_len = a->len;
		}
		if (*out_len < a->out_size) {
			*out_len = a->out_size;
			return PKCS11_CKR_BUFFER_TOO_SMALL;
		}
		if (enc)
			res = TEE_AsymmetricEncrypt(a->op, NULL, 0, all, all_len, out, &n);
		else
			res = TEE_AsymmetricDecrypt(a->op, NULL, 0, all, all_len, out, &n);
		*out_len = n;
		if (res == TEE_ERROR_BAD_PARAMETERS || res == TEE_ERROR_GENERIC)
			return enc ? PKCS11_CKR_DATA_LEN_RANGE :
				     PKCS11_CKR_ENCRYPTED_DATA_INVALID;
		return p11_tee2rc(res);
	}
	default:
		return PKCS11_CKR_GENERAL_ERROR;
	}
}

uint32_t p11_crypto_step(struct p11_session *s, enum p11_op_kind kind, uint32_t step,
			 const void *in, size_t in_len, void *out, size_t *out_len)
{
	struct p11_active *a = &s->op;
	uint32_t rc = 0;

	if (a->kind != kind)
		return PKCS11_CKR_OPERATION_NOT_INITIALIZED;
	if (step == P11_STEP_ONESHOT && a->updated) {
		p11_active_release(a);
		return PKCS11_CKR_OPERATION_ACTIVE;
	}
	switch (kind) {
	case P11_OP_SIGN:
	case P11_OP_VERIFY:
		rc = sign_verify_step(a, step, in, in_len, out, out_len);
		break;
	case P11_OP_ENCRYPT:
	case P11_OP_DECRYPT:
		rc = cipher_step(a, step, in, in_len, out, out_len);
		break;
	case P11_OP_DIGEST: {
		size_t n = *out_len;

		if (step == P11_STEP_UPDATE) {
			TEE_DigestUpdate(a->op, in, in_len);
			break;
		}
		if (n < a->out_size) {
			*out_len = a->out_size;
			return PKCS11_CKR_BUFFER_TOO_SMALL;
		}
		rc = p11_tee2rc(TEE_DigestDoFinal(a->op, in, in_len, out, &n));
		*out_len = n;
		break;
	}
	default:
		return PKCS11_CKR_OPERATION_NOT_INITIALIZED;
	}
	if (step == P11_STEP_UPDATE) {
		if (rc && rc != PKCS11_CKR_BUFFER_TOO_SMALL)
			p11_active_release(a);
		else
			a->updated = true;
		return rc;
	}
	if (rc != PKCS11_CKR_BUFFER_TOO_SMALL)
		p11_active_release(a);
	return rc;
}
