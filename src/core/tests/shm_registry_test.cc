#include "core/shm_registry.h"

#include <gtest/gtest.h>

#include "core/context.h"
#include "core/tests/fake_driver.h"

namespace swtee::core {
namespace {

// Contexts that have only an id: the registry asks a new shm's owner for
// nothing else (no quotas here).
class IdOnlyContext final : public Context {
 public:
  explicit IdOnlyContext(uint64_t id) : id_(id) {}
  uint64_t id() const override { return id_; }
  const PeerCred& peer() const override { return peer_; }
  const DeviceDesc& device() const override { return desc_; }
  uint32_t guest_id() const override { return 0; }
  DriverContextData* driver_data() const override { return nullptr; }
  Result<std::shared_ptr<Shm>> shm_get(int) override { return Error{EINVAL, "not in this test"}; }

 private:
  uint64_t id_;
  PeerCred peer_{};
  DeviceDesc desc_{};
};

const Context* ctx(uint64_t n) {
  static const IdOnlyContext one(1), two(2);
  return n == 1 ? &one : &two;
}

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
  EXPECT_EQ((*a)->owner_id(), 1u);  // outlives the owner, unlike its address
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
