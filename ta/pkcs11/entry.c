/*
 * The pkcs11 TA's entry points and command decoder. The control buffer
 * (param 0) is copied out of shared memory once and decoded from the copy;
 * every command's status goes back in its first 4 bytes.
 */
#include "pkcs11_priv.h"

#include <stdarg.h>
#include <user_ta_header_defines.h>

#define PT(t) TEE_PARAM_TYPE_##t
#define MAX_CTRL (P11_MAX_ATTRS_SIZE * 2 + 1024)

struct call {
	struct p11_client *c;
	uint32_t ptypes;
	TEE_Param *p;
	struct p11_reader r;
	size_t out_size; /* bytes written to param 2 (or needed) */
};

static bool has_type(const struct call *k, int idx, uint32_t t)
{
	return TEE_PARAM_TYPE_GET(k->ptypes, idx) == t;
}

static uint32_t out_buf(struct call *k, void **buf, size_t *size)
{
	if (!has_type(k, 2, PT(MEMREF_OUTPUT)) && !has_type(k, 2, PT(MEMREF_INOUT)))
		return PKCS11_CKR_ARGUMENTS_BAD;
	*buf = k->p[2].memref.buffer;
	*size = k->p[2].memref.size;
	return PKCS11_CKR_OK;
}

static uint32_t put_out(struct call *k, const void *data, size_t n)
{
	void *b = NULL;
	size_t sz = 0;
	uint32_t rc = out_buf(k, &b, &sz);

	if (rc)
		return rc;
	k->out_size = n;
	if (sz < n)
		return PKCS11_CKR_BUFFER_TOO_SMALL;
	TEE_MemMove(b, data, n);
	return PKCS11_CKR_OK;
}

static uint32_t in_buf(struct call *k, int idx, const void **buf, size_t *size)
{
	if (has_type(k, idx, PT(NONE))) {
		*buf = NULL;
		*size = 0;
		return PKCS11_CKR_OK;
	}
	if (!has_type(k, idx, PT(MEMREF_INPUT)) && !has_type(k, idx, PT(MEMREF_INOUT)))
		return PKCS11_CKR_ARGUMENTS_BAD;
	*buf = k->p[idx].memref.buffer;
	*size = k->p[idx].memref.size;
	return PKCS11_CKR_OK;
}

static uint32_t get_session(struct call *k, struct p11_session **s)
{
	uint32_t h = 0;
	uint32_t rc = p11_get_u32(&k->r, &h);

	if (rc)
		return rc;
	*s = p11_session_get(k->c, h);
	return *s ? PKCS11_CKR_OK : PKCS11_CKR_SESSION_HANDLE_INVALID;
}

static uint32_t get_slot(struct call *k)
{
	uint32_t slot = 0;
	uint32_t rc = p11_get_u32(&k->r, &slot);

	if (rc)
		return rc;
	return slot ? PKCS11_CKR_SLOT_ID_INVALID : PKCS11_CKR_OK;
}

/* Session-only commands: the control buffer is just the handle. */
static uint32_t session_only(struct call *k, struct p11_session **s)
{
	uint32_t rc = get_session(k, s);

	return rc ? rc : p11_reader_done(&k->r);
}

struct mech_arg {
	uint32_t id;
	const uint8_t *params;
	uint32_t size;
};

/*
 * Decodes a control buffer laid out as `fmt`, one letter per field:
 *   L slot id (must be 0)        S session   -> struct p11_session **
 *   O object (after S)           -> struct p11_object **
 *   u 32-bit value -> uint32_t * M mechanism -> struct mech_arg *
 *   A attribute list -> struct obj_attrs * (zero-initialised by the caller,
 *     freed by the caller whatever the outcome)
 *   P PIN (length, bytes) -> const uint8_t **, uint32_t *
 * and requires the buffer to end there.
 */
static uint32_t decode(struct call *k, const char *fmt, ...)
{
	struct p11_session *s = NULL;
	uint32_t rc = PKCS11_CKR_OK;
	va_list ap;

	va_start(ap, fmt);
	for (; !rc && *fmt; fmt++) {
		switch (*fmt) {
		case 'L':
			rc = get_slot(k);
			break;
		case 'S': {
			struct p11_session **out = va_arg(ap, struct p11_session **);

			rc = get_session(k, out);
			s = *out;
			break;
		}
		case 'O': {
			struct p11_object **out = va_arg(ap, struct p11_object **);
			uint32_t h = 0;

			rc = p11_get_u32(&k->r, &h);
			if (!rc) {
				*out = s ? p11_object_get(k->c, h) : NULL;
				if (!*out)
					rc = PKCS11_CKR_OBJECT_HANDLE_INVALID;
			}
			break;
		}
		case 'u':
			rc = p11_get_u32(&k->r, va_arg(ap, uint32_t *));
			break;
		case 'M': {
			struct mech_arg *m = va_arg(ap, struct mech_arg *);

			rc = p11_get_mechanism(&k->r, &m->id, &m->params, &m->size);
			break;
		}
		case 'A':
			rc = p11_get_attrs(&k->r, va_arg(ap, struct obj_attrs *));
			break;
		case 'P': {
			const uint8_t **pin = va_arg(ap, const uint8_t **);
			uint32_t *len = va_arg(ap, uint32_t *);

			rc = p11_get_u32(&k->r, len);
			if (!rc && *len > P11_MAX_PIN_LEN)
				rc = PKCS11_CKR_PIN_LEN_RANGE;
			if (!rc)
				rc = p11_get_bytes(&k->r, *len, pin);
			break;
		}
		default:
			rc = PKCS11_CKR_GENERAL_ERROR;
		}
	}
	va_end(ap);
	return rc ? rc : p11_reader_done(&k->r);
}

