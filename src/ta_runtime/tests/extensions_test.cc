#include <gtest/gtest.h>

#include <cstring>

#include "tee_internal_api.h"
#include "tee_internal_api_extensions.h"

namespace {

TEST(Extensions, UuidFromString) {
  TEE_UUID u{};
  ASSERT_EQ(tee_uuid_from_str(&u, "8aaaf200-2450-11e4-ABE2-0002a5d5c51b"), TEE_SUCCESS);
  EXPECT_EQ(u.timeLow, 0x8aaaf200u);
  EXPECT_EQ(u.timeMid, 0x2450u);
  EXPECT_EQ(u.timeHiAndVersion, 0x11e4u);
  EXPECT_EQ(u.clockSeqAndNode[0], 0xab);
  EXPECT_EQ(u.clockSeqAndNode[7], 0x1b);
  EXPECT_EQ(tee_uuid_from_str(&u, "8aaaf200-2450-11e4-abe2-0002a5d5c51"), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(tee_uuid_from_str(&u, "8aaaf200-2450-11e4-abe2-0002a5d5c51b0"), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(tee_uuid_from_str(&u, "8aaaf200+2450-11e4-abe2-0002a5d5c51b"), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(tee_uuid_from_str(nullptr, "x"), TEE_ERROR_BAD_PARAMETERS);
}

TEST(Extensions, MapZiAndCacheOps) {
  auto* p = static_cast<char*>(tee_map_zi(8192, 0));
  ASSERT_NE(p, nullptr);
  for (int i = 0; i < 8192; ++i) ASSERT_EQ(p[i], 0);
  EXPECT_EQ(TEE_CacheFlush(p, 8192), TEE_SUCCESS);
  EXPECT_EQ(TEE_CacheClean(p, 100), TEE_SUCCESS);
  EXPECT_EQ(tee_unmap(p, 8192), TEE_SUCCESS);
  EXPECT_EQ(TEE_CacheInvalidate(p, 100), TEE_ERROR_ACCESS_DENIED);  // unmapped now
  EXPECT_EQ(tee_map_zi(0, 0), nullptr);
  EXPECT_EQ(tee_map_zi(4096, 0x1), nullptr);  // unknown flag
}

}  // namespace
