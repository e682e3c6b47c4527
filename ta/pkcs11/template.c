/*
 * The attribute rules. One table names every attribute the TA knows, its
 * type, the classes that have it and how it may be handled; the functions
 * below only read the table.
 */
#include "template.h"

#include "p11_alloc.h"

enum attr_type { T_BYTES, T_BOOL, T_ULONG };

/* Classes, as bits. */
#define C_DATA (1u << 0)
#define C_CERT (1u << 1)
#define C_PUB (1u << 2)
#define C_PRIV (1u << 3)
#define C_SECRET (1u << 4)
#define C_KEYS (C_PUB | C_PRIV | C_SECRET)
#define C_ALL (C_DATA | C_CERT | C_KEYS)

/* Handling flags. */
#define F_RO_CREATE (1u << 0) /* set by the token only */
#define F_FIXED (1u << 1)     /* not changeable after creation */
#define F_SECRET (1u << 2)    /* key material: sensitive in priv/secret keys */
#define F_GEN_OUT (1u << 3)   /* produced by key generation, not a template input */

struct attr_rule {
	uint32_t id;
	uint8_t type;
	uint8_t classes;
	uint8_t flags;
};

static const struct attr_rule k_rules[] = {
	{ PKCS11_CKA_CLASS, T_ULONG, C_ALL, F_FIXED },
	{ PKCS11_CKA_TOKEN, T_BOOL, C_ALL, F_FIXED },
	{ PKCS11_CKA_PRIVATE, T_BOOL, C_ALL, F_FIXED },
	{ PKCS11_CKA_MODIFIABLE, T_BOOL, C_ALL, F_FIXED },
	{ PKCS11_CKA_COPYABLE, T_BOOL, C_ALL, F_FIXED },
	{ PKCS11_CKA_DESTROYABLE, T_BOOL, C_ALL, 0 },
	{ PKCS11_CKA_LABEL, T_BYTES, C_ALL, 0 },
	{ PKCS11_CKA_APPLICATION, T_BYTES, C_DATA, 0 },
	{ PKCS11_CKA_OBJECT_ID, T_BYTES, C_DATA, 0 },
	{ PKCS11_CKA_VALUE, T_BYTES, C_DATA | C_CERT | C_PRIV | C_SECRET, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_CERTIFICATE_TYPE, T_ULONG, C_CERT, F_FIXED },
	{ PKCS11_CKA_ISSUER, T_BYTES, C_CERT, 0 },
	{ PKCS11_CKA_SERIAL_NUMBER, T_BYTES, C_CERT, 0 },
	{ PKCS11_CKA_TRUSTED, T_BOOL, C_CERT | C_PUB | C_SECRET, F_FIXED },
	{ PKCS11_CKA_CERTIFICATE_CATEGORY, T_ULONG, C_CERT, 0 },
	{ PKCS11_CKA_CHECK_VALUE, T_BYTES, C_CERT | C_SECRET, F_FIXED },
	{ PKCS11_CKA_KEY_TYPE, T_ULONG, C_KEYS, F_FIXED },
	{ PKCS11_CKA_SUBJECT, T_BYTES, C_CERT | C_PUB | C_PRIV, 0 },
	{ PKCS11_CKA_ID, T_BYTES, C_CERT | C_KEYS, 0 },
	{ PKCS11_CKA_SENSITIVE, T_BOOL, C_PRIV | C_SECRET, 0 },
	{ PKCS11_CKA_ENCRYPT, T_BOOL, C_PUB | C_SECRET, 0 },
	{ PKCS11_CKA_DECRYPT, T_BOOL, C_PRIV | C_SECRET, 0 },
	{ PKCS11_CKA_WRAP, T_BOOL, C_PUB | C_SECRET, 0 },
	{ PKCS11_CKA_UNWRAP, T_BOOL, C_PRIV | C_SECRET, 0 },
	{ PKCS11_CKA_SIGN, T_BOOL, C_PRIV | C_SECRET, 0 },
	{ PKCS11_CKA_SIGN_RECOVER, T_BOOL, C_PRIV, 0 },
	{ PKCS11_CKA_VERIFY, T_BOOL, C_PUB | C_SECRET, 0 },
	{ PKCS11_CKA_VERIFY_RECOVER, T_BOOL, C_PUB, 0 },
	{ PKCS11_CKA_DERIVE, T_BOOL, C_KEYS, 0 },
	{ PKCS11_CKA_START_DATE, T_BYTES, C_CERT | C_KEYS, 0 },
	{ PKCS11_CKA_END_DATE, T_BYTES, C_CERT | C_KEYS, 0 },
	{ PKCS11_CKA_MODULUS, T_BYTES, C_PUB | C_PRIV, F_FIXED | F_GEN_OUT },
	{ PKCS11_CKA_MODULUS_BITS, T_ULONG, C_PUB, F_FIXED },
	{ PKCS11_CKA_PUBLIC_EXPONENT, T_BYTES, C_PUB | C_PRIV, F_FIXED },
	{ PKCS11_CKA_PRIVATE_EXPONENT, T_BYTES, C_PRIV, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_PRIME_1, T_BYTES, C_PRIV, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_PRIME_2, T_BYTES, C_PRIV, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_EXPONENT_1, T_BYTES, C_PRIV, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_EXPONENT_2, T_BYTES, C_PRIV, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_COEFFICIENT, T_BYTES, C_PRIV, F_FIXED | F_SECRET | F_GEN_OUT },
	{ PKCS11_CKA_PUBLIC_KEY_INFO, T_BYTES, C_CERT | C_PUB | C_PRIV, F_FIXED },
	{ PKCS11_CKA_VALUE_LEN, T_ULONG, C_SECRET, F_FIXED },
	{ PKCS11_CKA_EXTRACTABLE, T_BOOL, C_PRIV | C_SECRET, 0 },
	{ PKCS11_CKA_LOCAL, T_BOOL, C_KEYS, F_FIXED | F_RO_CREATE },
	{ PKCS11_CKA_NEVER_EXTRACTABLE, T_BOOL, C_PRIV | C_SECRET, F_FIXED | F_RO_CREATE },
	{ PKCS11_CKA_ALWAYS_SENSITIVE, T_BOOL, C_PRIV | C_SECRET, F_FIXED | F_RO_CREATE },
	{ PKCS11_CKA_KEY_GEN_MECHANISM, T_ULONG, C_KEYS, F_FIXED | F_RO_CREATE },
	{ PKCS11_CKA_EC_PARAMS, T_BYTES, C_PUB | C_PRIV, F_FIXED },
	{ PKCS11_CKA_EC_POINT, T_BYTES, C_PUB | C_PRIV, F_FIXED | F_GEN_OUT },
	{ PKCS11_CKA_ALWAYS_AUTHENTICATE, T_BOOL, C_PRIV, 0 },
	{ PKCS11_CKA_WRAP_WITH_TRUSTED, T_BOOL, C_PRIV | C_SECRET, 0 },
	{ PKCS11_CKA_WRAP_TEMPLATE, T_BYTES, C_PUB | C_SECRET, F_FIXED },
	{ PKCS11_CKA_UNWRAP_TEMPLATE, T_BYTES, C_PRIV | C_SECRET, F_FIXED },
	{ PKCS11_CKA_DERIVE_TEMPLATE, T_BYTES, C_KEYS, F_FIXED },
	{ PKCS11_CKA_ALLOWED_MECHANISMS, T_BYTES, C_KEYS, F_FIXED },
};

