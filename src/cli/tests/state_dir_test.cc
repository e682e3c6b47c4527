#include "cli/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "cli/state_keys.h"

namespace swtee::cli {
namespace {

namespace fs = std::filesystem;

class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (fs::temp_directory_path() / "swtee-statedir-XXXXXX").string();
    root_ = ::mkdtemp(t.data());
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string root_;
};

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST_F(StateDirTest, CreatesWithVersionAndMode0700) {
  const std::string dir = root_ + "/a/state";
  ASSERT_TRUE(prepare_state_dir(dir).ok());
  EXPECT_EQ(slurp(dir + "/VERSION"), "2\n");
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(prepare_state_dir(dir).ok());  // idempotent
  EXPECT_TRUE(check_state_dir(dir).ok());
}

TEST_F(StateDirTest, RefusesOtherFormatsAndOpenModes) {
  const std::string dir = root_ + "/s";
  ASSERT_TRUE(prepare_state_dir(dir).ok());
  std::ofstream(dir + "/VERSION") << "3\n";
  auto s = prepare_state_dir(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EPROTO);
  std::ofstream(dir + "/VERSION") << "2\n";
  ::chmod(dir.c_str(), 0755);
  s = check_state_dir(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EPERM);
}

TEST_F(StateDirTest, EmptyFormatOneDirectoryIsUpgraded) {
  const std::string dir = root_ + "/old";
  fs::create_directories(dir + "/sst.v1");
  ::chmod(dir.c_str(), 0700);
  EXPECT_TRUE(check_state_dir(dir).ok());  // check never writes
  EXPECT_FALSE(fs::exists(dir + "/VERSION"));
  EXPECT_TRUE(prepare_state_dir(dir).ok());
  EXPECT_EQ(slurp(dir + "/VERSION"), "2\n");
  EXPECT_EQ(check_state_dir(root_ + "/missing").error().code, ENOENT);
}

TEST_F(StateDirTest, FormatOneWithObjectsIsRefusedWithWhatToDo) {
  for (const char* version : {"", "1\n"}) {
    const std::string dir = root_ + "/old1" + (*version ? "v" : "");
    fs::create_directories(dir + "/sst.v1/abcd");
    ::chmod(dir.c_str(), 0700);
    if (*version) std::ofstream(dir + "/VERSION") << version;
    auto s = prepare_state_dir(dir);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, EPROTO);
    EXPECT_NE(std::string(s.error().what).find("swtee storage wipe"), std::string::npos) << s.error().what;
  }
}

TEST_F(StateDirTest, NewDirGetsAHukAndItsCheck) {
  const std::string dir = root_ + "/k";
  ASSERT_TRUE(prepare_state_dir(dir).ok());
  ASSERT_TRUE(check_state_keys(dir).ok());
  EXPECT_EQ(fs::file_size(dir + "/huk"), 32u);
  EXPECT_EQ(fs::status(dir + "/huk").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(slurp(dir + "/huk.check").size(), 65u);
  const std::string huk = slurp(dir + "/huk");
  ASSERT_TRUE(check_state_keys(dir).ok());  // idempotent: the same key
  EXPECT_EQ(slurp(dir + "/huk"), huk);
}

TEST_F(StateDirTest, StorageWithAMissingOrChangedHukIsRefused) {
  const std::string dir = root_ + "/k2";
  ASSERT_TRUE(prepare_state_dir(dir).ok());
  ASSERT_TRUE(check_state_keys(dir).ok());
  fs::create_directories(dir + "/sst.v2/0011");  // the dir now holds storage
  const std::string huk = slurp(dir + "/huk");
  fs::remove(dir + "/huk");
  auto s = check_state_keys(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EKEYREJECTED);
  EXPECT_FALSE(fs::exists(dir + "/huk"));  // never silently regenerated
  { std::ofstream(dir + "/huk"); }         // empty: as missing
  fs::permissions(dir + "/huk", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(check_state_keys(dir).error().code, EKEYREJECTED);
  std::string other = huk;
  other[0] = static_cast<char>(other[0] ^ 1);
  std::ofstream(dir + "/huk", std::ios::binary | std::ios::trunc) << other;
  s = check_state_keys(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EKEYREJECTED);
  EXPECT_NE(std::string(s.error().what).find("swtee storage"), std::string::npos);
  std::ofstream(dir + "/huk", std::ios::binary | std::ios::trunc) << huk;
  EXPECT_TRUE(check_state_keys(dir).ok());
  fs::remove(dir + "/huk.check");  // the check lost: cannot confirm the key
  EXPECT_EQ(check_state_keys(dir).error().code, EKEYREJECTED);
  // The explicit way out: adopt (wipe) or a fresh key (rekey).
  ASSERT_TRUE(adopt_state_key(dir, true).ok());
  EXPECT_NE(slurp(dir + "/huk"), huk);
  EXPECT_TRUE(check_state_keys(dir).ok());
}

}  // namespace
}  // namespace swtee::cli
