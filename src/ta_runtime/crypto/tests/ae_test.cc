// AE: GCM (McGrew-Viega test case 2/3) and CCM (RFC 3610 packet 1) known
// answers, OpenSSL cross-checks for random splits, tag tampering.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <string>

#include "ta_runtime/crypto/tests/test_util.h"

namespace swtee::ta::crypto::testing {
namespace {

struct AeOut {
  Bytes data, tag;
  TEE_Result rc = TEE_SUCCESS;
};

AeOut ae_run(uint32_t alg, uint32_t mode, const Bytes& key, const Bytes& nonce, uint32_t tag_bits,
             const Bytes& aad, const Bytes& in, const Bytes& tag_in, std::mt19937& rng, bool split) {
  TEE_OperationHandle op = make_op(alg, mode, TEE_TYPE_AES, key);
  EXPECT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), tag_bits, aad.size(), in.size()), TEE_SUCCESS);
  size_t pos = 0;
  for (size_t c : split ? random_split(aad.size(), rng) : std::vector<size_t>{}) {
    TEE_AEUpdateAAD(op, aad.data() + pos, c - pos);
    pos = c;
  }
  TEE_AEUpdateAAD(op, aad.data() + pos, aad.size() - pos);
  AeOut r;
  r.data.resize(in.size() + 16);
  size_t opos = 0;
  pos = 0;
  for (size_t c : split ? random_split(in.size(), rng) : std::vector<size_t>{}) {
    size_t n = r.data.size() - opos;
    EXPECT_EQ(TEE_AEUpdate(op, in.data() + pos, c - pos, r.data.data() + opos, &n), TEE_SUCCESS);
    opos += n;
    pos = c;
  }
  size_t n = r.data.size() - opos;
  if (mode == TEE_MODE_ENCRYPT) {
    r.tag.resize(16);
    size_t t = r.tag.size();
    r.rc =
        TEE_AEEncryptFinal(op, in.data() + pos, in.size() - pos, r.data.data() + opos, &n, r.tag.data(), &t);
    r.tag.resize(t);
  } else {
    Bytes t = tag_in;
    r.rc = TEE_AEDecryptFinal(op, in.data() + pos, in.size() - pos, r.data.data() + opos, &n, t.data(),
                              t.size());
  }
  r.data.resize(opos + n);
  TEE_FreeOperation(op);
  return r;
}

TEST(Ae, GcmKnownAnswer) {
  std::mt19937 rng(1);
  const AeOut r = ae_run(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, Bytes(16, 0), Bytes(12, 0), 128, {}, Bytes(16, 0),
                         {}, rng, false);
  ASSERT_EQ(r.rc, TEE_SUCCESS);
  EXPECT_EQ(to_hex(r.data), "0388dace60b6a392f328c2b971b2fe78");
  EXPECT_EQ(to_hex(r.tag), "ab6e47d42cec13bdf53a67b21257bddf");
}

TEST(Ae, CcmRfc3610Packet1) {
  std::mt19937 rng(2);
  const Bytes key = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
  const Bytes nonce = hex("00000003020100a0a1a2a3a4a5");
  const Bytes aad = hex("0001020304050607");
  const Bytes pt = hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
  const AeOut r = ae_run(TEE_ALG_AES_CCM, TEE_MODE_ENCRYPT, key, nonce, 64, aad, pt, {}, rng, true);
  ASSERT_EQ(r.rc, TEE_SUCCESS);
  EXPECT_EQ(to_hex(r.data), "588c979a61c663d2f066d0c2c0f989806d5f6b61dac384");
  EXPECT_EQ(to_hex(r.tag), "17e8d12cfdf926e0");
  const AeOut d = ae_run(TEE_ALG_AES_CCM, TEE_MODE_DECRYPT, key, nonce, 64, aad, r.data, r.tag, rng, true);
  ASSERT_EQ(d.rc, TEE_SUCCESS);
  EXPECT_EQ(d.data, pt);
  Bytes bad = r.tag;
  bad[0] ^= 0x80;
  EXPECT_EQ(ae_run(TEE_ALG_AES_CCM, TEE_MODE_DECRYPT, key, nonce, 64, aad, r.data, bad, rng, true).rc,
            TEE_ERROR_MAC_INVALID);
}

