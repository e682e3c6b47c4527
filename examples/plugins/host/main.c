/*
 * plugins host application: sends a text to the TA, which has the
 * supplicant's reverse plugin turn it around. Prints "plugins: OK" when
 * the text comes back reversed.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <example_host.h>

#include <plugins_ta.h>

int main(void)
{
	TEEC_UUID uuid = TA_PLUGINS_UUID;
	TEEC_Operation op;
	char text[] = "swtee plugin example";
	const char *want = "elpmaxe nigulp eetws";
	TEEC_Result res;

	open_ta(uuid);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = text;
	op.params[0].tmpref.size = strlen(text);
	res = invoke(TA_PLUGINS_CMD_REVERSE, &op);
	close_ta();
	if (res != TEEC_SUCCESS)
		errx(1, "TA_PLUGINS_CMD_REVERSE failed with code 0x%x", res);
	printf("plugin returned \"%s\"\n", text);
	if (op.params[0].tmpref.size != strlen(want) || strcmp(text, want))
		errx(1, "expected \"%s\"", want);
	printf("plugins: OK\n");
	return 0;
}
