/*
 * aes host application: for AES-CBC and AES-CTR, encrypts a buffer in the
 * aes TA with a key and IV chosen here, decrypts the result in a second
 * session, and checks the round trip (and, for CTR, that the ciphertext is
 * not the clear text). Built exactly as an OP-TEE client is.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <aes_ta.h>

#define AES_TEST_BUFFER_SIZE 4096
#define AES_TEST_KEY_SIZE 16
#define AES_BLOCK_SIZE 16

struct test_ctx {
	TEEC_Context ctx;
	TEEC_Session sess;
};

static void prepare_tee_session(struct test_ctx *t)
{
	TEEC_UUID uuid = TA_AES_UUID;
	uint32_t origin;
	TEEC_Result res;

	res = TEEC_InitializeContext(NULL, &t->ctx);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_InitializeContext failed with code 0x%x", res);
	res = TEEC_OpenSession(&t->ctx, &t->sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_Opensession failed with code 0x%x origin 0x%x", res, origin);
}

static void terminate_tee_session(struct test_ctx *t)
{
	TEEC_CloseSession(&t->sess);
	TEEC_FinalizeContext(&t->ctx);
}

static void invoke(struct test_ctx *t, uint32_t cmd, TEEC_Operation *op, const char *what)
{
	uint32_t origin;
	TEEC_Result res = TEEC_InvokeCommand(&t->sess, cmd, op, &origin);

	if (res != TEEC_SUCCESS)
		errx(1, "%s failed with code 0x%x origin 0x%x", what, res, origin);
}

static void prepare_aes(struct test_ctx *t, uint32_t algo, int encode)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_NONE);
	op.params[0].value.a = algo;
	op.params[1].value.a = AES_TEST_KEY_SIZE;
	op.params[2].value.a = encode ? TA_AES_MODE_ENCODE : TA_AES_MODE_DECODE;
	invoke(t, TA_AES_CMD_PREPARE, &op, "TA_AES_CMD_PREPARE");
}

static void set_buffer(struct test_ctx *t, uint32_t cmd, const void *buf, size_t len, const char *what)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)buf;
	op.params[0].tmpref.size = len;
	invoke(t, cmd, &op, what);
}

static void cipher_buffer(struct test_ctx *t, const void *in, void *out, size_t len)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)in;
	op.params[0].tmpref.size = len;
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = len;
	invoke(t, TA_AES_CMD_CIPHER, &op, "TA_AES_CMD_CIPHER");
	if (op.params[1].tmpref.size != len)
		errx(1, "TA_AES_CMD_CIPHER returned %zu bytes, expected %zu", op.params[1].tmpref.size, len);
}

static void run(uint32_t algo, const char *name)
{
	struct test_ctx enc, dec;
	char key[AES_TEST_KEY_SIZE];
	char iv[AES_BLOCK_SIZE];
	static char clear[AES_TEST_BUFFER_SIZE], ciph[AES_TEST_BUFFER_SIZE], temp[AES_TEST_BUFFER_SIZE];

	memset(key, 0xa5, sizeof(key));
	memset(iv, 0, sizeof(iv));
	for (size_t i = 0; i < sizeof(clear); i++)
		clear[i] = (char)('a' + i % 26);

	prepare_tee_session(&enc);
	prepare_tee_session(&dec);

	printf("%s: prepare encode operation\n", name);
	prepare_aes(&enc, algo, 1);
	set_buffer(&enc, TA_AES_CMD_SET_KEY, key, sizeof(key), "TA_AES_CMD_SET_KEY");
	set_buffer(&enc, TA_AES_CMD_SET_IV, iv, sizeof(iv), "TA_AES_CMD_SET_IV");

	printf("%s: prepare decode operation\n", name);
	prepare_aes(&dec, algo, 0);
	set_buffer(&dec, TA_AES_CMD_SET_KEY, key, sizeof(key), "TA_AES_CMD_SET_KEY");
	set_buffer(&dec, TA_AES_CMD_SET_IV, iv, sizeof(iv), "TA_AES_CMD_SET_IV");

	printf("%s: encode buffer from TA\n", name);
	cipher_buffer(&enc, clear, ciph, sizeof(clear));
	if (!memcmp(clear, ciph, sizeof(clear)))
		errx(1, "%s: the encoded buffer equals the clear text", name);
	printf("%s: decode buffer from TA\n", name);
	cipher_buffer(&dec, ciph, temp, sizeof(ciph));
	if (memcmp(clear, temp, sizeof(clear)))
		errx(1, "%s: clear text and decoded text differ", name);
	printf("%s: clear text and decoded text match\n", name);

	terminate_tee_session(&enc);
	terminate_tee_session(&dec);
}

int main(void)
{
	run(TA_AES_ALGO_CBC, "AES-CBC");
	run(TA_AES_ALGO_CTR, "AES-CTR");
	return 0;
}