static const struct attr_rule *rule_of(uint32_t id)
{
	size_t n = 0;

	for (n = 0; n < sizeof(k_rules) / sizeof(k_rules[0]); n++)
		if (k_rules[n].id == id)
			return &k_rules[n];
	return NULL;
}

/* An attribute's rule, checked against the object's class and the value's
 * size: the rule, or NULL with *rc set. */
static const struct attr_rule *checked_rule(uint32_t id, uint32_t cbit, uint32_t sz,
					    uint32_t *rc)
{
	const struct attr_rule *r = rule_of(id);

	*rc = PKCS11_CKR_OK;
	if (!r)
		*rc = PKCS11_CKR_ATTRIBUTE_TYPE_INVALID;
	else if (!(r->classes & cbit))
		*rc = PKCS11_CKR_TEMPLATE_INCONSISTENT;
	else if ((r->type == T_BOOL && sz != 1) ||
		 (r->type == T_ULONG && sz != sizeof(uint32_t)))
		*rc = PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
	return *rc ? NULL : r;
}

static uint32_t class_bit(uint32_t class_id)
{
	switch (class_id) {
	case PKCS11_CKO_DATA:
		return C_DATA;
	case PKCS11_CKO_CERTIFICATE:
		return C_CERT;
	case PKCS11_CKO_PUBLIC_KEY:
		return C_PUB;
	case PKCS11_CKO_PRIVATE_KEY:
		return C_PRIV;
	case PKCS11_CKO_SECRET_KEY:
		return C_SECRET;
	default:
		return 0;
	}
}

