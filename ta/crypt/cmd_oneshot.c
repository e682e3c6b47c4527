/*
 * CRYPT_CMD_ONESHOT: one whole GP operation per invoke (keys, operation,
 * init, updates, final, free), so a test vector costs one round trip. The
 * request is copied out of shared memory and validated before anything
 * runs; the GP calls then see exactly what was validated.
 */
#include "crypt_priv.h"

struct oneshot {
	struct crypt_oneshot h;
	uint8_t *blob; /* private copy: GP takes some inputs as non-const */
	size_t blob_len;
	TEE_ObjectHandle k1, k2, derived;
	TEE_OperationHandle op;
	uint8_t *out;
	size_t out_cap, out_len;
	uint8_t *out2;
	size_t out2_cap, out2_len;
	uint32_t stage;
};

static int span_ok(const struct oneshot *o, struct crypt_span sp)
{
	return sp.len <= o->blob_len && sp.off <= o->blob_len - sp.len;
}

static uint8_t *span_ptr(const struct oneshot *o, struct crypt_span sp)
{
	return sp.len ? o->blob + sp.off : NULL;
}

static TEE_Result fail(struct oneshot *o, uint32_t stage, TEE_Result res)
{
	o->stage = stage;
	return res;
}

static TEE_Result make_key(struct oneshot *o, uint32_t type, uint32_t bits, struct crypt_span sp,
			   TEE_ObjectHandle *key)
{
	struct crypt_attrs attrs;
	TEE_Result res;

	res = crypt_attrs_parse(span_ptr(o, sp), sp.len, &attrs);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_POPULATE, res);
	res = TEE_AllocateTransientObject(type, bits, key);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_ALLOC_KEY, res);
	res = TEE_PopulateTransientObject(*key, attrs.attrs, attrs.count);
	return res == TEE_SUCCESS ? res : fail(o, CRYPT_STAGE_POPULATE, res);
}

/* Room left in the main output. */
static size_t *out_room(struct oneshot *o, size_t *room)
{
	*room = o->out_cap - o->out_len;
	return room;
}

typedef TEE_Result (*update_fn)(struct oneshot *o, const uint8_t *in, size_t len);

/* Feeds all but the last piece of `sp` through fn; returns the last piece. */
static TEE_Result feed(struct oneshot *o, struct crypt_span sp, update_fn fn, const uint8_t **last,
		       size_t *last_len)
{
	const uint8_t *p = span_ptr(o, sp);
	size_t left = sp.len;
	TEE_Result res;

	while (o->h.split != 0 && left > o->h.split) {
		res = fn(o, p, o->h.split);
		if (res != TEE_SUCCESS)
			return res;
		p += o->h.split;
		left -= o->h.split;
	}
	*last = p;
	*last_len = left;
	return TEE_SUCCESS;
}

static TEE_Result upd_digest(struct oneshot *o, const uint8_t *in, size_t len)
{
	TEE_DigestUpdate(o->op, in, len);
	return TEE_SUCCESS;
}

static TEE_Result upd_mac(struct oneshot *o, const uint8_t *in, size_t len)
{
	TEE_MACUpdate(o->op, in, len);
	return TEE_SUCCESS;
}

static TEE_Result upd_aad(struct oneshot *o, const uint8_t *in, size_t len)
{
	TEE_AEUpdateAAD(o->op, in, len);
	return TEE_SUCCESS;
}

typedef TEE_Result (*step_fn)(TEE_OperationHandle op, const void *in, size_t len, void *out,
			       size_t *out_len);

/* fn(in), appended to the main output; a failure is recorded at `stage`. */
static TEE_Result append(struct oneshot *o, step_fn fn, const uint8_t *in, size_t len, uint32_t stage)
{
	size_t room;
	TEE_Result res = fn(o->op, in, len, o->out + o->out_len, out_room(o, &room));

	if (res != TEE_SUCCESS)
		return fail(o, stage, res);
	o->out_len += room;
	return TEE_SUCCESS;
}

static TEE_Result upd_cipher(struct oneshot *o, const uint8_t *in, size_t len)
{
	return append(o, TEE_CipherUpdate, in, len, CRYPT_STAGE_UPDATE);
}

static TEE_Result upd_ae(struct oneshot *o, const uint8_t *in, size_t len)
{
	return append(o, TEE_AEUpdate, in, len, CRYPT_STAGE_UPDATE);
}

/* `in` through upd (in split-size pieces), its last piece through final. */
static TEE_Result feed_final(struct oneshot *o, update_fn upd, step_fn final)
{
	const uint8_t *last;
	size_t n;
	TEE_Result res = feed(o, o->h.in, upd, &last, &n);

	if (res != TEE_SUCCESS)
		return res;
	return append(o, final, last, n, CRYPT_STAGE_FINAL);
}

static TEE_Result run_digest(struct oneshot *o)
{
	return feed_final(o, upd_digest, TEE_DigestDoFinal);
}

