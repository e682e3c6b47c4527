// Access checks on the TA process's own memory, without /proc (the
// sandbox forbids open) and without touching the memory itself.
//
// Method: futex(2), which the sandbox allows, reads or atomically updates
// one aligned word at a user address and reports EFAULT instead of
// faulting when the page does not allow it:
//  - readable: FUTEX_WAIT_PRIVATE with a zero timeout reads the word
//    (EAGAIN/ETIMEDOUT: readable; EFAULT: not mapped or PROT_NONE);
//  - writable: FUTEX_WAKE_OP_PRIVATE with "add 0" on the word as uaddr2
//    performs an atomic read-modify-write that leaves the value unchanged
//    and wakes nobody (EFAULT: not mapped or not writable, e.g. .rodata,
//    RELRO, code, read-only mappings).
// Page permissions are uniform within a page, so one word per page decides
// for the whole page. A concurrent writer cannot lose an update to the
// atomic add of 0. Cost: one syscall per page (two for read + write).
#pragma once

#include <cstddef>
#include <cstdint>

namespace swtee::ta {

// True when every page of [start, start + size) is readable (and, with
// `write`, writable). size 0 is true; a wrapping range is false.
bool probe_memory(uintptr_t start, size_t size, bool write) noexcept;

}  // namespace swtee::ta
