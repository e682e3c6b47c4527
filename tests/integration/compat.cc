// The compatibility area: a TA written the OP-TEE way (ta/compat) behaves
// as it would on OP-TEE. Handles travel in value params, the SDK headers
// give what OP-TEE's give, the panics are OP-TEE's, the PTAs are OP-TEE's.
#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "xtest_common.h"

extern "C" {
#include <compat_ta.h>
}

namespace xtest {
namespace {

const TEEC_UUID kCompat = COMPAT_TA_UUID;

TEEC_Operation values(uint32_t t0, uint32_t t1 = TEEC_NONE) {
  return make_op(TEEC_PARAM_TYPES(t0, t1, TEEC_NONE, TEEC_NONE));
}

class Compat : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
    ASSERT_EQ(s.open(ctx.get(), kCompat), TEEC_SUCCESS) << std::hex << s.origin();
  }
  // A command whose handle goes out in value.a.
  uint32_t alloc(uint32_t cmd, uint32_t* b = nullptr) {
    TEEC_Operation op = values(TEEC_VALUE_OUTPUT);
    EXPECT_EQ(s.invoke(cmd, &op), TEEC_SUCCESS);
    if (b != nullptr) *b = op.params[0].value.b;
    return op.params[0].value.a;
  }
  TEEC_Result with_handle(uint32_t cmd, uint32_t h) {
    TEEC_Operation op = values(TEEC_VALUE_INPUT);
    op.params[0].value.a = h;
    return s.invoke(cmd, &op);
  }

  Context ctx;
  Session s;
};

// Item 1: every opaque handle is nonzero, fits a value.a and works when it
// comes back (before: 64-bit pointers, truncated, then a panic).
TEST_F(Compat, ObjectHandleRoundTripsThroughValueA) {
  const uint32_t h = alloc(COMPAT_CMD_OBJ_ALLOC);
  ASSERT_NE(h, 0u);
  TEEC_Operation op = values(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT);
  op.params[0].value.a = h;
  ASSERT_EQ(s.invoke(COMPAT_CMD_OBJ_INFO, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].value.a, 128u);
  EXPECT_EQ(op.params[1].value.b, 128u);
  EXPECT_EQ(with_handle(COMPAT_CMD_OBJ_FREE, h), TEEC_SUCCESS);
}

TEST_F(Compat, OperationHandleRoundTripsThroughValueA) {
  const uint32_t h = alloc(COMPAT_CMD_OP_ALLOC);
  ASSERT_NE(h, 0u);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
  char abc[] = "abc";
  std::array<uint8_t, 32> digest{};
  op.params[0].value.a = h;
  op.params[1].tmpref = {abc, 3};
  op.params[2].tmpref = {digest.data(), digest.size()};
  ASSERT_EQ(s.invoke(COMPAT_CMD_OP_DIGEST, &op), TEEC_SUCCESS);
  // FIPS 180-2 SHA-256("abc").
  const std::array<uint8_t, 32> want = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  EXPECT_EQ(digest, want);
  EXPECT_EQ(with_handle(COMPAT_CMD_OP_FREE, h), TEEC_SUCCESS);
}

TEST_F(Compat, EnumeratorHandlesRoundTripThroughValueA) {
  uint32_t prop_enum = 0;
  const uint32_t obj_enum = alloc(COMPAT_CMD_ENUM_ALLOC, &prop_enum);
  ASSERT_NE(obj_enum, 0u);
  ASSERT_NE(prop_enum, 0u);
  TEEC_Operation op = values(TEEC_VALUE_INPUT);
  op.params[0].value.a = obj_enum;
  op.params[0].value.b = prop_enum;
  EXPECT_EQ(s.invoke(COMPAT_CMD_ENUM_USE, &op), TEEC_SUCCESS);
}

