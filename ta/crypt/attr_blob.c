/*
 * The serialized attribute lists of include/crypt_ta.h. Parsing works on a
 * private copy only, so a client rewriting shared memory meanwhile cannot
 * change what was validated.
 */
#include "crypt_priv.h"

#define REC_HDR 12u

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	TEE_MemMove(&v, p, sizeof(v));
	return v;
}

TEE_Result crypt_attrs_parse(const uint8_t *buf, size_t len, struct crypt_attrs *out)
{
	size_t pos = 4;
	uint32_t n;

	out->count = 0;
	if (len == 0)
		return TEE_SUCCESS;
	if (len < 4 || len > CRYPT_MAX_ATTR_BYTES)
		return TEE_ERROR_BAD_PARAMETERS;
	n = rd32(buf);
	if (n > CRYPT_MAX_ATTRS)
		return TEE_ERROR_BAD_PARAMETERS;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t id, a, b;

		if (len - pos < REC_HDR)
			return TEE_ERROR_BAD_PARAMETERS;
		id = rd32(buf + pos);
		a = rd32(buf + pos + 4);
		b = rd32(buf + pos + 8);
		pos += REC_HDR;
		if (id & TEE_ATTR_FLAG_VALUE) {
			TEE_InitValueAttribute(&out->attrs[i], id, a, b);
			continue;
		}
		/* len <= CRYPT_MAX_ATTR_BYTES, so a + 3 cannot wrap once a is bounded. */
		if (b != 0 || a > len - pos)
			return TEE_ERROR_BAD_PARAMETERS;
		TEE_InitRefAttribute(&out->attrs[i], id, a ? buf + pos : NULL, a);
		if (((size_t)a + 3u) / 4u * 4u > len - pos)
			return TEE_ERROR_BAD_PARAMETERS;
		pos += ((size_t)a + 3u) / 4u * 4u;
	}
	if (pos != len)
		return TEE_ERROR_BAD_PARAMETERS;
	out->count = n;
	return TEE_SUCCESS;
}

TEE_Result crypt_attrs_snapshot(const void *shm, size_t len, struct crypt_attrs *out)
{
	TEE_Result res;

	out->copy = NULL;
	out->count = 0;
	if (len == 0)
		return TEE_SUCCESS;
	if (len > CRYPT_MAX_ATTR_BYTES || shm == NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	out->copy = TEE_Malloc(len, TEE_MALLOC_FILL_ZERO);
	if (out->copy == NULL)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(out->copy, shm, len);
	res = crypt_attrs_parse(out->copy, len, out);
	if (res != TEE_SUCCESS)
		crypt_attrs_free(out);
	return res;
}

void crypt_attrs_free(struct crypt_attrs *a)
{
	if (a->copy != NULL)
		TEE_Free(a->copy);
	a->copy = NULL;
	a->count = 0;
}