bool p11_attr_is_bool(uint32_t id)
{
	const struct attr_rule *r = rule_of(id);

	return r && r->type == T_BOOL;
}

bool p11_attr_is_ulong(uint32_t id)
{
	const struct attr_rule *r = rule_of(id);

	return r && r->type == T_ULONG;
}

uint32_t p11_obj_class(const struct obj_attrs *obj)
{
	uint32_t v = PKCS11_UNDEFINED_ID;

	if (p11_attrs_get_u32(obj, PKCS11_CKA_CLASS, &v))
		return PKCS11_UNDEFINED_ID;
	return v;
}

uint32_t p11_obj_key_type(const struct obj_attrs *obj)
{
	uint32_t v = PKCS11_UNDEFINED_ID;

	if (p11_attrs_get_u32(obj, PKCS11_CKA_KEY_TYPE, &v))
		return PKCS11_UNDEFINED_ID;
	return v;
}

static bool key_type_valid(uint32_t class_id, uint32_t kt)
{
	switch (kt) {
	case PKCS11_CKK_RSA:
	case PKCS11_CKK_EC:
	case PKCS11_CKK_EC_EDWARDS:
		return class_id == PKCS11_CKO_PUBLIC_KEY ||
		       class_id == PKCS11_CKO_PRIVATE_KEY;
	case PKCS11_CKK_AES:
	case PKCS11_CKK_GENERIC_SECRET:
	case PKCS11_CKK_SHA_1_HMAC:
	case PKCS11_CKK_SHA224_HMAC:
	case PKCS11_CKK_SHA256_HMAC:
	case PKCS11_CKK_SHA384_HMAC:
	case PKCS11_CKK_SHA512_HMAC:
		return class_id == PKCS11_CKO_SECRET_KEY;
	default:
		return false;
	}
}

