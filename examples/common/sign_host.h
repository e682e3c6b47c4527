/*
 * The host side the ecdsa and sign_verify examples share: the TA makes a
 * key pair, signs SHA-256("abc") (its FIPS 180 known answer), verifies the
 * signature, and refuses it once one bit is flipped; then "<name>: OK".
 * The including main.c defines SIGN_EXAMPLE (its name), SIGN_TA_UUID,
 * SIGN_CMD_GEN_KEY/SIGN/VERIFY and SIGN_SIG_LEN.
 */
#ifndef SIGN_HOST_H
#define SIGN_HOST_H

#include <err.h>
#include <stdio.h>
#include <string.h>

#include <example_host.h>

#define SIGNATURE_INVALID 0xFFFF3072

static TEEC_Result two(uint32_t cmd, unsigned char *d, size_t dl,
		       unsigned char *sig, size_t *sl)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 cmd == SIGN_CMD_SIGN ?
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
	TEEC_UUID uuid = SIGN_TA_UUID;
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
	res = invoke(SIGN_CMD_GEN_KEY, &op);
	if (res != TEEC_SUCCESS)
		errx(1, "SIGN_CMD_GEN_KEY: 0x%x", res);
	res = two(SIGN_CMD_SIGN, digest, sizeof(digest), sig, &sl);
	if (res != TEEC_SUCCESS)
		errx(1, "SIGN_CMD_SIGN: 0x%x", res);
	printf("signature: %zu bytes\n", sl);
	if (sl != SIGN_SIG_LEN)
		errx(1, "expected a %d-byte signature", SIGN_SIG_LEN);
	res = two(SIGN_CMD_VERIFY, digest, sizeof(digest), sig, &sl);
	if (res != TEEC_SUCCESS)
		errx(1, "SIGN_CMD_VERIFY of a good signature: 0x%x", res);
	sig[sl / 2] ^= 0x01;
	res = two(SIGN_CMD_VERIFY, digest, sizeof(digest), sig, &sl);
	if (res != SIGNATURE_INVALID)
		errx(1, "a tampered signature gave 0x%x, not SIGNATURE_INVALID",
		     res);
	close_ta();
	printf("signature verified; tampered one refused\n%s: OK\n", SIGN_EXAMPLE);
	return 0;
}

#endif /* SIGN_HOST_H */
