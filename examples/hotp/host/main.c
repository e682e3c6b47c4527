/*
 * hotp host application: registers the RFC 4226 Appendix D test secret
 * with the hotp TA, asks it for the first ten one-time passwords and
 * compares them with the RFC's table. Prints "hotp: OK" and exits 0 only
 * when all ten match.
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <tee_client_api.h>

#include <hotp_ta.h>

/* RFC 4226 Appendix D: secret "12345678901234567890", counts 0..9. */
static const uint32_t rfc4226_hotp[] = {
	755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
};

int main(void)
{
	TEEC_Result res;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	TEEC_UUID uuid = TA_HOTP_UUID;
	uint32_t err_origin;
	char secret[] = "12345678901234567890";
	size_t i;
	int mismatches = 0;

	res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_InitializeContext failed with code 0x%x", res);
	res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &err_origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_Opensession failed with code 0x%x origin 0x%x", res, err_origin);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = secret;
	op.params[0].tmpref.size = strlen(secret);
	res = TEEC_InvokeCommand(&sess, TA_HOTP_CMD_REGISTER_SHARED_KEY, &op, &err_origin);
	if (res != TEEC_SUCCESS)
		errx(1, "registering the shared key failed with code 0x%x origin 0x%x", res, err_origin);

	for (i = 0; i < sizeof(rfc4226_hotp) / sizeof(rfc4226_hotp[0]); i++) {
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		res = TEEC_InvokeCommand(&sess, TA_HOTP_CMD_GET_HOTP, &op, &err_origin);
		if (res != TEEC_SUCCESS)
			errx(1, "GET_HOTP failed with code 0x%x origin 0x%x", res, err_origin);
		printf("HOTP(count=%zu) = %06u (RFC 4226: %06u)%s\n", i, op.params[0].value.a,
		       rfc4226_hotp[i], op.params[0].value.a == rfc4226_hotp[i] ? "" : "  MISMATCH");
		if (op.params[0].value.a != rfc4226_hotp[i])
			mismatches++;
	}

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	if (mismatches)
		errx(1, "%d HOTP value(s) differ from RFC 4226", mismatches);
	printf("hotp: OK\n");
	return 0;
}
