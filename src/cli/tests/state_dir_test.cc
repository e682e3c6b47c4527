#include "cli/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

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
  EXPECT_EQ(slurp(dir + "/VERSION"), "1\n");
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(prepare_state_dir(dir).ok());  // idempotent
  EXPECT_TRUE(check_state_dir(dir).ok());
}

TEST_F(StateDirTest, RefusesOtherFormatsAndOpenModes) {
  const std::string dir = root_ + "/s";
  ASSERT_TRUE(prepare_state_dir(dir).ok());
  std::ofstream(dir + "/VERSION") << "2\n";
  auto s = prepare_state_dir(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EPROTO);
  std::ofstream(dir + "/VERSION") << "1\n";
  ::chmod(dir.c_str(), 0755);
  s = check_state_dir(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EPERM);
}

TEST_F(StateDirTest, PreVersionDirectoryIsFormatOne) {
  const std::string dir = root_ + "/old";
  fs::create_directories(dir + "/sst.v1");
  ::chmod(dir.c_str(), 0700);
  EXPECT_TRUE(check_state_dir(dir).ok());  // check never writes
  EXPECT_FALSE(fs::exists(dir + "/VERSION"));
  EXPECT_TRUE(prepare_state_dir(dir).ok());
  EXPECT_EQ(slurp(dir + "/VERSION"), "1\n");
  EXPECT_EQ(check_state_dir(root_ + "/missing").error().code, ENOENT);
}

}  // namespace
}  // namespace swtee::cli
