#include <gtest/gtest.h>

#include "os/storage/key_chain.h"
#include "os/storage/rpmb_anchor.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"

namespace swtee::os::storage {
namespace {

using testing::MemFs;

TaTag tag_n(uint8_t n) {
  TaTag t{};
  t.fill(n);
  return t;
}

SecretKey key_n(uint8_t n) { return SecretKey(testing::pattern(32, n)); }

TEST(RpmbAnchor, AdvancesMonotonicallyAndPersists) {
  MemFs fs;
  {
    RpmbAnchor a(key_n(1), {});
    EXPECT_EQ(*a.read(fs, tag_n(1)), 0u);
    ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());
    ASSERT_TRUE(a.advance(fs, tag_n(2), 9).ok());
    ASSERT_TRUE(a.advance(fs, tag_n(1), 3).ok());  // never goes down
    EXPECT_EQ(*a.read(fs, tag_n(1)), 5u);
    EXPECT_EQ(a.write_counter(), 2u);
    EXPECT_EQ(a.protection_level(), 100u);
  }
  RpmbAnchor b(key_n(1), {});  // restart
  EXPECT_EQ(*b.read(fs, tag_n(1)), 5u);
  EXPECT_EQ(*b.read(fs, tag_n(2)), 9u);
  EXPECT_EQ(b.write_counter(), 2u);
  EXPECT_EQ(fs.open_files(), 0u);
}

TEST(RpmbAnchor, FramesUnderAnotherKeyAreIgnored) {
  MemFs fs;
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());
  RpmbAnchor forged(key_n(2), {});
  EXPECT_EQ(*forged.read(fs, tag_n(1)), 0u);
}

TEST(RpmbAnchor, TamperedFrameFallsBackToTheOtherCopy) {
  MemFs fs;
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());  // copy 0
  ASSERT_TRUE(a.advance(fs, tag_n(1), 6).ok());  // copy 1
  fs.files["rpmb.emu"][512 + 300] ^= 1;           // break copy 1's data
  RpmbAnchor b(key_n(1), {});
  EXPECT_EQ(*b.read(fs, tag_n(1)), 5u);
}

TEST(RpmbAnchor, TornWriteKeepsThePreviousValue) {
  MemFs fs;
  RpmbAnchor a(key_n(1), {});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 5).ok());
  ASSERT_TRUE(a.advance(fs, tag_n(1), 6).ok());
  fs.crash_at(1, 0.5);  // open succeeds, the frame write tears
  EXPECT_FALSE(a.advance(fs, tag_n(1), 7).ok());
  fs.revive();
  RpmbAnchor b(key_n(1), {});
  EXPECT_EQ(*b.read(fs, tag_n(1)), 6u);
  ASSERT_TRUE(b.advance(fs, tag_n(1), 7).ok());
  RpmbAnchor c(key_n(1), {});
  EXPECT_EQ(*c.read(fs, tag_n(1)), 7u);
}

TEST(RpmbAnchor, BytesBeyondThePartitionAreIgnored) {
  MemFs fs;
  RpmbAnchor a(key_n(1), RpmbAnchorOptions{"rpmb.emu", 2});
  ASSERT_TRUE(a.advance(fs, tag_n(1), 4).ok());
  fs.files["rpmb.emu"].resize(2 * 2 * 512 + 4096, 0xAB);
  RpmbAnchor b(key_n(1), RpmbAnchorOptions{"rpmb.emu", 2});
  EXPECT_EQ(*b.read(fs, tag_n(1)), 4u);
}

TEST(RpmbAnchor, FullPartitionIsNoSpace) {
  MemFs fs;
  RpmbAnchor a(key_n(1), RpmbAnchorOptions{"rpmb.emu", 1});
  for (uint8_t i = 1; i <= kAnchorSlotsPerBlock; ++i) ASSERT_TRUE(a.advance(fs, tag_n(i), 1).ok());
  EXPECT_EQ(a.advance(fs, tag_n(100), 1).error().code, ENOSPC);
  EXPECT_TRUE(a.advance(fs, tag_n(1), 2).ok());
}

}  // namespace
}  // namespace swtee::os::storage