/* Attributes that an imported object of this class/type must carry. */
static uint32_t check_required(const struct obj_attrs *o, uint32_t class_id,
			       uint32_t kt, enum p11_origin origin)
{
	static const uint32_t rsa_pub[] = { PKCS11_CKA_MODULUS,
					    PKCS11_CKA_PUBLIC_EXPONENT };
	static const uint32_t rsa_priv[] = { PKCS11_CKA_MODULUS,
					     PKCS11_CKA_PUBLIC_EXPONENT,
					     PKCS11_CKA_PRIVATE_EXPONENT };
	static const uint32_t ec_pub[] = { PKCS11_CKA_EC_PARAMS,
					   PKCS11_CKA_EC_POINT };
	static const uint32_t ec_priv[] = { PKCS11_CKA_EC_PARAMS,
					    PKCS11_CKA_VALUE,
					    PKCS11_CKA_EC_POINT };
	static const uint32_t value[] = { PKCS11_CKA_VALUE };
	static const uint32_t cert[] = { PKCS11_CKA_CERTIFICATE_TYPE,
					 PKCS11_CKA_VALUE };
	const uint32_t *req = NULL;
	size_t n = 0;
	size_t i = 0;

	if (origin != P11_ORIGIN_IMPORT)
		return PKCS11_CKR_OK;
	switch (class_id) {
	case PKCS11_CKO_CERTIFICATE:
		req = cert;
		n = 2;
		break;
	case PKCS11_CKO_SECRET_KEY:
		req = value;
		n = 1;
		break;
	case PKCS11_CKO_PUBLIC_KEY:
		req = kt == PKCS11_CKK_RSA ? rsa_pub : ec_pub;
		n = 2;
		break;
	case PKCS11_CKO_PRIVATE_KEY:
		req = kt == PKCS11_CKK_RSA ? rsa_priv : ec_priv;
		n = 3;
		break;
	default:
		break;
	}
	for (i = 0; i < n; i++)
		if (!p11_attrs_has(o, req[i]))
			return PKCS11_CKR_TEMPLATE_INCOMPLETE;
	return PKCS11_CKR_OK;
}

static uint32_t set_default_bool(struct obj_attrs *o, uint32_t id, bool v)
{
	if (p11_attrs_has(o, id))
		return PKCS11_CKR_OK;
	return p11_attrs_set_bool(o, id, v);
}

static uint32_t add_defaults(struct obj_attrs *o, uint32_t class_id,
			     enum p11_origin origin, uint32_t mech)
{
	bool is_key = class_id == PKCS11_CKO_PUBLIC_KEY ||
		      class_id == PKCS11_CKO_PRIVATE_KEY ||
		      class_id == PKCS11_CKO_SECRET_KEY;
	bool secret = class_id == PKCS11_CKO_PRIVATE_KEY ||
		      class_id == PKCS11_CKO_SECRET_KEY;
	bool local = origin == P11_ORIGIN_GENERATE;
	uint32_t rc = 0;

	rc = set_default_bool(o, PKCS11_CKA_TOKEN, false);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_PRIVATE, secret);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_MODIFIABLE, true);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_COPYABLE, true);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_DESTROYABLE, true);
	if (!rc && !p11_attrs_has(o, PKCS11_CKA_LABEL))
		rc = p11_attrs_set(o, PKCS11_CKA_LABEL, "", 0);
	if (rc || !is_key)
		return rc;

	if (!p11_attrs_has(o, PKCS11_CKA_ID))
		rc = p11_attrs_set(o, PKCS11_CKA_ID, "", 0);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_DERIVE, false);
	if (!rc)
		rc = p11_attrs_set_bool(o, PKCS11_CKA_LOCAL, local);
	if (!rc)
		rc = p11_attrs_set_u32(o, PKCS11_CKA_KEY_GEN_MECHANISM,
				       local ? mech : PKCS11_CK_UNAVAILABLE_INFORMATION);
	if (rc)
		return rc;
	if (class_id == PKCS11_CKO_PUBLIC_KEY) {
		rc = set_default_bool(o, PKCS11_CKA_ENCRYPT, false);
		if (!rc)
			rc = set_default_bool(o, PKCS11_CKA_VERIFY, false);
		if (!rc)
			rc = set_default_bool(o, PKCS11_CKA_VERIFY_RECOVER, false);
		if (!rc)
			rc = set_default_bool(o, PKCS11_CKA_WRAP, false);
		return rc;
	}
	/* Private and secret keys: sensitive and unextractable unless the
	 * template says otherwise. */
	rc = set_default_bool(o, PKCS11_CKA_SENSITIVE, true);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_EXTRACTABLE, false);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_DECRYPT, false);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_SIGN, false);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_UNWRAP, false);
	if (!rc && class_id == PKCS11_CKO_PRIVATE_KEY)
		rc = set_default_bool(o, PKCS11_CKA_SIGN_RECOVER, false);
	if (!rc && class_id == PKCS11_CKO_PRIVATE_KEY)
		rc = set_default_bool(o, PKCS11_CKA_ALWAYS_AUTHENTICATE, false);
	if (!rc && class_id == PKCS11_CKO_SECRET_KEY)
		rc = set_default_bool(o, PKCS11_CKA_ENCRYPT, false);
	if (!rc && class_id == PKCS11_CKO_SECRET_KEY)
		rc = set_default_bool(o, PKCS11_CKA_VERIFY, false);
	if (!rc && class_id == PKCS11_CKO_SECRET_KEY)
		rc = set_default_bool(o, PKCS11_CKA_WRAP, false);
	if (!rc)
		rc = set_default_bool(o, PKCS11_CKA_WRAP_WITH_TRUSTED, false);
	if (!rc)
		rc = p11_attrs_set_bool(o, PKCS11_CKA_ALWAYS_SENSITIVE,
					local && p11_attrs_bool_or(o, PKCS11_CKA_SENSITIVE, false));
	if (!rc)
		rc = p11_attrs_set_bool(o, PKCS11_CKA_NEVER_EXTRACTABLE,
					local && !p11_attrs_bool_or(o, PKCS11_CKA_EXTRACTABLE, true));
	return rc;
}

