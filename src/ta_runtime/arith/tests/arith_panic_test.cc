// The GP panic cases: each must end the TA process through TEE_Panic with
// the function's panic id, after saying why.
#include <gtest/gtest.h>

#include <vector>

#include "arith_test_util.h"
#include "ta_runtime/dispatcher.h"

namespace swtee::ta::arith::test {
namespace {

class ArithPanic : public ::testing::Test {
 protected:
  // The test process is single-threaded: fork without re-exec.
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "fast"); }
};

const auto kPanicked = ::testing::ExitedWithCode(swtee::ta::kExitPanic);

TEST_F(ArithPanic, InitRejectsBadLengths) {
  std::vector<uint32_t> w(2000);
  EXPECT_EXIT(TEE_BigIntInit(w.data(), 1), kPanicked, "TEE_BigIntInit: len below.*TEE_Panic\\(0x1601\\)");
  EXPECT_EXIT(TEE_BigIntInit(w.data(), 1027), kPanicked, "above the largest supported");
  EXPECT_EXIT(TEE_BigIntInit(nullptr, 4), kPanicked, "NULL bignum");
  EXPECT_EXIT(TEE_BigIntFMMSizeInU32(40000), kPanicked, "TEE_Panic\\(0x1502\\)");
  EXPECT_EXIT(TEE_BigIntFMMContextSizeInU32(40000), kPanicked, "TEE_Panic\\(0x1501\\)");
}

TEST_F(ArithPanic, UninitializedBigIntIsRefused) {
  std::vector<uint32_t> junk(10, 0);  // sign 0: never initialized
  Big one(32, bn_word(1).get());
  EXPECT_EXIT(TEE_BigIntCmp(junk.data(), one), kPanicked, "TEE_BigIntCmp: not a bignum initialized");
  std::vector<uint32_t> lying(4, 0);
  lying[0] = 1;
  lying[1] = 2u | (3u << 16);  // used > alloc
  EXPECT_EXIT(TEE_BigIntGetBitCount(lying.data()), kPanicked, "not a bignum initialized");
}

