/* Transient object commands (layouts: entry.c). p0.a is the object (c->obj)
 * except for ALLOCATE. */
#include "crypt_priv.h"

/* p0 = (type, max bits) -> p1.a = object id. */
CRYPT_HANDLER(crypt_cmd_allocate_transient_object)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res;
	uint32_t id = 0;

	res = TEE_AllocateTransientObject(c->p[0].value.a, c->p[0].value.b, &h);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_put_object(c->s, h, &id);
	if (res != TEE_SUCCESS) {
		TEE_FreeTransientObject(h);
		return res;
	}
	c->p[1].value.a = id;
	c->p[1].value.b = 0;
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_free_transient_object)
{
	crypt_drop_object(c->s, c->p[0].value.a);
	TEE_FreeTransientObject(c->obj);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_reset_transient_object)
{
	TEE_ResetTransientObject(c->obj);
	return TEE_SUCCESS;
}

/* The attribute list comes from p1 (snapshotted) or, for GENERATE_KEY
 * (p0.b = key size), may be absent. */
static TEE_Result with_attrs(struct crypt_call *c, int generate)
{
	struct crypt_attrs attrs;
	TEE_Result res;

	res = crypt_attrs_snapshot(c->in, c->in_len, &attrs);
	if (res != TEE_SUCCESS)
		return res;
	if (generate)
		res = TEE_GenerateKey(c->obj, c->p[0].value.b, attrs.attrs, attrs.count);
	else
		res = TEE_PopulateTransientObject(c->obj, attrs.attrs, attrs.count);
	crypt_attrs_free(&attrs);
	return res;
}

CRYPT_HANDLER(crypt_cmd_populate_transient_object)
{
	return with_attrs(c, 0);
}

CRYPT_HANDLER(crypt_cmd_generate_key)
{
	return with_attrs(c, 1);
}

/* p0.b = the source object. */
CRYPT_HANDLER(crypt_cmd_copy_object_attributes1)
{
	TEE_ObjectHandle src;
	TEE_Result res;

	res = crypt_get_object(c->s, c->p[0].value.b, 0, &src);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_CopyObjectAttributes1(c->obj, src);
}

/* p0.b = attribute id, p1 = its value. */
CRYPT_HANDLER(crypt_cmd_get_object_buffer_attribute)
{
	TEE_Param *p = c->p;

	return TEE_GetObjectBufferAttribute(c->obj, p[0].value.b, p[1].memref.buffer, &p[1].memref.size);
}

CRYPT_HANDLER(crypt_cmd_get_object_value_attribute)
{
	TEE_Result res;
	uint32_t a = 0, b = 0;

	res = TEE_GetObjectValueAttribute(c->obj, c->p[0].value.b, &a, &b);
	c->p[1].value.a = a;
	c->p[1].value.b = b;
	return res;
}

CRYPT_HANDLER(crypt_cmd_get_object_info1)
{
	TEE_ObjectInfo info;
	TEE_Result res;

	res = TEE_GetObjectInfo1(c->obj, &info);
	if (res != TEE_SUCCESS)
		return res;
	return crypt_copy_out(&c->p[1], &info, sizeof(info));
}

/* p0.b = the usage to keep. */
CRYPT_HANDLER(crypt_cmd_restrict_object_usage1)
{
	return TEE_RestrictObjectUsage1(c->obj, c->p[0].value.b);
}
