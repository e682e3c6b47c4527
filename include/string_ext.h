/*
 * String helpers OP-TEE TAs take from libutils' string_ext.h (swtee TA SDK),
 * implemented by the TA runtime:
 *   strlcpy/strlcat  BSD semantics: copy/append at most size-1 bytes, always
 *                    NUL-terminate when size > 0, return the length of the
 *                    string they tried to create.
 *   buf_compare_ct   0 when the n bytes match, non-zero otherwise, in time
 *                    that depends on n only.
 */
#ifndef SWTEE_STRING_EXT_H
#define SWTEE_STRING_EXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* glibc 2.38+ declares strlcpy/strlcat in <string.h> with the same
 * prototypes; repeating a compatible declaration is harmless. */
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcat(char *dst, const char *src, size_t size);
int buf_compare_ct(const void *s1, const void *s2, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* SWTEE_STRING_EXT_H */
