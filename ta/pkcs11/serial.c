/*
 * Serialized attribute lists and the control-buffer reader of the pkcs11
 * TA protocol. Every length read from the wire is checked against what is
 * left before it is used; sums cannot overflow because each term is
 * bounded by the buffer size first.
 */
#include "serial.h"

#include "p11_alloc.h"

#define HEAD_SIZE ((uint32_t)sizeof(struct pkcs11_attribute_head))

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	p11_memcpy(&v, p, sizeof(v));
	return v;
}

void p11_reader_init(struct p11_reader *r, const void *buf, size_t size)
{
	r->p = buf;
	r->left = buf ? size : 0;
}

uint32_t p11_get_bytes(struct p11_reader *r, size_t n, const uint8_t **out)
{
	if (n > r->left)
		return PKCS11_CKR_ARGUMENTS_BAD;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return PKCS11_CKR_OK;
}

uint32_t p11_get_u32(struct p11_reader *r, uint32_t *out)
{
	const uint8_t *p = NULL;
	uint32_t rc = p11_get_bytes(r, sizeof(uint32_t), &p);

	if (rc)
		return rc;
	*out = rd32(p);
	return PKCS11_CKR_OK;
}

uint32_t p11_get_mechanism(struct p11_reader *r, uint32_t *mech,
			   const uint8_t **params, uint32_t *params_size)
{
	uint32_t rc = p11_get_u32(r, mech);

	if (!rc)
		rc = p11_get_u32(r, params_size);
	if (!rc && *params_size > P11_MAX_ATTR_SIZE)
		rc = PKCS11_CKR_MECHANISM_PARAM_INVALID;
	if (!rc)
		rc = p11_get_bytes(r, *params_size, params);
	return rc;
}

uint32_t p11_get_attrs(struct p11_reader *r, struct obj_attrs *out)
{
	size_t used = 0;
	uint32_t rc = p11_attrs_parse(r->p, r->left, out, &used);

	if (rc)
		return rc;
	r->p += used;
	r->left -= used;
	return PKCS11_CKR_OK;
}

uint32_t p11_reader_done(const struct p11_reader *r)
{
	return r->left ? PKCS11_CKR_ARGUMENTS_BAD : PKCS11_CKR_OK;
}

void p11_attrs_init(struct obj_attrs *a)
{
	a->buf = NULL;
	a->size = 0;
	a->count = 0;
	a->cap = 0;
}

void p11_attrs_free(struct obj_attrs *a)
{
	if (a->buf) {
		/* Attribute lists hold key material: wipe before release. */
		p11_memset(a->buf, 0, a->cap);
		p11_free(a->buf);
	}
	p11_attrs_init(a);
}

static uint32_t reserve(struct obj_attrs *a, uint32_t more)
{
	uint32_t need = 0;
	uint8_t *nb = NULL;
	uint32_t cap = 0;

	if (more > P11_MAX_ATTRS_SIZE || a->size > P11_MAX_ATTRS_SIZE - more)
		return PKCS11_CKR_DEVICE_MEMORY;
	need = a->size + more;
	if (need <= a->cap)
		return PKCS11_CKR_OK;
	cap = a->cap ? a->cap : 256;
	while (cap < need)
		cap *= 2;
	/* Fresh buffer rather than realloc, so the old one can be wiped. */
	nb = p11_alloc(cap);
	if (!nb)
		return PKCS11_CKR_DEVICE_MEMORY;
	if (a->buf) {
		p11_memcpy(nb, a->buf, a->size);
		p11_memset(a->buf, 0, a->cap);
		p11_free(a->buf);
	}
	a->buf = nb;
	a->cap = cap;
	return PKCS11_CKR_OK;
}

bool p11_attrs_next(const struct obj_attrs *a, uint32_t *pos, uint32_t *id,
		    const uint8_t **val, uint32_t *size)
{
	uint32_t sz = 0;

	if (*pos >= a->size)
		return false;
	*id = rd32(a->buf + *pos);
	sz = rd32(a->buf + *pos + 4);
	*size = sz;
	*val = a->buf + *pos + HEAD_SIZE;
	*pos += HEAD_SIZE + sz;
	return true;
}

