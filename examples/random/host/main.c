/*
 * random host application: asks the random TA for 16 bytes twice and
 * prints them as a UUID-style hex string. Exits non-zero (and never prints
 * the final "random: OK") unless both draws arrived and differ.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <random_ta.h>

static void draw(TEEC_Session *sess, uint8_t out[16])
{
	TEEC_Operation op;
	uint32_t err_origin;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = 16;
	res = TEEC_InvokeCommand(sess, TA_RANDOM_CMD_GENERATE, &op, &err_origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_InvokeCommand failed with code 0x%x origin 0x%x", res, err_origin);
	if (op.params[0].tmpref.size != 16)
		errx(1, "TA returned %zu bytes, expected 16", op.params[0].tmpref.size);
}

int main(void)
{
	TEEC_Result res;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_UUID uuid = TA_RANDOM_UUID;
	uint32_t err_origin;
	uint8_t a[16] = { 0 };
	uint8_t b[16] = { 0 };
	size_t i;

	res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_InitializeContext failed with code 0x%x", res);
	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &err_origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_Opensession failed with code 0x%x origin 0x%x", res, err_origin);

	printf("Invoking TA to generate random UUID...\n");
	draw(&sess, a);
	draw(&sess, b);
	printf("TA generated UUID value = 0x");
	for (i = 0; i < sizeof(a); i++)
		printf("%02x", a[i]);
	printf("\n");

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	if (memcmp(a, b, sizeof(a)) == 0)
		errx(1, "two draws of 16 random bytes were identical");
	printf("random: OK\n");
	return 0;
}
