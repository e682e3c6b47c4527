#include "ta_runtime/storage/meta_codec.h"

#include <gtest/gtest.h>

#include <cstring>

#include "ta_runtime/crypto/object_types.h"

namespace swtee::ta::storage {
namespace {

crypto::Object key_object() {
  crypto::Object o;
  o.type = crypto::find_object_type(TEE_TYPE_AES);
  o.max_size = 256;
  o.key_size = 128;
  o.usage = TEE_USAGE_ENCRYPT;
  crypto::Attr a;
  a.id = TEE_ATTR_SECRET_VALUE;
  const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  EXPECT_TRUE(a.ref.assign(k, sizeof(k)));
  o.attrs.push_back(std::move(a));
  return o;
}

TEST(MetaCodecTest, RoundTrip) {
  const crypto::Object o = key_object();
  MetaBlob b;
  ASSERT_TRUE(encode_meta(o, 4096, &b));
  EXPECT_EQ(b.bytes.size(), sizeof(MetaHeader) + sizeof(MetaAttrRecord) + 16);
  crypto::Object back;
  ASSERT_TRUE(decode_meta(b.bytes, back));
  EXPECT_EQ(back.type->type, static_cast<uint32_t>(TEE_TYPE_AES));
  EXPECT_EQ(back.key_size, 128u);
  EXPECT_EQ(back.max_size, 256u);
  EXPECT_EQ(back.usage, static_cast<uint32_t>(TEE_USAGE_ENCRYPT));
  ASSERT_EQ(back.attrs.size(), 1u);
  EXPECT_EQ(std::memcmp(back.attrs[0].ref.data(), o.attrs[0].ref.data(), 16), 0);
  MetaHeader h{};
  ASSERT_TRUE(decode_meta_header(std::span<const uint8_t>(b.bytes).first(sizeof(MetaHeader)), &h));
  EXPECT_EQ(h.object_type, static_cast<uint32_t>(TEE_TYPE_AES));
}

TEST(MetaCodecTest, DataObjectHasNoAttributes) {
  crypto::Object o;
  o.type = &data_object_type();
  MetaBlob b;
  ASSERT_TRUE(encode_meta(o, 64, &b));
  crypto::Object back;
  ASSERT_TRUE(decode_meta(b.bytes, back));
  EXPECT_EQ(back.type, &data_object_type());
}

TEST(MetaCodecTest, RejectsMalformedBlobs) {
  const crypto::Object o = key_object();
  MetaBlob b;
  ASSERT_TRUE(encode_meta(o, 4096, &b));
  EXPECT_FALSE(encode_meta(o, 40, &b)) << "limit";
  ASSERT_TRUE(encode_meta(o, 4096, &b));
  crypto::Object back;
  for (size_t cut = 0; cut < b.bytes.size(); ++cut) {
    EXPECT_FALSE(decode_meta(std::span<const uint8_t>(b.bytes).first(cut), back)) << "truncated at " << cut;
  }
  auto bad = b.bytes;
  bad[0] ^= 1;  // magic
  EXPECT_FALSE(decode_meta(bad, back));
  bad = b.bytes;
  bad[4] = 2;  // version
  EXPECT_FALSE(decode_meta(bad, back));
  bad = b.bytes;
  bad[8] = 0x77;  // unknown type
  EXPECT_FALSE(decode_meta(bad, back));
  bad = b.bytes;
  bad.push_back(0);  // trailing byte
  EXPECT_FALSE(decode_meta(bad, back));
}

}  // namespace
}  // namespace swtee::ta::storage
