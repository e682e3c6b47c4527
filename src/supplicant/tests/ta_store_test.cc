#include "supplicant/ta_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "protocol/gp_results.h"
#include "supplicant/tests/test_dir.h"

namespace swtee::supp {
namespace {

const Uuid kUuid = *Uuid::parse("8aaaf200-2450-11e4-abe2-0002a5d5c51b");
const Uuid kOther = *Uuid::parse("b6c53aba-9669-4668-a7f2-205629d00f86");

class TaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = tmp_.path() + "/a";
    b_ = tmp_.path() + "/b";
    ASSERT_EQ(::mkdir(a_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(b_.c_str(), 0755), 0);
  }
  static void write(const std::string& path, const std::string& data) {
    std::ofstream(path, std::ios::binary) << data;
  }

  testing::TempDir tmp_;
  std::string a_, b_;
};

TEST_F(TaStoreTest, SearchOrderFirstDirectoryWins) {
  write(b_ + "/" + kUuid.to_string() + ".ta", "from-b");
  TaStore store({a_, b_});
  auto f = store.find(kUuid);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->size, 6u);
  write(a_ + "/" + kUuid.to_string() + ".ta", "from-a!");
  f = store.find(kUuid);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->size, 7u);
  EXPECT_EQ(f->path, a_ + "/" + kUuid.to_string() + ".ta");
}

TEST_F(TaStoreTest, MissingIsItemNotFound) {
  TaStore store({a_, tmp_.path() + "/does-not-exist"});
  EXPECT_EQ(store.find(kUuid).error().code, ENOENT);
  uint64_t size = 99;
  std::vector<uint8_t> buf(16);
  EXPECT_EQ(store.load(kUuid, false, buf, &size), kTeeErrorItemNotFound);
  EXPECT_EQ(store.load(kUuid, true, {}, &size), kTeeErrorItemNotFound);
}

TEST_F(TaStoreTest, LegacyNameIsFound) {
  EXPECT_EQ(legacy_ta_name(kUuid), "8aaaf200-2450-11e4-abe20002a5d5c51b");
  write(a_ + "/" + legacy_ta_name(kUuid) + ".ta", "legacy");
  TaStore store({a_});
  EXPECT_TRUE(store.find(kUuid).ok());
}

TEST_F(TaStoreTest, LoadSizeQueryShortBufferAndCopy) {
  write(a_ + "/" + kUuid.to_string() + ".ta", "IMAGEDATA");
  TaStore store({a_});
  uint64_t size = 0;
  EXPECT_EQ(store.load(kUuid, true, {}, &size), kTeeSuccess);
  EXPECT_EQ(size, 9u);
  std::vector<uint8_t> small(4);
  size = 0;
  EXPECT_EQ(store.load(kUuid, false, small, &size), kTeeErrorShortBuffer);
  EXPECT_EQ(size, 9u);
  std::vector<uint8_t> big(32, 0xee);
  EXPECT_EQ(store.load(kUuid, false, big, &size), kTeeSuccess);
  EXPECT_EQ(size, 9u);
  EXPECT_EQ(std::string(big.begin(), big.begin() + 9), "IMAGEDATA");
  EXPECT_EQ(big[9], 0xee);  // nothing written past the image
}

TEST_F(TaStoreTest, DirectoriesAndOversizedFilesAreNotServed) {
  ASSERT_EQ(::mkdir((a_ + "/" + kUuid.to_string() + ".ta").c_str(), 0755), 0);
  TaStore store({a_});
  EXPECT_FALSE(store.find(kUuid).ok());
  const std::string big = b_ + "/" + kOther.to_string() + ".ta";
  write(big, "x");
  ASSERT_EQ(::truncate(big.c_str(), static_cast<off_t>(kMaxTaFileSize + 1)), 0);
  TaStore store2({b_});
  EXPECT_EQ(store2.find(kOther).error().code, EFBIG);
  uint64_t size = 0;
  EXPECT_EQ(store2.load(kOther, true, {}, &size), kTeeErrorOutOfMemory);
}

TEST_F(TaStoreTest, ListsEachUuidOnce) {
  write(a_ + "/" + kUuid.to_string() + ".ta", "1");
  write(b_ + "/" + kUuid.to_string() + ".ta", "2");
  write(b_ + "/" + kOther.to_string() + ".ta", "3");
  write(b_ + "/not-a-ta.txt", "4");
  TaStore store({a_, b_});
  auto l = store.list();
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].first, kUuid);
  EXPECT_EQ(l[0].second, a_ + "/" + kUuid.to_string() + ".ta");
  EXPECT_EQ(l[1].first, kOther);
}

}  // namespace
}  // namespace swtee::supp