static uint32_t cmd_ping(struct call *k)
{
	const uint32_t v[3] = { PKCS11_TA_VERSION_MAJOR, PKCS11_TA_VERSION_MINOR,
				PKCS11_TA_VERSION_PATCH };

	return put_out(k, v, sizeof(v));
}

static uint32_t cmd_slot_list(struct call *k)
{
	const uint32_t slot = 0;

	return put_out(k, &slot, sizeof(slot));
}

static uint32_t cmd_slot_info(struct call *k)
{
	static const char desc[] = "swtee pkcs11 TA";
	static const char manuf[] = "swtee";
	struct pkcs11_slot_info si;
	uint32_t rc = decode(k, "L");

	if (rc)
		return rc;
	TEE_MemFill(&si, 0, sizeof(si));
	TEE_MemFill(si.slot_description, ' ', sizeof(si.slot_description));
	TEE_MemMove(si.slot_description, desc, sizeof(desc) - 1);
	TEE_MemFill(si.manufacturer_id, ' ', sizeof(si.manufacturer_id));
	TEE_MemMove(si.manufacturer_id, manuf, sizeof(manuf) - 1);
	si.flags = PKCS11_CKFS_TOKEN_PRESENT;
	si.firmware_version[0] = PKCS11_TA_VERSION_MAJOR;
	si.firmware_version[1] = PKCS11_TA_VERSION_MINOR;
	return put_out(k, &si, sizeof(si));
}

static uint32_t cmd_token_info(struct call *k)
{
	struct pkcs11_token_info ti;
	uint32_t rc = decode(k, "L");

	if (!rc)
		rc = p11_token_info(&ti);
	return rc ? rc : put_out(k, &ti, sizeof(ti));
}

static uint32_t cmd_mechanism_ids(struct call *k)
{
	uint32_t ids[64];
	uint32_t n = p11_mech_count();
	uint32_t i = 0;
	uint32_t rc = decode(k, "L");

	if (rc)
		return rc;
	for (i = 0; i < n && i < 64; i++)
		ids[i] = p11_mech_at(i)->id;
	return put_out(k, ids, i * sizeof(uint32_t));
}

static uint32_t cmd_mechanism_info(struct call *k)
{
	struct pkcs11_mechanism_info mi;
	const struct p11_mech_desc *d = NULL;
	uint32_t mech = 0;
	uint32_t rc = decode(k, "Lu", &mech);

	if (rc)
		return rc;
	d = p11_mech_find(mech);
	if (!d)
		return PKCS11_CKR_MECHANISM_INVALID;
	mi.min_key_size = d->min_key;
	mi.max_key_size = d->max_key;
	mi.flags = d->flags;
	return put_out(k, &mi, sizeof(mi));
}

static uint32_t cmd_open_session(struct call *k)
{
	uint32_t flags = 0;
	uint32_t h = 0;
	uint32_t rc = decode(k, "Lu", &flags);

	if (!rc && !(g_token.flags & PKCS11_CKFT_TOKEN_INITIALIZED))
		rc = PKCS11_CKR_TOKEN_NOT_RECOGNIZED;
	if (!rc)
		rc = p11_session_open(k->c, flags, &h);
	if (!rc) {
		rc = put_out(k, &h, sizeof(h));
		if (rc)
			p11_session_close(k->c, h);
	}
	return rc;
}

static uint32_t cmd_close_session(struct call *k)
{
	struct p11_session *s = NULL;
	uint32_t rc = session_only(k, &s);

	return rc ? rc : p11_session_close(k->c, s->handle);
}

static uint32_t cmd_close_all_sessions(struct call *k)
{
	uint32_t rc = decode(k, "L");

	if (!rc)
		p11_session_close_all(k->c);
	return rc;
}

static uint32_t cmd_session_info(struct call *k)
{
	struct p11_session *s = NULL;
	struct pkcs11_session_info si;
	uint32_t rc = session_only(k, &s);

	if (rc)
		return rc;
	si.slot_id = 0;
	si.state = p11_session_state(k->c, s);
	si.flags = PKCS11_CKFSS_SERIAL_SESSION | (s->rw ? PKCS11_CKFSS_RW_SESSION : 0);
	si.device_error = 0;
	return put_out(k, &si, sizeof(si));
}



