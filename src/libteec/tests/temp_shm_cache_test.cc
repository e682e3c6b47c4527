// TempShmCache: bounded, per-session reuse of temporary-memref buffers.
#include "libteec/temp_shm_cache.h"

#include <gtest/gtest.h>

namespace swtee::teec {
namespace {

TempShm make(int id, uint64_t size) {
  auto fd = create_sealed_memfd("cache-test", size);
  EXPECT_TRUE(fd.ok());
  auto map = Mapping::map(fd->get(), size);
  EXPECT_TRUE(map.ok());
  return TempShm{id, std::move(*map)};
}

TEST(TempShmCache, AllocSizesArePowersOfTwoFromAPage) {
  TempShmCache c;
  EXPECT_EQ(c.alloc_size_for(0), 4096u);
  EXPECT_EQ(c.alloc_size_for(4096), 4096u);
  EXPECT_EQ(c.alloc_size_for(4097), 8192u);
  EXPECT_EQ(c.alloc_size_for(600000), 1u << 20);
  EXPECT_EQ(c.alloc_size_for((1u << 20) + 1), (1u << 20) + 4096);  // too big to cache: page-rounded
  EXPECT_EQ(c.alloc_size_for(UINT64_MAX), UINT64_MAX);
}

TEST(TempShmCache, TakesSmallestFittingEntryOfTheSameSession) {
  TempShmCache c;
  EXPECT_FALSE(c.give(1, make(10, 8192)).has_value());
  EXPECT_FALSE(c.give(1, make(11, 4096)).has_value());
  EXPECT_FALSE(c.give(2, make(12, 4096)).has_value());
  EXPECT_EQ(c.entries(), 3u);
  EXPECT_FALSE(c.take(3, 10).has_value());
  auto a = c.take(1, 100);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->id, 11);
  auto b = c.take(1, 100);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->id, 10);
  EXPECT_FALSE(c.take(1, 1).has_value());
  EXPECT_EQ(c.bytes(), 4096u);
}

TEST(TempShmCache, RefusesBeyondLimits) {
  TempShmCache c(TempShmCache::Limits{.max_entries = 2, .max_bytes = 12288, .max_entry_bytes = 8192});
  auto big = c.give(1, make(1, 16384));
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->id, 1);
  EXPECT_FALSE(c.give(1, make(2, 8192)).has_value());
  auto over_bytes = c.give(1, make(3, 8192));
  ASSERT_TRUE(over_bytes.has_value());
  EXPECT_FALSE(c.give(1, make(4, 4096)).has_value());
  auto over_count = c.give(1, make(5, 4096));
  ASSERT_TRUE(over_count.has_value());
  EXPECT_EQ(c.entries(), 2u);
  EXPECT_EQ(c.bytes(), 12288u);
}

TEST(TempShmCache, DrainRemovesOnlyThatSession) {
  TempShmCache c;
  EXPECT_FALSE(c.give(1, make(1, 4096)).has_value());
  EXPECT_FALSE(c.give(2, make(2, 4096)).has_value());
  EXPECT_FALSE(c.give(1, make(3, 4096)).has_value());
  auto gone = c.drain(1);
  ASSERT_EQ(gone.size(), 2u);
  EXPECT_EQ(c.entries(), 1u);
  EXPECT_EQ(c.bytes(), 4096u);
  EXPECT_TRUE(c.take(2, 1).has_value());
}

}  // namespace
}  // namespace swtee::teec
