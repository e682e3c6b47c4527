// PluginSet: *.plugin shared objects of OP-TEE's tee_plugin_method ABI,
// loaded from a directory nobody else may write.
#include "supplicant/plugins.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace swtee::supp {
namespace {

namespace fs = std::filesystem;

class PluginsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/swtee-plugins-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(PluginsTest, EmptyDirectoryLoadsNothing) {
  auto set = PluginSet::load_dir(dir_);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 0u);
}

TEST_F(PluginsTest, LoadsAPluginAndFindsItByUuid) {
  fs::copy_file(SWTEE_TEST_PLUGIN, dir_ + "/compat_test.plugin");
  fs::copy_file(SWTEE_TEST_PLUGIN, dir_ + "/ignored.so");  // not *.plugin
  auto set = PluginSet::load_dir(dir_);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 1u);
  const plugin_method* m = set->find(*Uuid::parse("7a1c3f90-2b4d-4e6a-9c8b-0d1e2f3a4b5c"));
  ASSERT_NE(m, nullptr);
  char data[] = "abc";
  size_t out = 0;
  EXPECT_EQ(m->invoke(1, 0, data, 3, &out), TEEC_SUCCESS);
  EXPECT_STREQ(data, "ABC");
  EXPECT_EQ(set->find(*Uuid::parse("7a1c3f90-2b4d-4e6a-9c8b-0d1e2f3a4b5d")), nullptr);
}

TEST_F(PluginsTest, RefusesWritableByOthersAndBrokenPlugins) {
  ASSERT_EQ(::chmod(dir_.c_str(), 0777), 0);
  EXPECT_EQ(PluginSet::load_dir(dir_).error().code, EPERM);
  ASSERT_EQ(::chmod(dir_.c_str(), 0700), 0);
  {
    std::FILE* f = std::fopen((dir_ + "/junk.plugin").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not an ELF file", f);
    std::fclose(f);
  }
  EXPECT_EQ(PluginSet::load_dir(dir_).error().code, ENOEXEC);
  EXPECT_FALSE(PluginSet::load_dir(dir_ + "/missing").ok());
}

}  // namespace
}  // namespace swtee::supp
