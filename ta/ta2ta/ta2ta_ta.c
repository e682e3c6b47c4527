/*
 * The TA-to-TA test TA; see include/ta2ta_ta.h for the command set. The
 * same source runs as A, B (GP 1.3) and C (GP 1.1: TEE_Param has a u32
 * memref size and the TA-to-TA calls are the __GP11_ ones).
 */
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <user_ta_header_defines.h>
#include <ta2ta_ta.h>

static const TEE_UUID g_targets[3] = { TA2TA_A_UUID, TA2TA_B_UUID, TA2TA_C_UUID };
/* The session TA2TA_CMD_OPEN_KEEP opened (closed by CLOSE_KEPT or, if the
 * TA never does, by the OS when the instance goes). */
static TEE_TASessionHandle g_kept = TEE_HANDLE_NULL;

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
	*sess_ctx = NULL;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

static int has_next(void)
{
	return TA2TA_SELF < TA2TA_C;
}

/* Opens a session to `target`, invokes `cmd` once and closes it (no
 * timeouts). *origin is the open's or the invoke's, as GP reports them. */
static TEE_Result call_once(uint32_t target, uint32_t cmd, uint32_t pt, TEE_Param q[4], uint32_t *origin)
{
	TEE_TASessionHandle s = TEE_HANDLE_NULL;
	TEE_Result res;

	res = TEE_OpenTASession(&g_targets[target], TEE_TIMEOUT_INFINITE, 0, NULL, &s, origin);
	if (res != TEE_SUCCESS)
		return res;
	res = TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, cmd, pt, q, origin);
	TEE_CloseTASession(s);
	return res;
}

static TEE_Result cmd_chain(uint32_t pt, TEE_Param p[4])
{
	const uint32_t want = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
					      TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_INOUT);
	uint8_t *in = p[0].memref.buffer;
	uint8_t *out = p[1].memref.buffer;
	uint8_t *io = p[2].memref.buffer;
	size_t in_len = p[0].memref.size;
	size_t io_len = p[2].memref.size;
	TEE_Result res = TEE_SUCCESS;

	if (pt != want)
		return TEE_ERROR_BAD_PARAMETERS;
	for (size_t i = 0; i < io_len; i++)
		io[i] += 1;
	p[3].value.b += 1;

	if (p[3].value.a == 0) {
		/* The last level. */
		p[3].value.a = 1000;
		if (p[1].memref.size < in_len) {
			p[1].memref.size = in_len;
			return TEE_ERROR_SHORT_BUFFER;
		}
		for (size_t i = 0; i < in_len; i++)
			out[i] = in[in_len - 1 - i];
		p[1].memref.size = in_len;
		return TEE_SUCCESS;
	}
	if (!has_next())
		return TEE_ERROR_BAD_PARAMETERS;

	uint8_t *in_copy = TEE_Malloc(in_len ? in_len : 1, TEE_MALLOC_FILL_ZERO);
	uint8_t stack_io[64];
	TEE_Param q[4];
	uint32_t origin = 0;

	if (!in_copy)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (size_t i = 0; i < in_len; i++)
		in_copy[i] = in[i] + 1;
	memset(q, 0, sizeof(q));
	q[0].memref.buffer = in_copy;
	q[0].memref.size = in_len;
	q[1].memref.buffer = out;
	q[1].memref.size = p[1].memref.size;
	if (io_len <= sizeof(stack_io)) {
		memcpy(stack_io, io, io_len);
		q[2].memref.buffer = stack_io;
	} else {
		q[2].memref.buffer = io;
	}
	q[2].memref.size = io_len;
	q[3].value.a = p[3].value.a - 1;
	q[3].value.b = p[3].value.b;

	res = call_once(TA2TA_SELF + 1, TA2TA_CMD_CHAIN, want, q, &origin);
	TEE_Free(in_copy);
	if (origin != TEE_ORIGIN_TRUSTED_APP)
		return res;

	/* The callee answered: pass its sizes and values up. */
	p[1].memref.size = q[1].memref.size;
	p[3].value.a = q[3].value.a;
	p[3].value.b = q[3].value.b;
	if (io_len <= sizeof(stack_io))
		memcpy(io, stack_io, io_len);
	if (res == TEE_SUCCESS) {
		for (size_t i = 0; i < q[1].memref.size; i++)
			out[i] += 1;
	}
	return res;
}

static TEE_Result pause_first(uint32_t pt, TEE_Param *p)
{
	if (TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_INPUT)
		return TEE_ERROR_BAD_PARAMETERS;
	(void)TEE_Wait(p->value.a);
	return TEE_SUCCESS;
}

