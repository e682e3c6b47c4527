#include "ta_image/ta_image.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <string>
#include <vector>

#include "ta_image/openssl_ptr.h"

namespace swtee::taimg {
namespace {

const Uuid kUuid = *Uuid::parse("8aaaf200-2450-11e4-abe2-0002a5d5c51b");
const Uuid kOtherUuid = *Uuid::parse("8aaaf200-2450-11e4-abe2-0002a5d5c51c");

// Key generation is slow; the suite shares two key pairs.
class TaImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = generate_signing_key();
    auto b = generate_signing_key();
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    key_a_ = new std::pair<std::string, std::string>(std::move(a).value());
    key_b_ = new std::pair<std::string, std::string>(std::move(b).value());
  }
  static void TearDownTestSuite() {
    delete key_a_;
    delete key_b_;
  }

  static std::vector<uint8_t> payload(size_t n) {
    std::vector<uint8_t> p(n);
    for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i * 7 + 3);
    return p;
  }
  std::vector<uint8_t> signed_image(size_t n = 64, uint32_t flags = 0x4) {
    auto img = sign_ta_image(payload(n), kUuid, flags, key_a_->first);
    EXPECT_TRUE(img.ok());
    return img.ok() ? std::move(img).value() : std::vector<uint8_t>{};
  }

  static std::pair<std::string, std::string>* key_a_;
  static std::pair<std::string, std::string>* key_b_;
};
std::pair<std::string, std::string>* TaImageTest::key_a_ = nullptr;
std::pair<std::string, std::string>* TaImageTest::key_b_ = nullptr;

TEST_F(TaImageTest, GeneratedKeysArePemRsa3072) {
  EXPECT_NE(key_a_->first.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_NE(key_a_->second.find("BEGIN PUBLIC KEY"), std::string::npos);
  auto pub = load_rsa_public_key(key_a_->second);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(EVP_PKEY_get_bits(pub->get()), 3072);
  EXPECT_NE(key_a_->first, key_b_->first);
}

TEST_F(TaImageTest, SignThenVerify) {
  const auto img = signed_image(100, 0x14);
  ASSERT_EQ(img.size(), sizeof(TaImageHeader) + 100);
  auto r = verify_ta_image(img, kUuid, {key_a_->second});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.ta.uuid, kUuid);
  EXPECT_EQ(r.ta.ta_flags, 0x14u);
  ASSERT_EQ(r.ta.payload.size(), 100u);
  EXPECT_EQ(r.ta.payload.data(), img.data() + sizeof(TaImageHeader));
  EXPECT_EQ(std::vector<uint8_t>(r.ta.payload.begin(), r.ta.payload.end()), payload(100));
}

TEST_F(TaImageTest, HeaderFieldsAreLittleEndianAtDocumentedOffsets) {
  const auto img = signed_image(64, 0x8);
  EXPECT_EQ(img[0], 'S');
  EXPECT_EQ(img[1], 'W');
  EXPECT_EQ(img[2], 'T');
  EXPECT_EQ(img[3], 'A');
  EXPECT_EQ(img[4] | img[5] << 8, kTaImageVersion);
  EXPECT_EQ(img[6] | img[7] << 8, 592);
  EXPECT_EQ(img[8], 0x8a);  // uuid octets, RFC 4122 order
  EXPECT_EQ(img[24], 0x8);  // flags
  EXPECT_EQ(img[28] | img[29] << 8 | img[30] << 16 | static_cast<uint32_t>(img[31]) << 24, kSigAlgoRsaPssSha256);
  EXPECT_EQ(img[32], 64);  // payload_size
  EXPECT_EQ(img[72] | img[73] << 8, 384);  // RSA-3072 signature bytes
}

TEST_F(TaImageTest, AcceptsAnyListedKey) {
  const auto img = signed_image();
  EXPECT_TRUE(verify_ta_image(img, kUuid, {key_b_->second, "not a key", key_a_->second}).ok);
}

