/* Transient object commands. */
#include "crypt_priv.h"

static TEE_Result obj_of(struct crypt_session *s, uint32_t id, TEE_ObjectHandle *h)
{
	return crypt_get_object(s, id, 0, h);
}

CRYPT_HANDLER(crypt_cmd_allocate_transient_object)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res;
	uint32_t id = 0;

	if (pt != PTYPES(VIN, VOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateTransientObject(p[0].value.a, p[0].value.b, &h);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_put_object(s, h, &id);
	if (res != TEE_SUCCESS) {
		TEE_FreeTransientObject(h);
		return res;
	}
	p[1].value.a = id;
	p[1].value.b = 0;
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_free_transient_object)
{
	TEE_ObjectHandle h;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	crypt_drop_object(s, p[0].value.a);
	TEE_FreeTransientObject(h);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_reset_transient_object)
{
	TEE_ObjectHandle h;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	TEE_ResetTransientObject(h);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_populate_transient_object)
{
	TEE_ObjectHandle h;
	struct crypt_attrs attrs;
	TEE_Result res;

	if (pt != PTYPES(VIN, MIN, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_attrs_snapshot(p[1].memref.buffer, p[1].memref.size, &attrs);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_PopulateTransientObject(h, attrs.attrs, attrs.count);
	crypt_attrs_free(&attrs);
	return res;
}

CRYPT_HANDLER(crypt_cmd_copy_object_attributes1)
{
	TEE_ObjectHandle dst, src;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &dst);
	if (res == TEE_SUCCESS)
		res = obj_of(s, p[0].value.b, &src);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_CopyObjectAttributes1(dst, src);
}

CRYPT_HANDLER(crypt_cmd_generate_key)
{
	TEE_ObjectHandle h;
	struct crypt_attrs attrs;
	TEE_Result res;

	if (PTYPE(pt, 0) != PT_VIN || PTYPE(pt, 2) != PT_NONE || PTYPE(pt, 3) != PT_NONE)
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	res = crypt_attrs_from_param(PTYPE(pt, 1), &p[1], &attrs);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_GenerateKey(h, p[0].value.b, attrs.attrs, attrs.count);
	crypt_attrs_free(&attrs);
	return res;
}

CRYPT_HANDLER(crypt_cmd_get_object_buffer_attribute)
{
	TEE_ObjectHandle h;
	TEE_Result res;

	if (pt != PTYPES(VIN, MOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_GetObjectBufferAttribute(h, p[0].value.b, p[1].memref.buffer, &p[1].memref.size);
}

CRYPT_HANDLER(crypt_cmd_get_object_value_attribute)
{
	TEE_ObjectHandle h;
	TEE_Result res;
	uint32_t a = 0, b = 0;

	if (pt != PTYPES(VIN, VOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_GetObjectValueAttribute(h, p[0].value.b, &a, &b);
	p[1].value.a = a;
	p[1].value.b = b;
	return res;
}

CRYPT_HANDLER(crypt_cmd_get_object_info1)
{
	TEE_ObjectHandle h;
	TEE_ObjectInfo info;
	TEE_Result res;

	if (pt != PTYPES(VIN, MOUT, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	if (p[1].memref.size < sizeof(info)) {
		p[1].memref.size = sizeof(info);
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = TEE_GetObjectInfo1(h, &info);
	if (res != TEE_SUCCESS)
		return res;
	TEE_MemMove(p[1].memref.buffer, &info, sizeof(info));
	p[1].memref.size = sizeof(info);
	return TEE_SUCCESS;
}

CRYPT_HANDLER(crypt_cmd_restrict_object_usage1)
{
	TEE_ObjectHandle h;
	TEE_Result res;

	if (pt != PTYPES(VIN, NONE, NONE, NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_of(s, p[0].value.a, &h);
	if (res != TEE_SUCCESS)
		return res;
	return TEE_RestrictObjectUsage1(h, p[0].value.b);
}
