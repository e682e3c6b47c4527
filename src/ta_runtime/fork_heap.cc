#include "ta_runtime/fork_heap.h"

#include <malloc.h>

#include <cstddef>

#include "ta_runtime/sanitized.h"

namespace swtee::ta {
namespace {

#ifndef SWTEE_TA_SANITIZED
// glibc's DEFAULT_MXFAST: 64 * sizeof(size_t) / 4, 128 bytes on 64-bit.
constexpr int kGlibcDefaultMaxFast = static_cast<int>(64 * sizeof(size_t) / 4);
#endif

}  // namespace

void keep_heap_consolidated() {
#ifndef SWTEE_TA_SANITIZED
  (void)::mallopt(M_MXFAST, 0);  // NOLINT(concurrency-mt-unsafe): the zygote has one thread
#endif
}

void restore_default_heap() {
#ifndef SWTEE_TA_SANITIZED
  // NOLINTNEXTLINE(concurrency-mt-unsafe): a child just forked has one thread
  (void)::mallopt(M_MXFAST, kGlibcDefaultMaxFast);
#endif
}

unsigned long fastbin_bytes() {
#ifndef SWTEE_TA_SANITIZED
  return static_cast<unsigned long>(::mallinfo2().fsmblks);
#else
  return 0;
#endif
}

}  // namespace swtee::ta
