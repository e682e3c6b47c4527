#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/unique_fd.h"
#include "os/storage/huk.h"
#include "os/storage/key_chain.h"
#include "os/storage/storage_crypto.h"
#include "os/storage/storage_errors.h"
#include "os/storage/tests/fixtures.h"
#include "os/storage/tests/mem_fs.h"

namespace swtee::os::storage {
namespace {

using testing::MemFs;
using testing::TempDir;

TEST(StorageCrypto, GcmRoundTripAndTamper) {
  SecretKey k(testing::pattern(32, 1));
  Nonce n{};
  auto pt = testing::pattern(100, 3);
  std::vector<uint8_t> ct(pt.size()), back(pt.size());
  Tag tag{};
  ASSERT_TRUE(gcm_seal(k, n, testing::bytes("aad"), pt, ct, &tag).ok());
  ASSERT_TRUE(gcm_open(k, n, testing::bytes("aad"), ct, tag, back).ok());
  EXPECT_EQ(back, pt);
  auto bad = gcm_open(k, n, testing::bytes("aae"), ct, tag, back);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kErrCorrupt);
  ct[5] ^= 1;
  EXPECT_FALSE(gcm_open(k, n, testing::bytes("aad"), ct, tag, back).ok());
}

TEST(StorageCrypto, KeyChainSeparatesTasAndUses) {
  auto kc = KeyChain::create(testing::test_huk());
  ASSERT_TRUE(kc.ok());
  auto a = kc->for_ta(testing::uuid_n(1));
  auto b = kc->for_ta(testing::uuid_n(2));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->tag, b->tag);
  EXPECT_FALSE(equal_ct(a->tsk.bytes(), b->tsk.bytes()));
  EXPECT_FALSE(equal_ct(a->tsk.bytes(), a->dir_key.bytes()));
  EXPECT_FALSE(equal_ct(kc->rpmb_key().bytes(), a->tsk.bytes()));
  // Same HUK, same keys; another HUK, other keys.
  auto kc2 = KeyChain::create(testing::test_huk());
  auto kc3 = KeyChain::create(testing::test_huk(9));
  EXPECT_TRUE(equal_ct(kc2->for_ta(testing::uuid_n(1))->tsk.bytes(), a->tsk.bytes()));
  EXPECT_FALSE(equal_ct(kc3->for_ta(testing::uuid_n(1))->tsk.bytes(), a->tsk.bytes()));
}

TEST(Huk, RefusesConstantAndShortKeys) {
  std::vector<uint8_t> zero(kHukSize, 0);
  EXPECT_FALSE(Huk::from_bytes(zero).ok());
  EXPECT_FALSE(Huk::from_bytes(testing::pattern(16, 1)).ok());
  EXPECT_TRUE(Huk::from_bytes(testing::pattern(32, 1)).ok());
}

TEST(Huk, FromFdCreatesOnceThenReads) {
  TempDir dir;
  const std::string path = dir.path() + "/huk";
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  ASSERT_TRUE(fd);
  auto first = Huk::from_fd(fd.get());
  ASSERT_TRUE(first.ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_size, static_cast<off_t>(kHukSize));
  auto second = Huk::from_fd(fd.get());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(equal_ct(first->key().bytes(), second->key().bytes()));
  // A key file others can read is refused.
  ASSERT_EQ(::fchmod(fd.get(), 0644), 0);
  EXPECT_EQ(Huk::from_fd(fd.get()).error().code, EPERM);
}

TEST(Huk, ThroughFsPersists) {
  MemFs fs;
  auto a = Huk::through_fs(fs, "huk");
  ASSERT_TRUE(a.ok());
  auto b = Huk::through_fs(fs, "huk");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(equal_ct(a->key().bytes(), b->key().bytes()));
  fs.files["huk"].resize(5);
  EXPECT_EQ(Huk::through_fs(fs, "huk").error().code, kErrCorrupt);
}

}  // namespace
}  // namespace swtee::os::storage
