/*
 * ecdh host application: gives the TA the initiator's P-256 key pair and
 * the responder's public key of RFC 5903 section 8.1 and checks the
 * shared secret against the RFC's g^ir. Prints "ecdh: OK" when it matches.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <example_host.h>

#include <ecdh_ta.h>

static void unhex(const char *s, unsigned char *out, size_t n)
{
	size_t i = 0;
	unsigned int b = 0;

	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &b) != 1)
			errx(1, "bad hex");
		out[i] = (unsigned char)b;
	}
}

int main(void)
{
	TEEC_UUID uuid = TA_ECDH_UUID;
	TEEC_Operation op;
	unsigned char key[96], peer[64], want[32], got[32];
	TEEC_Result res;

	/* RFC 5903 8.1: i, g^i (x, y); g^r (x, y); g^ir x. */
	unhex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"
	      "DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
	      "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	      key, sizeof(key));
	unhex("D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
	      "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	      peer, sizeof(peer));
	unhex("D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE",
	      want, sizeof(want));

	open_ta(uuid);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = key;
	op.params[0].tmpref.size = sizeof(key);
	op.params[1].tmpref.buffer = peer;
	op.params[1].tmpref.size = sizeof(peer);
	op.params[2].tmpref.buffer = got;
	op.params[2].tmpref.size = sizeof(got);
	res = invoke(TA_ECDH_CMD_DERIVE, &op);
	close_ta();
	if (res != TEEC_SUCCESS)
		errx(1, "TA_ECDH_CMD_DERIVE failed with code 0x%x", res);
	if (op.params[2].tmpref.size != sizeof(want) ||
	    memcmp(got, want, sizeof(want)))
		errx(1, "the shared secret is not RFC 5903's g^ir");
	printf("shared secret matches RFC 5903\necdh: OK\n");
	return 0;
}
