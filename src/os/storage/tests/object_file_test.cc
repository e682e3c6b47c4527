#include "os/storage/object_file.h"

#include <gtest/gtest.h>

#include "os/storage/dir_file.h"
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
  Result<std::vector<uint8_t>> open_all(const TaKeys& ta, const ObjectVersion& v,
                                        const std::vector<uint8_t>& file) {
    const ChunkSpan s = chunks_for(v, 0, uint64_t{v.meta_len} + v.data_len);
    std::vector<uint8_t> part(
        file.begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(s.file_off, file.size())),
        file.begin() + static_cast<ptrdiff_t>(std::min<uint64_t>(s.file_off + s.file_len, file.size())));
    return open_chunks(ta, v, s, part);
  }
  TaKeys ta_, other_;
};

TEST_F(ObjectFileTest, RoundTripsAcrossChunkBoundaries) {
  for (size_t data :
       {size_t{0}, size_t{1}, size_t{kChunkSize - 10}, size_t{kChunkSize}, size_t{3 * kChunkSize + 5}}) {
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

// A directory entry "obj" holding `v`.
DirEntry obj_entry(const ObjectVersion& v) {
  DirEntry e;
  e.id = testing::bytes("obj");
  e.version = v;
  return e;
}

TEST_F(ObjectFileTest, DirFileRoundTripAndSlotBinding) {
  DirState d;
  d.counter = 5;
  DirEntry e = obj_entry(version(3, 9));
  e.slot = 1;
  d.entries.push_back(e);
  auto file = seal_dir(ta_, d, {});
  ASSERT_TRUE(file.ok());
  auto back = open_dir(ta_, 1, *file);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->valid_copies, 2);
  ASSERT_EQ(back->state.entries.size(), 1u);
  EXPECT_EQ(back->state.entries[0].id, e.id);
  EXPECT_EQ(back->state.entries[0].version.data_len, 9u);
  EXPECT_FALSE(open_dir(ta_, 0, *file).ok());     // copied to the other slot
  EXPECT_FALSE(open_dir(other_, 1, *file).ok());  // another TA's directory
  EXPECT_EQ(peek_dir_counter(*file), 5u);
  // Either copy alone is enough; both damaged is not.
  const size_t half = file->size() / 2;
  for (size_t i = 0; i < half; ++i) {
    auto f = *file;
    f[i] ^= 0x01;
    auto one = open_dir(ta_, 1, f);
    ASSERT_TRUE(one.ok()) << "byte " << i;
    EXPECT_EQ(one->valid_copies, 1);
    f[half + i] ^= 0x01;
    EXPECT_FALSE(open_dir(ta_, 1, f).ok()) << "byte " << i;
  }
}

TEST_F(ObjectFileTest, DirFileCarriesInlineVersionsBoundToItsCopies) {
  DirState d;
  d.counter = 2;
  DirEntry e = obj_entry(version(0, 100));
  auto img = seal_object(ta_, e.version, {}, testing::pattern(100, 4));
  ASSERT_TRUE(img.ok());
  e.inline_off = 5;
  e.inline_len = static_cast<uint32_t>(img->size());
  std::vector<uint8_t> payload(5, 0xee);
  payload.insert(payload.end(), img->begin(), img->end());
  d.entries.push_back(e);
  EXPECT_FALSE(seal_dir(ta_, d, std::vector<uint8_t>(img->size())).ok());  // entry outside the payload
  auto file = seal_dir(ta_, d, payload);
  ASSERT_TRUE(file.ok());
  auto back = open_dir(ta_, 0, *file);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->payload, payload);
  EXPECT_EQ(back->state.entries[0].inline_len, img->size());
  // A changed payload byte makes both copies fail (the payload's hash is in them).
  auto f = *file;
  f[7] ^= 0x10;
  EXPECT_FALSE(open_dir(ta_, 0, f).ok());
  // A write torn anywhere leaves no copy that authenticates a partial payload.
  for (size_t cut = 0; cut < file->size(); cut += 97) {
    std::vector<uint8_t> torn(file->begin(), file->begin() + static_cast<ptrdiff_t>(cut));
    auto r = open_dir(ta_, 0, torn);
    if (r.ok()) EXPECT_EQ(r->payload, payload) << cut;
  }
}

}  // namespace
}  // namespace swtee::os::storage
