/*
 * The TA of the debugging recipes (docs/debugging.md), in OP-TEE style.
 * Built three times: with ASan/UBSan (ops_asan_ta), with gcov coverage
 * (ops_cov_ta) and plain (ops_plain_ta, for `swtee status`). Command 0 sums
 * 1..a into a; command 1 writes one byte at index a of an 8-byte stack
 * buffer: the planted overflow for a >= 8; command 2 panics; command 3
 * waits a milliseconds (cancellable).
 */
#include <tee_internal_api.h>

#include <debug_ta.h>

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx)
{
	(void)param_types;
	(void)params;
	(void)sess_ctx;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

static uint32_t sum_to(uint32_t n)
{
	uint32_t s = 0;

	for (uint32_t i = 1; i <= n; i++)
		s += i;
	return s;
}

static TEE_Result planted_overflow(uint32_t index)
{
	char buf[8] = { 0 };
	volatile char *p = buf;

	p[index] = 1; /* index >= 8 writes past the end of buf */
	return p[0] == 0 ? TEE_SUCCESS : TEE_ERROR_GENERIC;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[4])
{
	const uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);

	(void)sess_ctx;
	if (param_types != exp)
		return TEE_ERROR_BAD_PARAMETERS;
	switch (cmd_id) {
	case DEBUG_TA_CMD_SUM:
		params[0].value.a = sum_to(params[0].value.a);
		return TEE_SUCCESS;
	case DEBUG_TA_CMD_OVERFLOW:
		return planted_overflow(params[0].value.a);
	case DEBUG_TA_CMD_PANIC:
		TEE_Panic(0xdead);
		return TEE_ERROR_GENERIC;
	case DEBUG_TA_CMD_WAIT:
		TEE_UnmaskCancellation();
		return TEE_Wait(params[0].value.a);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
