/*
 * OP-TEE extension functions (swtee TA SDK), implemented by the TA runtime.
 * Semantics in swtee, where they differ from OP-TEE:
 *  - TEE_CacheClean/Flush/Invalidate: the TA and its buffers live in normal
 *    process memory, so these check that [buf, buf+len) is TA memory and
 *    return TEE_SUCCESS (TEE_ERROR_ACCESS_DENIED otherwise).
 *  - tee_map_zi/_va/tee_unmap: anonymous zero-initialised mappings.
 *  - tee_invoke_supp_plugin: forwarded to the supplicant plugin with `uuid`.
 */
#ifndef SWTEE_TEE_INTERNAL_API_EXTENSIONS_H
#define SWTEE_TEE_INTERNAL_API_EXTENSIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h> /* as OP-TEE's: snprintf and friends come with this header */

#include "tee_api_defines_extensions.h"
#include "tee_api_types.h"
#include "tee_internal_api.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* TEE_Malloc() hint: do not zero the allocation (OP-TEE extension). */
#define TEE_USER_MEM_HINT_NO_FILL_ZERO 0x80000000

/* Heap accounting for leak checks in tests. */
void tee_user_mem_mark_heap(void);
size_t tee_user_mem_check_heap(void);

TEE_Result TEE_CacheClean(char *buf, size_t len);
TEE_Result TEE_CacheFlush(char *buf, size_t len);
TEE_Result TEE_CacheInvalidate(char *buf, size_t len);
TEE_Result __GP11_TEE_CacheClean(char *buf, uint32_t len);
TEE_Result __GP11_TEE_CacheFlush(char *buf, uint32_t len);
TEE_Result __GP11_TEE_CacheInvalidate(char *buf, uint32_t len);

/* Maps `len` bytes of zero-initialised memory (at `va` for the _va form).
 * `flags` takes TEE_MEMORY_ACCESS_ANY_OWNER or 0. NULL on failure. */
void *tee_map_zi(size_t len, uint32_t flags);
void *tee_map_zi_va(uintptr_t va, size_t len, uint32_t flags);
TEE_Result tee_unmap(void *buf, size_t len);

/* Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" into a TEE_UUID. */
TEE_Result tee_uuid_from_str(TEE_UUID *uuid, const char *s);

/* Invokes a normal-world supplicant plugin: `buf` ([0, len)) goes out,
 * *outlen bytes come back in place. */
TEE_Result tee_invoke_supp_plugin(const TEE_UUID *uuid, uint32_t cmd, uint32_t sub_cmd, void *buf,
                                  size_t len, size_t *outlen);

#ifdef __cplusplus
}
#endif

#if __OPTEE_CORE_API_COMPAT_1_1
#define TEE_CacheClean __GP11_TEE_CacheClean
#define TEE_CacheFlush __GP11_TEE_CacheFlush
#define TEE_CacheInvalidate __GP11_TEE_CacheInvalidate
#endif

#endif /* SWTEE_TEE_INTERNAL_API_EXTENSIONS_H */