static uint32_t cmd_init_token(struct call *k)
{
	const uint8_t *label = NULL;
	const uint8_t *pin = NULL;
	uint32_t len = 0;
	uint32_t rc = get_slot(k);

	/* slot, PIN length, label[32], PIN: the label sits in between */
	if (!rc)
		rc = p11_get_u32(&k->r, &len);
	if (!rc && len > P11_MAX_PIN_LEN)
		rc = PKCS11_CKR_PIN_LEN_RANGE;
	if (!rc)
		rc = p11_get_bytes(&k->r, PKCS11_TOKEN_LABEL_SIZE, &label);
	if (!rc)
		rc = p11_get_bytes(&k->r, len, &pin);
	if (!rc)
		rc = p11_reader_done(&k->r);
	return rc ? rc : p11_token_init(pin, len, label);
}

static uint32_t cmd_init_pin(struct call *k)
{
	struct p11_session *s = NULL;
	const uint8_t *pin = NULL;
	uint32_t len = 0;
	uint32_t rc = decode(k, "SP", &s, &pin, &len);

	return rc ? rc : p11_init_pin(k->c, s, pin, len);
}

static uint32_t cmd_set_pin(struct call *k)
{
	struct p11_session *s = NULL;
	const uint8_t *old_pin = NULL;
	const uint8_t *new_pin = NULL;
	uint32_t old_len = 0;
	uint32_t new_len = 0;
	uint32_t rc = get_session(k, &s);

	if (!rc)
		rc = p11_get_u32(&k->r, &old_len);
	if (!rc)
		rc = p11_get_u32(&k->r, &new_len);
	if (!rc && (old_len > P11_MAX_PIN_LEN || new_len > P11_MAX_PIN_LEN))
		rc = PKCS11_CKR_PIN_LEN_RANGE;
	if (!rc)
		rc = p11_get_bytes(&k->r, old_len, &old_pin);
	if (!rc)
		rc = p11_get_bytes(&k->r, new_len, &new_pin);
	if (!rc)
		rc = p11_reader_done(&k->r);
	return rc ? rc : p11_set_pin(k->c, s, old_pin, old_len, new_pin, new_len);
}

static uint32_t cmd_login(struct call *k)
{
	struct p11_session *s = NULL;
	const uint8_t *pin = NULL;
	uint32_t user = 0;
	uint32_t len = 0;
	uint32_t rc = decode(k, "SuP", &s, &user, &pin, &len);

	return rc ? rc : p11_login(k->c, s, user, pin, len);
}

static uint32_t cmd_logout(struct call *k)
{
	struct p11_session *s = NULL;
	uint32_t rc = session_only(k, &s);

	return rc ? rc : p11_logout(k->c);
}

/* Adds a complete object and answers its handle; no object on failure. */
static uint32_t add_and_answer(struct call *k, struct p11_session *s,
			       struct obj_attrs *a)
{
	uint32_t h = 0;
	uint32_t rc = p11_object_access(k->c, s, a, true);
	void *b = NULL;
	size_t sz = 0;

	/* Check the answer fits before creating anything. */
	if (!rc)
		rc = out_buf(k, &b, &sz);
	if (!rc && sz < sizeof(h)) {
		k->out_size = sizeof(h);
		rc = PKCS11_CKR_BUFFER_TOO_SMALL;
	}
	if (!rc)
		rc = p11_object_add(k->c, s, a, &h);
	if (!rc)
		rc = put_out(k, &h, sizeof(h));
	return rc;
}

static uint32_t cmd_create_object(struct call *k)
{
	struct p11_session *s = NULL;
	struct obj_attrs t = { 0 };
	struct obj_attrs a = { 0 };
	uint32_t rc = decode(k, "SA", &s, &t);

	if (!rc)
		rc = p11_template_create(&t, P11_ORIGIN_IMPORT, PKCS11_UNDEFINED_ID,
					 PKCS11_UNDEFINED_ID, PKCS11_UNDEFINED_ID, &a);
	if (!rc)
		rc = add_and_answer(k, s, &a);
	p11_attrs_free(&t);
	p11_attrs_free(&a);
	return rc;
}



static uint32_t cmd_destroy_object(struct call *k)
{
	struct p11_session *s = NULL;
	struct p11_object *o = NULL;
	uint32_t rc = decode(k, "SO", &s, &o);

	return rc ? rc : p11_object_destroy(k->c, s, o);
}

static uint32_t cmd_op_init(struct call *k, enum p11_op_kind kind)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	uint32_t key = 0;
	uint32_t rc = decode(k, "SuM", &s, &key, &m);

	return rc ? rc : p11_crypto_init(k->c, s, kind, key, m.id, m.params, m.size);
}

