/*
 * os_test TA: entry points, command dispatch, and the cancellation, time
 * and panic commands. See os_test_ta.h for the command contract.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <os_test_ta.h>

#include "os_test_priv.h"

TEE_Result TA_CreateEntryPoint(void) { return TEE_SUCCESS; }

void TA_DestroyEntryPoint(void) {}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4], void **sess_ctx)
{
	(void)types;
	(void)params;
	*sess_ctx = NULL;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx) { (void)sess_ctx; }

static uint64_t ms_of(const TEE_Time *t) { return (uint64_t)t->seconds * 1000 + t->millis; }

static TEE_Result cmd_wait(uint32_t types, TEE_Param params[4])
{
	TEE_Time t0;
	TEE_Time t1;
	TEE_Result res;
	uint32_t flags = 0;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[0].value.b)
		TEE_UnmaskCancellation();
	TEE_GetSystemTime(&t0);
	res = TEE_Wait(params[0].value.a);
	TEE_GetSystemTime(&t1);
	if (TEE_GetCancellationFlag())
		flags |= 1;
	TEE_UnmaskCancellation();
	if (TEE_GetCancellationFlag())
		flags |= 2;
	TEE_MaskCancellation();
	params[1].value.a = (uint32_t)(ms_of(&t1) - ms_of(&t0));
	params[1].value.b = flags;
	return res;
}

static TEE_Result cmd_system_time(uint32_t types, TEE_Param params[4])
{
	TEE_Time t0;
	TEE_Time t1;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_VALUE_OUTPUT,
				     TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_GetSystemTime(&t0);
	if (params[0].value.a)
		(void)TEE_Wait(params[0].value.a);
	TEE_GetSystemTime(&t1);
	params[1].value.a = t0.seconds;
	params[1].value.b = t0.millis;
	params[2].value.a = t1.seconds;
	params[2].value.b = t1.millis;
	return TEE_SUCCESS;
}

static TEE_Result cmd_panic(uint32_t types, TEE_Param params[4])
{
	uint32_t u32 = 0;
	TEE_PropSetHandle bogus = os_test_prop_set(OS_TEST_SET_BAD);

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	switch (params[0].value.a) {
	case OS_TEST_PANIC_PROP_HANDLE:
		(void)TEE_GetPropertyAsU32(bogus, "gpd.ta.dataSize", &u32);
		break;
	case OS_TEST_PANIC_PROP_NULL_VALUE:
		(void)TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", NULL);
		break;
	case OS_TEST_PANIC_ENUM_FREE:
		TEE_FreePropertyEnumerator(bogus);
		break;
	case OS_TEST_PANIC_ENUM_START: {
		TEE_PropSetHandle e = TEE_HANDLE_NULL;

		if (TEE_AllocatePropertyEnumerator(&e) != TEE_SUCCESS)
			return TEE_ERROR_OUT_OF_MEMORY;
		TEE_StartPropertyEnumerator(e, e);
		break;
	}
	case OS_TEST_PANIC_BIGINT_DIV0:
	case OS_TEST_PANIC_BIGINT_UNINIT:
	case OS_TEST_PANIC_BIGINT_MOD1:
		os_test_bigint_panic(params[0].value.a);
		break;
	case OS_TEST_PANIC_TIME_NULL:
		TEE_GetSystemTime(NULL);
		break;
	case OS_TEST_PANIC_MEMMOVE_NULL:
		TEE_MemMove(NULL, &u32, sizeof(u32));
		break;
	case OS_TEST_PANIC_EXPLICIT:
		TEE_Panic(params[0].value.b);
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	/* Only reached when the runtime failed to panic. */
	return TEE_ERROR_GENERIC;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd, uint32_t types,
				      TEE_Param params[4])
{
	(void)sess_ctx;
	switch (cmd) {
	case OS_TEST_CMD_GET_PROP:
		return os_test_get_prop(types, params);
	case OS_TEST_CMD_ENUM_PROPS:
		return os_test_enum_props(types, params);
	case OS_TEST_CMD_CHECK_ACCESS:
		return os_test_check_access(types, params);
	case OS_TEST_CMD_INSTANCE_DATA:
		return os_test_instance_data(types, params);
	case OS_TEST_CMD_HEAP:
		return os_test_heap(types, params);
	case OS_TEST_CMD_MEM_FUNCS:
		return os_test_mem_funcs(types, params);
	case OS_TEST_CMD_PLAIN_MALLOC:
		return os_test_plain_malloc(types, params);
	case OS_TEST_CMD_WAIT:
		return cmd_wait(types, params);
	case OS_TEST_CMD_SYSTEM_TIME:
		return cmd_system_time(types, params);
	case OS_TEST_CMD_PANIC:
		return cmd_panic(types, params);
	case OS_TEST_CMD_BIGINT:
		return os_test_bigint(types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