static TEE_Result run_cipher(struct oneshot *o)
{
	TEE_CipherInit(o->op, span_ptr(o, o->h.iv), o->h.iv.len);
	return feed_final(o, upd_cipher, TEE_CipherDoFinal);
}

static TEE_Result run_mac(struct oneshot *o)
{
	const uint8_t *last;
	size_t n;
	TEE_Result res;

	TEE_MACInit(o->op, span_ptr(o, o->h.iv), o->h.iv.len);
	if (!(o->h.flags & CRYPT_ONESHOT_VERIFY))
		return feed_final(o, upd_mac, TEE_MACComputeFinal);
	res = feed(o, o->h.in, upd_mac, &last, &n);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_MACCompareFinal(o->op, last, n, span_ptr(o, o->h.tag), o->h.tag.len);
	return res == TEE_SUCCESS ? res : fail(o, CRYPT_STAGE_FINAL, res);
}

static TEE_Result run_ae(struct oneshot *o, uint32_t mode)
{
	const uint8_t *last;
	size_t n, room;
	TEE_Result res;

	res = TEE_AEInit(o->op, span_ptr(o, o->h.iv), o->h.iv.len, o->h.tag_bits, o->h.aad.len, o->h.in.len);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_INIT, res);
	res = feed(o, o->h.aad, upd_aad, &last, &n);
	if (res != TEE_SUCCESS)
		return res;
	if (n != 0)
		TEE_AEUpdateAAD(o->op, last, n);
	res = feed(o, o->h.in, upd_ae, &last, &n);
	if (res != TEE_SUCCESS)
		return res;
	if (mode == TEE_MODE_ENCRYPT) {
		o->out2_len = o->out2_cap;
		res = TEE_AEEncryptFinal(o->op, last, n, o->out + o->out_len, out_room(o, &room), o->out2,
					 &o->out2_len);
	} else {
		res = TEE_AEDecryptFinal(o->op, last, n, o->out + o->out_len, out_room(o, &room),
					 span_ptr(o, o->h.tag), o->h.tag.len);
	}
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_FINAL, res);
	o->out_len += room;
	return TEE_SUCCESS;
}

/* The signature input: `in` itself, or its digest under hash_alg. */
static TEE_Result sig_input(struct oneshot *o, uint8_t *digest, size_t *len, const uint8_t **msg)
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	TEE_Result res;

	if (!(o->h.flags & CRYPT_ONESHOT_PREHASH)) {
		*msg = span_ptr(o, o->h.in);
		*len = o->h.in.len;
		return TEE_SUCCESS;
	}
	res = TEE_AllocateOperation(&h, o->h.hash_alg, TEE_MODE_DIGEST, 0);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_HASH, res);
	res = TEE_DigestDoFinal(h, span_ptr(o, o->h.in), o->h.in.len, digest, len);
	TEE_FreeOperation(h);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_HASH, res);
	*msg = digest;
	return TEE_SUCCESS;
}

static TEE_Result run_asym(struct oneshot *o, uint32_t cls, uint32_t mode)
{
	uint8_t digest[64];
	size_t dlen = sizeof(digest), room;
	const uint8_t *msg = NULL;
	struct crypt_attrs params;
	TEE_Result res;

	res = crypt_attrs_parse(span_ptr(o, o->h.params), o->h.params.len, &params);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_INIT, res);
	if (cls == TEE_OPERATION_ASYMMETRIC_CIPHER) {
		if (mode == TEE_MODE_ENCRYPT)
			res = TEE_AsymmetricEncrypt(o->op, params.attrs, params.count, span_ptr(o, o->h.in),
						    o->h.in.len, o->out, out_room(o, &room));
		else
			res = TEE_AsymmetricDecrypt(o->op, params.attrs, params.count, span_ptr(o, o->h.in),
						    o->h.in.len, o->out, out_room(o, &room));
		if (res != TEE_SUCCESS)
			return fail(o, CRYPT_STAGE_FINAL, res);
		o->out_len = room;
		return TEE_SUCCESS;
	}
	res = sig_input(o, digest, &dlen, &msg);
	if (res != TEE_SUCCESS)
		return res;
	if (mode == TEE_MODE_VERIFY) {
		res = TEE_AsymmetricVerifyDigest(o->op, params.attrs, params.count, msg, dlen,
						 span_ptr(o, o->h.tag), o->h.tag.len);
		return res == TEE_SUCCESS ? res : fail(o, CRYPT_STAGE_FINAL, res);
	}
	res = TEE_AsymmetricSignDigest(o->op, params.attrs, params.count, msg, dlen, o->out,
				       out_room(o, &room));
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_FINAL, res);
	o->out_len = room;
	return TEE_SUCCESS;
}