static uint32_t cmd_op_step(struct call *k, enum p11_op_kind kind, uint32_t step)
{
	struct p11_session *s = NULL;
	const void *in = NULL;
	size_t in_len = 0;
	void *out = NULL;
	size_t out_len = 0;
	uint32_t rc = session_only(k, &s);
	bool sig_in = kind == P11_OP_VERIFY && step != P11_STEP_UPDATE;

	if (rc)
		return rc;
	if (step != P11_STEP_FINAL)
		rc = in_buf(k, 1, &in, &in_len);
	if (!rc && sig_in) {
		const void *sig = NULL;

		rc = in_buf(k, 2, &sig, &out_len);
		out = (void *)sig;
	} else if (!rc && (step != P11_STEP_UPDATE || kind == P11_OP_ENCRYPT ||
			   kind == P11_OP_DECRYPT)) {
		if (has_type(k, 2, PT(NONE)))
			out_len = 0;
		else
			rc = out_buf(k, &out, &out_len);
	}
	if (rc) {
		/* A malformed step ends the operation, as any error does. */
		p11_active_release(&s->op);
		return rc;
	}
	rc = p11_crypto_step(s, kind, step, in, in_len, out, &out_len);
	if (!sig_in)
		k->out_size = out_len;
	return rc;
}

static uint32_t cmd_generate_key(struct call *k)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	struct obj_attrs t = { 0 };
	struct obj_attrs a = { 0 };
	uint32_t kt = PKCS11_UNDEFINED_ID;
	uint32_t rc = decode(k, "SMA", &s, &m, &t);
	uint32_t mech = m.id;

	if (!rc) {
		if (mech == PKCS11_CKM_AES_KEY_GEN)
			kt = PKCS11_CKK_AES;
		else if (mech != PKCS11_CKM_GENERIC_SECRET_KEY_GEN)
			rc = PKCS11_CKR_MECHANISM_INVALID;
	}
	if (!rc)
		rc = p11_template_create(&t, P11_ORIGIN_GENERATE, PKCS11_CKO_SECRET_KEY,
					 kt, mech, &a);
	if (!rc && mech == PKCS11_CKM_GENERIC_SECRET_KEY_GEN &&
	    p11_obj_key_type(&a) == PKCS11_CKK_AES)
		rc = PKCS11_CKR_TEMPLATE_INCONSISTENT;
	if (!rc)
		rc = p11_object_access(k->c, s, &a, true);
	if (!rc)
		rc = p11_generate_key(mech, m.params, m.size, &a);
	if (!rc)
		rc = add_and_answer(k, s, &a);
	p11_attrs_free(&t);
	p11_attrs_free(&a);
	return rc;
}

static uint32_t cmd_generate_key_pair(struct call *k)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	struct obj_attrs pt = { 0 };
	struct obj_attrs vt = { 0 };
	struct obj_attrs pub = { 0 };
	struct obj_attrs priv = { 0 };
	uint32_t kt = 0;
	uint32_t h[2] = { 0, 0 };
	void *b = NULL;
	size_t sz = 0;
	uint32_t rc = decode(k, "SMAA", &s, &m, &pt, &vt);
	uint32_t mech = m.id;

	if (!rc && m.size)
		rc = PKCS11_CKR_MECHANISM_PARAM_INVALID;
	if (!rc) {
		switch (mech) {
		case PKCS11_CKM_RSA_PKCS_KEY_PAIR_GEN:
			kt = PKCS11_CKK_RSA;
			break;
		case PKCS11_CKM_EC_KEY_PAIR_GEN:
			kt = PKCS11_CKK_EC;
			break;
		case PKCS11_CKM_EC_EDWARDS_KEY_PAIR_GEN:
			kt = PKCS11_CKK_EC_EDWARDS;
			break;
		default:
			rc = PKCS11_CKR_MECHANISM_INVALID;
		}
	}
	if (!rc)
		rc = p11_template_create(&pt, P11_ORIGIN_GENERATE, PKCS11_CKO_PUBLIC_KEY,
					 kt, mech, &pub);
	if (!rc)
		rc = p11_template_create(&vt, P11_ORIGIN_GENERATE, PKCS11_CKO_PRIVATE_KEY,
					 kt, mech, &priv);
	if (!rc)
		rc = p11_object_access(k->c, s, &pub, true);
	if (!rc)
		rc = p11_object_access(k->c, s, &priv, true);
	if (!rc)
		rc = out_buf(k, &b, &sz);
	if (!rc && sz < sizeof(h)) {
		k->out_size = sizeof(h);
		rc = PKCS11_CKR_BUFFER_TOO_SMALL;
	}
	if (!rc)
		rc = p11_generate_key_pair(mech, &pub, &priv);
	if (!rc)
		rc = p11_object_add(k->c, s, &priv, &h[1]);
	if (!rc) {
		rc = p11_object_add(k->c, s, &pub, &h[0]);
		if (rc) /* no half key pair */
			p11_object_destroy(k->c, s, p11_object_get(k->c, h[1]));
	}
	if (!rc)
		rc = put_out(k, h, sizeof(h));
	p11_attrs_free(&pt);
	p11_attrs_free(&vt);
	p11_attrs_free(&pub);
	p11_attrs_free(&priv);
	return rc;
}

