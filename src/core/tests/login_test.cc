#include "core/login.h"

#include <array>
#include <cstring>

#include <gtest/gtest.h>
#include <swtee/uapi/tee.h>

namespace swtee::core {
namespace {

std::array<uint8_t, 16> gid_bytes(uint32_t gid) {
  std::array<uint8_t, 16> b{};
  std::memcpy(b.data(), &gid, sizeof(gid));
  return b;
}

TEST(Login, PublicIsNil) {
  auto u = client_uuid_for_login(TEE_IOCTL_LOGIN_PUBLIC, gid_bytes(7), PeerCred{1, 1000, 1000}, {});
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->is_nil());
}

TEST(Login, UserUsesLowercaseHexWithoutPadding) {
  auto u = client_uuid_for_login(TEE_IOCTL_LOGIN_USER, gid_bytes(0), PeerCred{1, 0x3e8, 5}, {});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, uuid_v5(tee_client_uuid_ns(), "uid=3e8"));
  EXPECT_EQ(u->octets[6] >> 4, 5);
  EXPECT_EQ(tee_client_uuid_ns().to_string(), "58ac9ca0-2086-4683-a1b8-ec4bc08e01b6");
}

TEST(Login, GroupMustBeThePeersGroup) {
  const PeerCred peer{1, 1000, 100};
  const std::vector<gid_t> groups{27, 0xabc};
  auto own = client_uuid_for_login(TEE_IOCTL_LOGIN_GROUP, gid_bytes(100), peer, groups);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(*own, uuid_v5(tee_client_uuid_ns(), "gid=64"));
  auto sup = client_uuid_for_login(TEE_IOCTL_LOGIN_GROUP, gid_bytes(0xabc), peer, groups);
  ASSERT_TRUE(sup.ok());
  EXPECT_EQ(*sup, uuid_v5(tee_client_uuid_ns(), "gid=abc"));
  auto other = client_uuid_for_login(TEE_IOCTL_LOGIN_GROUP, gid_bytes(28), peer, groups);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, EPERM);
}

TEST(Login, KernelRangeIsEpermAndTheRestEinval) {
  const PeerCred peer{1, 0, 0};
  for (uint32_t l : {TEE_IOCTL_LOGIN_REE_KERNEL_MIN, TEE_IOCTL_LOGIN_REE_KERNEL_MAX, 0x90000000u}) {
    auto u = client_uuid_for_login(l, gid_bytes(0), peer, {});
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.error().code, EPERM) << l;
  }
  for (uint32_t l : {3u, 4u, 5u, 6u, 7u, 0x7fffffffu, 0xC0000000u}) {
    auto u = client_uuid_for_login(l, gid_bytes(0), peer, {});
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.error().code, EINVAL) << l;
  }
}

}  // namespace
}  // namespace swtee::core