static TEE_Result run_derive(struct oneshot *o)
{
	struct crypt_attrs params;
	size_t room;
	TEE_Result res;

	res = crypt_attrs_parse(span_ptr(o, o->h.params), o->h.params.len, &params);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_INIT, res);
	res = TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET, o->h.out_bits, &o->derived);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_ALLOC_KEY, res);
	TEE_DeriveKey(o->op, params.attrs, params.count, o->derived);
	res = TEE_GetObjectBufferAttribute(o->derived, TEE_ATTR_SECRET_VALUE, o->out, out_room(o, &room));
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_EXTRACT, res);
	o->out_len = room;
	return TEE_SUCCESS;
}

static TEE_Result run(struct oneshot *o)
{
	TEE_OperationInfo info;
	TEE_Result res;

	if (o->h.key_type != 0) {
		res = make_key(o, o->h.key_type, o->h.key_bits, o->h.key, &o->k1);
		if (res != TEE_SUCCESS)
			return res;
	}
	if (o->h.key2_type != 0) {
		res = make_key(o, o->h.key2_type, o->h.key2_bits, o->h.key2, &o->k2);
		if (res != TEE_SUCCESS)
			return res;
	}
	res = TEE_AllocateOperation(&o->op, o->h.algorithm, o->h.mode, o->h.key_bits);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_ALLOC_OP, res);
	if (o->k2 != TEE_HANDLE_NULL)
		res = TEE_SetOperationKey2(o->op, o->k1, o->k2);
	else if (o->k1 != TEE_HANDLE_NULL)
		res = TEE_SetOperationKey(o->op, o->k1);
	if (res != TEE_SUCCESS)
		return fail(o, CRYPT_STAGE_SET_KEY, res);
	TEE_GetOperationInfo(o->op, &info);
	switch (info.operationClass) {
	case TEE_OPERATION_DIGEST:
		return run_digest(o);
	case TEE_OPERATION_CIPHER:
		return run_cipher(o);
	case TEE_OPERATION_MAC:
		return run_mac(o);
	case TEE_OPERATION_AE:
		return run_ae(o, o->h.mode);
	case TEE_OPERATION_ASYMMETRIC_CIPHER:
	case TEE_OPERATION_ASYMMETRIC_SIGNATURE:
		return run_asym(o, info.operationClass, o->h.mode);
	case TEE_OPERATION_KEY_DERIVATION:
		return run_derive(o);
	default:
		return fail(o, CRYPT_STAGE_ALLOC_OP, TEE_ERROR_NOT_SUPPORTED);
	}
}

CRYPT_HANDLER(crypt_cmd_oneshot)
{
	struct oneshot o;
	uint8_t *req;
	size_t len;
	TEE_Result res;
	TEE_Param *p = c->p;
	const uint32_t pt = c->pt; /* p2 mOUT or NONE (layout: entry.c) */

	len = p[0].memref.size;
	if (len < sizeof(struct crypt_oneshot) || len > CRYPT_ONESHOT_MAX_SIZE)
		return TEE_ERROR_BAD_PARAMETERS;
	req = TEE_Malloc(len, TEE_MALLOC_FILL_ZERO);
	if (req == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(req, p[0].memref.buffer, len);

	TEE_MemFill(&o, 0, sizeof(o));
	TEE_MemMove(&o.h, req, sizeof(o.h));
	o.blob = req + sizeof(o.h);
	o.blob_len = len - sizeof(o.h);
	if (o.h.reserved != 0 || !span_ok(&o, o.h.key) || !span_ok(&o, o.h.key2) || !span_ok(&o, o.h.params) ||
	    !span_ok(&o, o.h.iv) || !span_ok(&o, o.h.aad) || !span_ok(&o, o.h.in) || !span_ok(&o, o.h.tag) ||
	    (o.h.key2_type != 0 && o.h.key_type == 0)) {
		TEE_Free(req);
		return TEE_ERROR_BAD_PARAMETERS;
	}
	o.out = p[1].memref.buffer;
	o.out_cap = p[1].memref.size;
	if (PTYPE(pt, 2) == PT_MOUT) {
		o.out2 = p[2].memref.buffer;
		o.out2_cap = p[2].memref.size;
	}

	res = run(&o);

	if (o.op != TEE_HANDLE_NULL)
		TEE_FreeOperation(o.op);
	if (o.k1 != TEE_HANDLE_NULL)
		TEE_FreeTransientObject(o.k1);
	if (o.k2 != TEE_HANDLE_NULL)
		TEE_FreeTransientObject(o.k2);
	if (o.derived != TEE_HANDLE_NULL)
		TEE_FreeTransientObject(o.derived);
	TEE_Free(req);
	p[1].memref.size = res == TEE_SUCCESS ? o.out_len : 0;
	if (PTYPE(pt, 2) == PT_MOUT)
		p[2].memref.size = res == TEE_SUCCESS ? o.out2_len : 0;
	p[3].value.a = res;
	p[3].value.b = res == TEE_SUCCESS ? CRYPT_STAGE_DONE : o.stage;
	return TEE_SUCCESS;
}
