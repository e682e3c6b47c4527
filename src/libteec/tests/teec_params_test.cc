// Parameter marshalling: every type and direction, as the fake swteed sees
// them, and OP-TEE's write-back rules.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "libteec/tests/teec_fixture.h"

namespace swtee::teec::testing {
namespace {

using TeecParams = TeecFixture;

TEST_F(TeecParams, NullOperationSendsFourNoneParams) {
  ASSERT_EQ(invoke(nullptr), TEEC_SUCCESS);
  CallRecord r = fake_->last_call();
  ASSERT_EQ(r.params.size(), 4u);
  for (auto& p : r.params) EXPECT_EQ(p.attr, 0u);
}

TEST_F(TeecParams, ValuesEncodeAndOnlyOutputsComeBack) {
  fake_->set_handler([](CallRecord& r) {
    for (auto& p : r.params) {
      p.a += 1000;
      p.b += 2000;
    }
  });
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_VALUE_INOUT, TEEC_NONE));
  op.params[0].value = {1, 2};
  op.params[1].value = {3, 4};
  op.params[2].value = {5, 6};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  // The fake records params after the handler ran: inputs + 1000 / + 2000.
  const auto sent = fake_->last_call().params;
  EXPECT_EQ(sent[0].attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT));
  EXPECT_EQ(sent[1].attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT));
  EXPECT_EQ(sent[2].attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT));
  EXPECT_EQ(sent[0].a, 1001u);  // 1 + 1000: the input value was sent
  EXPECT_EQ(sent[2].b, 2006u);
  EXPECT_EQ(op.params[0].value.a, 1u);  // input: not written back
  EXPECT_EQ(op.params[0].value.b, 2u);
  EXPECT_EQ(op.params[1].value.a, 1003u);
  EXPECT_EQ(op.params[1].value.b, 2004u);
  EXPECT_EQ(op.params[2].value.a, 1005u);
  EXPECT_EQ(op.params[2].value.b, 2006u);
}

TEST_F(TeecParams, UndefinedTypesAreBadParametersAndNothingIsSent) {
  for (uint32_t t : {4u, 8u, 9u, 10u, 11u}) {
    size_t before = fake_->calls().size();
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_NONE, TEEC_NONE, TEEC_NONE, t));
    uint32_t origin = 0;
    EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS) << t;
    EXPECT_EQ(origin, TEEC_ORIGIN_API);
    EXPECT_EQ(fake_->calls().size(), before);
  }
}

TEST_F(TeecParams, TempInputIsCopiedIntoShm) {
  std::string seen;
  fake_->set_handler([&](CallRecord& r) {
    auto bytes = fake_->shm_bytes(static_cast<int>(r.params[0].c));
    ASSERT_GE(bytes.size(), r.params[0].b);
    seen.assign(reinterpret_cast<char*>(bytes.data()), r.params[0].b);
  });
  char msg[] = "hello, TA";
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {msg, sizeof(msg)};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  auto p = fake_->last_call().params[0];
  EXPECT_EQ(p.attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT));
  EXPECT_EQ(p.a, 0u);
  EXPECT_EQ(p.b, sizeof(msg));
  EXPECT_EQ(seen, std::string(msg, sizeof(msg)));
  EXPECT_EQ(op.params[0].tmpref.size, sizeof(msg));
}

// The TA writes `n` bytes of 'x' and reports `reported` as the size.
FakeTeed::Handler ta_writes(FakeTeed* fake, size_t n, uint64_t reported, int idx = 0) {
  return [=](CallRecord& r) {
    auto bytes = fake->shm_bytes(static_cast<int>(r.params[idx].c));
    std::memset(bytes.data() + r.params[idx].a, 'x', n);
    r.params[idx].b = reported;
  };
}

TEST_F(TeecParams, TempOutputShrinksToReturnedSize) {
  fake_->set_handler(ta_writes(fake_.get(), 4, 4));
  std::vector<char> buf(16, '.');
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf.data(), buf.size()};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(fake_->last_call().params[0].attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT));
  EXPECT_EQ(op.params[0].tmpref.size, 4u);
  EXPECT_EQ(std::string(buf.data(), 16), std::string("xxxx............"));
}

