// KeptHandles: every handle is kept or out with one owner, the bound holds,
// and whatever leaves (pushed out, replaced, of an owner that is gone) is
// handed to a caller to close exactly once.
#include "os/storage/kept_handles.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace swtee::os::storage {
namespace {

TEST(KeptHandlesTest, TakeHandsOutWhatWasKeptOnce) {
  KeptHandles k(4);
  const uint64_t a = k.new_owner(), b = k.new_owner();
  EXPECT_NE(a, b);
  EXPECT_TRUE(k.put(a, 0, 10).empty());
  EXPECT_TRUE(k.put(a, 1, 11).empty());
  EXPECT_TRUE(k.put(b, 0, 20).empty());
  EXPECT_EQ(k.take(a, 0), FsHandle{10});
  EXPECT_EQ(k.take(a, 0), std::nullopt) << "a handle was handed out twice";
  EXPECT_EQ(k.take(b, 1), std::nullopt);
  EXPECT_EQ(k.take(b, 0), FsHandle{20});
  EXPECT_EQ(k.size(), 1u);
}

TEST(KeptHandlesTest, TheBoundPushesOutTheLeastRecentlyUsed) {
  KeptHandles k(3);
  const uint64_t o = k.new_owner();
  for (uint32_t s = 0; s < 3; ++s) EXPECT_TRUE(k.put(o, s, 100 + s).empty());
  ASSERT_EQ(k.take(o, 0), FsHandle{100});  // used again: the most recent now
  EXPECT_TRUE(k.put(o, 0, 100).empty());
  EXPECT_EQ(k.put(o, 3, 103), std::vector<FsHandle>{101});
  EXPECT_EQ(k.put(o, 4, 104), std::vector<FsHandle>{102});
  EXPECT_EQ(k.size(), 3u);
  EXPECT_EQ(k.take(o, 1), std::nullopt);
  EXPECT_EQ(k.take(o, 0), FsHandle{100});
}

TEST(KeptHandlesTest, ASecondHandleForTheSameFileSendsTheFirstToBeClosed) {
  KeptHandles k(4);
  const uint64_t o = k.new_owner();
  EXPECT_TRUE(k.put(o, 0, 7).empty());
  EXPECT_EQ(k.put(o, 0, 8), std::vector<FsHandle>{7});
  EXPECT_EQ(k.take(o, 0), FsHandle{8});
}

TEST(KeptHandlesTest, TheHandlesOfAnOwnerThatWentAreClosedByTheNextCaller) {
  KeptHandles k(8);
  const uint64_t gone = k.new_owner(), next = k.new_owner();
  EXPECT_TRUE(k.put(gone, 0, 1).empty());
  EXPECT_TRUE(k.put(gone, 1, 2).empty());
  k.orphan(gone);
  EXPECT_EQ(k.take(gone, 0), std::nullopt);
  EXPECT_EQ(k.size(), 2u) << "an orphan must still count against the bound until it is closed";
  auto close = k.put(next, 0, 3);
  std::sort(close.begin(), close.end());
  EXPECT_EQ(close, (std::vector<FsHandle>{1, 2}));
  EXPECT_TRUE(k.put(next, 1, 4).empty()) << "an orphan was handed out twice";
  EXPECT_EQ(k.size(), 2u);
}

TEST(KeptHandlesTest, TakeAllEmptiesOneOwner) {
  KeptHandles k(8);
  const uint64_t a = k.new_owner(), b = k.new_owner();
  EXPECT_TRUE(k.put(a, 0, 1).empty());
  EXPECT_TRUE(k.put(b, 0, 2).empty());
  EXPECT_TRUE(k.put(a, 1, 3).empty());
  auto all = k.take_all(a);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<FsHandle>{1, 3}));
  EXPECT_EQ(k.take(b, 0), FsHandle{2});
  EXPECT_EQ(k.size(), 0u);
}

TEST(KeptHandlesTest, ABoundOfZeroKeepsNothing) {
  KeptHandles k(0);
  const uint64_t o = k.new_owner();
  EXPECT_EQ(k.put(o, 0, 5), std::vector<FsHandle>{5});
  EXPECT_EQ(k.size(), 0u);
}

}  // namespace
}  // namespace swtee::os::storage