TEST(Ae, GcmSplitsEqualOneShotAndTamperFails) {
  std::mt19937 rng(3);
  for (int round = 0; round < 30; ++round) {
    const Bytes key = random_bytes(round % 3 == 0 ? 16 : (round % 3 == 1 ? 24 : 32), rng);
    const Bytes nonce = random_bytes(round % 5 == 0 ? 8 + rng() % 20 : 12, rng);
    const Bytes aad = random_bytes(rng() % 50, rng), pt = random_bytes(rng() % 300, rng);
    const uint32_t tag_bits = 96 + 8 * (rng() % 5);
    const AeOut once =
        ae_run(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, key, nonce, tag_bits, aad, pt, {}, rng, false);
    const AeOut split =
        ae_run(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, key, nonce, tag_bits, aad, pt, {}, rng, true);
    ASSERT_EQ(once.rc, TEE_SUCCESS);
    EXPECT_EQ(split.data, once.data);
    EXPECT_EQ(split.tag, once.tag);
    EXPECT_EQ(once.tag.size(), tag_bits / 8);
    const AeOut dec =
        ae_run(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, key, nonce, tag_bits, aad, once.data, once.tag, rng, true);
    EXPECT_EQ(dec.rc, TEE_SUCCESS);
    EXPECT_EQ(dec.data, pt);
    Bytes bad = once.tag;
    bad.back() ^= 1;
    EXPECT_EQ(
        ae_run(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, key, nonce, tag_bits, aad, once.data, bad, rng, true).rc,
        TEE_ERROR_MAC_INVALID);
  }
}

TEST(Ae, ShortTagBufferKeepsOperationUsable) {
  std::mt19937 rng(4);
  const Bytes key(16, 3), nonce(12, 4), pt = random_bytes(40, rng);
  const AeOut ref = ae_run(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, key, nonce, 128, {}, pt, {}, rng, false);
  TEE_OperationHandle op = make_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, pt.size()), TEE_SUCCESS);
  Bytes out(pt.size()), tag(16);
  size_t n = out.size(), t = 8;
  ASSERT_EQ(TEE_AEEncryptFinal(op, pt.data(), pt.size(), out.data(), &n, tag.data(), &t),
            TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(t, 16u);
  n = out.size();
  ASSERT_EQ(TEE_AEEncryptFinal(op, pt.data(), pt.size(), out.data(), &n, tag.data(), &t), TEE_SUCCESS);
  EXPECT_EQ(out, ref.data);
  EXPECT_EQ(tag, ref.tag);
  TEE_FreeOperation(op);
}

TEST(Ae, Gp11EntryPointsUseU32Lengths) {
  std::mt19937 rng(6);
  const Bytes key(16, 5), nonce(12, 6), pt = random_bytes(33, rng);
  const AeOut ref = ae_run(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, key, nonce, 128, {}, pt, {}, rng, false);
  TEE_OperationHandle op = make_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  ASSERT_EQ(__GP11_TEE_AEInit(op, nonce.data(), 12, 128, 0, 33), TEE_SUCCESS);
  Bytes out(33), tag(16);
  uint32_t n1 = 33;
  ASSERT_EQ(__GP11_TEE_AEUpdate(op, pt.data(), 10, out.data(), &n1), TEE_SUCCESS);
  uint32_t n2 = 33 - n1, t = 16;
  ASSERT_EQ(__GP11_TEE_AEEncryptFinal(op, pt.data() + 10, 23, out.data() + n1, &n2, tag.data(), &t),
            TEE_SUCCESS);
  EXPECT_EQ(out, ref.data);
  EXPECT_EQ(tag, ref.tag);
  TEE_FreeOperation(op);
}