TEST_F(TeecParams, TempShortBufferReportsLargerSizeAndCopiesNothing) {
  fake_->set_handler([this](CallRecord& r) {
    ta_writes(fake_.get(), 8, 100)(r);
    r.ret = TEEC_ERROR_SHORT_BUFFER;
    r.ret_origin = TEEC_ORIGIN_TRUSTED_APP;
  });
  std::vector<char> buf(12, '.');
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf.data(), 8};
  uint32_t origin = 0;
  EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_EQ(op.params[0].tmpref.size, 100u);
  // The returned size does not fit: nothing is copied back (OP-TEE).
  EXPECT_EQ(std::string(buf.data(), 12), std::string("............"));
}

// A short output-only buffer must not receive what its pooled temporary
// buffer held: here the previous call's input in the same session.
TEST_F(TeecParams, TempOutputShortBufferKeepsTheCallersBytes) {
  char secret[] = "ABCDEFGH";
  TEEC_Operation in = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  in.params[0].tmpref = {secret, 8};
  ASSERT_EQ(invoke(&in), TEEC_SUCCESS);
  const uint64_t first_id = fake_->last_call().params[0].c;
  fake_->set_handler([](CallRecord& r) {
    r.params[0].b = 64;
    r.ret = TEEC_ERROR_SHORT_BUFFER;
    r.ret_origin = TEEC_ORIGIN_TRUSTED_APP;
  });
  std::vector<char> out(8, 'Z');
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {out.data(), 4};
  EXPECT_EQ(invoke(&op), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(fake_->last_call().params[0].c, first_id);  // the same pooled buffer
  EXPECT_EQ(op.params[0].tmpref.size, 64u);
  EXPECT_EQ(std::string(out.data(), 8), std::string("ZZZZZZZZ"));
}

TEST_F(TeecParams, TempOutputCopiesOnlyTheReturnedBytes) {
  fake_->set_handler(ta_writes(fake_.get(), 8, 3));
  std::vector<char> buf(8, '.');
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf.data(), buf.size()};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].tmpref.size, 3u);
  EXPECT_EQ(std::string(buf.data(), 8), std::string("xxx....."));
}

TEST_F(TeecParams, NullTempMemrefWithCapabilityIsMemrefNull) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {nullptr, 0};
  fake_->set_handler([](CallRecord& r) { r.params[0].b = 32; });
  int allocs = fake_->allocs();
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  auto p = fake_->calls().back().params[0];
  EXPECT_EQ(p.c, TEE_MEMREF_NULL);
  EXPECT_EQ(fake_->allocs(), allocs);
  EXPECT_EQ(op.params[0].tmpref.size, 32u);  // size query idiom
}

TEST_F(TeecParams, NullTempMemrefWithSizeIsBadParameters) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {nullptr, 4};
  uint32_t origin = 0;
  EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);
}

class TeecParamsNoMemrefNull : public TeecFixture {
 protected:
  TeecParamsNoMemrefNull() : TeecFixture(FakeOptions{.gen_caps = TEE_GEN_CAP_GP}) {}
};

TEST_F(TeecParamsNoMemrefNull, NullTempMemrefGetsARealZeroSizedBuffer) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {nullptr, 0};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  auto p = fake_->last_call().params[0];
  EXPECT_NE(p.c, TEE_MEMREF_NULL);
  EXPECT_EQ(p.b, 0u);
  EXPECT_FALSE(fake_->shm_bytes(static_cast<int>(p.c)).empty());
}

// ---- registered memory ----

class TeecRegistered : public TeecFixture {
 protected:
  TEEC_SharedMemory alloc(uint32_t flags, size_t size) {
    TEEC_SharedMemory shm{};
    shm.size = size;
    shm.flags = flags;
    EXPECT_EQ(TEEC_AllocateSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
    return shm;
  }
};

TEST_F(TeecRegistered, WholeTakesDirectionFromParentFlags) {
  struct Case {
    uint32_t flags;
    uint64_t attr;
  };
  for (Case c : {Case{TEEC_MEM_INPUT, TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT},
                 Case{TEEC_MEM_OUTPUT, TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT},
                 Case{TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT}}) {
    TEEC_SharedMemory shm = alloc(c.flags, 64);
    fake_->set_handler([](CallRecord& r) { r.params[1].b = 10; });
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_NONE, TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE));
    op.params[1].memref = {&shm, 0, 0};
    ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
    auto p = fake_->calls().back().params[1];
    EXPECT_EQ(p.attr, c.attr);
    EXPECT_EQ(p.a, 0u);
    EXPECT_TRUE(fake_->shm_live(static_cast<int>(p.c)));
    // WHOLE writes the size back only when the parent has OUTPUT.
    EXPECT_EQ(op.params[1].memref.size, (c.flags & TEEC_MEM_OUTPUT) ? 10u : 0u);
    TEEC_ReleaseSharedMemory(&shm);
  }
}

