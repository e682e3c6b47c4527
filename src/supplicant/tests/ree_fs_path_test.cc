#include "supplicant/ree_fs_path.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace swtee::supp {
namespace {

std::vector<uint8_t> byte_vector(std::string_view s) { return {s.begin(), s.end()}; }

TEST(ReeFsPath, AcceptsRelativeNames) {
  auto p = split_fs_name("dirf.db");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, std::vector<std::string>{"dirf.db"});
  p = split_fs_name("a/b/c");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->size(), 3u);
  EXPECT_TRUE(split_fs_name("..hidden"));
  EXPECT_TRUE(split_fs_name("x..y/z"));
}

TEST(ReeFsPath, RejectsEscapesAndOddNames) {
  for (const char* bad : {"", "/etc/passwd", "/", "..", "../x", "a/../../x", "a/..", "./a", "a/./b", "a//b", "a/",
                          "//a"}) {
    EXPECT_FALSE(split_fs_name(bad)) << bad;
  }
  EXPECT_FALSE(split_fs_name(std::string_view("a\0b", 3)));
  EXPECT_FALSE(split_fs_name(std::string(kMaxFsNameLen + 1, 'a')));
  std::string deep;
  for (size_t i = 0; i <= kMaxFsNameDepth; ++i) deep += "d/";
  deep += "f";
  EXPECT_FALSE(split_fs_name(deep));
}

TEST(ReeFsPath, EmptyIsRootOnlyWhenAllowed) {
  EXPECT_FALSE(split_fs_name("", false));
  auto p = split_fs_name("", true);
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->empty());
}

TEST(ReeFsPath, NameFromBufferNeedsNul) {
  EXPECT_FALSE(name_from_buffer(byte_vector("abc")));
  auto n = name_from_buffer(byte_vector(std::string("abc\0garbage", 11)));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, "abc");
  std::vector<uint8_t> big(kMaxFsNameLen + 10, 'a');
  big.back() = 0;
  EXPECT_FALSE(name_from_buffer(big));
  EXPECT_FALSE(name_from_buffer({}));
}

}  // namespace
}  // namespace swtee::supp