// As on OP-TEE, CCM updates hand out every whole 16-byte block they
// complete (not everything at the final call). RFC 3610 packet 1, 23
// payload bytes fed 5 + 12 + 6: the updates return 0 and 16 bytes.
TEST(Ae, CcmUpdatesOutputWholeBlocksProgressively) {
  const Bytes key = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
  const Bytes nonce = hex("00000003020100a0a1a2a3a4a5");
  const Bytes aad = hex("0001020304050607");
  const Bytes pt = hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
  const std::string want = "588c979a61c663d2f066d0c2c0f989806d5f6b61dac384";
  for (uint32_t mode : {TEE_MODE_ENCRYPT, TEE_MODE_DECRYPT}) {
    const Bytes in = mode == TEE_MODE_ENCRYPT ? pt : hex(want);
    TEE_OperationHandle op = make_op(TEE_ALG_AES_CCM, mode, TEE_TYPE_AES, key);
    ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 64, aad.size(), in.size()), TEE_SUCCESS);
    TEE_AEUpdateAAD(op, aad.data(), aad.size());
    uint8_t out[32];
    size_t n = sizeof(out);
    ASSERT_EQ(TEE_AEUpdate(op, in.data(), 5, out, &n), TEE_SUCCESS);
    EXPECT_EQ(n, 0u);
    n = 4;  // 16 bytes are due: SHORT_BUFFER says so and consumes nothing
    ASSERT_EQ(TEE_AEUpdate(op, in.data() + 5, 12, out, &n), TEE_ERROR_SHORT_BUFFER);
    EXPECT_EQ(n, 16u);
    n = sizeof(out);
    ASSERT_EQ(TEE_AEUpdate(op, in.data() + 5, 12, out, &n), TEE_SUCCESS);
    ASSERT_EQ(n, 16u);
    Bytes got(out, out + 16);
    size_t m = sizeof(out);
    if (mode == TEE_MODE_ENCRYPT) {
      uint8_t tag[8];
      size_t t = sizeof(tag);
      ASSERT_EQ(TEE_AEEncryptFinal(op, in.data() + 17, 6, out, &m, tag, &t), TEE_SUCCESS);
      EXPECT_EQ(to_hex(Bytes(tag, tag + t)), "17e8d12cfdf926e0");
    } else {
      Bytes tag = hex("17e8d12cfdf926e0");
      ASSERT_EQ(TEE_AEDecryptFinal(op, in.data() + 17, 6, out, &m, tag.data(), tag.size()), TEE_SUCCESS);
    }
    ASSERT_EQ(m, 7u);
    got.insert(got.end(), out, out + m);
    EXPECT_EQ(to_hex(got), mode == TEE_MODE_ENCRYPT ? want : to_hex(pt));
    TEE_FreeOperation(op);
  }
}

TEST(Ae, InitRejectsBadTagLengths) {
  TEE_OperationHandle op = make_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 1));
  const Bytes nonce(12, 0);
  EXPECT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 64, 0, 0), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, 0), TEE_SUCCESS);
  TEE_FreeOperation(op);
  op = make_op(TEE_ALG_AES_CCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, Bytes(16, 1));
  EXPECT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 40, 0, 0), TEE_ERROR_NOT_SUPPORTED);
  EXPECT_EQ(TEE_AEInit(op, nonce.data(), 6, 64, 0, 0), TEE_ERROR_BAD_PARAMETERS);
  TEE_FreeOperation(op);
}

// libutee's TEE_AEInit panics on a NULL nonce and on an operation that has
// taken payload since its Init (state ACTIVE); Init itself leaves the state
// INITIAL, so Init twice, or after AAD only, is fine.
TEST(Ae, InitPanicsOnNullNonceAndActiveOperation) {
  const Bytes key(16, 1), nonce(12, 2), pt(20, 3);
  TEE_OperationHandle op = make_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  EXPECT_EXIT((void)TEE_AEInit(op, nullptr, 0, 128, 0, 0), kPanicked, "TEE_Panic");
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, 0), TEE_SUCCESS);
  uint8_t buf[sizeof(TEE_OperationInfoMultiple) + sizeof(TEE_OperationInfoKey)];
  auto* multi = reinterpret_cast<TEE_OperationInfoMultiple*>(buf);
  size_t size = sizeof(buf);
  ASSERT_EQ(TEE_GetOperationInfoMultiple(op, multi, &size), TEE_SUCCESS);
  EXPECT_EQ(multi->operationState, static_cast<uint32_t>(TEE_OPERATION_STATE_INITIAL));
  EXPECT_NE(multi->handleState & TEE_HANDLE_FLAG_INITIALIZED, 0u);
  TEE_AEUpdateAAD(op, pt.data(), 4);
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, 0), TEE_SUCCESS);
  Bytes out(pt.size());
  size_t n = out.size();
  ASSERT_EQ(TEE_AEUpdate(op, pt.data(), pt.size(), out.data(), &n), TEE_SUCCESS);
  size = sizeof(buf);
  ASSERT_EQ(TEE_GetOperationInfoMultiple(op, multi, &size), TEE_SUCCESS);
  EXPECT_EQ(multi->operationState, static_cast<uint32_t>(TEE_OPERATION_STATE_ACTIVE));
  EXPECT_EXIT((void)TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, 0), kPanicked, "TEE_Panic");
  EXPECT_EXIT(TEE_AEUpdateAAD(op, pt.data(), 4), kPanicked, "TEE_Panic");
  TEE_ResetOperation(op);
  EXPECT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, 0), TEE_SUCCESS);
  TEE_FreeOperation(op);
}