TEST_F(TeecRegistered, WholeSendsParentSize) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT, 300);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 0, 0};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(fake_->last_call().params[0].b, 300u);
  TEEC_ReleaseSharedMemory(&shm);
}

// OP-TEE reads the parent's `size` and `flags` at each call: a block
// allocated large can be passed WHOLE with a smaller size.
TEST_F(TeecRegistered, WholeAndPartialUseTheParentsSizeAtTheCall) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, 64);
  shm.size = 10;
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 0, 0};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(fake_->last_call().params[0].b, 10u);
  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 32, 0};
  uint32_t origin = 0;
  EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);
  op.params[0].memref = {&shm, 10, 0};
  EXPECT_EQ(invoke(&op), TEEC_SUCCESS);
  shm.size = 64;
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, ParentSizeBeyondItsRegistrationIsRefused) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, 64);
  shm.size = 65;
  for (uint32_t t : {TEEC_MEMREF_WHOLE, TEEC_MEMREF_PARTIAL_INPUT}) {
    const size_t before = fake_->calls().size();
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(t, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].memref = {&shm, 8, 0};
    uint32_t origin = 0;
    EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS) << t;
    EXPECT_EQ(origin, TEEC_ORIGIN_API);
    EXPECT_EQ(fake_->calls().size(), before);
  }
  shm.size = 64;
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, WholeAndPartialUseTheParentsFlagsAtTheCall) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT, 16);
  shm.flags = TEEC_MEM_OUTPUT;
  fake_->set_handler(ta_writes(fake_.get(), 4, 4));
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 0, 0};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(fake_->last_call().params[0].attr, static_cast<uint64_t>(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT));
  EXPECT_EQ(op.params[0].memref.size, 4u);  // an OUTPUT parent gets the size back
  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 4, 0};
  EXPECT_EQ(invoke(&op), TEEC_ERROR_BAD_PARAMETERS);
  shm.flags = 0;  // neither direction: OP-TEE refuses WHOLE
  op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 0, 0};
  EXPECT_EQ(invoke(&op), TEEC_ERROR_BAD_PARAMETERS);
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, AllocatedMemoryIsZeroCopy) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, 32);
  std::memcpy(shm.buffer, "client", 6);
  std::string seen;
  fake_->set_handler([&](CallRecord& r) {
    auto bytes = fake_->shm_bytes(static_cast<int>(r.params[0].c));
    seen.assign(reinterpret_cast<char*>(bytes.data()), 6);
    std::memcpy(bytes.data() + 8, "ta", 2);
  });
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 16, 0};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(seen, "client");
  EXPECT_EQ(std::memcmp(static_cast<char*>(shm.buffer) + 8, "ta", 2), 0);
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, PartialEncodesOffsetAndSize) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, 64);
  for (uint32_t t : {TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_MEMREF_PARTIAL_INOUT}) {
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(t, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].memref = {&shm, 16, 8};
    ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
    auto p = fake_->last_call().params[0];
    EXPECT_EQ(p.attr, static_cast<uint64_t>(t - 8));  // PARTIAL_x -> MEMREF_x
    EXPECT_EQ(p.a, 8u);
    EXPECT_EQ(p.b, 16u);
  }
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, PartialDirectionMustBeAllowedByParent) {
  TEEC_SharedMemory in = alloc(TEEC_MEM_INPUT, 64);
  TEEC_SharedMemory out = alloc(TEEC_MEM_OUTPUT, 64);
  struct Case {
    TEEC_SharedMemory* shm;
    uint32_t type;
    bool ok;
  };
  for (Case c : {Case{&in, TEEC_MEMREF_PARTIAL_INPUT, true}, Case{&in, TEEC_MEMREF_PARTIAL_OUTPUT, false},
                 Case{&in, TEEC_MEMREF_PARTIAL_INOUT, false}, Case{&out, TEEC_MEMREF_PARTIAL_OUTPUT, true},
                 Case{&out, TEEC_MEMREF_PARTIAL_INPUT, false}, Case{&out, TEEC_MEMREF_PARTIAL_INOUT, false}}) {
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(c.type, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].memref = {c.shm, 8, 0};
    uint32_t origin = 0;
    EXPECT_EQ(invoke(&op, &origin), c.ok ? TEEC_SUCCESS : TEEC_ERROR_BAD_PARAMETERS) << c.type;
    if (!c.ok) EXPECT_EQ(origin, TEEC_ORIGIN_API);
  }
  TEEC_ReleaseSharedMemory(&in);
  TEEC_ReleaseSharedMemory(&out);
}

