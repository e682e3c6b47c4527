/*
 * The session plumbing the sha, ecdh, ecdsa, sign_verify and plugins host
 * applications share: one context, one session to the example's TA, and
 * invoke() returning the TEEC_Result. Any setup failure exits with a
 * message.
 */
#ifndef EXAMPLE_HOST_H
#define EXAMPLE_HOST_H

#include <err.h>
#include <stdint.h>

#include <tee_client_api.h>

static TEEC_Context example_ctx;
static TEEC_Session example_sess;

static inline void open_ta(TEEC_UUID uuid)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InitializeContext(NULL, &example_ctx);

	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_InitializeContext failed with code 0x%x", res);
	res = TEEC_OpenSession(&example_ctx, &example_sess, &uuid,
			       TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_OpenSession failed with code 0x%x origin 0x%x",
		     res, origin);
}

static inline void close_ta(void)
{
	TEEC_CloseSession(&example_sess);
	TEEC_FinalizeContext(&example_ctx);
}

static inline TEEC_Result invoke(uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;

	return TEEC_InvokeCommand(&example_sess, cmd, op, &origin);
}

#endif /* EXAMPLE_HOST_H */
