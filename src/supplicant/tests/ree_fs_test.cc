#include "supplicant/ree_fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "supplicant/teec_results.h"
#include "supplicant/tests/test_dir.h"

namespace swtee::supp {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

class ReeFsTest : public ::testing::Test {
 protected:
  std::string root() const { return tmp_.path() + "/state"; }
  bool exists(const std::string& rel) const {
    struct stat st {};
    return ::lstat((root() + "/" + rel).c_str(), &st) == 0;
  }
  std::string slurp(const std::string& rel) const {
    std::ifstream f(root() + "/" + rel, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
  }
  uint32_t create_with(const std::string& name, std::string_view data) {
    uint32_t h = 0;
    uint32_t r = fs_.create(name, &h);
    if (r != kTeecSuccess) return r;
    r = fs_.write(h, 0, bytes(data));
    EXPECT_EQ(fs_.close(h), kTeecSuccess);
    return r;
  }

  testing::TempDir tmp_;
  ReeFs fs_{ReeFsOptions{tmp_.path() + "/state", /*fast_storage=*/true, /*max_files=*/4, /*max_dirs=*/2}};
};

TEST_F(ReeFsTest, RootIsCreated0700OnFirstUse) {
  EXPECT_FALSE(exists(""));
  uint32_t h = 0;
  EXPECT_EQ(fs_.open("missing", &h), kTeecErrorItemNotFound);
  struct stat st {};
  ASSERT_EQ(::stat(root().c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(ReeFsTest, RootUnavailableIsStorageNotAvailable) {
  // A regular file where the root should be.
  std::ofstream(tmp_.path() + "/file") << "x";
  ReeFs fs(ReeFsOptions{tmp_.path() + "/file/state", true});
  uint32_t h = 0;
  EXPECT_EQ(fs.create("a", &h), kTeecErrorStorageNotAvailable);
  EXPECT_EQ(fs.open_files(), 0u);
}

TEST_F(ReeFsTest, CreateWriteReadTruncate) {
  uint32_t h = 0;
  ASSERT_EQ(fs_.create("dirf.db", &h), kTeecSuccess);
  EXPECT_EQ(fs_.write(h, 0, bytes("hello world")), kTeecSuccess);
  EXPECT_EQ(fs_.write(h, 6, bytes("WORLD")), kTeecSuccess);
  std::vector<uint8_t> buf(64);
  size_t got = 0;
  ASSERT_EQ(fs_.read(h, 0, buf, &got), kTeecSuccess);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + static_cast<long>(got)), "hello WORLD");
  ASSERT_EQ(fs_.read(h, 6, std::span<uint8_t>(buf).first(3), &got), kTeecSuccess);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + 3), "WOR");
  ASSERT_EQ(fs_.read(h, 100, buf, &got), kTeecSuccess);  // past EOF: 0 bytes
  EXPECT_EQ(got, 0u);
  ASSERT_EQ(fs_.truncate(h, 5), kTeecSuccess);
  EXPECT_EQ(fs_.close(h), kTeecSuccess);
  EXPECT_EQ(slurp("dirf.db"), "hello");
  struct stat st {};
  ASSERT_EQ(::stat((root() + "/dirf.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ReeFsTest, CreateTruncatesExistingAndOpenKeepsIt) {
  ASSERT_EQ(create_with("obj", "0123456789"), kTeecSuccess);
  uint32_t h = 0;
  ASSERT_EQ(fs_.open("obj", &h), kTeecSuccess);
  EXPECT_EQ(fs_.close(h), kTeecSuccess);
  EXPECT_EQ(slurp("obj"), "0123456789");
  ASSERT_EQ(create_with("obj", "ab"), kTeecSuccess);
  EXPECT_EQ(slurp("obj"), "ab");
}

TEST_F(ReeFsTest, CreateMakesAtMostTwoMissingParents) {
  EXPECT_EQ(create_with("ta/uuid/obj", "x"), kTeecSuccess);
  EXPECT_EQ(slurp("ta/uuid/obj"), "x");
  uint32_t h = 0;
  EXPECT_EQ(fs_.create("p/q/r/obj", &h), kTeecErrorItemNotFound);
  EXPECT_FALSE(exists("p/q/r"));
}

TEST_F(ReeFsTest, OpenMissingIsItemNotFound) {
  uint32_t h = 0;
  EXPECT_EQ(fs_.open("nope", &h), kTeecErrorItemNotFound);
  EXPECT_EQ(fs_.open("nodir/nope", &h), kTeecErrorItemNotFound);
}

TEST_F(ReeFsTest, InvalidNamesNeverReachTheFileSystem) {
  uint32_t h = 0;
  for (const char* bad : {"/etc/passwd", "../escape", "a/../../escape", "", "a//b", "./x"}) {
    EXPECT_EQ(fs_.create(bad, &h), kTeecErrorBadParameters) << bad;
    EXPECT_EQ(fs_.open(bad, &h), kTeecErrorBadParameters) << bad;
    EXPECT_EQ(fs_.remove(bad), kTeecErrorBadParameters) << bad;
    EXPECT_EQ(fs_.rename(bad, "ok", true), kTeecErrorBadParameters) << bad;
    EXPECT_EQ(fs_.rename("ok", bad, true), kTeecErrorBadParameters) << bad;
  }
  EXPECT_FALSE(exists("../escape"));
  EXPECT_EQ(fs_.open_files(), 0u);
}

TEST_F(ReeFsTest, SymlinksAreNotFollowed) {
  ASSERT_EQ(create_with("real", "secret"), kTeecSuccess);
  ASSERT_EQ(::mkdir((tmp_.path() + "/outside").c_str(), 0700), 0);
  ASSERT_EQ(::symlink((tmp_.path() + "/outside").c_str(), (root() + "/link").c_str()), 0);
  ASSERT_EQ(::symlink("real", (root() + "/alias").c_str()), 0);
  uint32_t h = 0;
  EXPECT_NE(fs_.create("link/obj", &h), kTeecSuccess);
  EXPECT_NE(fs_.open("alias", &h), kTeecSuccess);
  struct stat st {};
  EXPECT_NE(::stat((tmp_.path() + "/outside/obj").c_str(), &st), 0);
}

TEST_F(ReeFsTest, BadHandlesAreBadParameters) {
  std::vector<uint8_t> buf(4);
  size_t got = 0;
  EXPECT_EQ(fs_.close(7), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.read(7, 0, buf, &got), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.write(7, 0, bytes("x")), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.truncate(7, 0), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.closedir(7), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.readdir(7, buf, &got), kTeecErrorBadParameters);
  uint32_t h = 0;
  ASSERT_EQ(fs_.create("f", &h), kTeecSuccess);
  EXPECT_EQ(fs_.close(h), kTeecSuccess);
  EXPECT_EQ(fs_.close(h), kTeecErrorBadParameters);  // double close
}

TEST_F(ReeFsTest, HugeOffsetsAreRejected) {
  uint32_t h = 0;
  ASSERT_EQ(fs_.create("f", &h), kTeecSuccess);
  std::vector<uint8_t> buf(8);
  size_t got = 0;
  EXPECT_EQ(fs_.write(h, ~0ull, bytes("x")), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.write(h, (1ull << 63) - 1, bytes("xy")), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.read(h, ~0ull, buf, &got), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.truncate(h, ~0ull), kTeecErrorBadParameters);
  EXPECT_EQ(fs_.close(h), kTeecSuccess);
}

TEST_F(ReeFsTest, FileHandleTableIsBounded) {
  std::vector<uint32_t> hs;
  for (int i = 0; i < 4; ++i) {
    uint32_t h = 0;
    ASSERT_EQ(fs_.create("f" + std::to_string(i), &h), kTeecSuccess);
    hs.push_back(h);
  }
  EXPECT_EQ(std::set<uint32_t>(hs.begin(), hs.end()).size(), 4u);
  uint32_t h = 0;
  EXPECT_EQ(fs_.create("f4", &h), kTeecErrorOutOfMemory);
  EXPECT_FALSE(exists("f4"));
  EXPECT_EQ(fs_.close(hs[1]), kTeecSuccess);
  EXPECT_EQ(fs_.open("f0", &h), kTeecSuccess);
  EXPECT_EQ(h, hs[1]);  // the freed slot is reused
}

TEST_F(ReeFsTest, RemoveDeletesFileAndEmptyParent) {
  ASSERT_EQ(create_with("d/a", "1"), kTeecSuccess);
  ASSERT_EQ(create_with("d/b", "2"), kTeecSuccess);
  EXPECT_EQ(fs_.remove("d/a"), kTeecSuccess);
  EXPECT_FALSE(exists("d/a"));
  EXPECT_TRUE(exists("d"));  // not empty yet
  EXPECT_EQ(fs_.remove("d/b"), kTeecSuccess);
  EXPECT_FALSE(exists("d"));
  EXPECT_EQ(fs_.remove("d/b"), kTeecErrorItemNotFound);
  EXPECT_EQ(fs_.remove("never"), kTeecErrorItemNotFound);
}

TEST_F(ReeFsTest, RenameHonoursOverwrite) {
  ASSERT_EQ(create_with("old", "O"), kTeecSuccess);
  ASSERT_EQ(create_with("new", "N"), kTeecSuccess);
  EXPECT_EQ(fs_.rename("old", "new", false), kTeecErrorAccessConflict);
  EXPECT_EQ(slurp("new"), "N");
  EXPECT_TRUE(exists("old"));
  EXPECT_EQ(fs_.rename("old", "new", true), kTeecSuccess);
  EXPECT_EQ(slurp("new"), "O");
  EXPECT_FALSE(exists("old"));
  EXPECT_EQ(fs_.rename("new", "fresh", false), kTeecSuccess);
  EXPECT_EQ(slurp("fresh"), "O");
  EXPECT_EQ(fs_.rename("gone", "x", false), kTeecErrorItemNotFound);
}

TEST_F(ReeFsTest, DirectoryListingSkipsDotFilesAndEnds) {
  ASSERT_EQ(create_with("dir/alpha", "a"), kTeecSuccess);
  ASSERT_EQ(create_with("dir/beta", "b"), kTeecSuccess);
  ASSERT_EQ(create_with("dir/.hidden", "h"), kTeecSuccess);
  uint32_t d = 0;
  ASSERT_EQ(fs_.opendir("dir", &d), kTeecSuccess);
  std::set<std::string> names;
  std::vector<uint8_t> buf(64);
  for (;;) {
    size_t n = 0;
    uint32_t r = fs_.readdir(d, buf, &n);
    if (r == kTeecErrorItemNotFound) break;
    ASSERT_EQ(r, kTeecSuccess);
    ASSERT_GE(n, 1u);
    EXPECT_EQ(buf[n - 1], 0);
    names.insert(std::string(reinterpret_cast<char*>(buf.data())));
  }
  EXPECT_EQ(names, (std::set<std::string>{"alpha", "beta"}));
  EXPECT_EQ(fs_.closedir(d), kTeecSuccess);
  EXPECT_EQ(fs_.closedir(d), kTeecErrorBadParameters);
}

TEST_F(ReeFsTest, ReaddirShortBufferKeepsTheEntry) {
  ASSERT_EQ(create_with("only_entry_name", "x"), kTeecSuccess);
  uint32_t d = 0;
  ASSERT_EQ(fs_.opendir("", &d), kTeecSuccess);  // the root
  std::vector<uint8_t> small(4), big(64);
  size_t n = 0;
  EXPECT_EQ(fs_.readdir(d, small, &n), kTeecErrorShortBuffer);
  EXPECT_EQ(n, sizeof("only_entry_name"));
  ASSERT_EQ(fs_.readdir(d, big, &n), kTeecSuccess);
  EXPECT_STREQ(reinterpret_cast<char*>(big.data()), "only_entry_name");
  EXPECT_EQ(fs_.readdir(d, big, &n), kTeecErrorItemNotFound);
  EXPECT_EQ(fs_.closedir(d), kTeecSuccess);
}

TEST_F(ReeFsTest, DirHandlesAreBoundedAndMissingDirsNotFound) {
  uint32_t d = 0;
  EXPECT_EQ(fs_.opendir("nodir", &d), kTeecErrorItemNotFound);
  uint32_t a = 0, b = 0;
  ASSERT_EQ(fs_.opendir("", &a), kTeecSuccess);
  ASSERT_EQ(fs_.opendir("", &b), kTeecSuccess);
  EXPECT_EQ(fs_.opendir("", &d), kTeecErrorOutOfMemory);
  EXPECT_EQ(fs_.open_dirs(), 2u);
  EXPECT_EQ(fs_.closedir(a), kTeecSuccess);
  EXPECT_EQ(fs_.closedir(b), kTeecSuccess);
}

TEST_F(ReeFsTest, OpeningADirectoryAsFileIsRefused) {
  ASSERT_EQ(create_with("sub/x", "x"), kTeecSuccess);
  uint32_t h = 0;
  EXPECT_NE(fs_.open("sub", &h), kTeecSuccess);
  EXPECT_EQ(fs_.open_files(), 0u);
}

TEST_F(ReeFsTest, DurableModeWorksToo) {
  ReeFs durable(ReeFsOptions{root(), /*fast_storage=*/false});
  uint32_t h = 0;
  ASSERT_EQ(durable.create("d/f", &h), kTeecSuccess);
  EXPECT_EQ(durable.write(h, 0, bytes("sync")), kTeecSuccess);
  EXPECT_EQ(durable.truncate(h, 2), kTeecSuccess);
  EXPECT_EQ(durable.close(h), kTeecSuccess);
  EXPECT_EQ(durable.rename("d/f", "d/g", false), kTeecSuccess);
  EXPECT_EQ(slurp("d/g"), "sy");
  EXPECT_EQ(durable.remove("d/g"), kTeecSuccess);
}

TEST(ReeFsErrno, Mapping) {
  EXPECT_EQ(teec_from_errno(ENOENT), kTeecErrorItemNotFound);
  EXPECT_EQ(teec_from_errno(ENOSPC), kTeeErrorStorageNoSpace);
  EXPECT_EQ(teec_from_errno(EDQUOT), kTeeErrorStorageNoSpace);
  EXPECT_EQ(teec_from_errno(EEXIST), kTeecErrorAccessConflict);
  EXPECT_EQ(teec_from_errno(EACCES), kTeecErrorAccessDenied);
  EXPECT_EQ(teec_from_errno(ENOMEM), kTeecErrorOutOfMemory);
  EXPECT_EQ(teec_from_errno(EIO), kTeecErrorGeneric);
}

}  // namespace
}  // namespace swtee::supp
