/* Attribute shorthands OP-TEE TAs use (swtee TA SDK). Each is defined only
 * if the C library has not claimed the name already. */
#ifndef SWTEE_COMPILER_H
#define SWTEE_COMPILER_H

#ifndef __maybe_unused
#define __maybe_unused __attribute__((unused))
#endif
#ifndef __unused
#define __unused __attribute__((unused))
#endif
#ifndef __packed
#define __packed __attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((aligned(x)))
#endif
#ifndef __noreturn
#define __noreturn __attribute__((noreturn))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif
#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

#endif /* SWTEE_COMPILER_H */
