/*
 * The supplicant plugin ABI (swtee SDK), binary compatible with OP-TEE's
 * tee-supplicant: a plugin is a shared object named <anything>.plugin that
 * exports one object, `plugin_method`, of this type. swtee-supplicant loads
 * every *.plugin from its --plugin-path directory, calls init() once (when
 * non-NULL), and routes a TA's tee_invoke_supp_plugin() for `uuid` to
 * invoke(): `data` holds `in_len` bytes in, and the plugin may overwrite it
 * with up to in_len bytes out, reporting the count in *out_len.
 */
#ifndef SWTEE_TEE_PLUGIN_METHOD_H
#define SWTEE_TEE_PLUGIN_METHOD_H

#include <stddef.h>

#include "tee_client_api.h"

struct plugin_method {
	const char *name; /* short name, for logs */
	TEEC_UUID uuid;
	TEEC_Result (*init)(void);
	TEEC_Result (*invoke)(unsigned int cmd, unsigned int sub_cmd, void *data, size_t in_len,
			      size_t *out_len);
};

#endif /* SWTEE_TEE_PLUGIN_METHOD_H */