/* Offset of attribute `id`, or -1. */
static int64_t find(const struct obj_attrs *a, uint32_t id)
{
	uint32_t pos = 0;

	while (pos < a->size) {
		uint32_t cur = rd32(a->buf + pos);
		uint32_t sz = rd32(a->buf + pos + 4);

		if (cur == id)
			return pos;
		pos += HEAD_SIZE + sz;
	}
	return -1;
}

uint32_t p11_attrs_parse(const uint8_t *data, size_t size, struct obj_attrs *out,
			 size_t *consumed)
{
	struct p11_reader r;
	uint32_t attrs_size = 0;
	uint32_t attrs_count = 0;
	const uint8_t *body = NULL;
	uint32_t pos = 0;
	uint32_t n = 0;
	uint32_t rc = 0;

	p11_attrs_init(out);
	p11_reader_init(&r, data, size);
	rc = p11_get_u32(&r, &attrs_size);
	if (!rc)
		rc = p11_get_u32(&r, &attrs_count);
	if (rc)
		return rc;
	if (attrs_size > P11_MAX_ATTRS_SIZE || attrs_count > P11_MAX_ATTRS_COUNT)
		return PKCS11_CKR_TEMPLATE_INCONSISTENT;
	rc = p11_get_bytes(&r, attrs_size, &body);
	if (rc)
		return rc;
	while (pos < attrs_size) {
		uint32_t id = 0;
		uint32_t sz = 0;

		if (attrs_size - pos < HEAD_SIZE)
			return PKCS11_CKR_ARGUMENTS_BAD;
		id = rd32(body + pos);
		sz = rd32(body + pos + 4);
		if (sz > P11_MAX_ATTR_SIZE || sz > attrs_size - pos - HEAD_SIZE)
			return PKCS11_CKR_ARGUMENTS_BAD;
		pos += HEAD_SIZE + sz;
		n++;
		if (n > attrs_count)
			return PKCS11_CKR_ARGUMENTS_BAD;
		(void)id;
	}
	if (n != attrs_count)
		return PKCS11_CKR_ARGUMENTS_BAD;
	if (attrs_size) {
		rc = reserve(out, attrs_size);
		if (rc)
			return rc;
		p11_memcpy(out->buf, body, attrs_size);
	}
	out->size = attrs_size;
	out->count = attrs_count;
	/* No attribute twice: a template says one thing per attribute. */
	pos = 0;
	while (pos < out->size) {
		uint32_t id = rd32(out->buf + pos);
		uint32_t sz = rd32(out->buf + pos + 4);
		uint32_t later = pos + HEAD_SIZE + sz;

		while (later < out->size) {
			if (rd32(out->buf + later) == id) {
				p11_attrs_free(out);
				return PKCS11_CKR_TEMPLATE_INCONSISTENT;
			}
			later += HEAD_SIZE + rd32(out->buf + later + 4);
		}
		pos += HEAD_SIZE + sz;
	}
	if (consumed)
		*consumed = sizeof(struct pkcs11_object_head) + attrs_size;
	return PKCS11_CKR_OK;
}

uint32_t p11_attrs_copy(struct obj_attrs *dst, const struct obj_attrs *src)
{
	uint32_t rc = 0;

	p11_attrs_init(dst);
	rc = reserve(dst, src->size);
	if (rc)
		return rc;
	p11_memcpy(dst->buf, src->buf, src->size);
	dst->size = src->size;
	dst->count = src->count;
	return PKCS11_CKR_OK;
}

bool p11_attrs_get(const struct obj_attrs *a, uint32_t id, const uint8_t **val,
		   uint32_t *size)
{
	int64_t off = find(a, id);

	if (off < 0)
		return false;
	if (size)
		*size = rd32(a->buf + off + 4);
	if (val)
		*val = a->buf + off + HEAD_SIZE;
	return true;
}

bool p11_attrs_has(const struct obj_attrs *a, uint32_t id)
{
	return find(a, id) >= 0;
}

