// The zygote's heap as the TA processes it forks inherit it.
//
// glibc keeps freed small blocks (up to 128 bytes) on "fastbins", left
// where they lie until a large request consolidates them. A forked child's
// first such request (its loader's) then rewrites block headers on page
// after page of the heap it shares copy-on-write with the zygote, and every
// page written is a copy-on-write fault in every TA process (11 µs each on
// the 2-vCPU VM; 31.5 heap faults a launch before this, 8 after, in
// docs/performance.md, "Cold open"). So the zygote keeps no fastbins, and
// each child turns them back on before any TA code runs, so a TA's heap
// behaves as any process's.
#pragma once

namespace swtee::ta {

// In the zygote, before it allocates what its children inherit: freed small
// blocks go straight back to the heap's ordinary free lists.
void keep_heap_consolidated();

// In a forked TA process: glibc's default again.
void restore_default_heap();

// Bytes on glibc's fastbins now (mallinfo2's fsmblks); 0 under a sanitizer,
// whose allocator replaces glibc's and ignores both calls above.
unsigned long fastbin_bytes();

}  // namespace swtee::ta
