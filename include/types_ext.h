/*
 * Address and size types OP-TEE TAs take from libutils' types_ext.h (swtee
 * TA SDK). Like OP-TEE's, this header also brings in <limits.h>,
 * <stddef.h>, <inttypes.h>, <stdbool.h> and <unistd.h>.
 */
#ifndef SWTEE_TYPES_EXT_H
#define SWTEE_TYPES_EXT_H

#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

typedef uintptr_t uaddr_t;
typedef uintptr_t vaddr_t;
typedef uintptr_t paddr_t;
typedef uintptr_t paddr_size_t;

#define PRIxUA PRIxPTR
#define PRIxVA PRIxPTR
#define PRIxPA PRIxPTR
#define PRIxPASZ PRIxPTR
#define PADDR_MAX UINTPTR_MAX
#define PADDR_SIZE_MAX UINTPTR_MAX
#define PRIxVA_WIDTH ((int)(sizeof(vaddr_t) * 2))
#define PRIxPA_WIDTH ((int)(sizeof(paddr_t) * 2))

#endif /* SWTEE_TYPES_EXT_H */
