/* Atomic counters OP-TEE TAs take from libutils' atomic.h (swtee TA SDK).
 * Sequentially consistent; each returns the new value. */
#ifndef SWTEE_ATOMIC_H
#define SWTEE_ATOMIC_H

#include <stdint.h>

static inline uint32_t atomic_inc32(volatile uint32_t *v) {
  return __atomic_add_fetch(v, 1, __ATOMIC_SEQ_CST);
}
static inline uint32_t atomic_dec32(volatile uint32_t *v) {
  return __atomic_sub_fetch(v, 1, __ATOMIC_SEQ_CST);
}

#endif /* SWTEE_ATOMIC_H */
