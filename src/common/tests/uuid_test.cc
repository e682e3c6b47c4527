#include "common/uuid.h"

#include <gtest/gtest.h>

namespace swtee {
namespace {

const Uuid kLoginNs = *Uuid::parse("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6");

TEST(Uuid, ParseFormatRoundTrip) {
  auto u = Uuid::parse("8AAAF200-2450-11e4-abe2-0002a5d5c51b");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->to_string(), "8aaaf200-2450-11e4-abe2-0002a5d5c51b");
  EXPECT_EQ(u->octets[0], 0x8a);
  EXPECT_EQ(u->octets[15], 0x1b);
}

TEST(Uuid, ParseRejectsMalformed) {
  EXPECT_FALSE(Uuid::parse(""));
  EXPECT_FALSE(Uuid::parse("8aaaf200-2450-11e4-abe2-0002a5d5c51"));
  EXPECT_FALSE(Uuid::parse("8aaaf200x2450-11e4-abe2-0002a5d5c51b"));
  EXPECT_FALSE(Uuid::parse("8aaaf200-2450-11e4-abe2-0002a5d5c5zz"));
}

TEST(Uuid, FieldsAreBigEndian) {
  const uint8_t csn[8] = {0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b};
  Uuid u = Uuid::from_fields(0x8aaaf200, 0x2450, 0x11e4, csn);
  EXPECT_EQ(u.to_string(), "8aaaf200-2450-11e4-abe2-0002a5d5c51b");
  uint32_t tl;
  uint16_t tm, th;
  uint8_t out[8];
  u.to_fields(&tl, &tm, &th, out);
  EXPECT_EQ(tl, 0x8aaaf200u);
  EXPECT_EQ(tm, 0x2450);
  EXPECT_EQ(th, 0x11e4);
  EXPECT_EQ(out[7], 0x1b);
}

// Expected values computed independently with Python's uuid.uuid5.
TEST(Uuid, V5MatchesKernelLoginFormula) {
  EXPECT_EQ(uuid_v5(kLoginNs, "uid=0").to_string(), "ef0180a3-13f3-5d1c-b7f5-888c0e21059a");
  EXPECT_EQ(uuid_v5(kLoginNs, "uid=3e8").to_string(), "fc34275c-d8dd-5ba7-968b-504718363b87");
  EXPECT_EQ(uuid_v5(kLoginNs, "gid=64").to_string(), "d32f761e-b364-519b-be12-ed54ba663b0a");
}

}  // namespace
}  // namespace swtee