uint32_t p11_template_create(const struct obj_attrs *tmpl, enum p11_origin origin,
			     uint32_t class_id, uint32_t key_type, uint32_t mech,
			     struct obj_attrs *out)
{
	uint32_t tclass = PKCS11_UNDEFINED_ID;
	uint32_t tkt = PKCS11_UNDEFINED_ID;
	uint32_t pos = 0;
	uint32_t id = 0;
	const uint8_t *v = NULL;
	uint32_t sz = 0;
	uint32_t cbit = 0;
	uint32_t rc = 0;

	p11_attrs_init(out);
	rc = p11_attrs_get_u32(tmpl, PKCS11_CKA_CLASS, &tclass);
	if (rc == PKCS11_RV_NOT_FOUND)
		tclass = class_id;
	else if (rc)
		return rc;
	if (class_id != PKCS11_UNDEFINED_ID && tclass != class_id)
		return PKCS11_CKR_TEMPLATE_INCONSISTENT;
	if (tclass == PKCS11_UNDEFINED_ID)
		return PKCS11_CKR_TEMPLATE_INCOMPLETE;
	cbit = class_bit(tclass);
	if (!cbit)
		return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;

	if (cbit & C_KEYS) {
		rc = p11_attrs_get_u32(tmpl, PKCS11_CKA_KEY_TYPE, &tkt);
		if (rc == PKCS11_RV_NOT_FOUND)
			tkt = key_type;
		else if (rc)
			return rc;
		if (key_type != PKCS11_UNDEFINED_ID && tkt != key_type)
			return PKCS11_CKR_TEMPLATE_INCONSISTENT;
		if (tkt == PKCS11_UNDEFINED_ID)
			return PKCS11_CKR_TEMPLATE_INCOMPLETE;
		if (!key_type_valid(tclass, tkt))
			return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
	} else if (origin != P11_ORIGIN_IMPORT) {
		return PKCS11_CKR_TEMPLATE_INCONSISTENT;
	}

	while (p11_attrs_next(tmpl, &pos, &id, &v, &sz)) {
		const struct attr_rule *r = checked_rule(id, cbit, sz, &rc);

		if (!r)
			return rc;
		if (r->flags & F_RO_CREATE)
			return PKCS11_CKR_ATTRIBUTE_READ_ONLY;
		if (origin != P11_ORIGIN_IMPORT && (r->flags & F_GEN_OUT))
			return PKCS11_CKR_TEMPLATE_INCONSISTENT;
	}
	if (origin != P11_ORIGIN_IMPORT && tclass == PKCS11_CKO_PRIVATE_KEY &&
	    p11_attrs_has(tmpl, PKCS11_CKA_PUBLIC_EXPONENT))
		return PKCS11_CKR_TEMPLATE_INCONSISTENT;