static TEE_Result cmd_relay(uint32_t pt, TEE_Param p[4])
{
	uint32_t arg = p[0].value.a;
	uint32_t target = arg & 0xff;
	uint32_t flags = (arg >> 8) & 0xff;
	uint32_t timeout = arg >> 16;
	uint32_t inner_pt = (pt >> 4) & 0xfff;
	TEE_TASessionHandle s = TEE_HANDLE_NULL;
	uint32_t origin = 0;
	TEE_Result res;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_VALUE_INOUT || target > TA2TA_C)
		return TEE_ERROR_BAD_PARAMETERS;
	if (timeout == TA2TA_RELAY_NO_TIMEOUT)
		timeout = TEE_TIMEOUT_INFINITE;
	if (flags & TA2TA_RELAY_PAUSE) {
		res = pause_first(pt, &p[1]);
		if (res != TEE_SUCCESS)
			return res;
		inner_pt = 0;
	}
	if (flags & TA2TA_RELAY_UNMASK)
		(void)TEE_UnmaskCancellation();

	res = TEE_OpenTASession(&g_targets[target], timeout, 0, NULL, &s, &origin);
	if (res != TEE_SUCCESS) {
		p[0].value.a = res;
		p[0].value.b = origin | TA2TA_OPEN_FAILED;
		(void)TEE_MaskCancellation();
		return TEE_SUCCESS;
	}
	res = TEE_InvokeTACommand(s, timeout, p[0].value.b, inner_pt, &p[1], &origin);
	if (flags & TA2TA_RELAY_TWICE)
		res = TEE_InvokeTACommand(s, timeout, p[0].value.b, inner_pt, &p[1], &origin);
	TEE_CloseTASession(s);
	(void)TEE_MaskCancellation();
	p[0].value.a = res;
	p[0].value.b = origin;
	return TEE_SUCCESS;
}

static TEE_Result cmd_identity(uint32_t pt, TEE_Param p[4])
{
	TEE_Identity id;
	uint8_t *o = p[1].memref.buffer;
	TEE_Result res;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT, TEE_PARAM_TYPE_NONE,
				  TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT, "gpd.client.identity", &id);
	if (res != TEE_SUCCESS)
		return res;
	p[0].value.a = id.login;
	if (p[1].memref.size < 16) {
		p[1].memref.size = 16;
		return TEE_ERROR_SHORT_BUFFER;
	}
	o[0] = id.uuid.timeLow >> 24;
	o[1] = id.uuid.timeLow >> 16;
	o[2] = id.uuid.timeLow >> 8;
	o[3] = id.uuid.timeLow;
	o[4] = id.uuid.timeMid >> 8;
	o[5] = id.uuid.timeMid;
	o[6] = id.uuid.timeHiAndVersion >> 8;
	o[7] = id.uuid.timeHiAndVersion;
	memcpy(o + 8, id.uuid.clockSeqAndNode, 8);
	p[1].memref.size = 16;
	return TEE_SUCCESS;
}

static TEE_Result cmd_sum(uint32_t pt, TEE_Param p[4])
{
	uint32_t sum = 0;
	const uint8_t *b = p[0].memref.buffer;

	if (TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_MEMREF_INPUT ||
	    TEE_PARAM_TYPE_GET(pt, 1) != TEE_PARAM_TYPE_VALUE_INOUT)
		return TEE_ERROR_BAD_PARAMETERS;
	if (p[1].value.a == TA2TA_SELF || p[1].value.a > TA2TA_C) {
		for (size_t i = 0; i < p[0].memref.size; i++)
			sum += b[i];
		p[1].value.a = sum;
		p[1].value.b = TEE_SUCCESS;
		return TEE_SUCCESS;
	}
	/* Forward a copy of the input from this TA's stack (small) or heap. */
	{
		uint8_t stack_buf[256];
		size_t n = p[0].memref.size;
		uint8_t *copy = n <= sizeof(stack_buf) ? stack_buf : TEE_Malloc(n, TEE_MALLOC_FILL_ZERO);
		TEE_Param q[4];
		uint32_t origin = 0;
		TEE_Result res;

		if (!copy)
			return TEE_ERROR_OUT_OF_MEMORY;
		if (n)
			memcpy(copy, b, n);
		memset(q, 0, sizeof(q));
		q[0].memref.buffer = copy;
		q[0].memref.size = n;
		q[1].value.a = p[1].value.a; /* the target sums itself */
		res = call_once(p[1].value.a, TA2TA_CMD_SUM,
				TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_INOUT,
						TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE),
				q, &origin);
		if (copy != stack_buf)
			TEE_Free(copy);
		p[1].value.a = q[1].value.a;
		p[1].value.b = res;
		return TEE_SUCCESS;
	}
}

