#include "supplicant/ree_fs.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "protocol/gp_results.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/tests/test_dir.h"

namespace swtee::supp {
namespace {

std::span<const uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

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
    ReeFsHandle h = 0;
    uint32_t r = fs_.create(name, &h);
    if (r != kTeeSuccess) return r;
    r = fs_.write(h, 0, bytes(data));
    EXPECT_EQ(fs_.close(h), kTeeSuccess);
    return r;
  }

  testing::TempDir tmp_;
  ReeFs fs_{ReeFsOptions{tmp_.path() + "/state", /*fast_storage=*/true, /*max_files=*/4, /*max_dirs=*/2}};
};

TEST_F(ReeFsTest, RootIsCreated0700OnFirstUse) {
  EXPECT_FALSE(exists(""));
  ReeFsHandle h = 0;
  EXPECT_EQ(fs_.open("missing", &h), kTeeErrorItemNotFound);
  struct stat st {};
  ASSERT_EQ(::stat(root().c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(ReeFsTest, RootUnavailableIsStorageNotAvailable) {
  // A regular file where the root should be.
  std::ofstream(tmp_.path() + "/file") << "x";
  ReeFs fs(ReeFsOptions{tmp_.path() + "/file/state", true});
  ReeFsHandle h = 0;
  EXPECT_EQ(fs.create("a", &h), kTeeErrorStorageNotAvailable);
  EXPECT_EQ(fs.open_files(), 0u);
}

TEST_F(ReeFsTest, CreateWriteReadTruncate) {
  ReeFsHandle h = 0;
  ASSERT_EQ(fs_.create("dirf.db", &h), kTeeSuccess);
  EXPECT_EQ(fs_.write(h, 0, bytes("hello world")), kTeeSuccess);
  EXPECT_EQ(fs_.write(h, 6, bytes("WORLD")), kTeeSuccess);
  std::vector<uint8_t> buf(64);
  size_t got = 0;
  ASSERT_EQ(fs_.read(h, 0, buf, &got), kTeeSuccess);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + static_cast<long>(got)), "hello WORLD");
  ASSERT_EQ(fs_.read(h, 6, std::span<uint8_t>(buf).first(3), &got), kTeeSuccess);
  EXPECT_EQ(std::string(buf.begin(), buf.begin() + 3), "WOR");
  ASSERT_EQ(fs_.read(h, 100, buf, &got), kTeeSuccess);  // past EOF: 0 bytes
  EXPECT_EQ(got, 0u);
  ASSERT_EQ(fs_.truncate(h, 5), kTeeSuccess);
  EXPECT_EQ(fs_.close(h), kTeeSuccess);
  EXPECT_EQ(slurp("dirf.db"), "hello");
  struct stat st {};
  ASSERT_EQ(::stat((root() + "/dirf.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ReeFsTest, CreateTruncatesExistingAndOpenKeepsIt) {
  ASSERT_EQ(create_with("obj", "0123456789"), kTeeSuccess);
  ReeFsHandle h = 0;
  ASSERT_EQ(fs_.open("obj", &h), kTeeSuccess);
  EXPECT_EQ(fs_.close(h), kTeeSuccess);
  EXPECT_EQ(slurp("obj"), "0123456789");
  ASSERT_EQ(create_with("obj", "ab"), kTeeSuccess);
  EXPECT_EQ(slurp("obj"), "ab");
}

TEST_F(ReeFsTest, CreateMakesAtMostTwoMissingParents) {
  EXPECT_EQ(create_with("ta/uuid/obj", "x"), kTeeSuccess);
  EXPECT_EQ(slurp("ta/uuid/obj"), "x");
  ReeFsHandle h = 0;
  EXPECT_EQ(fs_.create("p/q/r/obj", &h), kTeeErrorItemNotFound);
  EXPECT_FALSE(exists("p/q/r"));
}

TEST_F(ReeFsTest, OpenMissingIsItemNotFound) {
  ReeFsHandle h = 0;
  EXPECT_EQ(fs_.open("nope", &h), kTeeErrorItemNotFound);
  EXPECT_EQ(fs_.open("nodir/nope", &h), kTeeErrorItemNotFound);
}

TEST_F(ReeFsTest, InvalidNamesNeverReachTheFileSystem) {
  ReeFsHandle h = 0;
  for (const char* bad : {"/etc/passwd", "../escape", "a/../../escape", "", "a//b", "./x"}) {
    EXPECT_EQ(fs_.create(bad, &h), kTeeErrorBadParameters) << bad;
    EXPECT_EQ(fs_.open(bad, &h), kTeeErrorBadParameters) << bad;
    EXPECT_EQ(fs_.remove(bad), kTeeErrorBadParameters) << bad;
    EXPECT_EQ(fs_.rename(bad, "ok", true), kTeeErrorBadParameters) << bad;
    EXPECT_EQ(fs_.rename("ok", bad, true), kTeeErrorBadParameters) << bad;
  }
  EXPECT_FALSE(exists("../escape"));
  EXPECT_EQ(fs_.open_files(), 0u);
}

TEST_F(ReeFsTest, SymlinksAreNotFollowed) {
  ASSERT_EQ(create_with("real", "secret"), kTeeSuccess);
  ASSERT_EQ(::mkdir((tmp_.path() + "/outside").c_str(), 0700), 0);
  ASSERT_EQ(::symlink((tmp_.path() + "/outside").c_str(), (root() + "/link").c_str()), 0);
  ASSERT_EQ(::symlink("real", (root() + "/alias").c_str()), 0);
  ReeFsHandle h = 0;
  EXPECT_NE(fs_.create("link/obj", &h), kTeeSuccess);
  EXPECT_NE(fs_.open("alias", &h), kTeeSuccess);
  struct stat st {};
  EXPECT_NE(::stat((tmp_.path() + "/outside/obj").c_str(), &st), 0);
}

TEST_F(ReeFsTest, BadHandlesAreBadParameters) {
  std::vector<uint8_t> buf(4);
  size_t got = 0;
  EXPECT_EQ(fs_.close(7), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.read(7, 0, buf, &got), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.write(7, 0, bytes("x")), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.truncate(7, 0), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.closedir(7), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.readdir(7, buf, &got), kTeeErrorBadParameters);
  ReeFsHandle h = 0;
  ASSERT_EQ(fs_.create("f", &h), kTeeSuccess);
  EXPECT_EQ(fs_.close(h), kTeeSuccess);
  EXPECT_EQ(fs_.close(h), kTeeErrorBadParameters);  // double close
}

TEST_F(ReeFsTest, HugeOffsetsAreRejected) {
  ReeFsHandle h = 0;
  ASSERT_EQ(fs_.create("f", &h), kTeeSuccess);
  std::vector<uint8_t> buf(8);
  size_t got = 0;
  EXPECT_EQ(fs_.write(h, ~0ull, bytes("x")), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.write(h, (1ull << 63) - 1, bytes("xy")), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.read(h, ~0ull, buf, &got), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.truncate(h, ~0ull), kTeeErrorBadParameters);
  EXPECT_EQ(fs_.close(h), kTeeSuccess);
}

TEST_F(ReeFsTest, FileHandleTableIsBounded) {
  std::vector<ReeFsHandle> hs;
  for (int i = 0; i < 4; ++i) {
    ReeFsHandle h = 0;
    ASSERT_EQ(fs_.create("f" + std::to_string(i), &h), kTeeSuccess);
    hs.push_back(h);
  }
  EXPECT_EQ(std::set<ReeFsHandle>(hs.begin(), hs.end()).size(), 4u);
  ReeFsHandle h = 0;
  EXPECT_EQ(fs_.create("f4", &h), kTeeErrorOutOfMemory);
  EXPECT_FALSE(exists("f4"));
  EXPECT_EQ(fs_.close(hs[1]), kTeeSuccess);
  EXPECT_EQ(fs_.open("f0", &h), kTeeSuccess);  // the freed room is usable again
  EXPECT_EQ(std::count(hs.begin(), hs.end(), h), 0) << "a closed handle was handed out again";
  EXPECT_EQ(fs_.write(hs[1], 0, bytes("x")), kTeeErrorBadParameters) << "a closed handle still works";
}

// A handle names one open file of one instance (protocol/optee_rpc_cmd.h):
// every handle carries the instance's tag, and a later instance over the
// same tree (a restarted supplicant) refuses the handles of its predecessor
// instead of writing through whichever file it gave the same number.
TEST_F(ReeFsTest, ARestartedInstanceRefusesTheHandlesOfTheOldOne) {
  ReeFsHandle old_h = 0;
  ASSERT_EQ(fs_.create("a", &old_h), kTeeSuccess);
  EXPECT_TRUE(optee::fs_handle_is_tagged(old_h));
  ReeFs again{ReeFsOptions{root(), true, 4, 2}};
  ReeFsHandle new_h = 0, dir_h = 0;
  ASSERT_EQ(again.create("b", &new_h), kTeeSuccess);
  ASSERT_EQ(again.opendir("", &dir_h), kTeeSuccess);
  EXPECT_NE(new_h >> optee::kFsHandleTagShift, old_h >> optee::kFsHandleTagShift);
  EXPECT_NE(new_h, dir_h);
  EXPECT_EQ(again.write(old_h, 0, bytes("stale")), kTeeErrorBadParameters);
  EXPECT_EQ(again.close(old_h), kTeeErrorBadParameters);
  EXPECT_EQ(again.closedir(old_h), kTeeErrorBadParameters);
  EXPECT_EQ(slurp("b"), "");
  EXPECT_EQ(again.close(new_h), kTeeSuccess);
  EXPECT_EQ(again.closedir(dir_h), kTeeSuccess);
  EXPECT_EQ(fs_.close(old_h), kTeeSuccess);
}

TEST_F(ReeFsTest, RemoveDeletesFileAndEmptyParent) {
  ASSERT_EQ(create_with("d/a", "1"), kTeeSuccess);
  ASSERT_EQ(create_with("d/b", "2"), kTeeSuccess);
  EXPECT_EQ(fs_.remove("d/a"), kTeeSuccess);
  EXPECT_FALSE(exists("d/a"));
  EXPECT_TRUE(exists("d"));  // not empty yet
  EXPECT_EQ(fs_.remove("d/b"), kTeeSuccess);
  EXPECT_FALSE(exists("d"));
  EXPECT_EQ(fs_.remove("d/b"), kTeeErrorItemNotFound);
  EXPECT_EQ(fs_.remove("never"), kTeeErrorItemNotFound);
}

TEST_F(ReeFsTest, RenameHonoursOverwrite) {
  ASSERT_EQ(create_with("old", "O"), kTeeSuccess);
  ASSERT_EQ(create_with("new", "N"), kTeeSuccess);
  EXPECT_EQ(fs_.rename("old", "new", false), kTeeErrorAccessConflict);
  EXPECT_EQ(slurp("new"), "N");
  EXPECT_TRUE(exists("old"));
  EXPECT_EQ(fs_.rename("old", "new", true), kTeeSuccess);
  EXPECT_EQ(slurp("new"), "O");
  EXPECT_FALSE(exists("old"));
  EXPECT_EQ(fs_.rename("new", "fresh", false), kTeeSuccess);
  EXPECT_EQ(slurp("fresh"), "O");
  EXPECT_EQ(fs_.rename("gone", "x", false), kTeeErrorItemNotFound);
}

TEST_F(ReeFsTest, DirectoryListingSkipsDotFilesAndEnds) {
  ASSERT_EQ(create_with("dir/alpha", "a"), kTeeSuccess);
  ASSERT_EQ(create_with("dir/beta", "b"), kTeeSuccess);
  ASSERT_EQ(create_with("dir/.hidden", "h"), kTeeSuccess);
  ReeFsHandle d = 0;
  ASSERT_EQ(fs_.opendir("dir", &d), kTeeSuccess);
  std::set<std::string> names;
  std::vector<uint8_t> buf(64);
  for (;;) {
    size_t n = 0;
    uint32_t r = fs_.readdir(d, buf, &n);
    if (r == kTeeErrorItemNotFound) break;
    ASSERT_EQ(r, kTeeSuccess);
    ASSERT_GE(n, 1u);
    EXPECT_EQ(buf[n - 1], 0);
    names.insert(std::string(reinterpret_cast<char*>(buf.data())));
  }
  EXPECT_EQ(names, (std::set<std::string>{"alpha", "beta"}));
  EXPECT_EQ(fs_.closedir(d), kTeeSuccess);
  EXPECT_EQ(fs_.closedir(d), kTeeErrorBadParameters);
}

TEST_F(ReeFsTest, ReaddirShortBufferKeepsTheEntry) {
  ASSERT_EQ(create_with("only_entry_name", "x"), kTeeSuccess);
  ReeFsHandle d = 0;
  ASSERT_EQ(fs_.opendir("", &d), kTeeSuccess);  // the root
  std::vector<uint8_t> small(4), big(64);
  size_t n = 0;
  EXPECT_EQ(fs_.readdir(d, small, &n), kTeeErrorShortBuffer);
  EXPECT_EQ(n, sizeof("only_entry_name"));
  ASSERT_EQ(fs_.readdir(d, big, &n), kTeeSuccess);
  EXPECT_STREQ(reinterpret_cast<char*>(big.data()), "only_entry_name");
  EXPECT_EQ(fs_.readdir(d, big, &n), kTeeErrorItemNotFound);
  EXPECT_EQ(fs_.closedir(d), kTeeSuccess);
}

TEST_F(ReeFsTest, DirHandlesAreBoundedAndMissingDirsNotFound) {
  ReeFsHandle d = 0;
  EXPECT_EQ(fs_.opendir("nodir", &d), kTeeErrorItemNotFound);
  ReeFsHandle a = 0, b = 0;
  ASSERT_EQ(fs_.opendir("", &a), kTeeSuccess);
  ASSERT_EQ(fs_.opendir("", &b), kTeeSuccess);
  EXPECT_EQ(fs_.opendir("", &d), kTeeErrorOutOfMemory);
  EXPECT_EQ(fs_.open_dirs(), 2u);
  EXPECT_EQ(fs_.closedir(a), kTeeSuccess);
  EXPECT_EQ(fs_.closedir(b), kTeeSuccess);
}

TEST_F(ReeFsTest, OpeningADirectoryAsFileIsRefused) {
  ASSERT_EQ(create_with("sub/x", "x"), kTeeSuccess);
  ReeFsHandle h = 0;
  EXPECT_NE(fs_.open("sub", &h), kTeeSuccess);
  EXPECT_EQ(fs_.open_files(), 0u);
}

TEST_F(ReeFsTest, DurableModeWorksToo) {
  ReeFs durable(ReeFsOptions{root(), /*fast_storage=*/false});
  ReeFsHandle h = 0;
  ASSERT_EQ(durable.create("d/f", &h), kTeeSuccess);
  EXPECT_EQ(durable.write(h, 0, bytes("sync")), kTeeSuccess);
  EXPECT_EQ(durable.truncate(h, 2), kTeeSuccess);
  EXPECT_EQ(durable.close(h), kTeeSuccess);
  EXPECT_EQ(durable.rename("d/f", "d/g", false), kTeeSuccess);
  EXPECT_EQ(slurp("d/g"), "sy");
  EXPECT_EQ(durable.remove("d/g"), kTeeSuccess);
}

TEST(ReeFsErrno, Mapping) {
  EXPECT_EQ(teec_from_errno(ENOENT), kTeeErrorItemNotFound);
  EXPECT_EQ(teec_from_errno(ENOSPC), kTeeErrorStorageNoSpace);
  EXPECT_EQ(teec_from_errno(EDQUOT), kTeeErrorStorageNoSpace);
  EXPECT_EQ(teec_from_errno(EEXIST), kTeeErrorAccessConflict);
  EXPECT_EQ(teec_from_errno(EACCES), kTeeErrorAccessDenied);
  EXPECT_EQ(teec_from_errno(ENOMEM), kTeeErrorOutOfMemory);
  EXPECT_EQ(teec_from_errno(EIO), kTeeErrorGeneric);
}

}  // namespace
}  // namespace swtee::supp
