#include "cli/runtime_dir.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

#include "common/seqpacket.h"

namespace swtee::cli {
namespace {

bool exists(const std::string& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

class RuntimeDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = RuntimeDir::create("/tmp");
    ASSERT_TRUE(b.ok());
    base_ = std::move(*b);
  }
  RuntimeDir base_;
};

TEST_F(RuntimeDirTest, CreatesPrivateDirectoryUnderBase) {
  auto rd = RuntimeDir::create(base_.path());
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->path().rfind(base_.path() + "/swtee-run-", 0), 0u);
  struct stat st {};
  ASSERT_EQ(::stat(rd->path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(RuntimeDirTest, RemovesEverythingIncludingSockets) {
  std::string path;
  {
    auto rd = RuntimeDir::create(base_.path());
    ASSERT_TRUE(rd.ok());
    path = rd->path();
    ASSERT_EQ(::mkdir((path + "/state").c_str(), 0700), 0);
    std::ofstream(path + "/state/dirf.db") << "x";
    auto l = seqpacket_listen(path + "/teepriv0", 0600);
    ASSERT_TRUE(l.ok());
    ASSERT_EQ(::symlink("/etc", (path + "/link").c_str()), 0);
  }
  EXPECT_FALSE(exists(path));
  EXPECT_TRUE(exists("/etc/passwd"));  // the symlink was removed, not followed
}

TEST_F(RuntimeDirTest, MoveTransfersOwnershipAndRemoveIsIdempotent) {
  auto rd = RuntimeDir::create(base_.path());
  ASSERT_TRUE(rd.ok());
  const std::string path = rd->path();
  RuntimeDir moved = std::move(*rd);
  EXPECT_TRUE(rd->path().empty());
  EXPECT_TRUE(exists(path));
  moved.remove();
  moved.remove();
  EXPECT_FALSE(exists(path));
}

TEST_F(RuntimeDirTest, DefaultBaseFollowsXdgRuntimeDir) {
  const char* old = getenv("XDG_RUNTIME_DIR");
  std::string saved = old ? old : "";
  ::setenv("XDG_RUNTIME_DIR", base_.path().c_str(), 1);
  EXPECT_EQ(default_runtime_base(), base_.path());
  ::setenv("XDG_RUNTIME_DIR", "/nonexistent/xdg", 1);
  EXPECT_EQ(default_runtime_base(), "/tmp");
  ::setenv("XDG_RUNTIME_DIR", "relative", 1);
  EXPECT_EQ(default_runtime_base(), "/tmp");
  if (old) ::setenv("XDG_RUNTIME_DIR", saved.c_str(), 1); else ::unsetenv("XDG_RUNTIME_DIR");
}

TEST(RemoveTree, MissingPathIsFine) { EXPECT_TRUE(remove_tree("/tmp/swtee-definitely-missing-xyz").ok()); }

TEST(RuntimeDirCreate, FailsCleanlyOnBadBase) {
  auto rd = RuntimeDir::create("/nonexistent/base");
  ASSERT_FALSE(rd.ok());
  EXPECT_EQ(rd.error().code, ENOENT);
}

}  // namespace
}  // namespace swtee::cli
