/*
 * Allocation for the pkcs11 TA's pure layers (serial.c, template.c,
 * decode.c), which are also built on the host for unit tests and fuzzing:
 * TEE_Malloc inside the TA, the C library outside.
 */
#ifndef P11_ALLOC_H
#define P11_ALLOC_H

#include <stddef.h>

#ifdef SWTEE_P11_HOST
#include <stdlib.h>
#include <string.h>
static inline void *p11_alloc(size_t n) { return calloc(1, n ? n : 1); }
static inline void *p11_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }
static inline void p11_free(void *p) { free(p); }
static inline void p11_memcpy(void *d, const void *s, size_t n) { if (n) memcpy(d, s, n); }
static inline void p11_memset(void *d, int c, size_t n) { memset(d, c, n); }
static inline int p11_memcmp(const void *a, const void *b, size_t n) { return n ? memcmp(a, b, n) : 0; }
#else
#include <tee_internal_api.h>
static inline void *p11_alloc(size_t n) { return TEE_Malloc(n ? n : 1, TEE_MALLOC_FILL_ZERO); }
static inline void *p11_realloc(void *p, size_t n) { return TEE_Realloc(p, n ? n : 1); }
static inline void p11_free(void *p) { TEE_Free(p); }
static inline void p11_memcpy(void *d, const void *s, size_t n) { if (n) TEE_MemMove(d, s, n); }
static inline void p11_memset(void *d, int c, size_t n) { TEE_MemFill(d, c, n); }
static inline int p11_memcmp(const void *a, const void *b, size_t n) { return n ? TEE_MemCompare(a, b, n) : 0; }
#endif

#endif /* P11_ALLOC_H */
