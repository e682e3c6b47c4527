// The zygote's heap tuning (fork_heap.h): with it, freed small blocks leave
// nothing on glibc's fastbins; after the restore they do again. Each test
// runs in a forked child, since the setting is the whole process's.
#include "ta_runtime/fork_heap.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>

#include "ta_runtime/sanitized.h"
#include "ta_runtime/tests/in_child.h"

namespace swtee::ta {
namespace {

#ifdef SWTEE_TA_SANITIZED
constexpr bool kGlibcHeap = false;  // the sanitizer's allocator: no fastbins to see
#else
constexpr bool kGlibcHeap = true;
#endif

using testing::in_child;

// Frees 64 blocks of 32 bytes, more than glibc's per-thread cache keeps
// (7 a size), with live blocks between them so none can merge at once.
void churn_small_blocks() {
  std::array<void*, 64> freed{};
  std::array<void*, 64> kept{};
  for (size_t i = 0; i < freed.size(); ++i) {
    freed[i] = std::malloc(32);
    kept[i] = std::malloc(32);
    // Escape both, so no optimizer can pair a malloc with its free away.
    asm volatile("" : : "r"(freed[i]), "r"(kept[i]) : "memory");
  }
  for (void* p : freed) std::free(p);
  for (void* p : kept) std::free(p);
}

TEST(ForkHeap, TheZygoteKeepsNoFastbinsItsChildrenDo) {
  EXPECT_EQ(in_child([] {
              keep_heap_consolidated();
              churn_small_blocks();
              if (fastbin_bytes() != 0) return 1;
              restore_default_heap();
              churn_small_blocks();
              if (kGlibcHeap && fastbin_bytes() == 0) return 2;
              return 0;
            }),
            0);
}

TEST(ForkHeap, WithoutTheTuningFreedSmallBlocksStayOnFastbins) {
  // The control: the check above can see fastbins at all.
  EXPECT_EQ(in_child([] {
              churn_small_blocks();
              return kGlibcHeap && fastbin_bytes() == 0 ? 1 : 0;
            }),
            0);
}

}  // namespace
}  // namespace swtee::ta