	rc = p11_attrs_copy(out, tmpl);
	if (!rc)
		rc = p11_attrs_set_u32(out, PKCS11_CKA_CLASS, tclass);
	if (!rc && (cbit & C_KEYS))
		rc = p11_attrs_set_u32(out, PKCS11_CKA_KEY_TYPE, tkt);
	if (!rc && tclass == PKCS11_CKO_CERTIFICATE &&
	    !p11_attrs_has(out, PKCS11_CKA_CERTIFICATE_TYPE))
		rc = p11_attrs_set_u32(out, PKCS11_CKA_CERTIFICATE_TYPE, PKCS11_CKC_X_509);
	if (!rc)
		rc = add_defaults(out, tclass, origin, mech);
	if (!rc)
		rc = check_required(out, tclass, tkt, origin);
	if (!rc && tclass == PKCS11_CKO_CERTIFICATE) {
		uint32_t ct = 0;

		if (p11_attrs_get_u32(out, PKCS11_CKA_CERTIFICATE_TYPE, &ct) ||
		    ct != PKCS11_CKC_X_509)
			rc = PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
	}
	if (rc)
		p11_attrs_free(out);
	return rc;
}

uint32_t p11_template_check_set(const struct obj_attrs *obj,
				const struct obj_attrs *tmpl, bool copy)
{
	uint32_t cbit = class_bit(p11_obj_class(obj));
	uint32_t pos = 0;
	uint32_t id = 0;
	const uint8_t *v = NULL;
	uint32_t sz = 0;

	if (copy) {
		if (!p11_attrs_bool_or(obj, PKCS11_CKA_COPYABLE, true))
			return PKCS11_CKR_ACTION_PROHIBITED;
	} else if (!p11_attrs_bool_or(obj, PKCS11_CKA_MODIFIABLE, true)) {
		return PKCS11_CKR_ACTION_PROHIBITED;
	}
	while (p11_attrs_next(tmpl, &pos, &id, &v, &sz)) {
		uint32_t rc = 0;
		const struct attr_rule *r = checked_rule(id, cbit, sz, &rc);
		bool cur = false;

		if (!r)
			return rc;
		/* A copy may choose where the copy lives and whether it is
		 * private or modifiable; nothing else that is fixed. */
		if (copy && (id == PKCS11_CKA_TOKEN || id == PKCS11_CKA_PRIVATE ||
			     id == PKCS11_CKA_MODIFIABLE))
			continue;
		if (r->flags & (F_FIXED | F_RO_CREATE))
			return PKCS11_CKR_ATTRIBUTE_READ_ONLY;
		/* One-way switches. */
		if (id == PKCS11_CKA_SENSITIVE && !p11_attrs_get_bool(obj, id, &cur) &&
		    cur && !v[0])
			return PKCS11_CKR_ATTRIBUTE_READ_ONLY;
		if (id == PKCS11_CKA_EXTRACTABLE && !p11_attrs_get_bool(obj, id, &cur) &&
		    !cur && v[0])
			return PKCS11_CKR_ATTRIBUTE_READ_ONLY;
		if (id == PKCS11_CKA_WRAP_WITH_TRUSTED &&
		    !p11_attrs_get_bool(obj, id, &cur) && cur && !v[0])
			return PKCS11_CKR_ATTRIBUTE_READ_ONLY;
	}
	return PKCS11_CKR_OK;
}

bool p11_attr_is_sensitive(const struct obj_attrs *obj, uint32_t id)
{
	const struct attr_rule *r = rule_of(id);
	uint32_t cls = p11_obj_class(obj);

	if (!r || !(r->flags & F_SECRET))
		return false;
	if (cls != PKCS11_CKO_PRIVATE_KEY && cls != PKCS11_CKO_SECRET_KEY)
		return false;
	return p11_attrs_bool_or(obj, PKCS11_CKA_SENSITIVE, true) ||
	       !p11_attrs_bool_or(obj, PKCS11_CKA_EXTRACTABLE, false);
}