TEST_F(TeecRegistered, PartialBoundsAreChecked) {
  TEEC_SharedMemory shm = alloc(TEEC_MEM_INPUT | TEEC_MEM_OUTPUT, 64);
  struct Case {
    size_t size, offset;
    bool ok;
  };
  for (Case c : {Case{64, 0, true}, Case{0, 64, true}, Case{1, 64, false}, Case{65, 0, false},
                 Case{8, SIZE_MAX - 3, false}, Case{SIZE_MAX, 1, false}}) {
    size_t before = fake_->calls().size();
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].memref = {&shm, c.size, c.offset};
    uint32_t origin = 0;
    EXPECT_EQ(invoke(&op, &origin), c.ok ? TEEC_SUCCESS : TEEC_ERROR_BAD_PARAMETERS)
        << c.size << "@" << c.offset;
    if (!c.ok) {
      EXPECT_EQ(origin, TEEC_ORIGIN_API);
      EXPECT_EQ(fake_->calls().size(), before);
    }
  }
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, PartialOutputWritesBackSizeAndBytesWithinRange) {
  std::vector<char> mem(32, '.');
  TEEC_SharedMemory shm{};
  shm.buffer = mem.data();
  shm.size = mem.size();
  shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  // TA writes 8 bytes at the memref's offset and claims 50 (SHORT_BUFFER):
  // the size comes back, no byte does.
  fake_->set_handler(ta_writes(fake_.get(), 8, 50));
  op.params[0].memref = {&shm, 6, 4};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].memref.size, 50u);
  EXPECT_EQ(std::string(mem.data(), 16), std::string("................"));
  // Claims 5 of its 6: those 5 bytes at offset 4 reach the caller's buffer.
  fake_->set_handler(ta_writes(fake_.get(), 8, 5));
  op.params[0].memref = {&shm, 6, 4};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].memref.size, 5u);
  EXPECT_EQ(std::string(mem.data(), 16), std::string("....xxxxx......."));
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, ShadowedMemoryIsCopiedInForInputs) {
  std::vector<char> mem(16, 0);
  std::memcpy(mem.data(), "0123456789abcdef", 16);
  TEEC_SharedMemory shm{};
  shm.buffer = mem.data();
  shm.size = mem.size();
  shm.flags = TEEC_MEM_INPUT;
  ASSERT_EQ(TEEC_RegisterSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
  EXPECT_EQ(shm.buffer, mem.data());
  EXPECT_NE(shm.imp.shadow_buffer, nullptr);
  std::string seen;
  fake_->set_handler([&](CallRecord& r) {
    auto bytes = fake_->shm_bytes(static_cast<int>(r.params[0].c));
    seen.assign(reinterpret_cast<char*>(bytes.data()), 16);
  });
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {&shm, 4, 2};
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  // Only the memref's range is copied into the shadow.
  EXPECT_EQ(seen, std::string("\0\0" "2345" "\0\0\0\0\0\0\0\0\0\0", 16));
  op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE);
  ASSERT_EQ(invoke(&op), TEEC_SUCCESS);
  EXPECT_EQ(seen, "0123456789abcdef");
  TEEC_ReleaseSharedMemory(&shm);
}

TEST_F(TeecRegistered, MissingOrForeignParentIsBadParameters) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].memref = {nullptr, 0, 0};
  uint32_t origin = 0;
  EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);

  TEEC_Context other{};
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &other), TEEC_SUCCESS);
  TEEC_SharedMemory foreign{};
  foreign.size = 16;
  foreign.flags = TEEC_MEM_INPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(&other, &foreign), TEEC_SUCCESS);
  op.params[0].memref = {&foreign, 0, 0};
  EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS);
  TEEC_ReleaseSharedMemory(&foreign);
  // A released parent is gone too.
  op.params[0].memref = {&foreign, 0, 0};
  EXPECT_EQ(invoke(&op, &origin), TEEC_ERROR_BAD_PARAMETERS);
  TEEC_FinalizeContext(&other);
}

}  // namespace
}  // namespace swtee::teec::testing
