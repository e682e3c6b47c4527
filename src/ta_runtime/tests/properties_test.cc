// Properties in-process: the three sets, GP conversion rules and errors,
// enumerators, and the panics GP lists.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "swtee_ta_info.h"
#include "ta_runtime/dispatcher.h"
#include "ta_runtime/property_convert.h"
#include "ta_runtime/property_sets.h"
#include "ta_runtime/runtime_state.h"
#include "tee_internal_api.h"
#include "user_ta_header.h"

namespace swtee::ta {
namespace {

const bool kTrue = true;
const uint32_t kU32 = 0x1234;
const uint64_t kU64 = 0x123456789ULL;
const TEE_UUID kUuid = {0x01020304, 0x0506, 0x0708, {9, 10, 11, 12, 13, 14, 15, 16}};
const TEE_Identity kId = {TEE_LOGIN_USER, {0xaabbccdd, 0x1122, 0x3344, {1, 2, 3, 4, 5, 6, 7, 8}}};
const swtee_ta_property kProps[] = {
    {"t.bool", USER_TA_PROP_TYPE_BOOL, &kTrue},
    {"t.u32", USER_TA_PROP_TYPE_U32, &kU32},
    {"t.u64", USER_TA_PROP_TYPE_U64, &kU64},
    {"t.uuid", USER_TA_PROP_TYPE_UUID, &kUuid},
    {"t.id", USER_TA_PROP_TYPE_IDENTITY, &kId},
    {"t.str", USER_TA_PROP_TYPE_STRING, "hello"},
    {"t.bin", USER_TA_PROP_TYPE_BINARY_BLOCK, "AAECAw=="},
    {"t.str_bool", USER_TA_PROP_TYPE_STRING, "TRUE"},
    {"t.str_hex", USER_TA_PROP_TYPE_STRING, "0x10"},
    {"t.str_bin", USER_TA_PROP_TYPE_STRING, "0b101"},
    {"t.str_big", USER_TA_PROP_TYPE_STRING, "4294967296"},
    {"t.str_uuid", USER_TA_PROP_TYPE_STRING, "01020304-0506-0708-090a-0b0c0d0e0f10"},
    {"t.str_id", USER_TA_PROP_TYPE_STRING, "1:aabbccdd-1122-3344-0102-030405060708"},
    {"t.bad_b64", USER_TA_PROP_TYPE_BINARY_BLOCK, "AAE"},
    {"t.bin_empty", USER_TA_PROP_TYPE_BINARY_BLOCK, ""},
    {"t.bin_loose", USER_TA_PROP_TYPE_BINARY_BLOCK, "AA EC\nAw==junk"},
    {"t.bad_type", 99, "x"},
    {nullptr, USER_TA_PROP_TYPE_U32, &kU32},
    {"gpd.ta.dataSize", USER_TA_PROP_TYPE_U32, &kU32},  // may not override
};

class Properties : public ::testing::Test {
 protected:
  void SetUp() override {
    info_.abi_version = SWTEE_TA_INFO_ABI_VERSION;
    info_.uuid = kUuid;
    info_.flags = TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION;
    info_.stack_size = 4096;
    info_.data_size = 32768;
    info_.version = "2.5";
    info_.description = "unit test TA";
    info_.props = kProps;
    info_.num_props = sizeof(kProps) / sizeof(kProps[0]);
    runtime().info = &info_;
    runtime().client = kId;
  }
  void TearDown() override {
    runtime().info = nullptr;
    runtime().client = TEE_Identity{};
  }
  static std::string str(TEE_PropSetHandle set, const char* name) {
    char buf[256];
    size_t len = sizeof(buf);
    if (TEE_GetPropertyAsString(set, name, buf, &len) != TEE_SUCCESS) return "<error>";
    return std::string(buf, len - 1);
  }
  struct swtee_ta_info info_ {};
};

const TEE_PropSetHandle TA = TEE_PROPSET_CURRENT_TA;
const TEE_PropSetHandle CLIENT = TEE_PROPSET_CURRENT_CLIENT;
const TEE_PropSetHandle IMPL = TEE_PROPSET_TEE_IMPLEMENTATION;

TEST_F(Properties, TaSetFromTheHeader) {
  TEE_UUID u{};
  ASSERT_EQ(TEE_GetPropertyAsUUID(TA, "gpd.ta.appID", &u), TEE_SUCCESS);
  EXPECT_EQ(std::memcmp(&u, &kUuid, sizeof(u)), 0);
  bool b = false;
  ASSERT_EQ(TEE_GetPropertyAsBool(TA, "gpd.ta.singleInstance", &b), TEE_SUCCESS);
  EXPECT_TRUE(b);
  ASSERT_EQ(TEE_GetPropertyAsBool(TA, "gpd.ta.instanceKeepAlive", &b), TEE_SUCCESS);
  EXPECT_FALSE(b);
  uint32_t v = 0;
  ASSERT_EQ(TEE_GetPropertyAsU32(TA, "gpd.ta.dataSize", &v), TEE_SUCCESS);
  EXPECT_EQ(v, 32768u);  // the header wins over an extension of the same name
  ASSERT_EQ(TEE_GetPropertyAsU32(TA, "gpd.ta.stackSize", &v), TEE_SUCCESS);
  EXPECT_EQ(v, 4096u);
  EXPECT_EQ(str(TA, "gpd.ta.version"), "2.5");
  EXPECT_EQ(str(TA, "gpd.ta.description"), "unit test TA");
  EXPECT_EQ(str(TA, "gpd.ta.appID"), "01020304-0506-0708-090a-0b0c0d0e0f10");
}

TEST_F(Properties, TypedExtensionsAndTheirStrings) {
  EXPECT_EQ(str(TA, "t.bool"), "true");
  EXPECT_EQ(str(TA, "t.u32"), "4660");
  EXPECT_EQ(str(TA, "t.u64"), "4886718345");
  EXPECT_EQ(str(TA, "t.id"), "1:aabbccdd-1122-3344-0102-030405060708");
  EXPECT_EQ(str(TA, "t.bin"), "AAECAw==");
  uint64_t u64 = 0;
  ASSERT_EQ(TEE_GetPropertyAsU64(TA, "t.u64", &u64), TEE_SUCCESS);
  EXPECT_EQ(u64, kU64);
  ASSERT_EQ(TEE_GetPropertyAsU64(TA, "t.u32", &u64), TEE_SUCCESS);  // widening
  EXPECT_EQ(u64, kU32);
  uint32_t u32 = 0;
  EXPECT_EQ(TEE_GetPropertyAsU32(TA, "t.u64", &u32), TEE_ERROR_BAD_FORMAT);  // does not fit
  TEE_Identity id{};
  ASSERT_EQ(TEE_GetPropertyAsIdentity(TA, "t.id", &id), TEE_SUCCESS);
  EXPECT_EQ(std::memcmp(&id, &kId, sizeof(id)), 0);
  uint8_t bin[8];
  size_t len = sizeof(bin);
  ASSERT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.bin", bin, &len), TEE_SUCCESS);
  ASSERT_EQ(len, 4u);
  EXPECT_EQ(bin[3], 3);
  len = 2;
  EXPECT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.bin", bin, &len), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len, 4u);
  // Decoded as OP-TEE decodes: "AAE" is 18 bits, two whole bytes.
  len = sizeof(bin);
  ASSERT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.bad_b64", bin, &len), TEE_SUCCESS);
  EXPECT_EQ(len, 2u);
  EXPECT_EQ(bin[0], 0);
  EXPECT_EQ(bin[1], 1);
  EXPECT_EQ(str(TA, "t.bad_b64"), "AAE=");  // re-encoded, as OP-TEE prints it
  // Whitespace skipped, '=' ends the data.
  len = sizeof(bin);
  ASSERT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.bin_loose", bin, &len), TEE_SUCCESS);
  ASSERT_EQ(len, 4u);
  EXPECT_EQ(bin[0], 0);
  EXPECT_EQ(bin[1], 1);
  EXPECT_EQ(bin[3], 3);
  // An empty block: zero bytes into a zero-length, even NULL, buffer.
  len = 0;
  EXPECT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.bin_empty", nullptr, &len), TEE_SUCCESS);
  EXPECT_EQ(len, 0u);
  len = sizeof(bin);
  EXPECT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.bin_empty", bin, &len), TEE_SUCCESS);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(str(TA, "t.bad_type"), "<error>");  // skipped
}

TEST_F(Properties, StringsConvertByGpRules) {
  bool b = false;
  ASSERT_EQ(TEE_GetPropertyAsBool(TA, "t.str_bool", &b), TEE_SUCCESS);
  EXPECT_TRUE(b);
  EXPECT_EQ(TEE_GetPropertyAsBool(TA, "t.str", &b), TEE_ERROR_BAD_FORMAT);
  uint32_t v = 0;
  ASSERT_EQ(TEE_GetPropertyAsU32(TA, "t.str_hex", &v), TEE_SUCCESS);
  EXPECT_EQ(v, 16u);
  ASSERT_EQ(TEE_GetPropertyAsU32(TA, "t.str_bin", &v), TEE_SUCCESS);
  EXPECT_EQ(v, 5u);
  EXPECT_EQ(TEE_GetPropertyAsU32(TA, "t.str_big", &v), TEE_ERROR_BAD_FORMAT);
  uint64_t w = 0;
  ASSERT_EQ(TEE_GetPropertyAsU64(TA, "t.str_big", &w), TEE_SUCCESS);
  EXPECT_EQ(w, 4294967296ULL);
  TEE_UUID u{};
  ASSERT_EQ(TEE_GetPropertyAsUUID(TA, "t.str_uuid", &u), TEE_SUCCESS);
  EXPECT_EQ(std::memcmp(&u, &kUuid, sizeof(u)), 0);
  TEE_Identity id{};
  ASSERT_EQ(TEE_GetPropertyAsIdentity(TA, "t.str_id", &id), TEE_SUCCESS);
  EXPECT_EQ(id.login, 1u);
  // Non-string types do not convert to each other.
  EXPECT_EQ(TEE_GetPropertyAsBool(TA, "t.u32", &b), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(TEE_GetPropertyAsU32(TA, "t.bool", &v), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(TEE_GetPropertyAsUUID(TA, "t.id", &u), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(TEE_GetPropertyAsIdentity(TA, "t.uuid", &id), TEE_ERROR_BAD_FORMAT);
  uint8_t bin[4];
  size_t len = sizeof(bin);
  EXPECT_EQ(TEE_GetPropertyAsBinaryBlock(TA, "t.u32", bin, &len), TEE_ERROR_BAD_FORMAT);
  EXPECT_EQ(TEE_GetPropertyAsU32(TA, "no.such.property", &v), TEE_ERROR_ITEM_NOT_FOUND);
}

TEST_F(Properties, StringShortBufferReportsTheSizeNeeded) {
  char buf[4] = {'x', 'x', 'x', 'x'};
  size_t len = sizeof(buf);
  EXPECT_EQ(TEE_GetPropertyAsString(TA, "t.str", buf, &len), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len, 6u);
  EXPECT_EQ(buf[0], 'x');  // nothing written
  len = 0;
  EXPECT_EQ(TEE_GetPropertyAsString(TA, "t.str", nullptr, &len), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len, 6u);
  uint32_t len32 = 3;
  EXPECT_EQ(__GP11_TEE_GetPropertyAsString(TA, "t.str", buf, &len32), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(len32, 6u);
}

TEST_F(Properties, ClientAndImplementationSets) {
  TEE_Identity id{};
  ASSERT_EQ(TEE_GetPropertyAsIdentity(CLIENT, "gpd.client.identity", &id), TEE_SUCCESS);
  EXPECT_EQ(std::memcmp(&id, &kId, sizeof(id)), 0);
  uint32_t v = 0;
  ASSERT_EQ(TEE_GetPropertyAsU32(IMPL, "gpd.tee.arith.maxBigIntSize", &v), TEE_SUCCESS);
  EXPECT_GE(v, 2048u);
  ASSERT_EQ(TEE_GetPropertyAsU32(IMPL, "gpd.tee.internalCore.version", &v), TEE_SUCCESS);
  EXPECT_EQ(v, 0x01030100u);
  ASSERT_EQ(TEE_GetPropertyAsU32(IMPL, "gpd.tee.systemTime.protectionLevel", &v), TEE_SUCCESS);
  EXPECT_EQ(v, 100u);
  TEE_UUID dev1{}, dev2{};
  ASSERT_EQ(TEE_GetPropertyAsUUID(IMPL, "gpd.tee.deviceID", &dev1), TEE_SUCCESS);
  ASSERT_EQ(TEE_GetPropertyAsUUID(IMPL, "gpd.tee.deviceID", &dev2), TEE_SUCCESS);
  EXPECT_EQ(std::memcmp(&dev1, &dev2, sizeof(dev1)), 0);
  EXPECT_EQ(dev1.timeHiAndVersion >> 12, 5);  // a UUIDv5
  bool ecc = false, nist = false;
  ASSERT_EQ(TEE_GetPropertyAsBool(IMPL, "gpd.tee.cryptography.ecc", &ecc), TEE_SUCCESS);
  ASSERT_EQ(TEE_GetPropertyAsBool(IMPL, "gpd.tee.cryptography.nist", &nist), TEE_SUCCESS);
  EXPECT_EQ(ecc, TEE_IsAlgorithmSupported(TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256) == TEE_SUCCESS);
  EXPECT_TRUE(!nist || ecc);
  EXPECT_NE(str(IMPL, "gpd.tee.trustedos.implementation.version"), "<error>");
  EXPECT_NE(str(IMPL, "gpd.tee.description"), "<error>");
}

TEST_F(Properties, EnumeratorWalksEachSet) {
  TEE_PropSetHandle e = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocatePropertyEnumerator(&e), TEE_SUCCESS);
  char name[128];
  size_t len = sizeof(name);
  EXPECT_EQ(TEE_GetPropertyName(e, name, &len), TEE_ERROR_ITEM_NOT_FOUND);  // not started
  for (TEE_PropSetHandle set : {TA, CLIENT, IMPL}) {
    TEE_StartPropertyEnumerator(e, set);
    const size_t expect = property_set(set == TA       ? PropSet::CurrentTa
                                       : set == CLIENT ? PropSet::CurrentClient
                                                       : PropSet::TeeImplementation)
                              .size();
    size_t n = 0;
    TEE_Result r = TEE_SUCCESS;
    while (r == TEE_SUCCESS) {
      len = sizeof(name);
      ASSERT_EQ(TEE_GetPropertyName(e, name, &len), TEE_SUCCESS);
      EXPECT_EQ(len, std::strlen(name) + 1);
      char value[256];
      size_t vlen = sizeof(value);
      EXPECT_EQ(TEE_GetPropertyAsString(e, nullptr, value, &vlen), TEE_SUCCESS) << name;
      ++n;
      r = TEE_GetNextProperty(e);
    }
    EXPECT_EQ(r, TEE_ERROR_ITEM_NOT_FOUND);
    EXPECT_EQ(n, expect);
    EXPECT_EQ(TEE_GetNextProperty(e), TEE_ERROR_ITEM_NOT_FOUND);
  }
  TEE_ResetPropertyEnumerator(e);
  len = sizeof(name);
  EXPECT_EQ(TEE_GetPropertyName(e, name, &len), TEE_ERROR_ITEM_NOT_FOUND);
  TEE_FreePropertyEnumerator(e);
  TEE_FreePropertyEnumerator(TEE_HANDLE_NULL);  // no-op
}

TEST(PropertyParsers, Literals) {
  EXPECT_EQ(parse_integer("0"), 0u);
  EXPECT_EQ(parse_integer("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(parse_integer("18446744073709551616"));
  EXPECT_FALSE(parse_integer(""));
  EXPECT_FALSE(parse_integer("0x"));
  EXPECT_FALSE(parse_integer("-1"));
  EXPECT_FALSE(parse_integer("12a"));
  EXPECT_FALSE(parse_integer("0b102"));
  EXPECT_EQ(parse_integer("0XfF"), 255u);
  EXPECT_EQ(parse_bool("False"), false);
  EXPECT_FALSE(parse_bool("yes"));
  EXPECT_FALSE(parse_uuid("01020304-0506-0708-090a-0b0c0d0e0f1"));
  EXPECT_FALSE(parse_uuid("01020304-0506-0708-090a+0b0c0d0e0f10"));
  EXPECT_FALSE(parse_identity("x:01020304-0506-0708-090a-0b0c0d0e0f10"));
  EXPECT_FALSE(parse_identity("4294967296:01020304-0506-0708-090a-0b0c0d0e0f10"));
  EXPECT_FALSE(base64_decode("AA=A"));
  EXPECT_EQ(base64_decode_lenient("AA=A").size(), 1u);
  EXPECT_EQ(base64_encode({0, 1, 2, 3}), "AAECAw==");
  EXPECT_EQ(base64_decode("")->size(), 0u);
}

using PropertiesDeathTest = Properties;

TEST_F(PropertiesDeathTest, BadHandlesAndPointersPanic) {
  uint32_t v = 0;
  auto bogus = reinterpret_cast<TEE_PropSetHandle>(uintptr_t{0x1234});
  EXPECT_EXIT(TEE_GetPropertyAsU32(bogus, "x", &v), ::testing::ExitedWithCode(kExitPanic), "TEE_Panic");
  EXPECT_EXIT(TEE_GetPropertyAsU32(TA, "gpd.ta.dataSize", nullptr), ::testing::ExitedWithCode(kExitPanic),
              "");
  EXPECT_EXIT(TEE_GetPropertyAsU32(TA, nullptr, &v), ::testing::ExitedWithCode(kExitPanic), "");
  EXPECT_EXIT(TEE_GetPropertyAsString(TA, "t.str", nullptr, nullptr), ::testing::ExitedWithCode(kExitPanic),
              "");
  EXPECT_EXIT(TEE_FreePropertyEnumerator(bogus), ::testing::ExitedWithCode(kExitPanic), "");
  EXPECT_EXIT(TEE_AllocatePropertyEnumerator(nullptr), ::testing::ExitedWithCode(kExitPanic), "");
  TEE_PropSetHandle e = TEE_HANDLE_NULL;
  ASSERT_EQ(TEE_AllocatePropertyEnumerator(&e), TEE_SUCCESS);
  EXPECT_EXIT(TEE_StartPropertyEnumerator(e, e), ::testing::ExitedWithCode(kExitPanic), "");
  TEE_FreePropertyEnumerator(e);
  EXPECT_EXIT(TEE_GetNextProperty(e), ::testing::ExitedWithCode(kExitPanic), "");  // freed
}

}  // namespace
}  // namespace swtee::ta