static TEE_Result cmd_null_memref(uint32_t pt, TEE_Param p[4])
{
	const uint32_t npt = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_NONE,
					     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	TEE_TASessionHandle s = TEE_HANDLE_NULL;
	uint32_t origin = 0;
	TEE_Param q[4];
	TEE_Result res;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				  TEE_PARAM_TYPE_NONE) || p[0].value.a > TA2TA_C)
		return TEE_ERROR_BAD_PARAMETERS;
	memset(q, 0, sizeof(q));
	q[0].memref.buffer = NULL;
	q[0].memref.size = 8;
	if (p[0].value.b == 0) {
		res = TEE_OpenTASession(&g_targets[p[0].value.a], TEE_TIMEOUT_INFINITE, npt, q, &s, &origin);
	} else {
		res = TEE_OpenTASession(&g_targets[p[0].value.a], TEE_TIMEOUT_INFINITE, 0, NULL, &s, &origin);
		if (res == TEE_SUCCESS)
			res = TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, TA2TA_CMD_NULL, npt, q, &origin);
	}
	TEE_CloseTASession(s);
	p[0].value.a = res;
	p[0].value.b = origin;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd, uint32_t pt, TEE_Param p[4])
{
	TEE_Time t;
	TEE_Result res;

	(void)sess_ctx;
	switch (cmd) {
	case TA2TA_CMD_NULL:
		return TEE_SUCCESS;
	case TA2TA_CMD_CHAIN:
		return cmd_chain(pt, p);
	case TA2TA_CMD_RELAY:
		return cmd_relay(pt, p);
	case TA2TA_CMD_IDENTITY:
		return cmd_identity(pt, p);
	case TA2TA_CMD_WAIT:
		(void)TEE_UnmaskCancellation();
		res = TEE_Wait(p[0].value.a);
		(void)TEE_MaskCancellation();
		return res;
	case TA2TA_CMD_PANIC:
		TEE_Panic(0x7a7a);
	case TA2TA_CMD_REE_TIME:
		TEE_GetREETime(&t);
		p[0].value.a = t.seconds;
		p[0].value.b = t.millis;
		return TEE_SUCCESS;
	case TA2TA_CMD_PT_GET:
		res = TEE_GetTAPersistentTime(&t);
		p[0].value.a = t.seconds;
		p[0].value.b = t.millis;
		return res;
	case TA2TA_CMD_PT_SET:
		t.seconds = p[0].value.a;
		t.millis = p[0].value.b;
		return TEE_SetTAPersistentTime(&t);
	case TA2TA_CMD_BAD_HANDLE:
		return TEE_InvokeTACommand((TEE_TASessionHandle)(uintptr_t)0x1234, TEE_TIMEOUT_INFINITE, 0, 0, NULL,
					   NULL);
	case TA2TA_CMD_CLOSE_NULL:
		TEE_CloseTASession(TEE_HANDLE_NULL);
		return TEE_SUCCESS;
	case TA2TA_CMD_NULL_MEMREF:
		return cmd_null_memref(pt, p);
	case TA2TA_CMD_PT_SET_BAD:
		t.seconds = 1;
		t.millis = 1000;
		return TEE_SetTAPersistentTime(&t);
	case TA2TA_CMD_OPEN_KEEP:
		if (g_kept != TEE_HANDLE_NULL || p[0].value.a > TA2TA_C)
			return TEE_ERROR_BAD_STATE;
		p[0].value.b = TEE_OpenTASession(&g_targets[p[0].value.a], TEE_TIMEOUT_INFINITE, 0, NULL, &g_kept,
						 NULL);
		return TEE_SUCCESS;
	case TA2TA_CMD_CLOSE_KEPT:
		TEE_CloseTASession(g_kept);
		g_kept = TEE_HANDLE_NULL;
		return TEE_SUCCESS;
	case TA2TA_CMD_INVOKE_KEPT:
		if (g_kept == TEE_HANDLE_NULL || TEE_PARAM_TYPE_GET(pt, 0) != TEE_PARAM_TYPE_VALUE_INOUT)
			return TEE_ERROR_BAD_STATE;
		p[0].value.a = TEE_InvokeTACommand(g_kept, TEE_TIMEOUT_INFINITE, TA2TA_CMD_NULL, 0, NULL,
						   &p[0].value.b);
		return TEE_SUCCESS;
	case TA2TA_CMD_SUM:
		return cmd_sum(pt, p);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
