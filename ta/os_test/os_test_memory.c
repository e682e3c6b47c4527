/* os_test: memory commands (access rights, instance data, heap, mem*). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <os_test_ta.h>

#include "os_test_priv.h"

static const char rodata_bytes[64] = "os_test read-only bytes";
static uint8_t data_bytes[64] = { 1 };

static TEE_Result check_region(uint32_t region, uint32_t flags, TEE_Param *param, TEE_Result *out)
{
	uint8_t stack_bytes[64];
	void *heap;

	TEE_MemFill(stack_bytes, 0, sizeof(stack_bytes));
	switch (region) {
	case OS_TEST_REGION_STACK:
		*out = TEE_CheckMemoryAccessRights(flags, stack_bytes, sizeof(stack_bytes));
		return TEE_SUCCESS;
	case OS_TEST_REGION_HEAP:
		heap = TEE_Malloc(256, TEE_MALLOC_FILL_ZERO);
		if (!heap)
			return TEE_ERROR_OUT_OF_MEMORY;
		*out = TEE_CheckMemoryAccessRights(flags, heap, 256);
		TEE_Free(heap);
		return TEE_SUCCESS;
	case OS_TEST_REGION_RODATA:
		*out = TEE_CheckMemoryAccessRights(flags, (void *)(uintptr_t)rodata_bytes,
						   sizeof(rodata_bytes));
		return TEE_SUCCESS;
	case OS_TEST_REGION_DATA:
		*out = TEE_CheckMemoryAccessRights(flags, data_bytes, sizeof(data_bytes));
		return TEE_SUCCESS;
	case OS_TEST_REGION_PARAM:
		*out = TEE_CheckMemoryAccessRights(flags, param->memref.buffer, param->memref.size);
		return TEE_SUCCESS;
	case OS_TEST_REGION_CODE:
		*out = TEE_CheckMemoryAccessRights(flags, (void *)(uintptr_t)&check_region, 16);
		return TEE_SUCCESS;
	case OS_TEST_REGION_NULL:
		*out = TEE_CheckMemoryAccessRights(flags, NULL, 16);
		return TEE_SUCCESS;
	case OS_TEST_REGION_WRAP:
		*out = TEE_CheckMemoryAccessRights(flags, stack_bytes, SIZE_MAX - 8);
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
}

TEE_Result os_test_check_access(uint32_t types, TEE_Param params[4])
{
	TEE_Result out = TEE_ERROR_GENERIC;
	TEE_Result res;
	uint32_t t1 = TEE_PARAM_TYPE_GET(types, 1);

	if (TEE_PARAM_TYPE_GET(types, 0) != TEE_PARAM_TYPE_VALUE_INPUT ||
	    TEE_PARAM_TYPE_GET(types, 2) != TEE_PARAM_TYPE_VALUE_OUTPUT)
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[0].value.a == OS_TEST_REGION_PARAM && t1 != TEE_PARAM_TYPE_MEMREF_INPUT &&
	    t1 != TEE_PARAM_TYPE_MEMREF_OUTPUT && t1 != TEE_PARAM_TYPE_MEMREF_INOUT)
		return TEE_ERROR_BAD_PARAMETERS;
	res = check_region(params[0].value.a, params[0].value.b, &params[1], &out);
	params[2].value.a = out;
	return res;
}

TEE_Result os_test_instance_data(uint32_t types, TEE_Param params[4])
{
	uint32_t *counter = (uint32_t *)(uintptr_t)TEE_GetInstanceData();

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	switch (params[0].value.a) {
	case 0:
		if (!counter) {
			counter = TEE_Malloc(sizeof(*counter), TEE_MALLOC_FILL_ZERO);
			if (!counter)
				return TEE_ERROR_OUT_OF_MEMORY;
			TEE_SetInstanceData(counter);
		}
		*counter = params[0].value.b;
		return TEE_SUCCESS;
	case 1:
		if (!counter)
			return TEE_ERROR_BAD_STATE;
		params[0].value.b = (*counter)++;
		return TEE_SUCCESS;
	case 2:
		params[0].value.b = counter ? 1 : 0;
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
}

#define CHECK(id, cond)                  \
	do {                             \
		if (!(cond)) {           \
			*failed = (id);  \
			goto out;        \
		}                        \
	} while (0)

#define MAX_BLOCKS (OS_TEST_DATA_SIZE / 1024 + 8)

TEE_Result os_test_heap(uint32_t types, TEE_Param params[4])
{
	void *blocks[MAX_BLOCKS];
	uint32_t n = 0;
	uint32_t i;
	uint32_t *failed = &params[0].value.b;
	uint8_t *p = NULL;
	uint8_t *q;
	uint32_t size = 0;
	void *zero_a = NULL;
	void *zero_b = NULL;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	*failed = 0;
	/* 1: TA_DATA_SIZE in one block is too much (the TA's own blocks count). */
	CHECK(1, TEE_Malloc(OS_TEST_DATA_SIZE + 1, TEE_MALLOC_FILL_ZERO) == NULL);
	/* 2: gpd.ta.dataSize says the same. */
	CHECK(2, TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", &size) ==
			 TEE_SUCCESS && size == OS_TEST_DATA_SIZE);
	/* 3: 1 KiB blocks until NULL: fewer than the limit allows, never a kill. */
	while (n < MAX_BLOCKS) {
		blocks[n] = TEE_Malloc(1024, TEE_MALLOC_FILL_ZERO);
		if (!blocks[n])
			break;
		TEE_MemFill(blocks[n], 0xEE, 1024);
		n++;
	}
	CHECK(3, n > 0 && n < MAX_BLOCKS);
	/* 4: a freed block can be had again, zero-filled. */
	TEE_Free(blocks[--n]);
	p = TEE_Malloc(1024, TEE_MALLOC_FILL_ZERO);
	CHECK(4, p != NULL);
	for (i = 0; i < 1024; i++)
		CHECK(4, p[i] == 0);
	/* 5: Realloc past the limit fails and keeps the block. */
	p[0] = 0x5A;
	CHECK(5, TEE_Realloc(p, OS_TEST_DATA_SIZE) == NULL && p[0] == 0x5A);
	/* 6: after freeing everything, Realloc can grow and keeps content. */
	for (i = 0; i < n; i++)
		TEE_Free(blocks[i]);
	params[0].value.a = n + 1;
	n = 0;
	q = TEE_Realloc(p, 8 * 1024);
	CHECK(6, q != NULL && q[0] == 0x5A);
	p = q;
	CHECK(6, p[8 * 1024 - 1] == 0);
	/* 7: size 0 gives non-NULL pointers (OP-TEE: one fixed, unmapped
	 * address) that TEE_Free accepts. */
	zero_a = TEE_Malloc(0, TEE_MALLOC_FILL_ZERO);
	zero_b = TEE_Malloc(0, TEE_MALLOC_FILL_ZERO);
	CHECK(7, zero_a && zero_b);
	/* 8: a reserved hint gets NULL. */
	CHECK(8, TEE_Malloc(16, 0x100) == NULL);
	/* 9: the heap is TA memory: read/write, not shared. */
	CHECK(9, TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE, p,
					     8 * 1024) == TEE_SUCCESS);