static uint32_t cmd_find_init(struct call *k)
{
	struct p11_session *s = NULL;
	struct obj_attrs t = { 0 };
	uint32_t rc = decode(k, "SA", &s, &t);

	if (!rc)
		rc = p11_find_init(k->c, s, &t);
	p11_attrs_free(&t);
	return rc;
}

static uint32_t cmd_find(struct call *k)
{
	struct p11_session *s = NULL;
	void *b = NULL;
	size_t sz = 0;
	uint32_t n = 0;
	uint32_t rc = session_only(k, &s);

	if (!rc)
		rc = out_buf(k, &b, &sz);
	if (rc)
		return rc;
	if (!s->find.find_active)
		return PKCS11_CKR_OPERATION_NOT_INITIALIZED;
	n = s->find.found_count - s->find.found_pos;
	if (n > sz / sizeof(uint32_t))
		n = sz / sizeof(uint32_t);
	TEE_MemMove(b, s->find.found + s->find.found_pos, n * sizeof(uint32_t));
	s->find.found_pos += n;
	k->out_size = n * sizeof(uint32_t);
	return PKCS11_CKR_OK;
}

static uint32_t cmd_find_final(struct call *k)
{
	struct p11_session *s = NULL;
	uint32_t rc = session_only(k, &s);

	if (rc)
		return rc;
	if (!s->find.find_active)
		return PKCS11_CKR_OPERATION_NOT_INITIALIZED;
	p11_active_release(&s->find);
	return PKCS11_CKR_OK;
}

static uint32_t cmd_get_object_size(struct call *k)
{
	struct p11_session *s = NULL;
	struct p11_object *o = NULL;
	uint32_t sz = 0;
	uint32_t rc = decode(k, "SO", &s, &o);

	if (rc)
		return rc;
	sz = (uint32_t)p11_attrs_serial_size(&o->attrs);
	return put_out(k, &sz, sizeof(sz));
}

/*
 * The answer has the request's layout: each attribute head in place, its
 * size field updated to the value's size (or UNAVAILABLE), and the value
 * copied when the client's room for it is large enough.
 */
static uint32_t cmd_get_attribute_value(struct call *k)
{
	struct p11_session *s = NULL;
	struct p11_object *o = NULL;
	struct obj_attrs t = { 0 };
	uint8_t *out = NULL;
	size_t out_sz = 0;
	uint32_t pos = 0;
	uint32_t id = 0;
	const uint8_t *v = NULL;
	uint32_t room = 0;
	uint32_t rc_sens = 0;
	uint32_t rc_type = 0;
	uint32_t rc_small = 0;
	uint32_t rc = decode(k, "SOA", &s, &o, &t);

	if (!rc)
		rc = out_buf(k, (void **)&out, &out_sz);
	if (!rc && out_sz < p11_attrs_serial_size(&t))
		rc = PKCS11_CKR_ARGUMENTS_BAD;
	if (rc) {
		p11_attrs_free(&t);
		return rc;
	}
	p11_attrs_serialize(&t, out);
	while (p11_attrs_next(&t, &pos, &id, &v, &room)) {
		uint8_t *head = out + sizeof(struct pkcs11_object_head) + pos -
				room - sizeof(struct pkcs11_attribute_head);
		const uint8_t *val = NULL;
		uint32_t vsz = 0;
		uint32_t report = 0;

		if (p11_attr_is_sensitive(&o->attrs, id)) {
			report = PKCS11_CK_UNAVAILABLE_INFORMATION;
			rc_sens = PKCS11_CKR_ATTRIBUTE_SENSITIVE;
		} else if (!p11_attrs_get(&o->attrs, id, &val, &vsz)) {
			report = PKCS11_CK_UNAVAILABLE_INFORMATION;
			rc_type = PKCS11_CKR_ATTRIBUTE_TYPE_INVALID;
		} else {
			report = vsz;
			/* room 0 is a size query (no value buffer) */
			if (room >= vsz)
				TEE_MemMove(head + sizeof(struct pkcs11_attribute_head),
					    val, vsz);
			else if (room)
				rc_small = PKCS11_CKR_BUFFER_TOO_SMALL;
		}
		TEE_MemMove(head + 4, &report, sizeof(report));
	}
	k->out_size = p11_attrs_serial_size(&t);
	p11_attrs_free(&t);
	if (rc_sens)
		return rc_sens;
	if (rc_type)
		return rc_type;
	return rc_small;
}

