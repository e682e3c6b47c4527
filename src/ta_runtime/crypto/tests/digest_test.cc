// Digests: known answers, random splits vs one shot, SHORT_BUFFER keeps the
// operation usable, multi-squeeze SHAKE equals one long squeeze.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "ta_runtime/crypto/tests/test_util.h"
#include "ta_runtime/dispatcher.h"

namespace swtee::ta::crypto::testing {
namespace {

const Bytes kAbc = {'a', 'b', 'c'};

struct Kat {
  uint32_t alg;
  const char* hex_digest;
};

TEST(Digest, KnownAnswersForAbc) {
  const Kat kats[] = {
      {TEE_ALG_MD5, "900150983cd24fb0d6963f7d28e17f72"},
      {TEE_ALG_SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
      {TEE_ALG_SHA224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
      {TEE_ALG_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {TEE_ALG_SHA384,
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
      {TEE_ALG_SHA512,
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4"
       "423643"
       "ce80e2a9ac94fa54ca49f"},
      {TEE_ALG_SHA3_256, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
      {TEE_ALG_SHA3_512,
       "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340"
       "b4cf40"
       "8d5a56592f8274eec53f0"},
      {TEE_ALG_SM3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
  };
  for (const auto& k : kats) {
    if (TEE_IsAlgorithmSupported(k.alg, TEE_CRYPTO_ELEMENT_NONE) != TEE_SUCCESS) {
      ADD_FAILURE() << std::hex << k.alg << " unsupported";
      continue;
    }
    EXPECT_EQ(to_hex(digest(k.alg, kAbc)), k.hex_digest) << std::hex << k.alg;
  }
}

TEST(Digest, ShakeKnownAnswers) {
  // FIPS 202 examples: SHAKE128("") and SHAKE256("") first 32 bytes.
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHAKE128, {}, 32)),
            "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26");
  EXPECT_EQ(to_hex(digest(TEE_ALG_SHAKE256, {}, 32)),
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762f");
}

TEST(Digest, ShortBufferKeepsOperationUsable) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  TEE_DigestUpdate(op, "a", 1);
  uint8_t out[32];
  size_t n = 31;
  ASSERT_EQ(TEE_DigestDoFinal(op, "bc", 2, out, &n), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(n, 32u);
  ASSERT_EQ(TEE_DigestDoFinal(op, "bc", 2, out, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(out, out + n)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // After DoFinal the operation is ready for a new message.
  n = sizeof(out);
  ASSERT_EQ(TEE_DigestDoFinal(op, "abc", 3, out, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(out, out + n)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  TEE_FreeOperation(op);
}

TEST(Digest, RandomSplitsEqualOneShot) {
  std::mt19937 rng(42);
  const uint32_t algs[] = {TEE_ALG_MD5,      TEE_ALG_SHA1,     TEE_ALG_SHA224,   TEE_ALG_SHA256,
                           TEE_ALG_SHA384,   TEE_ALG_SHA512,   TEE_ALG_SHA3_224, TEE_ALG_SHA3_256,
                           TEE_ALG_SHA3_384, TEE_ALG_SHA3_512, TEE_ALG_SM3,      TEE_ALG_MD5SHA1};
  for (uint32_t alg : algs) {
    for (int round = 0; round < 8; ++round) {
      const Bytes msg = random_bytes(rng() % 600, rng);
      const Bytes expect = digest(alg, msg);
      TEE_OperationHandle op = TEE_HANDLE_NULL;
      ASSERT_EQ(TEE_AllocateOperation(&op, alg, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
      size_t pos = 0;
      for (size_t c : random_split(msg.size(), rng)) {
        TEE_DigestUpdate(op, msg.data() + pos, c - pos);
        pos = c;
      }
      Bytes out(64);
      size_t n = out.size();
      ASSERT_EQ(TEE_DigestDoFinal(op, msg.data() + pos, msg.size() - pos, out.data(), &n), TEE_SUCCESS);
      out.resize(n);
      EXPECT_EQ(out, expect) << std::hex << alg;
      TEE_FreeOperation(op);
    }
  }
}

TEST(Digest, ExtractInPiecesEqualsOneSqueeze) {
  std::mt19937 rng(7);
  for (uint32_t alg : {TEE_ALG_SHAKE128, TEE_ALG_SHAKE256, TEE_ALG_SHA256}) {
    const Bytes msg = random_bytes(100, rng);
    const size_t total = alg == TEE_ALG_SHA256 ? 32 : 1000;
    const Bytes expect = digest(alg, msg, total);
    TEE_OperationHandle op = TEE_HANDLE_NULL;
    ASSERT_EQ(TEE_AllocateOperation(&op, alg, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
    TEE_DigestUpdate(op, msg.data(), msg.size());
    Bytes got;
    while (got.size() < total) {
      size_t n = std::min<size_t>(1 + rng() % 90, total - got.size());
      uint8_t buf[100];
      ASSERT_EQ(TEE_DigestExtract(op, buf, &n), TEE_SUCCESS);
      ASSERT_GT(n, 0u);
      got.insert(got.end(), buf, buf + n);
    }
    EXPECT_EQ(got, expect) << std::hex << alg;
    TEE_OperationInfoMultiple info[2];
    size_t sz = sizeof(info);
    ASSERT_EQ(TEE_GetOperationInfoMultiple(op, info, &sz), TEE_SUCCESS);
    EXPECT_EQ(info[0].operationState, static_cast<uint32_t>(TEE_OPERATION_STATE_EXTRACTING));
    TEE_ResetOperation(op);
    size_t n = 32;
    uint8_t buf[32];
    ASSERT_EQ(TEE_DigestDoFinal(op, msg.data(), msg.size(), buf, &n), TEE_SUCCESS);
    EXPECT_EQ(Bytes(buf, buf + n), Bytes(expect.begin(), expect.begin() + 32));
    TEE_FreeOperation(op);
  }
}

// OP-TEE's state machine: DoFinal after Extract takes no input and hands
// out the rest of the digest (no SHORT_BUFFER), then the operation starts
// over. Known answer: SHA-256("abc").
TEST(Digest, DoFinalAfterExtractHandsOutTheRest) {
  const std::string kat = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  TEE_DigestUpdate(op, kAbc.data(), kAbc.size());
  uint8_t head[10];
  size_t n = sizeof(head);
  ASSERT_EQ(TEE_DigestExtract(op, head, &n), TEE_SUCCESS);
  ASSERT_EQ(n, 10u);
  EXPECT_EQ(to_hex(Bytes(head, head + n)), kat.substr(0, 20));
  uint8_t rest[64];
  n = sizeof(rest);
  ASSERT_EQ(TEE_DigestDoFinal(op, nullptr, 0, rest, &n), TEE_SUCCESS);
  ASSERT_EQ(n, 22u);
  EXPECT_EQ(to_hex(Bytes(rest, rest + n)), kat.substr(20));
  // Started over: a full digest again.
  n = sizeof(rest);
  ASSERT_EQ(TEE_DigestDoFinal(op, kAbc.data(), kAbc.size(), rest, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(rest, rest + n)), kat);
  // A smaller buffer after Extract gets a prefix of the rest.
  TEE_DigestUpdate(op, kAbc.data(), kAbc.size());
  n = 4;
  ASSERT_EQ(TEE_DigestExtract(op, head, &n), TEE_SUCCESS);
  n = 2;
  ASSERT_EQ(TEE_DigestDoFinal(op, nullptr, 0, rest, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(rest, rest + n)), kat.substr(8, 4));
  TEE_FreeOperation(op);
}

TEST(Digest, InputAfterExtractPanics) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  uint8_t b[32];
  size_t n = 4;
  ASSERT_EQ(TEE_DigestExtract(op, b, &n), TEE_SUCCESS);
  n = sizeof(b);
  EXPECT_EXIT((void)TEE_DigestDoFinal(op, kAbc.data(), kAbc.size(), b, &n),
              ::testing::ExitedWithCode(swtee::ta::kExitPanic), "TEE_Panic");
  TEE_FreeOperation(op);
}

TEST(Digest, CopyOperationForksState) {
  TEE_OperationHandle a = TEE_HANDLE_NULL, b = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocateOperation(&a, TEE_ALG_SHA1, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  ASSERT_EQ(TEE_AllocateOperation(&b, TEE_ALG_SHA1, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  TEE_DigestUpdate(a, "ab", 2);
  TEE_CopyOperation(b, a);
  uint8_t out[20];
  size_t n = sizeof(out);
  ASSERT_EQ(TEE_DigestDoFinal(b, "c", 1, out, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(out, out + n)), "a9993e364706816aba3e25717850c26c9cd0d89d");
  n = sizeof(out);
  ASSERT_EQ(TEE_DigestDoFinal(a, "c", 1, out, &n), TEE_SUCCESS);
  EXPECT_EQ(to_hex(Bytes(out, out + n)), "a9993e364706816aba3e25717850c26c9cd0d89d");
  TEE_FreeOperation(a);
  TEE_FreeOperation(b);
}

}  // namespace
}  // namespace swtee::ta::crypto::testing
