/* os_test: the property commands. */
#include <string.h>

#include <tee_internal_api.h>

#include <os_test_ta.h>

#include "os_test_priv.h"

TEE_PropSetHandle os_test_prop_set(uint32_t set)
{
	switch (set) {
	case OS_TEST_SET_TA:
		return TEE_PROPSET_CURRENT_TA;
	case OS_TEST_SET_CLIENT:
		return TEE_PROPSET_CURRENT_CLIENT;
	case OS_TEST_SET_IMPL:
		return TEE_PROPSET_TEE_IMPLEMENTATION;
	default:
		return (TEE_PropSetHandle)(uintptr_t)0xbad0;
	}
}

/* Copies a fixed-size value out, SHORT_BUFFER when the memref is smaller. */
static TEE_Result put(TEE_Param *out, const void *v, size_t n)
{
	if (out->memref.size < n) {
		out->memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemMove(out->memref.buffer, v, n);
	out->memref.size = n;
	return TEE_SUCCESS;
}

TEE_Result os_test_get_prop(uint32_t types, TEE_Param params[4])
{
	TEE_PropSetHandle set;
	const char *name;
	TEE_Param *out = &params[2];
	TEE_Result res;
	size_t len;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	name = params[1].memref.buffer;
	if (!name || !params[1].memref.size || name[params[1].memref.size - 1] != '\0')
		return TEE_ERROR_BAD_PARAMETERS;
	set = os_test_prop_set(params[0].value.a);

	switch (params[0].value.b) {
	case OS_TEST_AS_STRING:
		len = out->memref.size;
		res = TEE_GetPropertyAsString(set, name, out->memref.buffer, &len);
		out->memref.size = len;
		return res;
	case OS_TEST_AS_BINARY:
		len = out->memref.size;
		res = TEE_GetPropertyAsBinaryBlock(set, name, out->memref.buffer, &len);
		out->memref.size = len;
		return res;
	case OS_TEST_AS_BOOL: {
		bool b = false;
		uint8_t byte;

		res = TEE_GetPropertyAsBool(set, name, &b);
		if (res != TEE_SUCCESS)
			return res;
		byte = b ? 1 : 0;
		return put(out, &byte, sizeof(byte));
	}
	case OS_TEST_AS_U32: {
		uint32_t v = 0;

		res = TEE_GetPropertyAsU32(set, name, &v);
		return res != TEE_SUCCESS ? res : put(out, &v, sizeof(v));
	}
	case OS_TEST_AS_U64: {
		uint64_t v = 0;

		res = TEE_GetPropertyAsU64(set, name, &v);
		return res != TEE_SUCCESS ? res : put(out, &v, sizeof(v));
	}
	case OS_TEST_AS_UUID: {
		TEE_UUID v;

		res = TEE_GetPropertyAsUUID(set, name, &v);
		return res != TEE_SUCCESS ? res : put(out, &v, sizeof(v));
	}
	case OS_TEST_AS_IDENTITY: {
		TEE_Identity v;

		res = TEE_GetPropertyAsIdentity(set, name, &v);
		return res != TEE_SUCCESS ? res : put(out, &v, sizeof(v));
	}
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
}

/* Appends "name=value\n" for the enumerator's current property. */
static TEE_Result append_current(TEE_PropSetHandle e, char *buf, size_t cap, size_t *used)
{
	char name[128];
	char value[256];
	size_t nlen = sizeof(name);
	size_t vlen = sizeof(value);
	TEE_Result res;

	res = TEE_GetPropertyName(e, name, &nlen);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_GetPropertyAsString(e, NULL, value, &vlen);
	if (res != TEE_SUCCESS)
		return res;
	/* nlen and vlen count the NULs: room for '=' and '\n'. */
	if (*used + nlen + vlen > cap) {
		*used += nlen + vlen;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemMove(buf + *used, name, nlen - 1);
	*used += nlen - 1;
	buf[(*used)++] = '=';
	TEE_MemMove(buf + *used, value, vlen - 1);
	*used += vlen - 1;
	buf[(*used)++] = '\n';
	return TEE_SUCCESS;
}

TEE_Result os_test_enum_props(uint32_t types, TEE_Param params[4])
{
	TEE_PropSetHandle e = TEE_HANDLE_NULL;
	TEE_Result res;
	size_t used = 0;
	bool short_buffer = false;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocatePropertyEnumerator(&e);
	if (res != TEE_SUCCESS)
		return res;
	TEE_StartPropertyEnumerator(e, os_test_prop_set(params[0].value.a));
	do {
		res = append_current(e, params[1].memref.buffer, params[1].memref.size, &used);
		if (res == TEE_ERROR_SHORT_BUFFER)
			short_buffer = true;
		else if (res != TEE_SUCCESS)
			break;
		res = TEE_GetNextProperty(e);
	} while (res == TEE_SUCCESS);
	TEE_FreePropertyEnumerator(e);
	if (res != TEE_ERROR_ITEM_NOT_FOUND)
		return res;
	params[1].memref.size = used;
	return short_buffer ? TEE_ERROR_SHORT_BUFFER : TEE_SUCCESS;
}