static uint32_t cmd_set_attribute_value(struct call *k)
{
	struct p11_session *s = NULL;
	struct p11_object *o = NULL;
	struct obj_attrs t = { 0 };
	uint32_t rc = decode(k, "SOA", &s, &o, &t);

	if (!rc)
		rc = p11_object_access(k->c, s, &o->attrs, true);
	if (!rc)
		rc = p11_template_check_set(&o->attrs, &t, false);
	if (!rc)
		rc = p11_object_update(o, &t);
	p11_attrs_free(&t);
	return rc;
}

static uint32_t cmd_copy_object(struct call *k)
{
	struct p11_session *s = NULL;
	struct p11_object *o = NULL;
	struct obj_attrs t = { 0 };
	struct obj_attrs a = { 0 };
	uint32_t pos = 0;
	uint32_t id = 0;
	const uint8_t *v = NULL;
	uint32_t sz = 0;
	uint32_t rc = decode(k, "SOA", &s, &o, &t);

	if (!rc)
		rc = p11_template_check_set(&o->attrs, &t, true);
	if (!rc)
		rc = p11_attrs_copy(&a, &o->attrs);
	while (!rc && p11_attrs_next(&t, &pos, &id, &v, &sz))
		rc = p11_attrs_set(&a, id, v, sz);
	if (!rc)
		rc = add_and_answer(k, s, &a);
	p11_attrs_free(&t);
	p11_attrs_free(&a);
	return rc;
}

static uint32_t cmd_seed_random(struct call *k)
{
	struct p11_session *s = NULL;
	const void *in = NULL;
	size_t n = 0;
	uint32_t rc = session_only(k, &s);

	/* The TEE's generator needs no seed; the input is accepted. */
	return rc ? rc : in_buf(k, 1, &in, &n);
}

static uint32_t cmd_generate_random(struct call *k)
{
	struct p11_session *s = NULL;
	void *b = NULL;
	size_t sz = 0;
	uint32_t rc = session_only(k, &s);

	if (!rc)
		rc = out_buf(k, &b, &sz);
	if (rc)
		return rc;
	if (sz > P11_MAX_ACCUMULATE)
		return PKCS11_CKR_DATA_LEN_RANGE;
	TEE_GenerateRandom(b, sz);
	k->out_size = sz;
	return PKCS11_CKR_OK;
}

static uint32_t cmd_derive_key(struct call *k)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	struct obj_attrs t = { 0 };
	uint32_t key = 0;
	uint32_t h = 0;
	uint32_t rc = decode(k, "SuMA", &s, &key, &m, &t);

	if (!rc)
		rc = p11_derive(k->c, s, key, m.id, m.params, m.size, &t, &h);
	if (!rc)
		rc = put_out(k, &h, sizeof(h));
	p11_attrs_free(&t);
	return rc;
}

static uint32_t cmd_release_active(struct call *k)
{
	struct p11_session *s = NULL;
	uint32_t cmd = 0;
	uint32_t rc = decode(k, "Su", &s, &cmd);

	if (!rc)
		p11_active_release(&s->op);
	return rc;
}

static uint32_t cmd_digest_init(struct call *k)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	uint32_t rc = decode(k, "SM", &s, &m);

	if (!rc && m.size)
		rc = PKCS11_CKR_MECHANISM_PARAM_INVALID;
	return rc ? rc : p11_digest_init(s, m.id);
}

static uint32_t cmd_digest_key(struct call *k)
{
	struct p11_session *s = NULL;
	struct p11_object *o = NULL;
	const uint8_t *v = NULL;
	uint32_t n = 0;
	size_t out_len = 0;
	uint32_t rc = decode(k, "SO", &s, &o);

	if (rc)
		return rc == PKCS11_CKR_OBJECT_HANDLE_INVALID ?
			       PKCS11_CKR_KEY_HANDLE_INVALID : rc;
	if (s->op.kind != P11_OP_DIGEST)
		return PKCS11_CKR_OPERATION_NOT_INITIALIZED;
	if (p11_obj_class(&o->attrs) != PKCS11_CKO_SECRET_KEY ||
	    p11_attr_is_sensitive(&o->attrs, PKCS11_CKA_VALUE) ||
	    !p11_attrs_get(&o->attrs, PKCS11_CKA_VALUE, &v, &n)) {
		/* An error ends the digest operation. */
		p11_active_release(&s->op);
		return PKCS11_CKR_KEY_INDIGESTIBLE;
	}
	return p11_crypto_step(s, P11_OP_DIGEST, P11_STEP_UPDATE, v, n, NULL, &out_len);
}

static uint32_t cmd_wrap_key(struct call *k)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	uint32_t wrapping = 0;
	uint32_t key = 0;
	void *out = NULL;
	size_t out_len = 0;
	uint32_t rc = decode(k, "SuuM", &s, &wrapping, &key, &m);

	if (!rc)
		rc = out_buf(k, &out, &out_len);
	if (rc)
		return rc;
	rc = p11_wrap(k->c, s, wrapping, key, m.id, m.params, m.size, out, &out_len);
	k->out_size = out_len;
	return rc;
}

