// SWTEE_TA_SANITIZED: defined when this translation unit is built with a
// sanitizer whose allocator replaces glibc's (ASan, TSan, MSan). The TA
// runtime then leaves out what only makes sense for glibc's heap: the
// memory limits (ta_process.cc) and the zygote's heap tuning (fork_heap.h).
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SWTEE_TA_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SWTEE_TA_SANITIZED 1
#endif
