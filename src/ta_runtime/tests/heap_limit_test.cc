// TEE_Malloc & co. against TA_DATA_SIZE: NULL past the limit, bytes back
// on TEE_Free, the GP hints, TEE_Realloc keeping the old block on failure.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "swtee_ta_info.h"
#include "ta_runtime/dispatcher.h"
#include "ta_runtime/heap_account.h"
#include "ta_runtime/runtime_state.h"
#include "tee_internal_api.h"
#include "tee_internal_api_extensions.h"

namespace swtee::ta {
namespace {

class HeapLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    info_.abi_version = SWTEE_TA_INFO_ABI_VERSION;
    info_.data_size = kLimit;
    runtime().info = &info_;
    heap_account() = HeapAccount{};
  }
  void TearDown() override {
    runtime().info = nullptr;
    heap_account() = HeapAccount{};
  }
  static constexpr uint32_t kLimit = 16 * 1024;
  struct swtee_ta_info info_ {};
};

TEST_F(HeapLimit, NullPastTheLimitAndBytesComeBack) {
  EXPECT_EQ(heap_limit(), kLimit);
  EXPECT_EQ(TEE_Malloc(kLimit + 1, TEE_MALLOC_FILL_ZERO), nullptr);
  EXPECT_EQ(heap_account().used, 0u);
  std::vector<void*> blocks;
  for (;;) {
    void* p = TEE_Malloc(1000, TEE_MALLOC_FILL_ZERO);
    if (p == nullptr) break;
    blocks.push_back(p);
    ASSERT_LT(blocks.size(), 100u) << "the limit is not enforced";
  }
  EXPECT_GE(blocks.size(), 14u);  // 16 KiB in 1000-byte blocks, allocator slack aside
  EXPECT_LE(heap_account().used, kLimit);
  TEE_Free(blocks.back());
  blocks.pop_back();
  void* again = TEE_Malloc(1000, TEE_MALLOC_FILL_ZERO);
  EXPECT_NE(again, nullptr);
  TEE_Free(again);
  for (void* p : blocks) TEE_Free(p);
  EXPECT_EQ(heap_account().used, 0u);
  void* all = TEE_Malloc(kLimit - 64, TEE_USER_MEM_HINT_NO_FILL_ZERO);
  EXPECT_NE(all, nullptr);
  TEE_Free(all);
}

TEST_F(HeapLimit, HintsAndZeroSize) {
  auto* z = static_cast<uint8_t*>(TEE_Malloc(512, TEE_MALLOC_FILL_ZERO));
  ASSERT_NE(z, nullptr);
  for (size_t i = 0; i < 512; ++i) ASSERT_EQ(z[i], 0) << i;
  TEE_Free(z);
  void* ns = TEE_Malloc(64, TEE_MALLOC_NO_SHARE);
  EXPECT_NE(ns, nullptr);
  TEE_Free(ns);
  void* nf = TEE_Malloc(64, TEE_MALLOC_NO_FILL | TEE_MALLOC_NO_SHARE);
  EXPECT_NE(nf, nullptr);
  TEE_Free(nf);
  void* legacy = TEE_Malloc(64, TEE_USER_MEM_HINT_NO_FILL_ZERO);
  EXPECT_NE(legacy, nullptr);
  TEE_Free(legacy);
  EXPECT_EQ(TEE_Malloc(64, 0x40), nullptr);  // reserved hint
  // NO_FILL without NO_SHARE: OP-TEE's TEE_Malloc panics.
  EXPECT_DEATH((void)TEE_Malloc(64, TEE_MALLOC_NO_FILL), "");
  // Size 0: OP-TEE's non-NULL pointer that faults when touched.
  void* a = TEE_Malloc(0, TEE_MALLOC_FILL_ZERO);
  EXPECT_NE(a, nullptr);
  EXPECT_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ, a, 1), TEE_ERROR_ACCESS_DENIED);
  EXPECT_DEATH(*static_cast<volatile uint8_t*>(a) = 1, "");
  void* b = TEE_Realloc(a, 16);  // the null-sized pointer reallocates like NULL
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(static_cast<uint8_t*>(b)[15], 0);
  EXPECT_EQ(TEE_Realloc(b, 0), a);  // and shrinking to 0 gives it back
  TEE_Free(a);
  TEE_Free(nullptr);
  EXPECT_EQ(heap_account().used, 0u);
}