static uint32_t cmd_unwrap_key(struct call *k)
{
	struct p11_session *s = NULL;
	struct mech_arg m;
	struct obj_attrs t = { 0 };
	uint32_t unwrapping = 0;
	const void *in = NULL;
	size_t in_len = 0;
	uint32_t h = 0;
	uint32_t rc = decode(k, "SuMA", &s, &unwrapping, &m, &t);

	if (!rc)
		rc = in_buf(k, 1, &in, &in_len);
	if (!rc)
		rc = p11_unwrap(k->c, s, unwrapping, m.id, m.params, m.size, &t, in, in_len,
				&h);
	if (!rc)
		rc = put_out(k, &h, sizeof(h));
	p11_attrs_free(&t);
	return rc;
}

static uint32_t dispatch(struct call *k, uint32_t cmd)
{
	switch (cmd) {
	case PKCS11_CMD_PING: return cmd_ping(k);
	case PKCS11_CMD_SLOT_LIST: return cmd_slot_list(k);
	case PKCS11_CMD_SLOT_INFO: return cmd_slot_info(k);
	case PKCS11_CMD_TOKEN_INFO: return cmd_token_info(k);
	case PKCS11_CMD_MECHANISM_IDS: return cmd_mechanism_ids(k);
	case PKCS11_CMD_MECHANISM_INFO: return cmd_mechanism_info(k);
	case PKCS11_CMD_OPEN_SESSION: return cmd_open_session(k);
	case PKCS11_CMD_CLOSE_SESSION: return cmd_close_session(k);
	case PKCS11_CMD_CLOSE_ALL_SESSIONS: return cmd_close_all_sessions(k);
	case PKCS11_CMD_SESSION_INFO: return cmd_session_info(k);
	case PKCS11_CMD_INIT_TOKEN: return cmd_init_token(k);
	case PKCS11_CMD_INIT_PIN: return cmd_init_pin(k);
	case PKCS11_CMD_SET_PIN: return cmd_set_pin(k);
	case PKCS11_CMD_LOGIN: return cmd_login(k);
	case PKCS11_CMD_LOGOUT: return cmd_logout(k);
	case PKCS11_CMD_CREATE_OBJECT: return cmd_create_object(k);
	case PKCS11_CMD_DESTROY_OBJECT: return cmd_destroy_object(k);
	case PKCS11_CMD_ENCRYPT_INIT: return cmd_op_init(k, P11_OP_ENCRYPT);
	case PKCS11_CMD_DECRYPT_INIT: return cmd_op_init(k, P11_OP_DECRYPT);
	case PKCS11_CMD_SIGN_INIT: return cmd_op_init(k, P11_OP_SIGN);
	case PKCS11_CMD_VERIFY_INIT: return cmd_op_init(k, P11_OP_VERIFY);
	case PKCS11_CMD_ENCRYPT_UPDATE: return cmd_op_step(k, P11_OP_ENCRYPT, P11_STEP_UPDATE);
	case PKCS11_CMD_DECRYPT_UPDATE: return cmd_op_step(k, P11_OP_DECRYPT, P11_STEP_UPDATE);
	case PKCS11_CMD_ENCRYPT_FINAL: return cmd_op_step(k, P11_OP_ENCRYPT, P11_STEP_FINAL);
	case PKCS11_CMD_DECRYPT_FINAL: return cmd_op_step(k, P11_OP_DECRYPT, P11_STEP_FINAL);
	case PKCS11_CMD_ENCRYPT_ONESHOT: return cmd_op_step(k, P11_OP_ENCRYPT, P11_STEP_ONESHOT);
	case PKCS11_CMD_DECRYPT_ONESHOT: return cmd_op_step(k, P11_OP_DECRYPT, P11_STEP_ONESHOT);
	case PKCS11_CMD_SIGN_UPDATE: return cmd_op_step(k, P11_OP_SIGN, P11_STEP_UPDATE);
	case PKCS11_CMD_VERIFY_UPDATE: return cmd_op_step(k, P11_OP_VERIFY, P11_STEP_UPDATE);
	case PKCS11_CMD_SIGN_FINAL: return cmd_op_step(k, P11_OP_SIGN, P11_STEP_FINAL);
	case PKCS11_CMD_VERIFY_FINAL: return cmd_op_step(k, P11_OP_VERIFY, P11_STEP_FINAL);
	case PKCS11_CMD_SIGN_ONESHOT: return cmd_op_step(k, P11_OP_SIGN, P11_STEP_ONESHOT);
	case PKCS11_CMD_VERIFY_ONESHOT: return cmd_op_step(k, P11_OP_VERIFY, P11_STEP_ONESHOT);
	case PKCS11_CMD_GENERATE_KEY: return cmd_generate_key(k);
	case PKCS11_CMD_FIND_OBJECTS_INIT: return cmd_find_init(k);
	case PKCS11_CMD_FIND_OBJECTS: return cmd_find(k);
	case PKCS11_CMD_FIND_OBJECTS_FINAL: return cmd_find_final(k);
	case PKCS11_CMD_GET_OBJECT_SIZE: return cmd_get_object_size(k);
	case PKCS11_CMD_GET_ATTRIBUTE_VALUE: return cmd_get_attribute_value(k);
	case PKCS11_CMD_SET_ATTRIBUTE_VALUE: return cmd_set_attribute_value(k);
	case PKCS11_CMD_COPY_OBJECT: return cmd_copy_object(k);
	case PKCS11_CMD_SEED_RANDOM: return cmd_seed_random(k);
	case PKCS11_CMD_GENERATE_RANDOM: return cmd_generate_random(k);
	case PKCS11_CMD_DERIVE_KEY: return cmd_derive_key(k);
	case PKCS11_CMD_RELEASE_ACTIVE_PROCESSING: return cmd_release_active(k);
	case PKCS11_CMD_DIGEST_INIT: return cmd_digest_init(k);
	case PKCS11_CMD_DIGEST_KEY: return cmd_digest_key(k);
	case PKCS11_CMD_DIGEST_UPDATE: return cmd_op_step(k, P11_OP_DIGEST, P11_STEP_UPDATE);
	case PKCS11_CMD_DIGEST_FINAL: return cmd_op_step(k, P11_OP_DIGEST, P11_STEP_FINAL);
	case PKCS11_CMD_DIGEST_ONESHOT: return cmd_op_step(k, P11_OP_DIGEST, P11_STEP_ONESHOT);
	case PKCS11_CMD_GENERATE_KEY_PAIR: return cmd_generate_key_pair(k);
	case PKCS11_CMD_WRAP_KEY: return cmd_wrap_key(k);
	case PKCS11_CMD_UNWRAP_KEY: return cmd_unwrap_key(k);
	default: return PKCS11_RV_NOT_IMPLEMENTED;
	}
}

