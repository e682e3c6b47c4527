/*
 * A supplicant plugin for the compatibility area, written against OP-TEE's
 * tee_plugin_method ABI: command 1 turns the data to upper case in place,
 * sub-command = how many bytes to hand back (0: all); command 2 fails.
 */
#include <stddef.h>
#include <tee_plugin_method.h>

#define COMPAT_PLUGIN_UUID { 0x7a1c3f90, 0x2b4d, 0x4e6a, \
		{ 0x9c, 0x8b, 0x0d, 0x1e, 0x2f, 0x3a, 0x4b, 0x5c } }

static int initialised;

static TEEC_Result compat_init(void)
{
	initialised = 1;
	return TEEC_SUCCESS;
}

static TEEC_Result compat_invoke(unsigned int cmd, unsigned int sub_cmd,
				 void *data, size_t in_len, size_t *out_len)
{
	unsigned char *b = data;
	size_t i = 0;

	if (!initialised)
		return TEEC_ERROR_BAD_STATE;
	if (cmd != 1)
		return TEEC_ERROR_NOT_SUPPORTED;
	for (i = 0; i < in_len; i++)
		if (b[i] >= 'a' && b[i] <= 'z')
			b[i] -= 'a' - 'A';
	*out_len = sub_cmd && sub_cmd < in_len ? sub_cmd : in_len;
	return TEEC_SUCCESS;
}

struct plugin_method plugin_method = {
	"compat-test",
	COMPAT_PLUGIN_UUID,
	compat_init,
	compat_invoke,
};