TEST_F(HeapLimit, ReallocGrowsZeroedAndFailsSafely) {
  auto* p = static_cast<uint8_t*>(TEE_Realloc(nullptr, 100));  // = TEE_Malloc(100, 0)
  ASSERT_NE(p, nullptr);
  for (int i = 0; i < 100; ++i) p[i] = static_cast<uint8_t>(i);
  auto* q = static_cast<uint8_t*>(TEE_Realloc(p, 4000));
  ASSERT_NE(q, nullptr);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(q[i], i);
  for (int i = 200; i < 4000; ++i) ASSERT_EQ(q[i], 0) << i;  // past the old block's usable size
  EXPECT_EQ(TEE_Realloc(q, kLimit * 2), nullptr);            // over the limit: old block intact
  for (int i = 0; i < 100; ++i) ASSERT_EQ(q[i], i);
  auto* r = static_cast<uint8_t*>(__GP11_TEE_Realloc(q, 50));
  ASSERT_NE(r, nullptr);
  for (int i = 0; i < 50; ++i) ASSERT_EQ(r[i], i);
  TEE_Free(r);
  EXPECT_EQ(heap_account().used, 0u);
}

TEST_F(HeapLimit, MarkAndCheckHeap) {
  tee_user_mem_mark_heap();
  void* p = TEE_Malloc(100, 0);
  EXPECT_GE(tee_user_mem_check_heap(), 100u);
  TEE_Free(p);
  EXPECT_EQ(tee_user_mem_check_heap(), 0u);
}

TEST(HeapNoTa, UnlimitedWithoutATa) {
  ASSERT_EQ(runtime().info, nullptr);
  EXPECT_EQ(heap_limit(), SIZE_MAX);
  void* p = TEE_Malloc(1 << 20, TEE_MALLOC_FILL_ZERO);
  EXPECT_NE(p, nullptr);
  TEE_Free(p);
}

TEST(MemFunctions, CompareMoveFill) {
  uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  uint8_t b[8] = {1, 2, 3, 4, 5, 6, 7, 9};
  EXPECT_LT(TEE_MemCompare(a, b, 8), 0);
  EXPECT_GT(TEE_MemCompare(b, a, 8), 0);
  EXPECT_EQ(TEE_MemCompare(a, b, 7), 0);
  EXPECT_EQ(TEE_MemCompare(nullptr, nullptr, 0), 0);
  TEE_MemMove(a + 2, a, 4);  // overlapping
  const uint8_t moved[8] = {1, 2, 1, 2, 3, 4, 7, 8};
  EXPECT_EQ(std::memcmp(a, moved, 8), 0);
  TEE_MemFill(b, 0x1AB, 8);  // only the low byte counts
  for (uint8_t v : b) EXPECT_EQ(v, 0xAB);
  EXPECT_EQ(TEE_MemMove(nullptr, nullptr, 0), nullptr);
}

TEST(MemPanicDeathTest, NullBuffersWithASizePanic) {
  uint8_t x[4] = {};
  EXPECT_EXIT(TEE_MemMove(nullptr, x, 4), ::testing::ExitedWithCode(kExitPanic), "TEE_Panic");
  EXPECT_EXIT(TEE_MemMove(x, nullptr, 4), ::testing::ExitedWithCode(kExitPanic), "TEE_Panic");
  EXPECT_EXIT(TEE_MemFill(nullptr, 0, 4), ::testing::ExitedWithCode(kExitPanic), "TEE_Panic");
  EXPECT_EXIT((void)TEE_MemCompare(nullptr, x, 4), ::testing::ExitedWithCode(kExitPanic), "TEE_Panic");
}

}  // namespace
}  // namespace swtee::ta
