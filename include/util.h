/* Small arithmetic helpers OP-TEE TAs take from libutils' util.h (swtee TA
 * SDK). Macros evaluate their arguments more than once unless noted. */
#ifndef SWTEE_UTIL_H
#define SWTEE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "compiler.h"

#ifndef MIN
#define MIN(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) (((a) > (b)) ? (a) : (b))
#endif
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

/* `v` rounded up/down to a multiple of `r`. */
#define ROUNDUP(v, r) ((((v) + (r) - 1) / (r)) * (r))
#define ROUNDDOWN(v, r) (((v) / (r)) * (r))
#define DIV_ROUND_UP(x, y) (((x) + (y) - 1) / (y))
#define IS_ALIGNED(x, a) (((x) & ((a) - 1)) == 0)
#define IS_POWER_OF_TWO(x) (((x) != 0) && (((x) & (~(x) + 1)) == (x)))

#define BIT32(nr) (UINT32_C(1) << (nr))
#define BIT64(nr) (UINT64_C(1) << (nr))
#define BIT(nr) BIT32(nr)
#define SHIFT_U32(v, shift) ((uint32_t)(v) << (shift))
#define SHIFT_U64(v, shift) ((uint64_t)(v) << (shift))
#define GENMASK_32(h, l) ((UINT32_C(0xffffffff) << (l)) & (UINT32_C(0xffffffff) >> (31 - (h))))
#define GENMASK_64(h, l) ((UINT64_C(0xffffffffffffffff) << (l)) & (UINT64_C(0xffffffffffffffff) >> (63 - (h))))

/* Overflow-checked arithmetic: *res = a op b; true when it overflowed. */
#define ADD_OVERFLOW(a, b, res) __builtin_add_overflow((a), (b), (res))
#define SUB_OVERFLOW(a, b, res) __builtin_sub_overflow((a), (b), (res))
#define MUL_OVERFLOW(a, b, res) __builtin_mul_overflow((a), (b), (res))

#ifndef container_of
#define container_of(ptr, type, member) ((type *)((uintptr_t)(ptr) - offsetof(type, member)))
#endif

#endif /* SWTEE_UTIL_H */
