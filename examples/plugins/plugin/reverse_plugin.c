/*
 * The reverse plugin: a tee-supplicant plugin (tee_plugin_method ABI)
 * whose command 1 reverses the data in place.
 */
#include <plugins_ta.h>
#include <stddef.h>
#include <tee_plugin_method.h>

static TEEC_Result reverse_invoke(unsigned int cmd, unsigned int sub_cmd,
				  void *data, size_t in_len, size_t *out_len)
{
	unsigned char *b = data;
	size_t i = 0;

	(void)sub_cmd;
	if (cmd != REVERSE_PLUGIN_CMD_REVERSE)
		return TEEC_ERROR_NOT_SUPPORTED;
	for (i = 0; i < in_len / 2; i++) {
		unsigned char t = b[i];

		b[i] = b[in_len - 1 - i];
		b[in_len - 1 - i] = t;
	}
	*out_len = in_len;
	return TEEC_SUCCESS;
}

struct plugin_method plugin_method = {
	"reverse",
	REVERSE_PLUGIN_UUID,
	NULL, /* no init */
	reverse_invoke,
};
