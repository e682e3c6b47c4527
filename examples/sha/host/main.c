/*
 * sha host application: has the TA hash "abc" with SHA-1, SHA-224,
 * SHA-256, SHA-384 and SHA-512 and checks each against FIPS 180's known
 * answer. Prints "sha: OK" only when all match.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <example_host.h>

#include <sha_ta.h>

/* TEE_ALG_* values (tee_api_defines.h), for the client side. */
#define ALG_SHA1 0x50000002
#define ALG_SHA224 0x50000003
#define ALG_SHA256 0x50000004
#define ALG_SHA384 0x50000005
#define ALG_SHA512 0x50000006

static const struct {
	const char *name;
	uint32_t alg;
	const char *hex;
} kats[] = {
	{ "SHA-1", ALG_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "SHA-224", ALG_SHA224,
	  "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7" },
	{ "SHA-256", ALG_SHA256,
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "SHA-384", ALG_SHA384,
	  "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	  "8086072ba1e7cc2358baeca134c825a7" },
	{ "SHA-512", ALG_SHA512,
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
};

int main(void)
{
	TEEC_UUID uuid = TA_SHA_UUID;
	char msg[] = "abc";
	size_t i = 0;
	size_t k = 0;
	int bad = 0;

	open_ta(uuid);
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		TEEC_Operation op;
		unsigned char out[64];
		char hex[129] = { 0 };
		TEEC_Result res;

		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
						 TEEC_MEMREF_TEMP_INPUT,
						 TEEC_MEMREF_TEMP_OUTPUT,
						 TEEC_NONE);
		op.params[0].value.a = kats[i].alg;
		op.params[1].tmpref.buffer = msg;
		op.params[1].tmpref.size = 3;
		op.params[2].tmpref.buffer = out;
		op.params[2].tmpref.size = sizeof(out);
		res = invoke(TA_SHA_CMD_DIGEST, &op);
		if (res != TEEC_SUCCESS)
			errx(1, "%s: TEEC_InvokeCommand failed with code 0x%x",
			     kats[i].name, res);
		for (k = 0; k < op.params[2].tmpref.size; k++)
			snprintf(hex + 2 * k, 3, "%02x", out[k]);
		printf("%s(\"abc\") = %s\n", kats[i].name, hex);
		if (strcmp(hex, kats[i].hex)) {
			printf("  expected %s\n", kats[i].hex);
			bad = 1;
		}
	}
	close_ta();
	if (bad)
		errx(1, "a digest did not match its known answer");
	printf("sha: OK\n");
	return 0;
}
