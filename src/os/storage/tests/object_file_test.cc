#include <gtest/gtest.h>

#include "os/storage/dir_file.h"
#include "os/storage/object_file.h"
#include "os/storage/storage_errors.h"
#include "os/storage/tests/fixtures.h"

namespace swtee::os::storage {
namespace {

class ObjectFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto kc = KeyChain::create(testing::test_huk());
    ta_ = std::move(kc->for_ta(testing::uuid_n(1)).value());
    other_ = std::move(kc->for_ta(testing::uuid_n(2)).value());
  }
  ObjectVersion version(size_t meta, size_t data) {
    ObjectVersion v;
    v.uid.fill(0x11);
    v.generation = 3;
    v.salt.fill(0x22);
    v.meta_len = static_cast<uint32_t>(meta);
    v.data_len = data;
    return v;
  }
  Result<std::vector<uint8_t>> open_all(const TaKeys& ta, const ObjectVersion& v, const std::vector<uint8_t>& file) {
    const ChunkSpan s = chunks_for(v, 0, uint64_t{v.meta_len} + v.data_len);
    std::vector<uint8_t> part(file.begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(s.file_off, file.size())),
                              file.begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(s.file_off + s.file_len, file.size())));
    return open_chunks(ta, v, s, part);
  }
  TaKeys ta_, other_;
};

TEST_F(ObjectFileTest, RoundTripsAcrossChunkBoundaries) {
  for (size_t data : {size_t{0}, size_t{1}, size_t{kChunkSize - 10}, size_t{kChunkSize}, size_t{3 * kChunkSize + 5}}) {
    auto meta = testing::pattern(10, 1);
    auto body = testing::pattern(data, 2);
    auto v = version(meta.size(), data);
    auto file = seal_object(ta_, v, meta, body);
    ASSERT_TRUE(file.ok());
    EXPECT_EQ(file->size(), *object_file_size(v));
    auto plain = open_all(ta_, v, *file);
    ASSERT_TRUE(plain.ok()) << data;
    std::vector<uint8_t> expect = meta;
    expect.insert(expect.end(), body.begin(), body.end());
    EXPECT_EQ(*plain, expect);
  }
}

TEST_F(ObjectFileTest, RangeReadDecryptsOnlyCoveringChunks) {
  auto body = testing::pattern(5 * kChunkSize, 3);
  auto v = version(0, body.size());
  auto file = seal_object(ta_, v, {}, body);
  ASSERT_TRUE(file.ok());
  const ChunkSpan s = chunks_for(v, 2 * kChunkSize + 7, 100);
  EXPECT_EQ(s.first, 2u);
  EXPECT_EQ(s.count, 1u);
  std::vector<uint8_t> part(file->begin() + static_cast<ptrdiff_t>(s.file_off),
                            file->begin() + static_cast<ptrdiff_t>(s.file_off + s.file_len));
  auto plain = open_chunks(ta_, v, s, part);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(std::equal(plain->begin() + 7, plain->begin() + 107, body.begin() + 2 * kChunkSize + 7));
}

TEST_F(ObjectFileTest, EveryByteFlipIsDetected) {
  auto meta = testing::pattern(40, 5);
  auto body = testing::pattern(300, 6);
  auto v = version(meta.size(), body.size());
  auto file = seal_object(ta_, v, meta, body);
  ASSERT_TRUE(file.ok());
  // The on-disk header is never trusted: readers rebuild it, so only the
  // chunk bytes matter; flipping header bytes is harmless by design.
  for (size_t i = sizeof(ObjectHeader); i < file->size(); ++i) {
    auto f = *file;
    f[i] ^= 0x40;
    auto r = open_all(ta_, v, f);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().code, kErrCorrupt);
  }
  // Truncated or extended.
  auto shorter = *file;
  shorter.pop_back();
  EXPECT_FALSE(open_all(ta_, v, shorter).ok());
}

TEST_F(ObjectFileTest, BindsTaUidGenerationAndLength) {
  auto body = testing::pattern(50, 6);
  auto v = version(0, body.size());
  auto file = seal_object(ta_, v, {}, body);
  ASSERT_TRUE(file.ok());
  EXPECT_FALSE(open_all(other_, v, *file).ok());
  auto g = v;
  g.generation++;
  EXPECT_FALSE(open_all(ta_, g, *file).ok());
  auto u = v;
  u.uid[0] ^= 1;
  EXPECT_FALSE(open_all(ta_, u, *file).ok());
  auto l = v;
  l.data_len--;
  EXPECT_FALSE(open_all(ta_, l, *file).ok());
}

TEST_F(ObjectFileTest, DirFileRoundTripAndSlotBinding) {
  DirState d;
  d.counter = 5;
  DirEntry e;
  e.id = testing::bytes("obj");
  e.version = version(3, 9);
  e.slot = 1;
  d.entries.push_back(e);
  auto file = seal_dir(ta_, d);
  ASSERT_TRUE(file.ok());
  auto back = open_dir(ta_, 1, *file);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->entries.size(), 1u);
  EXPECT_EQ(back->entries[0].id, e.id);
  EXPECT_EQ(back->entries[0].version.data_len, 9u);
  EXPECT_FALSE(open_dir(ta_, 0, *file).ok());       // copied to the other slot
  EXPECT_FALSE(open_dir(other_, 1, *file).ok());    // another TA's directory
  for (size_t i = 0; i < file->size(); ++i) {
    auto f = *file;
    f[i] ^= 0x01;
    EXPECT_FALSE(open_dir(ta_, 1, f).ok()) << "byte " << i;
  }
}

}  // namespace
}  // namespace swtee::os::storage
