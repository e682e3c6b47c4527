/*
 * plugins host application: sends a text to the TA, which has the
 * supplicant's reverse plugin turn it around. Prints "plugins: OK" when
 * the text comes back reversed.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <plugins_ta.h>

static TEEC_Context ctx;
static TEEC_Session sess;

static void open_ta(TEEC_UUID uuid)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);

	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_InitializeContext failed with code 0x%x", res);
	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_OpenSession failed with code 0x%x origin 0x%x",
		     res, origin);
}

static void close_ta(void)
{
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
}

static TEEC_Result invoke(uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;

	return TEEC_InvokeCommand(&sess, cmd, op, &origin);
}

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
