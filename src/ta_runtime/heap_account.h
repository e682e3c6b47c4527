// TA heap accounting against TA_DATA_SIZE (the TA header's data_size).
//
// TEE_Malloc/TEE_Realloc charge the usable size of each block they hand
// out (malloc_usable_size), TEE_Free credits it back. A request that would
// take the total past the limit gets NULL, as GP specifies for an
// exhausted heap; the process is never OOM-killed for it. Plain malloc()
// in a TA is bounded separately by RLIMIT_DATA (ta_process.cc), which
// also makes malloc return NULL instead of the kernel killing the TA.
#pragma once

#include <cstddef>

namespace swtee::ta {

struct HeapAccount {
  size_t used = 0;  // bytes charged now
  size_t mark = 0;  // tee_user_mem_mark_heap()
};

HeapAccount& heap_account();
// TA_DATA_SIZE of the loaded TA; SIZE_MAX when no TA is loaded (tests).
size_t heap_limit();

}  // namespace swtee::ta
