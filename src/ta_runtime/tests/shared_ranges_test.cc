#include "ta_runtime/shared_ranges.h"

#include <gtest/gtest.h>

namespace swtee::ta {
namespace {

const void* at(uintptr_t a) { return reinterpret_cast<const void*>(a); }

TEST(SharedRanges, FindsOverlapsAndRefusesOverlappingRanges) {
  SharedRanges r;
  ASSERT_TRUE(r.add(at(0x1000), 0x1000, true, RangeOwner::Client).ok());
  ASSERT_TRUE(r.add(at(0x3000), 0x800, false, RangeOwner::Ta).ok());
  EXPECT_EQ(r.add(at(0x1800), 0x100, true, RangeOwner::Client).error().code, EEXIST);
  EXPECT_EQ(r.add(at(0x0800), 0x1000, true, RangeOwner::Client).error().code, EEXIST);
  EXPECT_EQ(r.add(at(0x2800), 0x1000, true, RangeOwner::Client).error().code, EEXIST);

  EXPECT_FALSE(r.first_overlap(0x0, 0x1000));     // just below
  EXPECT_FALSE(r.first_overlap(0x2000, 0x3000));  // the gap
  auto o = r.first_overlap(0x1fff, 0x2001);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->start, 0x1000u);
  o = r.first_overlap(0x2000, 0x4000);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->start, 0x3000u);
  EXPECT_EQ(o->owner, RangeOwner::Ta);
  EXPECT_FALSE(o->writable);
  o = r.first_overlap(0x0, 0x10000);  // the lowest one first
  ASSERT_TRUE(o);
  EXPECT_EQ(o->start, 0x1000u);

  EXPECT_TRUE(r.remove(at(0x1000)));
  EXPECT_FALSE(r.remove(at(0x1000)));
  EXPECT_FALSE(r.first_overlap(0x1000, 0x2000));
  EXPECT_EQ(r.size(), 1u);
}

TEST(SharedRanges, RejectsEmptyWrappingAndTooMany) {
  SharedRanges r;
  EXPECT_EQ(r.add(nullptr, 16, true, RangeOwner::Client).error().code, EINVAL);
  EXPECT_EQ(r.add(at(0x1000), 0, true, RangeOwner::Client).error().code, EINVAL);
  EXPECT_EQ(r.add(at(UINTPTR_MAX - 4), 16, true, RangeOwner::Client).error().code, EINVAL);
  for (size_t i = 0; i < SharedRanges::kMaxRanges; ++i)
    ASSERT_TRUE(r.add(at(0x10000 + i * 0x100), 0x100, true, RangeOwner::Client).ok()) << i;
  EXPECT_EQ(r.add(at(0x1000), 0x10, true, RangeOwner::Client).error().code, ENOSPC);
  r.clear();
  EXPECT_EQ(r.size(), 0u);
}

}  // namespace
}  // namespace swtee::ta

namespace swtee::ta {
namespace {

TEST(ScopedSharedRange, RegistersForItsLifetime) {
  static uint8_t buf[64];
  const size_t before = shared_ranges().size();
  {
    auto r = ScopedSharedRange::add(buf, sizeof(buf), true, RangeOwner::Ta);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(shared_ranges().size(), before + 1);
    ScopedSharedRange moved = std::move(*r);
    EXPECT_EQ(shared_ranges().size(), before + 1);
    EXPECT_FALSE(ScopedSharedRange::add(buf + 8, 8, true, RangeOwner::Ta).ok());  // overlaps
  }
  EXPECT_EQ(shared_ranges().size(), before);
}

}  // namespace
}  // namespace swtee::ta
