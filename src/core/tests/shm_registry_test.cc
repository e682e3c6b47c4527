#include "core/shm_registry.h"

#include <gtest/gtest.h>

#include "core/tests/fake_driver.h"

namespace swtee::core {
namespace {

// Distinct addresses standing in for contexts; never dereferenced.
const Context* ctx(uintptr_t n) { return reinterpret_cast<const Context*>(n * 64); }

TEST(ShmRegistry, IdsStartAtOneAndAreUniqueAcrossContexts) {
  ShmRegistry r(10);
  auto a = r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 16, nullptr);
  auto b = r.create(ctx(2), Shm::Kind::Alloc, UniqueFd(), 16, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->id(), 1);
  EXPECT_EQ((*b)->id(), 2);
  EXPECT_EQ(r.live(), 2u);
}

TEST(ShmRegistry, LookupChecksTheOwner) {
  ShmRegistry r(10);
  auto a = r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 16, nullptr);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(r.get(ctx(1), (*a)->id()).ok());
  EXPECT_EQ(r.get(ctx(2), (*a)->id()).error().code, EINVAL);
  EXPECT_EQ(r.get(ctx(1), 77).error().code, EINVAL);
  EXPECT_EQ(r.release(ctx(2), (*a)->id()).error().code, EINVAL);
  EXPECT_TRUE(r.release(ctx(1), (*a)->id()).ok());
  EXPECT_EQ(r.get(ctx(1), (*a)->id()).error().code, EINVAL);
}

TEST(ShmRegistry, PerContextLimit) {
  ShmRegistry r(2);
  EXPECT_TRUE(r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 1, nullptr).ok());
  EXPECT_TRUE(r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 1, nullptr).ok());
  EXPECT_EQ(r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 1, nullptr).error().code, ENOSPC);
  EXPECT_TRUE(r.create(ctx(2), Shm::Kind::Alloc, UniqueFd(), 1, nullptr).ok());
  EXPECT_EQ(r.live_of(ctx(1)), 2u);
  r.release_all(ctx(1));
  EXPECT_EQ(r.live_of(ctx(1)), 0u);
  EXPECT_EQ(r.live(), 1u);
  EXPECT_TRUE(r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 1, nullptr).ok());
}

TEST(ShmRegistry, DriverHearsTheEndOnlyWhenTheLastReferenceGoes) {
  testing::FakeDriver drv;
  ShmRegistry r(10);
  auto a = r.create(ctx(1), Shm::Kind::Alloc, UniqueFd(), 16, &drv);
  ASSERT_TRUE(a.ok());
  std::shared_ptr<Shm> call_ref = *a;
  a = Error{EINVAL};
  ASSERT_TRUE(r.release(ctx(1), call_ref->id()).ok());
  EXPECT_EQ(drv.counts.shm_unregister.load(), 0);
  call_ref.reset();
  EXPECT_EQ(drv.counts.shm_unregister.load(), 1);
}

}  // namespace
}  // namespace swtee::core