// A wrong tag: as libutee's TEE_AEDecryptFinal, *destLen is not written and
// the operation stays initialized (it needs TEE_ResetOperation before
// another Init once payload went in).
TEST(Ae, WrongTagLeavesDestLenAndState) {
  std::mt19937 rng(9);
  const Bytes key(16, 6), nonce(12, 7), pt = random_bytes(24, rng);
  const AeOut enc = ae_run(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, key, nonce, 128, {}, pt, {}, rng, false);
  ASSERT_EQ(enc.rc, TEE_SUCCESS);
  Bytes bad = enc.tag;
  bad[3] ^= 4;
  TEE_OperationHandle op = make_op(TEE_ALG_AES_GCM, TEE_MODE_DECRYPT, TEE_TYPE_AES, key);
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, pt.size()), TEE_SUCCESS);
  Bytes out(64);
  size_t n = out.size();
  ASSERT_EQ(TEE_AEUpdate(op, enc.data.data(), 8, out.data(), &n), TEE_SUCCESS);
  n = 50;
  EXPECT_EQ(TEE_AEDecryptFinal(op, enc.data.data() + 8, enc.data.size() - 8, out.data(), &n, bad.data(),
                               bad.size()),
            TEE_ERROR_MAC_INVALID);
  EXPECT_EQ(n, 50u);
  TEE_OperationInfo info{};
  TEE_GetOperationInfo(op, &info);
  EXPECT_NE(info.handleState & TEE_HANDLE_FLAG_INITIALIZED, 0u);
  EXPECT_EXIT((void)TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, pt.size()), kPanicked, "TEE_Panic");
  TEE_ResetOperation(op);
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, pt.size()), TEE_SUCCESS);
  n = out.size();
  Bytes good = enc.tag;
  ASSERT_EQ(
      TEE_AEDecryptFinal(op, enc.data.data(), enc.data.size(), out.data(), &n, good.data(), good.size()),
      TEE_SUCCESS);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + static_cast<long>(n)), pt);
  TEE_FreeOperation(op);
}

// SHORT_BUFFER from TEE_AEEncryptFinal updates only the length that was too
// short (libutee checks *destLen and *tagLen separately).
TEST(Ae, EncryptFinalShortBufferUpdatesOnlyTheShortLength) {
  const Bytes key(16, 8), nonce(12, 9), pt(40, 1);
  TEE_OperationHandle op = make_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, TEE_TYPE_AES, key);
  ASSERT_EQ(TEE_AEInit(op, nonce.data(), nonce.size(), 128, 0, pt.size()), TEE_SUCCESS);
  Bytes out(100), tag(32);
  struct Case {
    size_t dest_in, tag_in, dest_out, tag_out;
  };
  for (const Case& c : {Case{100, 8, 100, 16}, Case{10, 32, 40, 32}, Case{5, 4, 40, 16}}) {
    size_t n = c.dest_in, t = c.tag_in;
    ASSERT_EQ(TEE_AEEncryptFinal(op, pt.data(), pt.size(), out.data(), &n, tag.data(), &t),
              TEE_ERROR_SHORT_BUFFER);
    EXPECT_EQ(n, c.dest_out);
    EXPECT_EQ(t, c.tag_out);
  }
  TEE_FreeOperation(op);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
