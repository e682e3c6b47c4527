// Happens-before between two mappings of the same shared memory, for
// ThreadSanitizer.
//
// Shared-memory channels (the doorbell) order their data with atomics in the
// shared pages. Between processes that is all there is to it. But when both
// ends live in one process (the unit tests' fake peers) each end maps the
// memfd on its own, so the two ends' atomics sit at different addresses and
// TSan sees no order between them: everything handed over looked like a data
// race. shared_sync_key() names the pages behind an address by the file and
// offset that back them, the same for every mapping of them in the process;
// tsan_release()/tsan_acquire() on that key give TSan the order the atomics
// already give the hardware. Without TSan they compile to nothing and the key
// is the address itself.
#pragma once

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SWTEE_TSAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define SWTEE_TSAN 1
#endif

#ifdef SWTEE_TSAN
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace swtee {

#ifdef SWTEE_TSAN
// A key for the shared pages behind `addr`: one per (device, inode, file
// offset) in this process. `addr` itself when the mapping has no file or
// /proc/self/maps cannot be read (a sandboxed TA process).
const void* shared_sync_key(const void* addr);
inline void tsan_release(const void* key) { __tsan_release(const_cast<void*>(key)); }
inline void tsan_acquire(const void* key) { __tsan_acquire(const_cast<void*>(key)); }
#else
inline const void* shared_sync_key(const void* addr) { return addr; }
inline void tsan_release(const void*) {}
inline void tsan_acquire(const void*) {}
#endif

}  // namespace swtee
