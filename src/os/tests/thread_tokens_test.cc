#include "os/thread_tokens.h"

#include <gtest/gtest.h>

namespace swtee::os {
namespace {

TEST(ThreadTokens, ExhaustionAndRelease) {
  ThreadTokens pool(2);
  ThreadToken a = pool.try_acquire();
  ThreadToken b = pool.try_acquire();
  ASSERT_TRUE(a.valid());
  ASSERT_TRUE(b.valid());
  EXPECT_NE(a.id(), b.id());
  EXPECT_LT(a.id(), 2u);
  EXPECT_LT(b.id(), 2u);
  EXPECT_FALSE(pool.try_acquire().valid());
  EXPECT_EQ(pool.in_use(), 2u);
  uint32_t freed = a.id();
  a.reset();
  EXPECT_EQ(pool.in_use(), 1u);
  ThreadToken c = pool.try_acquire();
  ASSERT_TRUE(c.valid());
  EXPECT_EQ(c.id(), freed);
}

TEST(ThreadTokens, MoveTransfersOwnership) {
  ThreadTokens pool(1);
  ThreadToken a = pool.try_acquire();
  ThreadToken b = std::move(a);
  EXPECT_FALSE(a.valid());  // NOLINT(bugprone-use-after-move)
  EXPECT_TRUE(b.valid());
  EXPECT_EQ(pool.in_use(), 1u);
  { ThreadToken c = std::move(b); }
  EXPECT_EQ(pool.in_use(), 0u);
}

}  // namespace
}  // namespace swtee::os
