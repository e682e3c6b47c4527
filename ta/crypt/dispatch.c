/*
 * The one place a command's params are checked: the layout against its
 * table entry, then the handle p0.a names. Handlers see a crypt_call whose
 * types and handle are already known good.
 */
#include "crypt_priv.h"

static int layout_ok(uint32_t pt, uint32_t want, uint32_t optional)
{
	for (uint32_t i = 0; i < TEE_NUM_PARAMS; i++) {
		const uint32_t t = PTYPE(pt, i);

		if (t != PTYPE(want, i) && !((optional & (1u << i)) && t == PT_NONE))
			return 0;
	}
	return 1;
}

TEE_Result crypt_dispatch(const struct crypt_entry *e, struct crypt_session *s, uint32_t pt,
			  TEE_Param p[TEE_NUM_PARAMS])
{
	struct crypt_call c = { .s = s, .pt = pt, .p = p };
	TEE_Result res = TEE_SUCCESS;

	if (!layout_ok(pt, e->layout, e->optional))
		return TEE_ERROR_BAD_PARAMETERS;
	switch (e->p0) {
	case CRYPT_P0_NONE:
		break;
	case CRYPT_P0_OPERATION:
		res = crypt_get_operation(s, p[0].value.a, &c.op);
		break;
	case CRYPT_P0_OBJECT:
		res = crypt_get_object(s, p[0].value.a, 0, &c.obj);
		break;
	}
	if (res != TEE_SUCCESS)
		return res;
	if (PTYPE(pt, 1) == PT_MIN) {
		c.in = p[1].memref.buffer;
		c.in_len = p[1].memref.size;
	}
	return e->fn(&c);
}

TEE_Result crypt_copy_out(TEE_Param *p, const void *v, size_t len)
{
	if (p->memref.size < len) {
		p->memref.size = len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemMove(p->memref.buffer, v, len);
	p->memref.size = len;
	return TEE_SUCCESS;
}