TEST_F(TaImageTest, WrongKeyIsSignatureError) {
  const auto img = signed_image();
  auto r = verify_ta_image(img, kUuid, {key_b_->second});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, VerifyError::Signature);
  r = verify_ta_image(img, kUuid, {});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, VerifyError::Signature);
}

TEST_F(TaImageTest, WrongUuidIsUuidError) {
  const auto img = signed_image();
  auto r = verify_ta_image(img, kOtherUuid, {key_a_->second});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, VerifyError::Uuid);
}

TEST_F(TaImageTest, EveryFlippedByteIsRejected) {
  const auto img = signed_image(48);
  for (size_t i = 0; i < img.size(); ++i) {
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}}) {
      auto bad = img;
      bad[i] ^= mask;
      auto r = verify_ta_image(bad, kUuid, {key_a_->second});
      ASSERT_FALSE(r.ok) << "byte " << i << " mask " << int{mask};
      if (i >= sizeof(TaImageHeader)) {
        EXPECT_EQ(r.error, VerifyError::Hash) << "payload byte " << i;
      } else {
        EXPECT_TRUE(r.error == VerifyError::Format || r.error == VerifyError::Signature) << "header byte " << i;
      }
    }
  }
}

TEST_F(TaImageTest, EveryTruncationIsFormatError) {
  const auto img = signed_image(32);
  for (size_t n = 0; n < img.size(); ++n) {
    auto r = verify_ta_image(std::span(img).first(n), kUuid, {key_a_->second});
    ASSERT_FALSE(r.ok) << n;
    EXPECT_EQ(r.error, VerifyError::Format) << n;
  }
}

TEST_F(TaImageTest, TrailingBytesAreFormatError) {
  auto img = signed_image(32);
  img.push_back(0);
  auto r = verify_ta_image(img, kUuid, {key_a_->second});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, VerifyError::Format);
}

TEST_F(TaImageTest, SignRejectsBadInput) {
  EXPECT_FALSE(sign_ta_image({}, kUuid, 0, key_a_->first).ok());
  EXPECT_FALSE(sign_ta_image(payload(8), kUuid, 1u << 14, key_a_->first).ok());
  EXPECT_FALSE(sign_ta_image(payload(8), kUuid, 0, key_a_->second).ok());  // public key
  EXPECT_FALSE(sign_ta_image(payload(8), kUuid, 0, "garbage").ok());

  // A non-RSA key is refused.
  PkeyPtr ec(EVP_EC_gen("P-256"));
  ASSERT_TRUE(ec);
  auto ec_pem = private_key_pem(ec.get());
  ASSERT_TRUE(ec_pem.ok());
  auto r = sign_ta_image(payload(8), kUuid, 0, *ec_pem);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EINVAL);
}

TEST_F(TaImageTest, EncryptedPrivateKeyIsRefusedWithoutPrompting) {
  auto key = load_rsa_private_key(key_a_->first);
  ASSERT_TRUE(key.ok());
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASSERT_TRUE(bio);
  static char pass[] = "secret";
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio.get(), key->get(), EVP_aes_256_cbc(),
                                     reinterpret_cast<unsigned char*>(pass), 6, nullptr, nullptr),
            1);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  ASSERT_GT(len, 0);
  auto r = sign_ta_image(payload(8), kUuid, 0, std::string(data, static_cast<size_t>(len)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EINVAL);
}

TEST_F(TaImageTest, VerifyIgnoresNonRsaKeys) {
  const auto img = signed_image();
  PkeyPtr ec(EVP_EC_gen("P-256"));
  ASSERT_TRUE(ec);
  auto ec_pub = public_key_pem(ec.get());
  ASSERT_TRUE(ec_pub.ok());
  auto r = verify_ta_image(img, kUuid, {*ec_pub});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, VerifyError::Signature);
}

}  // namespace
}  // namespace swtee::taimg
