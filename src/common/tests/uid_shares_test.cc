#include "common/uid_shares.h"

#include <gtest/gtest.h>

#include <vector>

namespace swtee {
namespace {

TEST(UidShares, ShareIsAPercentOfTheGlobalLimitAtLeastOne) {
  EXPECT_EQ(uid_share(64, 25), 16u);
  EXPECT_EQ(uid_share(3, 25), 1u);  // 0.75 rounds down, then at least 1
  EXPECT_EQ(uid_share(1024, 25), 256u);
  EXPECT_EQ(uid_share(7, 100), 7u);
  EXPECT_EQ(uid_share(7, 0), 1u) << "percent clamped to 1..100";
  EXPECT_EQ(uid_share(7, 500), 7u);
  EXPECT_EQ(uid_share(UINT64_MAX, 50), UINT64_MAX / 100 * 50 + UINT64_MAX % 100 * 50 / 100) << "no overflow";
}

TEST(UidShares, OneUidFillsItsShareOthersStillTake) {
  auto q = UidShares::create(share_limit(64, 25));
  std::vector<ShareCharge> a;
  for (int i = 0; i < 16; ++i) {
    auto c = q->take(1000u, 1);
    ASSERT_TRUE(c.ok()) << i;
    a.push_back(std::move(*c));
  }
  auto over = q->take(1000u, 1);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, kShareUsedUp);
  EXPECT_TRUE(q->take(1001u, 1).ok()) << "another uid still has its share";
  EXPECT_EQ(q->used(1000), 16u);
  EXPECT_EQ(q->total(), 16u) << "the charge of the refused and the dropped take are gone";
}

TEST(UidShares, GlobalLimitHoldsOverAllUidsAndUnknownTakers) {
  auto q = UidShares::create(share_limit(4, 50));
  std::vector<ShareCharge> held;
  for (uid_t u : {1u, 1u, 2u}) held.push_back(std::move(*q->take(u, 1)));
  // A taker whose uid is unknown is held to the global limit only.
  auto anon = q->take(std::nullopt, 1);
  ASSERT_TRUE(anon.ok());
  auto full = q->take(3u, 1);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code, kPoolFull);
  EXPECT_FALSE(q->take(std::nullopt, 1).ok());
  anon->reset();
  EXPECT_EQ(q->total(), 3u);
  EXPECT_TRUE(q->take(3u, 1).ok());
}

TEST(UidShares, ChargesGiveBackOnceAndMoveWithoutDoubleCounting) {
  auto q = UidShares::create(share_limit(8, 50));
  auto c = q->take(7u, 3);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(q->take(7u, 2).ok()) << "3 + 2 is over the share of 4";
  ShareCharge moved = std::move(*c);
  EXPECT_EQ(moved.units(), 3u);
  EXPECT_EQ(q->used(7), 3u);
  ShareCharge again = std::move(moved);
  moved.reset();  // empty: gives nothing back
  EXPECT_EQ(q->used(7), 3u);
  again.reset();
  again.reset();
  EXPECT_EQ(q->used(7), 0u);
  EXPECT_EQ(q->total(), 0u);
}

TEST(UidShares, SplitPoolKeysHaveTheirOwnLimits) {
  auto q = UidShares::create(share_limit(4, 50));
  const Uuid ta1 = *Uuid::parse("11111111-1111-1111-1111-111111111111");
  const Uuid ta2 = *Uuid::parse("22222222-2222-2222-2222-222222222222");
  auto a = q->take(7u, 2, ta1);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(q->take(7u, 1, ta1).ok());
  EXPECT_TRUE(q->take(7u, 1, ta2).ok()) << "another key has its own pool";
  EXPECT_EQ(q->used(7, ta1), 2u);
  EXPECT_EQ(q->total(ta1), 2u);
}

TEST(UidShares, ChargeOutlivesThePoolsOwner) {
  ShareCharge c;
  {
    auto q = UidShares::create(share_limit(2, 50));
    c = std::move(*q->take(1u, 1));
  }
  c.reset();  // the pool lives on through the charge until now
  SUCCEED();
}

}  // namespace
}  // namespace swtee
