#include "ta_image/ta_elf_info.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace swtee::taimg {
namespace {

std::vector<uint8_t> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class TaElfInfoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    so_ = read_file(TA_IMAGE_TEST_ELF);
    ASSERT_GT(so_.size(), 64u);
  }
  std::vector<uint8_t> so_;
};

TEST_F(TaElfInfoTest, ReadsUuidAndFlagsOfSdkBuiltObject) {
  auto info = read_ta_info_from_elf(so_);
  ASSERT_TRUE(info.ok()) << info.error().what;
  EXPECT_EQ(info->uuid.to_string(), "8aaaf200-2450-11e4-abe2-0002a5d5c51b");
  EXPECT_EQ(info->flags, 0x4u | 0x8u | 0x10u);
}

TEST_F(TaElfInfoTest, RejectsNonElf) {
  std::vector<uint8_t> junk(4096, 0x5a);
  auto r = read_ta_info_from_elf(junk);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ENOEXEC);
  EXPECT_FALSE(read_ta_info_from_elf({}).ok());
}

TEST_F(TaElfInfoTest, EveryTruncationFailsCleanly) {
  // Stride keeps the run short; every prefix shorter than the symbol's
  // bytes must fail without reading out of bounds (ASan builds check).
  for (size_t n = 0; n < so_.size(); n += (n < 4096 ? 1 : 61)) {
    auto r = read_ta_info_from_elf(std::span(so_).first(n));
    if (r.ok()) {
      EXPECT_EQ(r->uuid.to_string(), "8aaaf200-2450-11e4-abe2-0002a5d5c51b") << n;
    }
  }
}

TEST_F(TaElfInfoTest, CorruptedHeadersFailCleanly) {
  // Flip each byte of the ELF header and of the section header table.
  const auto* eh = reinterpret_cast<const uint8_t*>(so_.data());
  uint64_t shoff = 0;
  std::memcpy(&shoff, eh + 0x28, sizeof(shoff));
  std::vector<size_t> offsets;
  for (size_t i = 0; i < 64; ++i) offsets.push_back(i);
  for (size_t i = shoff; i < so_.size(); ++i) offsets.push_back(i);
  for (size_t off : offsets) {
    auto bad = so_;
    bad[off] ^= 0xff;
    (void)read_ta_info_from_elf(bad);  // any result, but no crash / OOB read
  }
  SUCCEED();
}

TEST_F(TaElfInfoTest, MissingSymbolIsEnoent) {
  auto bad = so_;
  // Rename the symbol in the string table: first occurrence of the name.
  const std::string name = "swtee_ta_info";
  auto it = std::search(bad.begin(), bad.end(), name.begin(), name.end());
  ASSERT_NE(it, bad.end());
  *it = 'X';
  // Other occurrences (e.g. .symtab's strtab) must not matter.
  auto r = read_ta_info_from_elf(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ENOENT);
}

}  // namespace
}  // namespace swtee::taimg
