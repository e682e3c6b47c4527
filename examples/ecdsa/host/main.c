/*
 * ecdsa host application: has the TA generate a key pair, sign
 * SHA-256("abc") (its FIPS 180 known answer, signed as r || s), verify the
 * signature, and refuse it once one bit is flipped. Prints
 * "ecdsa: OK" only when all of that holds.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <ecdsa_ta.h>

#define SIGNATURE_INVALID 0xFFFF3072

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

static TEEC_Result two(uint32_t cmd, unsigned char *d, size_t dl,
		       unsigned char *sig, size_t *sl)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 cmd == TA_ECDSA_CMD_SIGN ?
					 TEEC_MEMREF_TEMP_OUTPUT :
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = d;
	op.params[0].tmpref.size = dl;
	op.params[1].tmpref.buffer = sig;
	op.params[1].tmpref.size = *sl;
	res = invoke(cmd, &op);
	*sl = op.params[1].tmpref.size;
	return res;
}

int main(void)
{
	TEEC_UUID uuid = TA_ECDSA_UUID;
	TEEC_Operation op;
	unsigned char digest[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char sig[512];
	size_t sl = sizeof(sig);
	TEEC_Result res;

	open_ta(uuid);
	memset(&op, 0, sizeof(op));
	res = invoke(TA_ECDSA_CMD_GEN_KEY, &op);
	if (res != TEEC_SUCCESS)
		errx(1, "TA_ECDSA_CMD_GEN_KEY: 0x%x", res);
	res = two(TA_ECDSA_CMD_SIGN, digest, sizeof(digest), sig, &sl);
	if (res != TEEC_SUCCESS)
		errx(1, "TA_ECDSA_CMD_SIGN: 0x%x", res);
	printf("signature: %zu bytes\n", sl);
	if (sl != 64)
		errx(1, "expected a 64-byte signature");
	res = two(TA_ECDSA_CMD_VERIFY, digest, sizeof(digest), sig, &sl);
	if (res != TEEC_SUCCESS)
		errx(1, "TA_ECDSA_CMD_VERIFY of a good signature: 0x%x", res);
	sig[sl / 2] ^= 0x01;
	res = two(TA_ECDSA_CMD_VERIFY, digest, sizeof(digest), sig, &sl);
	if (res != SIGNATURE_INVALID)
		errx(1, "a tampered signature gave 0x%x, not SIGNATURE_INVALID",
		     res);
	close_ta();
	printf("signature verified; tampered one refused\necdsa: OK\n");
	return 0;
}