out:
	for (i = 0; i < n; i++)
		TEE_Free(blocks[i]);
	TEE_Free(p);
	TEE_Free(zero_a);
	TEE_Free(zero_b);
	return *failed ? TEE_ERROR_GENERIC : TEE_SUCCESS;
}

TEE_Result os_test_mem_funcs(uint32_t types, TEE_Param params[4])
{
	uint8_t a[16];
	uint8_t b[16];
	uint32_t *failed = &params[0].value.b;
	size_t i;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	*failed = 0;
	TEE_MemFill(a, 0x1C3, sizeof(a)); /* only the low byte counts */
	for (i = 0; i < sizeof(a); i++)
		CHECK(1, a[i] == 0xC3);
	for (i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	CHECK(2, TEE_MemCompare(a, a, sizeof(a)) == 0);
	CHECK(3, TEE_MemCompare(b, a, sizeof(a)) < 0 && TEE_MemCompare(a, b, sizeof(a)) > 0);
	CHECK(4, TEE_MemCompare(a, b, 0) == 0);
	TEE_MemMove(b + 4, b, 8); /* overlapping, forwards */
	CHECK(5, b[4] == 0 && b[11] == 7 && b[12] == 12);
	TEE_MemMove(b, b + 4, 8); /* overlapping, backwards */
	CHECK(6, b[0] == 0 && b[7] == 7);
	CHECK(7, TEE_MemMove(a, b, 0) == a);
out:
	return *failed ? TEE_ERROR_GENERIC : TEE_SUCCESS;
}

#define PLAIN_BLOCK (64u << 20)
#define PLAIN_MAX 64

TEE_Result os_test_plain_malloc(uint32_t types, TEE_Param params[4])
{
	void *blocks[PLAIN_MAX];
	uint32_t n = 0;
	uint32_t i;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	while (n < PLAIN_MAX) {
		blocks[n] = malloc(PLAIN_BLOCK);
		if (!blocks[n])
			break;
		n++;
	}
	for (i = 0; i < n; i++)
		free(blocks[i]);
	params[0].value.a = n;
	return TEE_SUCCESS;
}
