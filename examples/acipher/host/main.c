/*
 * acipher host application:
 *   optee_example_acipher <key_size> <string to encrypt>
 * Has the acipher TA generate an RSA key pair of <key_size> bits, encrypt
 * the string with RSAES-PKCS1-v1_5 (asking for the output size first, as
 * GP's SHORT_BUFFER protocol allows), and decrypt it back to check.
 */
#include <err.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_client_api.h>

#include <acipher_ta.h>

static void usage(int argc, char *argv[])
{
	const char *pname = argc > 0 ? argv[0] : "acipher";

	fprintf(stderr, "usage: %s <key_size> <string to encrypt>\n", pname);
	exit(1);
}

static void get_args(int argc, char *argv[], size_t *key_size, void **inbuf, size_t *inbuf_len)
{
	char *ep;
	long ks;

	if (argc != 3) {
		warnx("unexpected number of arguments %d (expected 2)", argc - 1);
		usage(argc, argv);
	}
	ks = strtol(argv[1], &ep, 0);
	if (*ep || ks <= 0) {
		warnx("cannot parse key_size \"%s\"", argv[1]);
		usage(argc, argv);
	}
	*key_size = (size_t)ks;
	*inbuf = argv[2];
	*inbuf_len = strlen(argv[2]);
}

static void teec_err(TEEC_Result res, uint32_t eo, const char *str)
{
	errx(1, "%s: %#" PRIx32 " (error origin %#" PRIx32 ")", str, res, eo);
}

int main(int argc, char *argv[])
{
	TEEC_Result res;
	uint32_t eo;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	size_t key_size, inbuf_len, n;
	void *inbuf;
	const TEEC_UUID uuid = TA_ACIPHER_UUID;
	unsigned char *cipher, *clear;

	get_args(argc, argv, &key_size, &inbuf, &inbuf_len);

	res = TEEC_InitializeContext(NULL, &ctx);
	if (res)
		errx(1, "TEEC_InitializeContext(NULL, x): %#" PRIx32, res);
	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &eo);
	if (res)
		teec_err(res, eo, "TEEC_OpenSession(TEEC_LOGIN_PUBLIC)");

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = (uint32_t)key_size;
	res = TEEC_InvokeCommand(&sess, TA_ACIPHER_CMD_GEN_KEY, &op, &eo);
	if (res)
		teec_err(res, eo, "TA_ACIPHER_CMD_GEN_KEY");
	printf("Generated a %zu-bit RSA key pair in the TA\n", key_size);

	/* First ask for the size the cipher text needs. */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = inbuf;
	op.params[0].tmpref.size = inbuf_len;
	res = TEEC_InvokeCommand(&sess, TA_ACIPHER_CMD_ENCRYPT, &op, &eo);
	if (eo != TEEC_ORIGIN_TRUSTED_APP || res != TEEC_ERROR_SHORT_BUFFER)
		teec_err(res, eo, "TA_ACIPHER_CMD_ENCRYPT (size query)");
	n = op.params[1].tmpref.size;
	cipher = malloc(n);
	if (!cipher)
		err(1, "cannot allocate the cipher text buffer of size %zu", n);
	op.params[1].tmpref.buffer = cipher;
	res = TEEC_InvokeCommand(&sess, TA_ACIPHER_CMD_ENCRYPT, &op, &eo);
	if (res)
		teec_err(res, eo, "TA_ACIPHER_CMD_ENCRYPT");
	printf("Encrypted %zu bytes into %zu bytes:", inbuf_len, op.params[1].tmpref.size);
	for (n = 0; n < op.params[1].tmpref.size; n++)
		printf("%s%02x", n % 32 ? "" : "\n  ", cipher[n]);
	printf("\n");

	/* And back, to show the round trip. */
	clear = malloc(key_size / 8);
	if (!clear)
		err(1, "cannot allocate the clear text buffer");
	n = op.params[1].tmpref.size;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = cipher;
	op.params[0].tmpref.size = n;
	op.params[1].tmpref.buffer = clear;
	op.params[1].tmpref.size = key_size / 8;
	res = TEEC_InvokeCommand(&sess, TA_ACIPHER_CMD_DECRYPT, &op, &eo);
	if (res)
		teec_err(res, eo, "TA_ACIPHER_CMD_DECRYPT");
	if (op.params[1].tmpref.size != inbuf_len || memcmp(clear, inbuf, inbuf_len))
		errx(1, "the decrypted text differs from the input");
	printf("Decrypted text matches: \"%.*s\"\n", (int)op.params[1].tmpref.size, (char *)clear);

	free(clear);
	free(cipher);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	return 0;
}
