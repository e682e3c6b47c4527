/* SPDX-License-Identifier: MIT */
/*
 * OP-TEE extensions to the GP TEE Client API, as libteec.so.2 exports them.
 */
#ifndef TEE_CLIENT_API_EXTENSIONS_H
#define TEE_CLIENT_API_EXTENSIONS_H

#include <tee_client_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Registers the caller's memory file descriptor `fd` as shared memory of
 * `context` (OP-TEE: a dma-buf; swtee: a memfd that is sealed, or sealable,
 * against shrink and grow). `sharedMem->flags` gives the directions
 * (TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, non-zero). On success `buffer` is NULL
 * and `size` is the size of the memory behind `fd`. The caller keeps `fd`.
 * Any failure is TEEC_ERROR_BAD_PARAMETERS.
 */
TEEC_Result TEEC_RegisterSharedMemoryFileDescriptor(TEEC_Context *context,
                                                    TEEC_SharedMemory *sharedMem, int fd) TEEC_NOEXCEPT_;

#ifdef __cplusplus
}
#endif

#endif /* TEE_CLIENT_API_EXTENSIONS_H */