TEST_F(Compat, TaSessionHandleRoundTripsThroughValueA) {
  const uint32_t h = alloc(COMPAT_CMD_SESS_OPEN);
  ASSERT_NE(h, 0u);
  TEEC_Operation op = values(TEEC_VALUE_INPUT, TEEC_VALUE_INOUT);
  op.params[0].value.a = h;
  op.params[1].value.a = 41;
  op.params[1].value.b = 9;
  ASSERT_EQ(s.invoke(COMPAT_CMD_SESS_INC, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[1].value.a, 42u);
  EXPECT_EQ(op.params[1].value.b, 10u);
  EXPECT_EQ(with_handle(COMPAT_CMD_SESS_CLOSE, h), TEEC_SUCCESS);
}

// Still validated on every use: a freed handle value panics the TA.
TEST_F(Compat, StaleHandleValuePanics) {
  const uint32_t h = alloc(COMPAT_CMD_OBJ_ALLOC);
  ASSERT_EQ(with_handle(COMPAT_CMD_OBJ_FREE, h), TEEC_SUCCESS);
  TEEC_Operation op = values(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT);
  op.params[0].value.a = h;
  EXPECT_EQ(s.invoke(COMPAT_CMD_OBJ_INFO, &op), TEEC_ERROR_TARGET_DEAD);
}

// Item 2: PRIu32/PRIx64 and snprintf come with OP-TEE's headers (the TA
// includes neither <inttypes.h> nor <stdio.h>); strlcpy/strlcat resolve.
TEST_F(Compat, HeaderContract) {
  TEEC_Operation op = values(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT);
  std::array<char, 64> text{};
  op.params[0].value.a = 4000000001u;
  op.params[0].value.b = 0x12;
  op.params[1].tmpref = {text.data(), text.size()};
  ASSERT_EQ(s.invoke(COMPAT_CMD_HEADERS, &op), TEEC_SUCCESS);
  EXPECT_EQ(std::string(text.data(), op.params[1].tmpref.size), "4000000001:1200000abc:4000000016:truncated");
}

// Item 5: panics where GP and OP-TEE panic.
TEST_F(Compat, OversizedAttributePanics) {
  EXPECT_EQ(s.invoke(COMPAT_CMD_POPULATE_OVERSIZED), TEEC_ERROR_TARGET_DEAD);
}

TEST_F(Compat, MallocZeroIsNonNullAndFaultsWhenTouched) {
  TEEC_Operation op = values(TEEC_VALUE_INPUT);
  op.params[0].value.a = 0;
  ASSERT_EQ(s.invoke(COMPAT_CMD_MALLOC_ZERO, &op), TEEC_SUCCESS);
  op.params[0].value.a = 1;
  EXPECT_EQ(s.invoke(COMPAT_CMD_MALLOC_ZERO, &op), TEEC_ERROR_TARGET_DEAD);
}

TEST_F(Compat, ObjectIdInClientSharedMemoryPanics) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  char id[] = "object-id";
  op.params[0].tmpref = {id, sizeof(id) - 1};
  EXPECT_EQ(s.invoke(COMPAT_CMD_ID_IN_SHM, &op), TEEC_ERROR_TARGET_DEAD);
}

TEST_F(Compat, ZeroLengthObjectIdIsAnObject) { EXPECT_EQ(s.invoke(COMPAT_CMD_ZERO_LEN_ID), TEEC_SUCCESS); }

TEST_F(Compat, BinaryBlockPropertiesDecodeAsOnOptee) {
  TEEC_Operation op = values(TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT);
  std::array<uint8_t, 8> bin{};
  op.params[1].tmpref = {bin.data(), bin.size()};
  ASSERT_EQ(s.invoke(COMPAT_CMD_BINARY_PROPS, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, 0u);      // the empty block
  ASSERT_EQ(op.params[1].tmpref.size, 4u);  // "AAEC\nAw==": the newline is skipped
  EXPECT_EQ(bin[0], 0);
  EXPECT_EQ(bin[1], 1);
  EXPECT_EQ(bin[2], 2);
  EXPECT_EQ(bin[3], 3);
}

// Item 6: OP-TEE's PTA UUIDs only with OP-TEE's command sets.
TEST_F(Compat, OpteeInvokeTestsUuidIsNotClaimed) {
  Session pta;
  EXPECT_EQ(pta.open(ctx.get(), kOpteeInvokeTestsPta), TEEC_ERROR_ITEM_NOT_FOUND);
}

TEST_F(Compat, SystemPtaDerivesTaUniqueKeys) {
  auto derive = [&](const std::string& extra, size_t len, std::vector<uint8_t>* key) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
    key->assign(len, 0);
    op.params[0].tmpref = {const_cast<char*>(extra.data()), extra.size()};
    op.params[1].tmpref = {key->data(), key->size()};
    return s.invoke(COMPAT_CMD_SYS_DERIVE, &op);
  };
  std::vector<uint8_t> a, b, c, d;
  ASSERT_EQ(derive("extra", 32, &a), TEEC_SUCCESS);
  ASSERT_EQ(derive("extra", 32, &b), TEEC_SUCCESS);
  ASSERT_EQ(derive("other", 32, &c), TEEC_SUCCESS);
  EXPECT_EQ(a, b) << "the same TA and extra data give the same key";
  EXPECT_NE(a, c);
  EXPECT_NE(a, std::vector<uint8_t>(32, 0));
  ASSERT_EQ(derive("", 16, &d), TEEC_SUCCESS);
  // OP-TEE's bounds: 16..32 bytes.
  EXPECT_EQ(derive("extra", 8, &d), TEEC_ERROR_BAD_PARAMETERS);
}

