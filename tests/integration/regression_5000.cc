// 5000s: the GP Client API and shared memory — temporary, allocated and
// registered memrefs in every direction, partial references, NULL and
// zero-length memrefs, output-size write-back and SHORT_BUFFER.
#include <algorithm>
#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

#include "xtest_common.h"

namespace xtest {
namespace {

class ClientApi : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(ctx_.result(), TEEC_SUCCESS);
    ASSERT_EQ(s_.open(ctx_.get(), kSingle), TEEC_SUCCESS);
  }
  Context ctx_;
  Session s_;
};

TEST_F(ClientApi, X5001_TempMemrefsAndShortBuffer) {
  uint8_t in[16], out[16];
  std::iota(in, in + 16, 1);
  std::fill(out, out + 16, 0xEE);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  // A first call leaves its bytes in the session's pooled temporary buffers.
  uint8_t warm[16];
  op.params[0].tmpref = {in, sizeof(in)};
  op.params[1].tmpref = {warm, sizeof(warm)};
  ASSERT_EQ(s_.invoke(XTEST_CMD_REVERSE, &op), TEEC_SUCCESS);
  op.params[1].tmpref = {out, 4};  // too small
  EXPECT_EQ(s_.invoke(XTEST_CMD_REVERSE, &op), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(s_.origin(), (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_EQ(op.params[1].tmpref.size, 16u);  // the required size comes back
  // Nothing came back, so nothing is copied: not the pooled buffer's bytes.
  for (int i = 0; i < 16; ++i) EXPECT_EQ(out[i], 0xEE) << i;
  op.params[1].tmpref = {out, sizeof(out)};
  ASSERT_EQ(s_.invoke(XTEST_CMD_REVERSE, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].tmpref.size, 16u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(out[i], 16 - i);
  EXPECT_EQ(in[0], 1);  // input untouched
}

TEST_F(ClientApi, X5002_NullAndZeroLengthMemrefs) {
  // NULL buffer, size 0: the TA sees a NULL memref.
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {nullptr, 0};
  ASSERT_EQ(s_.invoke(XTEST_CMD_MEMREF_INFO, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].value.a, 1u);
  EXPECT_EQ(op.params[1].value.b, 0u);
  // Non-NULL buffer, size 0.
  uint8_t b[1];
  op.params[0].tmpref = {b, 0};
  ASSERT_EQ(s_.invoke(XTEST_CMD_MEMREF_INFO, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].value.b, 0u);
  // NULL buffer with a size: refused by the client API.
  op.params[0].tmpref = {nullptr, 8};
  EXPECT_EQ(s_.invoke(XTEST_CMD_MEMREF_INFO, &op), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(s_.origin(), (uint32_t)TEEC_ORIGIN_API);
  // NULL output as a size query.
  uint8_t in[10] = {};
  TEEC_Operation q =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  q.params[0].tmpref = {in, sizeof(in)};
  q.params[1].tmpref = {nullptr, 0};
  EXPECT_EQ(s_.invoke(XTEST_CMD_REVERSE, &q), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(q.params[1].tmpref.size, 10u);
}

TEST_F(ClientApi, X5003_AllocatedShmIsZeroCopyWholeAndPartial) {
  TEEC_SharedMemory shm{};
  shm.size = 4096;
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_SUCCESS);
  ASSERT_NE(shm.buffer, nullptr);
  auto* p = static_cast<uint8_t*>(shm.buffer);
  for (size_t i = 0; i < 4096; ++i) ASSERT_EQ(p[i], 0) << "allocated shm not zeroed";
  for (size_t i = 0; i < 4096; ++i) p[i] = static_cast<uint8_t>(i);

  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref.parent = &shm;
  ASSERT_EQ(s_.invoke(XTEST_CMD_INC_BYTES, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].memref.size, 4096u);
  EXPECT_EQ(p[0], 1);
  EXPECT_EQ(p[4095], static_cast<uint8_t>(4096));

  // Partial in/out with an offset: only that window changes.
  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = partial(&shm, /*offset=*/100, /*size=*/1000);
  ASSERT_EQ(s_.invoke(XTEST_CMD_INC_BYTES, &op), TEEC_SUCCESS);
  EXPECT_EQ(p[99], static_cast<uint8_t>(99 + 1));
  EXPECT_EQ(p[100], static_cast<uint8_t>(100 + 2));
  EXPECT_EQ(p[1099], static_cast<uint8_t>(1099 + 2));
  EXPECT_EQ(p[1100], static_cast<uint8_t>(1100 + 1));

  // Partial input + partial output in the same shm.
  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE, TEEC_NONE));
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(i + 1);
  op.params[0].memref = partial(&shm, /*offset=*/0, /*size=*/8);
  op.params[1].memref = partial(&shm, /*offset=*/2048, /*size=*/8);
  ASSERT_EQ(s_.invoke(XTEST_CMD_REVERSE, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].memref.size, 8u);
  EXPECT_EQ(p[2048], 8);
  EXPECT_EQ(p[2055], 1);
  TEEC_ReleaseSharedMemory(&shm);
  EXPECT_EQ(shm.buffer, nullptr);
}

TEST_F(ClientApi, X5004_RegisteredShmIsShadowedBothWays) {
  std::vector<uint8_t> mine(3000);
  std::iota(mine.begin(), mine.end(), 0);
  TEEC_SharedMemory shm{};
  shm.buffer = mine.data();
  shm.size = mine.size();
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemory(ctx_.get(), &shm), TEEC_SUCCESS);

  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref.parent = &shm;
  ASSERT_EQ(s_.invoke(XTEST_CMD_INC_BYTES, &op), TEEC_SUCCESS);
  EXPECT_EQ(mine[0], 1);
  EXPECT_EQ(mine[2999], static_cast<uint8_t>(2999 + 1));

  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = partial(&shm, /*offset=*/10, /*size=*/5);
  ASSERT_EQ(s_.invoke(XTEST_CMD_SUM, &op), TEEC_SUCCESS);
  uint32_t want = 0;
  for (int i = 10; i < 15; ++i) want += mine[i];
  EXPECT_EQ(op.params[1].value.a, want);
  EXPECT_EQ(op.params[1].value.b, 5u);
  TEEC_ReleaseSharedMemory(&shm);

  // Input-only registration: a partial OUTPUT reference is refused.
  TEEC_SharedMemory ro{};
  ro.buffer = mine.data();
  ro.size = 64;
  ro.flags = TEEC_MEM_INPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemory(ctx_.get(), &ro), TEEC_SUCCESS);
  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = partial(&ro, /*offset=*/0, /*size=*/8);
  EXPECT_EQ(s_.invoke(XTEST_CMD_FILL, &op), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(s_.origin(), (uint32_t)TEEC_ORIGIN_API);
  TEEC_ReleaseSharedMemory(&ro);
}

TEST_F(ClientApi, X5005_PartialBoundsAreChecked) {
  TEEC_SharedMemory shm{};
  shm.size = 128;
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_SUCCESS);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = partial(&shm, /*offset=*/100, /*size=*/29);  // one past the end
  EXPECT_EQ(s_.invoke(XTEST_CMD_SUM, &op), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(s_.origin(), (uint32_t)TEEC_ORIGIN_API);
  op.params[0].memref = partial(&shm, /*offset=*/SIZE_MAX - 4, /*size=*/8);  // wraps
  EXPECT_EQ(s_.invoke(XTEST_CMD_SUM, &op), TEEC_ERROR_BAD_PARAMETERS);
  op.params[0].memref = partial(&shm, /*offset=*/100, /*size=*/28);  // exactly fits
  EXPECT_EQ(s_.invoke(XTEST_CMD_SUM, &op), TEEC_SUCCESS);
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(ClientApi, X5006_OutputSizeShrinkIsWrittenBack) {
  uint8_t buf[32] = {};
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf, sizeof(buf)};
  op.params[1].value.a = 12;
  ASSERT_EQ(s_.invoke(XTEST_CMD_INC_BYTES, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].tmpref.size, 20u);
  EXPECT_EQ(buf[0], 1);
  EXPECT_EQ(buf[19], 1);
}

TEST_F(ClientApi, X5007_ThreadsShareOneContext) {
  constexpr int kThreads = 8, kCalls = 200;
  std::atomic<int> bad{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      Session s;
      if (s.open(ctx_.get(), t % 2 ? kSingle : kMulti) != TEEC_SUCCESS) {
        bad++;
        return;
      }
      for (int i = 0; i < kCalls; ++i) {
        uint8_t data[64];
        std::fill(std::begin(data), std::end(data), static_cast<uint8_t>(t));
        TEEC_Operation op =
            make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
        op.params[0].tmpref = {data, sizeof(data)};
        if (s.invoke(XTEST_CMD_SUM, &op) != TEEC_SUCCESS || op.params[1].value.a != 64u * t) bad++;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(ClientApi, X5008_LargeBuffers) {
  for (size_t size : {size_t{1} << 16, size_t{1} << 20, size_t{4} << 20}) {
    std::vector<uint8_t> data(size);
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<uint8_t>(i * 7);
    uint32_t want = 0;
    for (uint8_t b : data) want += b;
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].tmpref = {data.data(), size};
    ASSERT_EQ(s_.invoke(XTEST_CMD_SUM, &op), TEEC_SUCCESS) << size;
    EXPECT_EQ(op.params[1].value.a, want);
    EXPECT_EQ(op.params[1].value.b, static_cast<uint32_t>(size));
  }
}

TEST_F(ClientApi, X5009_BadArgumentsAreRefusedByTheApi) {
  TEEC_Session s;
  TEEC_UUID u = kSingle;
  uint32_t origin = 0;
  EXPECT_EQ(TEEC_OpenSession(nullptr, &s, &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin),
            TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, (uint32_t)TEEC_ORIGIN_API);
  EXPECT_EQ(TEEC_InitializeContext(nullptr, nullptr), TEEC_ERROR_BAD_PARAMETERS);
  // An undefined parameter type.
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(4, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s_.invoke(XTEST_CMD_NULL, &op), TEEC_ERROR_BAD_PARAMETERS);
  // Shared memory flags.
  TEEC_SharedMemory shm{};
  shm.size = 16;
  shm.flags = 0;
  EXPECT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_ERROR_BAD_PARAMETERS);
  shm.flags = 0x80;
  EXPECT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_ERROR_BAD_PARAMETERS);
  // NULL-safe release and close.
  TEEC_ReleaseSharedMemory(nullptr);
  TEEC_CloseSession(nullptr);
  TEEC_FinalizeContext(nullptr);
}

TEST_F(ClientApi, X5010_ZeroSizeSharedMemory) {
  TEEC_SharedMemory shm{};
  shm.size = 0;
  shm.flags = TEEC_MEM_INPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_SUCCESS);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].memref.parent = &shm;
  ASSERT_EQ(s_.invoke(XTEST_CMD_MEMREF_INFO, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].value.b, 0u);
  TEEC_ReleaseSharedMemory(&shm);
}

// OP-TEE's libteec reads a parent's `size` at each call: a block allocated
// large and passed WHOLE with a smaller `size` shows the TA that size.
TEST_F(ClientApi, X5011_WholeUsesTheParentsSizeAtTheCall) {
  TEEC_SharedMemory shm{};
  shm.size = 4096;
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(ctx_.get(), &shm), TEEC_SUCCESS);
  shm.size = 100;
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].memref.parent = &shm;
  ASSERT_EQ(s_.invoke(XTEST_CMD_MEMREF_INFO, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].value.b, 100u);
  shm.size = 4097;  // beyond the allocation: refused before anything is sent
  EXPECT_EQ(s_.invoke(XTEST_CMD_MEMREF_INFO, &op), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(s_.origin(), (uint32_t)TEEC_ORIGIN_API);
  shm.size = 4096;
  TEEC_ReleaseSharedMemory(&shm);
}

}  // namespace
}  // namespace xtest
