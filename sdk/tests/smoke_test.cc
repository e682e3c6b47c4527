// Loads the SDK-built smoke TA (GP 1.1 mode) the way the TA runtime does:
// dlopen, then the swtee_ta_info record and the v1.3.1 entry points. This
// binary stands in for libswtee-ta by exporting the few TEE_* symbols the
// TA calls, counting the calls.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdarg>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <swtee_ta_info.h>
#include <tee_internal_api.h>
#include <user_ta_header.h>

#include "smoke_ta/smoke_ta.h"
#include "ta_image/ta_elf_info.h"
#include "ta_image/ta_image.h"

namespace {
int g_trace_calls = 0;
int g_memmove_calls = 0;
}  // namespace

extern "C" {
__attribute__((visibility("default"))) void swtee_trace_printf(int, const char*, int, const char*, ...) {
  ++g_trace_calls;
}
__attribute__((visibility("default"))) void* __GP11_TEE_MemMove(void* d, const void* s, uint32_t n) {
  ++g_memmove_calls;
  return std::memmove(d, s, n);
}
}

namespace {

using OpenFn = TEE_Result (*)(uint32_t, TEE_Param*, void**);
using InvokeFn = TEE_Result (*)(void*, uint32_t, uint32_t, TEE_Param*);

class SmokeTaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = dlopen(SMOKE_TA_SO, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
    info_ = static_cast<const swtee_ta_info*>(dlsym(handle_, SWTEE_TA_INFO_SYMBOL));
    open_ = reinterpret_cast<OpenFn>(dlsym(handle_, "TA_OpenSessionEntryPoint"));
    invoke_ = reinterpret_cast<InvokeFn>(dlsym(handle_, "TA_InvokeCommandEntryPoint"));
    ASSERT_NE(info_, nullptr);
    ASSERT_NE(open_, nullptr);
    ASSERT_NE(invoke_, nullptr);
  }
  void TearDown() override {
    if (handle_) dlclose(handle_);
  }
  void* handle_ = nullptr;
  const swtee_ta_info* info_ = nullptr;
  OpenFn open_ = nullptr;
  InvokeFn invoke_ = nullptr;
};

TEST_F(SmokeTaTest, InfoRecordCarriesTheHeaderDefines) {
  EXPECT_EQ(info_->abi_version, 1u);
  EXPECT_EQ(info_->uuid.timeLow, 0x5e4c2f7au);
  EXPECT_EQ(info_->uuid.clockSeqAndNode[7], 0x1b);
  EXPECT_EQ(info_->flags, TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION);
  EXPECT_EQ(info_->stack_size, 4096u);
  EXPECT_EQ(info_->data_size, 32768u);
  EXPECT_STREQ(info_->version, "0.1");
  EXPECT_STREQ(info_->description, "swtee SDK smoke TA");
  ASSERT_EQ(info_->num_props, 1u);
  EXPECT_STREQ(info_->props[0].name, "org.swtee.smoke.answer");
  EXPECT_EQ(info_->props[0].type, static_cast<uint32_t>(USER_TA_PROP_TYPE_U32));
  EXPECT_EQ(*static_cast<const uint32_t*>(info_->props[0].value), 42u);
}

TEST_F(SmokeTaTest, Gp11EntryPointsAreWrapped) {
  EXPECT_NE(dlsym(handle_, "__GP11_TA_OpenSessionEntryPoint"), nullptr);
  EXPECT_NE(dlsym(handle_, "__GP11_TA_InvokeCommandEntryPoint"), nullptr);

  TEE_Param p[4] = {};
  void* ctx = nullptr;
  const int traces = g_trace_calls;
  ASSERT_EQ(open_(0, p, &ctx), TEE_SUCCESS);
  EXPECT_EQ(ctx, reinterpret_cast<void*>(0x5a));
  EXPECT_EQ(g_trace_calls, traces + 1);

  p[0].value.a = 41;
  ASSERT_EQ(invoke_(ctx, SMOKE_CMD_INC,
                    TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
                                    TEE_PARAM_TYPE_NONE),
                    p),
            TEE_SUCCESS);
  EXPECT_EQ(p[0].value.a, 42u);
}

TEST_F(SmokeTaTest, MemrefSizesConvertBothWays) {
  const uint32_t types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
                                         TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
  char in[] = "0123456789";
  char out[32] = {};
  TEE_Param p[4] = {};
  void* ctx = reinterpret_cast<void*>(0x5a);
  p[0].memref.buffer = in;
  p[0].memref.size = 10;
  p[1].memref.buffer = out;
  p[1].memref.size = 4;
  ASSERT_EQ(invoke_(ctx, SMOKE_CMD_COPY, types, p), TEE_ERROR_SHORT_BUFFER);
  EXPECT_EQ(p[1].memref.size, 10u);  // required size written back as size_t

  const int moves = g_memmove_calls;
  p[1].memref.size = sizeof(out);
  ASSERT_EQ(invoke_(ctx, SMOKE_CMD_COPY, types, p), TEE_SUCCESS);
  EXPECT_EQ(p[1].memref.size, 10u);
  EXPECT_EQ(std::string(out, 10), "0123456789");
  EXPECT_EQ(g_memmove_calls, moves + 1);  // TEE_MemMove resolved to __GP11_TEE_MemMove

  // A memref too large for the v1.1 ABI never reaches the TA.
  p[0].memref.size = static_cast<size_t>(UINT32_MAX) + 1;
  EXPECT_EQ(invoke_(ctx, SMOKE_CMD_COPY, types, p), TEE_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(g_memmove_calls, moves + 1);
}

TEST(SmokeTaElf, SignerSeesUuidAndFlags) {
  std::ifstream f(SMOKE_TA_SO, std::ios::binary);
  std::vector<uint8_t> so((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto info = swtee::taimg::read_ta_info_from_elf(so);
  ASSERT_TRUE(info.ok()) << info.error().what;
  EXPECT_EQ(info->uuid.to_string(), SMOKE_TA_UUID_STR);
  EXPECT_EQ(info->flags, TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION);
}

}  // namespace

#ifdef SMOKE_TA_IMAGE
namespace {

std::vector<uint8_t> slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

TEST(SmokeTaImage, SignedImageVerifiesWithTheDevKey) {
  const auto image = slurp(SMOKE_TA_IMAGE);
  const auto pub = slurp(SMOKE_TA_PUBKEY);
  const auto so = slurp(SMOKE_TA_SO);
  ASSERT_FALSE(image.empty());
  ASSERT_FALSE(pub.empty());
  const auto uuid = *swtee::Uuid::parse(SMOKE_TA_UUID_STR);
  auto r = swtee::taimg::verify_ta_image(image, uuid, {std::string(pub.begin(), pub.end())});
  ASSERT_TRUE(r.ok) << static_cast<int>(r.error);
  EXPECT_EQ(r.ta.ta_flags, TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION);
  EXPECT_EQ(std::vector<uint8_t>(r.ta.payload.begin(), r.ta.payload.end()), so);
}

}  // namespace
#endif