TEST_F(Compat, SystemPtaTakesEntropyAndRefusesTheRest) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  std::array<uint8_t, 32> seed{};
  seed.fill(0x5a);
  op.params[0].tmpref = {seed.data(), seed.size()};
  EXPECT_EQ(s.invoke(COMPAT_CMD_SYS_ENTROPY, &op), TEEC_SUCCESS);
  for (uint32_t cmd : {2u /* MAP_ZI */, 4u /* OPEN_TA_BINARY */, 10u /* DLOPEN */, 12u /* TPM log */}) {
    TEEC_Operation o = values(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT);
    o.params[0].value.a = cmd;
    ASSERT_EQ(s.invoke(COMPAT_CMD_SYS_OTHER, &o), TEEC_SUCCESS);
    EXPECT_EQ(o.params[1].value.a, TEEC_ERROR_NOT_SUPPORTED) << "command " << cmd;
  }
  TEEC_Operation o = values(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT);
  o.params[0].value.a = 99;  // unknown: OP-TEE answers NOT_IMPLEMENTED
  ASSERT_EQ(s.invoke(COMPAT_CMD_SYS_OTHER, &o), TEEC_SUCCESS);
  EXPECT_EQ(o.params[1].value.a, TEEC_ERROR_NOT_IMPLEMENTED);
}

// Item 3: tee_invoke_supp_plugin() reaches a *.plugin of OP-TEE's ABI in
// the supplicant (--plugin-dir), data in and out.
TEST_F(Compat, SupplicantPluginRoundTrip) {
  auto invoke = [&](uint32_t cmd, uint32_t sub_cmd, std::string* data, uint32_t* res) {
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INOUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
    op.params[0].value.a = cmd;
    op.params[0].value.b = sub_cmd;
    op.params[1].tmpref = {data->data(), data->size()};
    const TEEC_Result r = s.invoke(COMPAT_CMD_PLUGIN, &op);
    *res = op.params[2].value.b;
    if (r == TEEC_SUCCESS && *res == TEEC_SUCCESS) data->resize(op.params[2].value.a);
    return r;
  };
  std::string data = "hello, plugin";
  uint32_t res = 0;
  ASSERT_EQ(invoke(1, 0, &data, &res), TEEC_SUCCESS);
  EXPECT_EQ(res, TEEC_SUCCESS);
  EXPECT_EQ(data, "HELLO, PLUGIN");
  data = "partial";
  ASSERT_EQ(invoke(1, 3, &data, &res), TEEC_SUCCESS);
  EXPECT_EQ(data, "PAR");  // the plugin chose to return 3 bytes
  data = "x";
  ASSERT_EQ(invoke(2, 0, &data, &res), TEEC_SUCCESS);
  EXPECT_EQ(res, TEEC_ERROR_NOT_SUPPORTED) << "the plugin's own result reaches the TA";
}

// The system PTA serves TAs only, as on OP-TEE.
TEST_F(Compat, SystemPtaRefusesNormalWorldClients) {
  const TEEC_UUID system = {0x3a2f8978, 0x5dc0, 0x11e8, {0x9c, 0x2d, 0xfa, 0x7a, 0xe0, 0x1b, 0xbe, 0xbc}};
  Session pta;
  EXPECT_EQ(pta.open(ctx.get(), system), TEEC_ERROR_ACCESS_DENIED);
}

}  // namespace
}  // namespace xtest

namespace xtest {
namespace {

// Run by load_reasons_test.sh with TA directories of broken TAs: the client
// sees the error code; the reason goes to the log (checked by the script).
TEST(CompatLoad, BrokenTasFailToOpen) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  const TEEC_UUID unresolved = {0x6f1d0c2b, 0x3a4e, 0x4b5f, {0x8c, 0x6d, 0x7e, 0x8f, 0x9a, 0x0b, 0x1c, 0x2d}};
  const TEEC_UUID missing = {0x4c1d7e2a, 0x9b3f, 0x4a6e, {0x8d, 0x2c, 0x5f, 0x7a, 0x1b, 0x3e, 0x9c, 0x6f}};
  Session s;
  EXPECT_NE(s.open(ctx.get(), unresolved), TEEC_SUCCESS);
  EXPECT_NE(s.open(ctx.get(), kCompat), TEEC_SUCCESS);  // signed with an untrusted key
  EXPECT_EQ(s.open(ctx.get(), missing), TEEC_ERROR_ITEM_NOT_FOUND);
}

}  // namespace
}  // namespace xtest
