#include "cli/file_io.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "cli/runtime_dir.h"
#include "cli/tests/fake_stack.h"

namespace swtee::cli {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = RuntimeDir::create("/tmp");
    ASSERT_TRUE(b.ok());
    tmp_ = std::move(*b);
  }
  RuntimeDir tmp_;
};

TEST_F(FileIoTest, AtomicWriteReplacesWithMode) {
  const std::string p = tmp_.path() + "/out.ta";
  ASSERT_TRUE(write_file_atomic(p, bytes("first"), 0644).ok());
  ASSERT_TRUE(write_file_atomic(p, bytes("second"), 0600).ok());
  EXPECT_EQ(testing::slurp(p), "second");
  struct stat st {};
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(FileIoTest, ExclusiveWriteKeepsExistingFileAndLeavesNoTemp) {
  const std::string p = tmp_.path() + "/key.pem";
  ASSERT_TRUE(write_file_atomic(p, bytes("original"), 0600, true).ok());
  auto s = write_file_atomic(p, bytes("other"), 0600, true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EEXIST);
  EXPECT_EQ(testing::slurp(p), "original");
  int n = 0;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(tmp_.path().c_str()), ::closedir);
  while (const dirent* e = ::readdir(d.get())) n += e->d_name[0] != '.';
  EXPECT_EQ(n, 1);
}

TEST_F(FileIoTest, ReadHonoursLimit) {
  const std::string p = tmp_.path() + "/f";
  ASSERT_TRUE(write_file_atomic(p, bytes("0123456789"), 0644).ok());
  auto all = read_file(p, 10);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 10u);
  EXPECT_EQ(read_file(p, 9).error().code, EFBIG);
  EXPECT_EQ(read_file(tmp_.path() + "/missing", 10).error().code, ENOENT);
  EXPECT_EQ(read_file(tmp_.path(), 10).error().code, EINVAL);  // a directory
}

TEST_F(FileIoTest, WriteIntoMissingDirectoryFails) {
  EXPECT_FALSE(write_file_atomic(tmp_.path() + "/no/such/dir/f", bytes("x"), 0644).ok());
}

}  // namespace
}  // namespace swtee::cli