TEST_F(ArithPanic, DestinationTooSmall) {
  Big big(128, bn_hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF").get());
  Big small(64);
  EXPECT_EXIT(TEE_BigIntAdd(small, big, big), kPanicked, "TEE_BigIntAdd: destination bignum too small.*0x1901");
  EXPECT_EXIT(TEE_BigIntSub(small, big, small), kPanicked, "TEE_Panic\\(0x1906\\)");
  EXPECT_EXIT(TEE_BigIntMul(small, big, big), kPanicked, "TEE_Panic\\(0x1903\\)");
  EXPECT_EXIT(TEE_BigIntSquare(small, big), kPanicked, "TEE_Panic\\(0x1905\\)");
  EXPECT_EXIT(TEE_BigIntNeg(small, big), kPanicked, "TEE_Panic\\(0x1904\\)");
  EXPECT_EXIT(TEE_BigIntShiftRight(small, big, 63), kPanicked, "TEE_Panic\\(0x1805\\)");
  Big zero_cap(0);
  EXPECT_EXIT(TEE_BigIntConvertFromS32(zero_cap, -1), kPanicked, "TEE_Panic\\(0x1702\\)");
  Big two(32, bn_word(2).get());
  EXPECT_EXIT(TEE_BigIntDiv(small, nullptr, big, two), kPanicked, "too small for the quotient");
  Big minus_one(32, bn_word(-1).get());
  EXPECT_EXIT(TEE_BigIntMod(small, minus_one, big), kPanicked, "TEE_Panic\\(0x1a03\\)");  // big - 1
}

TEST_F(ArithPanic, DivisionByZeroAndSharedResults) {
  Big a(64, bn_word(10).get()), zero(64), q(64), r(64);
  EXPECT_EXIT(TEE_BigIntDiv(q, r, a, zero), kPanicked, "division by zero.*0x1902");
  Big three(64, bn_word(3).get());
  EXPECT_EXIT(TEE_BigIntDiv(q, q, a, three), kPanicked, "share a bignum");
}

TEST_F(ArithPanic, ModulusBelowTwo) {
  Big a(64, bn_word(10).get()), r(64);
  for (int64_t n : {1, 0, -5}) {
    Big m(64, bn_word(n).get());
    EXPECT_EXIT(TEE_BigIntMod(r, a, m), kPanicked, "modulus must be at least 2");
    EXPECT_EXIT(TEE_BigIntAddMod(r, a, a, m), kPanicked, "TEE_Panic\\(0x1a01\\)");
    EXPECT_EXIT(TEE_BigIntSubMod(r, a, a, m), kPanicked, "TEE_Panic\\(0x1a06\\)");
    EXPECT_EXIT(TEE_BigIntMulMod(r, a, a, m), kPanicked, "TEE_Panic\\(0x1a04\\)");
    EXPECT_EXIT(TEE_BigIntSquareMod(r, a, m), kPanicked, "TEE_Panic\\(0x1a05\\)");
    EXPECT_EXIT(TEE_BigIntInvMod(r, a, m), kPanicked, "TEE_Panic\\(0x1a02\\)");
    EXPECT_EXIT((void)TEE_BigIntExpMod(r, a, a, m, nullptr), kPanicked, "modulus must be at least 2");
  }
}

TEST_F(ArithPanic, InvModWithoutInverse) {
  Big r(64), nine(64, bn_word(9).get()), six(64, bn_word(6).get()), zero(64), eighteen(64, bn_word(18).get());
  EXPECT_EXIT(TEE_BigIntInvMod(r, six, nine), kPanicked, "not invertible.*0x1a02");
  EXPECT_EXIT(TEE_BigIntInvMod(r, zero, nine), kPanicked, "inverse of zero");
  EXPECT_EXIT(TEE_BigIntInvMod(r, eighteen, nine), kPanicked, "not invertible");
}

TEST_F(ArithPanic, ExpModRefusals) {
  Big r(64), n(64, bn_word(101).get()), a(64, bn_word(3).get()), neg(64, bn_word(-2).get());
  EXPECT_EXIT((void)TEE_BigIntExpMod(r, a, neg, n, nullptr), kPanicked, "negative exponent");
  Big other(64, bn_word(103).get());
  std::vector<uint32_t> c(TEE_BigIntFMMContextSizeInU32(7));
  TEE_BigIntInitFMMContext(c.data(), c.size(), other);
  EXPECT_EXIT((void)TEE_BigIntExpMod(r, a, a, n, c.data()), kPanicked, "modulus differs from the context");
}

TEST_F(ArithPanic, FmmMisuse) {
  Big n(64, bn_word(101).get()), x(64, bn_word(5).get()), r(64);
  std::vector<uint32_t> c(TEE_BigIntFMMContextSizeInU32(7));
  EXPECT_EXIT(TEE_BigIntInitFMMContext(c.data(), 3, n), kPanicked, "context smaller.*0x1603");
  Big one(64, bn_word(1).get());
  EXPECT_EXIT(TEE_BigIntInitFMMContext(c.data(), c.size(), one), kPanicked, "modulus must be at least 2");
  TEE_BigIntInitFMMContext(c.data(), c.size(), n);
  std::vector<uint32_t> f(TEE_BigIntFMMSizeInU32(7));
  TEE_BigIntInitFMM(f.data(), f.size());
  Big other(64, bn_word(103).get());
  EXPECT_EXIT(TEE_BigIntConvertToFMM(f.data(), x, other, c.data()), kPanicked, "differs.*0x1c03");
  std::vector<uint32_t> junk(c.size(), 0);
  EXPECT_EXIT(TEE_BigIntConvertToFMM(f.data(), x, n, junk.data()), kPanicked, "not a context initialized");
  // An FMM operand not reduced modulo n.
  Big big(64, bn_word(500).get());
  EXPECT_EXIT(TEE_BigIntComputeFMM(f.data(), big, big, n, c.data()), kPanicked, "not reduced.*0x1c01");
  EXPECT_EXIT(TEE_BigIntConvertFromFMM(r, big, n, c.data()), kPanicked, "TEE_Panic\\(0x1c02\\)");
  Big tiny(0);
  TEE_BigIntConvertToFMM(f.data(), x, n, c.data());
  EXPECT_EXIT(TEE_BigIntConvertFromFMM(tiny, f.data(), n, c.data()), kPanicked, "too small");
}

TEST_F(ArithPanic, NullArguments) {
  Big a(64, bn_word(7).get());
  EXPECT_EXIT((void)TEE_BigIntConvertToOctetString(nullptr, nullptr, a), kPanicked, "NULL bufferLen");
  EXPECT_EXIT((void)TEE_BigIntConvertToS32(nullptr, a), kPanicked, "NULL destination");
  size_t len = 8;
  EXPECT_EXIT((void)TEE_BigIntConvertToOctetString(nullptr, &len, a), kPanicked, "NULL buffer");
  EXPECT_EXIT((void)TEE_BigIntConvertFromOctetString(a, nullptr, 3, 1), kPanicked, "NULL buffer");
  EXPECT_EXIT(TEE_BigIntComputeExtendedGcd(nullptr, nullptr, nullptr, a, a), kPanicked, "NULL gcd.*0x1b01");
  EXPECT_EXIT((void)TEE_BigIntIsProbablePrime(nullptr, 80), kPanicked, "0x1b02");
}

}  // namespace
}  // namespace swtee::ta::arith::test
