// The verified-image cache (verified_image_cache.h): bounds, the
// revalidation interval, and that another image for the same UUID is never
// taken for the cached one.
#include "os/ta_manager/verified_image_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "ta_image/ta_image.h"

namespace swtee::os {
namespace {

using Clock = VerifiedImageCache::Clock;
using std::chrono::milliseconds;

Uuid uuid_n(uint8_t n) {
  const uint8_t node[8] = {0x80, 0, 0, 0, 0, 0, 0, n};
  return Uuid::from_fields(0xcace0000, 0x1111, 0x4222, node);
}

// An entry as verify_image would make it (the cache does not look inside).
std::shared_ptr<const VerifiedImage> image_of(const Uuid& uuid, size_t size, uint8_t fill) {
  auto v = std::make_shared<VerifiedImage>();
  v->uuid = uuid;
  v->bytes.assign(size, fill);
  return v;
}

TEST(VerifiedImageCache, FindNeedsTheExactBytes) {
  VerifiedImageCache c(0);
  auto a = image_of(uuid_n(1), 1000, 0xaa);
  c.put(a);
  EXPECT_EQ(c.find(uuid_n(1), a->bytes), a);
  std::vector<uint8_t> other = a->bytes;
  other[999] ^= 1;
  EXPECT_EQ(c.find(uuid_n(1), other), nullptr) << "one byte differs";
  other = a->bytes;
  other.push_back(0xaa);
  EXPECT_EQ(c.find(uuid_n(1), other), nullptr) << "longer";
  EXPECT_EQ(c.find(uuid_n(2), a->bytes), nullptr) << "same bytes, another UUID";
  EXPECT_EQ(c.find(uuid_n(1), a->bytes), a) << "a miss leaves the entry as it was";
}

TEST(VerifiedImageCache, AnotherImageForTheSameUuidReplacesTheEntry) {
  VerifiedImageCache c(1000);
  const auto t0 = Clock::now();
  auto old_image = image_of(uuid_n(1), 1000, 0x01);
  auto new_image = image_of(uuid_n(1), 3000, 0x02);
  c.put(old_image, t0);
  c.put(new_image, t0);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(c.bytes(), 3000u);
  EXPECT_EQ(c.trusted(uuid_n(1), t0), new_image);
  EXPECT_EQ(c.find(uuid_n(1), old_image->bytes, t0), nullptr) << "the old bytes no longer match";
  EXPECT_EQ(c.find(uuid_n(1), new_image->bytes, t0), new_image);
  EXPECT_EQ(c.size_hint(uuid_n(1)), 3000u);
}

TEST(VerifiedImageCache, TrustedOnlyWithinTheRevalidationInterval) {
  VerifiedImageCache c(1000);
  const auto t0 = Clock::now();
  auto a = image_of(uuid_n(1), 100, 0x01);
  EXPECT_EQ(c.trusted(uuid_n(1), t0), nullptr) << "nothing cached";
  c.put(a, t0);
  EXPECT_EQ(c.trusted(uuid_n(1), t0), a);
  EXPECT_EQ(c.trusted(uuid_n(1), t0 + milliseconds(999)), a);
  EXPECT_EQ(c.trusted(uuid_n(1), t0 + milliseconds(1000)), nullptr) << "expired: ask the store";
  EXPECT_EQ(c.trusted(uuid_n(1), t0 - milliseconds(1)), nullptr);
  // A trusted hit does not extend the interval; a store that served the
  // same bytes (find) does.
  std::vector<uint8_t> changed = a->bytes;
  changed[0] ^= 1;
  EXPECT_EQ(c.find(uuid_n(1), changed, t0 + milliseconds(1500)), nullptr);
  EXPECT_EQ(c.trusted(uuid_n(1), t0 + milliseconds(1500)), nullptr) << "a mismatch confirms nothing";
  EXPECT_EQ(c.find(uuid_n(1), a->bytes, t0 + milliseconds(1500)), a);
  EXPECT_EQ(c.trusted(uuid_n(1), t0 + milliseconds(2400)), a);
  EXPECT_EQ(c.trusted(uuid_n(1), t0 + milliseconds(2500)), nullptr);
}

TEST(VerifiedImageCache, ZeroIntervalAsksTheStoreEveryTime) {
  VerifiedImageCache c(0);
  const auto t0 = Clock::now();
  auto a = image_of(uuid_n(1), 100, 0x01);
  c.put(a, t0);
  EXPECT_EQ(c.trusted(uuid_n(1), t0), nullptr);
  EXPECT_EQ(c.find(uuid_n(1), a->bytes, t0), a);
  EXPECT_EQ(c.trusted(uuid_n(1), t0), nullptr);
}

TEST(VerifiedImageCache, EraseForgets) {
  VerifiedImageCache c(1000);
  auto a = image_of(uuid_n(1), 100, 0x01);
  c.put(a);
  c.erase(uuid_n(1));
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.bytes(), 0u);
  EXPECT_EQ(c.trusted(uuid_n(1)), nullptr);
  EXPECT_EQ(c.find(uuid_n(1), a->bytes), nullptr);
  EXPECT_EQ(c.size_hint(uuid_n(1)), 0u);
  c.erase(uuid_n(2));  // unknown: harmless
}

TEST(VerifiedImageCache, EntryBoundEvictsTheLeastRecentlyUsed) {
  VerifiedImageCache c(0);
  std::vector<std::shared_ptr<const VerifiedImage>> imgs;
  for (size_t i = 0; i < kMaxCachedImages; ++i) {
    imgs.push_back(image_of(uuid_n(static_cast<uint8_t>(i)), 10, static_cast<uint8_t>(i)));
    c.put(imgs.back());
  }
  ASSERT_EQ(c.size(), kMaxCachedImages);
  ASSERT_EQ(c.find(uuid_n(0), imgs[0]->bytes), imgs[0]);  // 0 is now the most recent; 1 the least
  c.put(image_of(uuid_n(200), 10, 0xc8));
  EXPECT_EQ(c.size(), kMaxCachedImages);
  EXPECT_EQ(c.find(uuid_n(1), imgs[1]->bytes), nullptr) << "the least recently used went";
  EXPECT_EQ(c.find(uuid_n(0), imgs[0]->bytes), imgs[0]);
  EXPECT_EQ(c.find(uuid_n(2), imgs[2]->bytes), imgs[2]);
  EXPECT_EQ(c.bytes(), 10u * kMaxCachedImages);
}

TEST(VerifiedImageCache, ByteBoundEvictsAndHugeImagesAreNotCached) {
  VerifiedImageCache c(0);
  const size_t big = kMaxCachedImageSize;  // the largest an entry may be
  const size_t fit = kMaxCachedImageBytes / big;
  ASSERT_GE(fit, 2u);
  for (size_t i = 0; i < fit; ++i) c.put(image_of(uuid_n(static_cast<uint8_t>(i)), big, 1));
  EXPECT_EQ(c.bytes(), fit * big);
  c.put(image_of(uuid_n(100), big, 2));
  EXPECT_EQ(c.size(), fit) << "one went to make room";
  EXPECT_LE(c.bytes(), kMaxCachedImageBytes);
  EXPECT_EQ(c.size_hint(uuid_n(0)), 0u) << "the oldest";
  // Larger than an entry may be: not cached, and the UUID's old entry goes
  // (it is no longer what the store holds).
  c.put(image_of(uuid_n(100), big + 1, 3));
  EXPECT_EQ(c.size_hint(uuid_n(100)), 0u);
  EXPECT_EQ(c.size(), fit - 1);
  EXPECT_LE(c.bytes(), kMaxCachedImageBytes);
}

// verify_image: a rejected image yields nothing (security), and two validly
// signed images for one UUID stay two entries with their own sealed payload.
TEST(VerifiedImageCache, VerifyImageSealsWhatItVerified) {
  auto key = taimg::generate_signing_key();
  ASSERT_TRUE(key.ok());
  const std::vector<std::string> pubs{key->second};
  const std::vector<uint8_t> p1(4096, 0x11), p2(4096, 0x22);
  auto i1 = taimg::sign_ta_image(p1, uuid_n(1), 0, key->first);
  auto i2 = taimg::sign_ta_image(p2, uuid_n(1), 0, key->first);
  ASSERT_TRUE(i1.ok() && i2.ok());

  bool security = false;
  auto v1 = verify_image(uuid_n(1), *i1, pubs, &security);
  ASSERT_NE(v1, nullptr);
  EXPECT_FALSE(security);
  EXPECT_EQ(v1->bytes, *i1);
  EXPECT_EQ(::fcntl(v1->payload.get(), F_GET_SEALS) & F_SEAL_WRITE, F_SEAL_WRITE);
  std::vector<uint8_t> back(p1.size());
  ASSERT_EQ(::pread(v1->payload.get(), back.data(), back.size(), 0), static_cast<ssize_t>(back.size()));
  EXPECT_EQ(back, p1);

  std::vector<uint8_t> bad = *i1;
  bad[bad.size() - 1] ^= 1;
  EXPECT_EQ(verify_image(uuid_n(1), bad, pubs, &security), nullptr);
  EXPECT_TRUE(security);
  EXPECT_EQ(verify_image(uuid_n(2), *i1, pubs, &security), nullptr) << "signed for another UUID";
  EXPECT_TRUE(security);

  VerifiedImageCache c(1000);
  c.put(v1);
  EXPECT_EQ(c.find(uuid_n(1), *i2), nullptr) << "another valid image is not the cached one";
  auto v2 = verify_image(uuid_n(1), *i2, pubs, &security);
  ASSERT_NE(v2, nullptr);
  c.put(v2);
  EXPECT_EQ(c.trusted(uuid_n(1)), v2);
  ASSERT_EQ(::pread(v2->payload.get(), back.data(), back.size(), 0), static_cast<ssize_t>(back.size()));
  EXPECT_EQ(back, p2);
}

}  // namespace
}  // namespace swtee::os