uint32_t p11_attrs_get_bool(const struct obj_attrs *a, uint32_t id, bool *out)
{
	const uint8_t *v = NULL;
	uint32_t sz = 0;

	if (!p11_attrs_get(a, id, &v, &sz))
		return PKCS11_RV_NOT_FOUND;
	if (sz != 1)
		return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
	*out = v[0] != 0;
	return PKCS11_CKR_OK;
}

uint32_t p11_attrs_get_u32(const struct obj_attrs *a, uint32_t id, uint32_t *out)
{
	const uint8_t *v = NULL;
	uint32_t sz = 0;

	if (!p11_attrs_get(a, id, &v, &sz))
		return PKCS11_RV_NOT_FOUND;
	if (sz != sizeof(uint32_t))
		return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
	*out = rd32(v);
	return PKCS11_CKR_OK;
}

bool p11_attrs_bool_or(const struct obj_attrs *a, uint32_t id, bool dflt)
{
	bool v = dflt;

	if (p11_attrs_get_bool(a, id, &v))
		return dflt;
	return v;
}

void p11_attrs_remove(struct obj_attrs *a, uint32_t id)
{
	int64_t off = find(a, id);
	uint32_t len = 0;

	if (off < 0)
		return;
	len = HEAD_SIZE + rd32(a->buf + off + 4);

	{
		uint32_t tail = a->size - (uint32_t)off - len;
		uint8_t *dst = a->buf + off;
		const uint8_t *src = a->buf + off + len;
		uint32_t i = 0;

		for (i = 0; i < tail; i++)
			dst[i] = src[i];
		p11_memset(a->buf + a->size - len, 0, len);
	}
	a->size -= len;
	a->count--;
}

uint32_t p11_attrs_set(struct obj_attrs *a, uint32_t id, const void *val, uint32_t size)
{
	uint32_t rc = 0;
	struct pkcs11_attribute_head h = { .id = id, .size = size };

	if (size > P11_MAX_ATTR_SIZE)
		return PKCS11_CKR_ATTRIBUTE_VALUE_INVALID;
	p11_attrs_remove(a, id);
	if (a->count >= P11_MAX_ATTRS_COUNT)
		return PKCS11_CKR_DEVICE_MEMORY;
	rc = reserve(a, HEAD_SIZE + size);
	if (rc)
		return rc;
	p11_memcpy(a->buf + a->size, &h, HEAD_SIZE);
	p11_memcpy(a->buf + a->size + HEAD_SIZE, val, size);
	a->size += HEAD_SIZE + size;
	a->count++;
	return PKCS11_CKR_OK;
}

uint32_t p11_attrs_set_bool(struct obj_attrs *a, uint32_t id, bool v)
{
	uint8_t b = v ? 1 : 0;

	return p11_attrs_set(a, id, &b, 1);
}

uint32_t p11_attrs_set_u32(struct obj_attrs *a, uint32_t id, uint32_t v)
{
	return p11_attrs_set(a, id, &v, sizeof(v));
}

size_t p11_attrs_serial_size(const struct obj_attrs *a)
{
	return sizeof(struct pkcs11_object_head) + a->size;
}

void p11_attrs_serialize(const struct obj_attrs *a, uint8_t *out)
{
	struct pkcs11_object_head h = { .attrs_size = a->size,
					.attrs_count = a->count };

	p11_memcpy(out, &h, sizeof(h));
	p11_memcpy(out + sizeof(h), a->buf, a->size);
}

bool p11_attrs_match(const struct obj_attrs *a, const struct obj_attrs *tmpl)
{
	uint32_t pos = 0;
	uint32_t id = 0;
	const uint8_t *v = NULL;
	uint32_t sz = 0;

	while (p11_attrs_next(tmpl, &pos, &id, &v, &sz)) {
		const uint8_t *ov = NULL;
		uint32_t osz = 0;

		if (!p11_attrs_get(a, id, &ov, &osz) || osz != sz ||
		    p11_memcmp(ov, v, sz))
			return false;
	}
	return true;
}
