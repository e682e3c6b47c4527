#include "core/uid_quotas.h"

#include <gtest/gtest.h>

namespace swtee::core {
namespace {

TEST(UidQuotas, ShareAndGlobalLimitsAndGiveBack) {
  auto qp = std::make_shared<UidQuotas>(pool_limits(8, 8, 1000, 8, 4, 8, 50));
  UidQuotas& q = *qp;
  EXPECT_EQ(q.limit(Pool::Contexts).per_uid, 4u);
  std::vector<QuotaCharge> a;
  for (int i = 0; i < 4; ++i) {
    auto c = q.take(1000, Pool::Contexts, 1);
    ASSERT_TRUE(c.ok());
    a.push_back(std::move(*c));
  }
  EXPECT_FALSE(q.take(1000, Pool::Contexts, 1).ok()) << "over uid 1000's share";
  std::vector<QuotaCharge> b;
  for (int i = 0; i < 4; ++i) {
    auto c = q.take(1001, Pool::Contexts, 1);
    ASSERT_TRUE(c.ok()) << "another uid still has its share";
    b.push_back(std::move(*c));
  }
  EXPECT_FALSE(q.take(1002, Pool::Contexts, 1).ok()) << "over the global limit";
  a.pop_back();  // a charge given back frees its unit
  EXPECT_EQ(q.used(1000, Pool::Contexts), 3u);
  EXPECT_TRUE(q.take(1002, Pool::Contexts, 1).ok());
}

TEST(UidQuotas, BytesAndPerTaPoolsAreSeparate) {
  auto qp = std::make_shared<UidQuotas>(pool_limits(8, 8, 1000, 8, 4, 8, 50));
  UidQuotas& q = *qp;
  auto big = q.take(7, Pool::ShmBytes, 500);
  ASSERT_TRUE(big.ok());
  EXPECT_FALSE(q.take(7, Pool::ShmBytes, 1).ok());
  EXPECT_FALSE(q.take(8, Pool::ShmBytes, 501).ok());
  Uuid ta1 = *Uuid::parse("11111111-1111-1111-1111-111111111111");
  Uuid ta2 = *Uuid::parse("22222222-2222-2222-2222-222222222222");
  auto s1 = q.take(7, Pool::SessionsPerTa, 2, ta1);
  ASSERT_TRUE(s1.ok());
  EXPECT_FALSE(q.take(7, Pool::SessionsPerTa, 1, ta1).ok());
  EXPECT_TRUE(q.take(7, Pool::SessionsPerTa, 1, ta2).ok()) << "another TA has its own pool";
  QuotaCharge moved = std::move(*s1);
  EXPECT_EQ(q.used(7, Pool::SessionsPerTa, ta1), 2u);
  moved.reset();
  EXPECT_EQ(q.used(7, Pool::SessionsPerTa, ta1), 0u);
}

}  // namespace
}  // namespace swtee::core