TEE_Result TA_CreateEntryPoint(void)
{
	TEE_Result res = p11_token_load();

	if (!res)
		res = p11_objects_load();
	return res;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t ptypes, TEE_Param params[4],
				    void **sess)
{
	struct p11_client *c = NULL;

	(void)ptypes;
	(void)params;
	c = p11_client_new();
	if (!c)
		return TEE_ERROR_BUSY;
	*sess = c;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess)
{
	p11_client_free(sess);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess, uint32_t cmd, uint32_t ptypes,
				      TEE_Param params[4])
{
	struct call k = { .c = sess, .ptypes = ptypes, .p = params };
	uint8_t *ctrl = NULL;
	size_t ctrl_size = 0;
	uint32_t t0 = TEE_PARAM_TYPE_GET(ptypes, 0);
	uint32_t rc = 0;

	/* A bare ping (no control buffer) answers the version only. */
	if (cmd == PKCS11_CMD_PING && t0 == PT(NONE)) {
		rc = cmd_ping(&k);
		if (!rc)
			params[2].memref.size = k.out_size;
		return rc ? TEE_ERROR_BAD_PARAMETERS : TEE_SUCCESS;
	}
	if ((t0 != PT(MEMREF_INOUT) && t0 != PT(MEMREF_OUTPUT)) ||
	    params[0].memref.size < sizeof(uint32_t))
		return TEE_ERROR_BAD_PARAMETERS;
	if (t0 == PT(MEMREF_INOUT)) {
		ctrl_size = params[0].memref.size;
		if (ctrl_size > MAX_CTRL)
			return TEE_ERROR_EXCESS_DATA;
		ctrl = TEE_Malloc(ctrl_size, 0);
		if (!ctrl)
			return TEE_ERROR_OUT_OF_MEMORY;
		/* Read the shared buffer once; decode the private copy. */
		TEE_MemMove(ctrl, params[0].memref.buffer, ctrl_size);
	}
	p11_reader_init(&k.r, ctrl, ctrl_size);
	rc = dispatch(&k, cmd);
	if (ctrl) {
		TEE_MemFill(ctrl, 0, ctrl_size); /* PINs pass through here */
		TEE_Free(ctrl);
	}
	if (rc == PKCS11_RV_NOT_IMPLEMENTED)
		return TEE_ERROR_NOT_SUPPORTED;
	TEE_MemMove(params[0].memref.buffer, &rc, sizeof(rc));
	params[0].memref.size = sizeof(rc);
	if (has_type(&k, 2, PT(MEMREF_OUTPUT)) || has_type(&k, 2, PT(MEMREF_INOUT)))
		params[2].memref.size = k.out_size;
	return rc == PKCS11_CKR_BUFFER_TOO_SMALL ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
}
