#include "os/carveout.h"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include "protocol/conduit.h"

namespace swtee::os {
namespace {

using conduit::kCarveoutPhysBase;
using conduit::kCarveoutSlotSize;

Carveout make(unsigned channels) {
  auto fd = create_sealed_memfd("co", channels * kCarveoutSlotSize);
  EXPECT_TRUE(fd.ok());
  auto c = Carveout::adopt(std::move(*fd), channels);
  EXPECT_TRUE(c.ok());
  return std::move(*c);
}

TEST(Carveout, RejectsWrongSize) {
  auto fd = create_sealed_memfd("co", kCarveoutSlotSize);
  ASSERT_TRUE(fd.ok());
  auto c = Carveout::adopt(std::move(*fd), 2);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, EINVAL);
}

TEST(Carveout, RejectsUnsealableFd) {
  UniqueFd fd(::memfd_create("co", MFD_CLOEXEC));  // no MFD_ALLOW_SEALING
  ASSERT_TRUE(fd.valid());
  ASSERT_EQ(::ftruncate(fd.get(), kCarveoutSlotSize), 0);
  EXPECT_FALSE(Carveout::adopt(std::move(fd), 1).ok());
}

TEST(Carveout, RejectsTooManyChannels) {
  auto fd = create_sealed_memfd("co", kCarveoutSlotSize);
  ASSERT_TRUE(fd.ok());
  EXPECT_FALSE(Carveout::adopt(std::move(*fd), conduit::kMaxChannels + 1).ok());
}

TEST(Carveout, ArgOffsetOnlyInsideOwnSlot) {
  Carveout c = make(2);
  EXPECT_EQ(*c.arg_offset(0, kCarveoutPhysBase), 0u);
  EXPECT_EQ(*c.arg_offset(1, kCarveoutPhysBase + kCarveoutSlotSize + 64), 64u);
  EXPECT_FALSE(c.arg_offset(1, kCarveoutPhysBase).ok());                      // channel 0's slot
  EXPECT_FALSE(c.arg_offset(0, kCarveoutPhysBase + kCarveoutSlotSize).ok());  // channel 1's slot
  EXPECT_FALSE(c.arg_offset(0, kCarveoutPhysBase + 4).ok());                  // misaligned
  EXPECT_FALSE(c.arg_offset(0, kCarveoutPhysBase - 8).ok());                  // below
  EXPECT_FALSE(c.arg_offset(0, kCarveoutPhysBase + kCarveoutSlotSize - 64).ok());  // no room for RPC arg
  EXPECT_FALSE(c.arg_offset(0, UINT64_MAX - 7).ok());                          // wraps
  EXPECT_FALSE(c.arg_offset(2, kCarveoutPhysBase + 2 * kCarveoutSlotSize).ok());
}

TEST(Carveout, SlotsAreDisjointViews) {
  Carveout c = make(3);
  EXPECT_EQ(c.slot(0).size(), kCarveoutSlotSize);
  EXPECT_EQ(c.slot(2).data(), c.slot(0).data() + 2 * kCarveoutSlotSize);
  EXPECT_TRUE(c.slot(3).empty());
}

}  // namespace
}  // namespace swtee::os
