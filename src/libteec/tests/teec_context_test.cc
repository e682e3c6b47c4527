// TEEC_InitializeContext / TEEC_FinalizeContext against the fake swteed.
#include <gtest/gtest.h>

#include "libteec/tests/fake_teed.h"
#include "tee_client_api.h"

namespace swtee::teec::testing {
namespace {

TEST(TeecContext, NullNameConnectsAndReportsCaps) {
  FakeTeed fake;
  TEEC_Context ctx{};
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_SUCCESS);
  EXPECT_GE(ctx.imp.fd, 0);
  EXPECT_FALSE(ctx.imp.reg_mem);
  EXPECT_TRUE(ctx.imp.memref_null);
  EXPECT_EQ(fake.connections(), 1);
  TEEC_FinalizeContext(&ctx);
  EXPECT_TRUE(fake.wait_disconnections(1));
}

TEST(TeecContext, MemrefNullFollowsCapability) {
  FakeTeed fake(FakeOptions{.gen_caps = TEE_GEN_CAP_GP});
  TEEC_Context ctx{};
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_SUCCESS);
  EXPECT_FALSE(ctx.imp.memref_null);
  TEEC_FinalizeContext(&ctx);
}

TEST(TeecContext, OpteeTzNameNeedsOpteeWithTz) {
  {
    FakeTeed fake;
    TEEC_Context ctx{};
    EXPECT_EQ(TEEC_InitializeContext("optee-tz", &ctx), TEEC_SUCCESS);
    TEEC_FinalizeContext(&ctx);
  }
  {
    FakeTeed fake(FakeOptions{.impl_caps = 0});
    TEEC_Context ctx{};
    EXPECT_EQ(TEEC_InitializeContext("optee-tz", &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
  }
  {
    FakeTeed fake(FakeOptions{.impl_id = TEE_IMPL_ID_AMDTEE});
    TEEC_Context ctx{};
    EXPECT_EQ(TEEC_InitializeContext("optee-tz", &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
    EXPECT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_SUCCESS);
    TEEC_FinalizeContext(&ctx);
  }
}

TEST(TeecContext, UnknownNameIsNotFound) {
  FakeTeed fake;
  TEEC_Context ctx{};
  EXPECT_EQ(TEEC_InitializeContext("no-such-tee", &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
}

TEST(TeecContext, NonGpDeviceIsNotFound) {
  FakeTeed fake(FakeOptions{.gen_caps = 0});
  TEEC_Context ctx{};
  EXPECT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
}

TEST(TeecContext, NoDaemonIsNotFound) {
  FakeTeed fake(FakeOptions{.create_socket = false});
  TEEC_Context ctx{};
  EXPECT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_ERROR_ITEM_NOT_FOUND);
}

TEST(TeecContext, NullContextIsBadParameters) {
  FakeTeed fake;
  EXPECT_EQ(TEEC_InitializeContext(nullptr, nullptr), TEEC_ERROR_BAD_PARAMETERS);
}

TEST(TeecContext, FinalizeIsNullSafeAndIdempotent) {
  FakeTeed fake;
  TEEC_FinalizeContext(nullptr);
  TEEC_Context ctx{};
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_SUCCESS);
  TEEC_FinalizeContext(&ctx);
  TEEC_FinalizeContext(&ctx);
  EXPECT_TRUE(fake.wait_disconnections(1));
}

TEST(TeecContext, TwoContextsAreTwoConnections) {
  FakeTeed fake;
  TEEC_Context a{}, b{};
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &a), TEEC_SUCCESS);
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &b), TEEC_SUCCESS);
  EXPECT_NE(a.imp.fd, b.imp.fd);
  EXPECT_EQ(fake.connections(), 2);
  TEEC_FinalizeContext(&a);
  TEEC_FinalizeContext(&b);
  EXPECT_TRUE(fake.wait_disconnections(2));
}

TEST(TeecContext, LiveSharedMemoryKeepsConnectionUntilReleased) {
  FakeTeed fake;
  TEEC_Context ctx{};
  ASSERT_EQ(TEEC_InitializeContext(nullptr, &ctx), TEEC_SUCCESS);
  TEEC_SharedMemory shm{};
  shm.size = 64;
  shm.flags = TEEC_MEM_INPUT;
  ASSERT_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
  TEEC_FinalizeContext(&ctx);
  EXPECT_EQ(fake.disconnections(), 0);
  static_cast<uint8_t*>(shm.buffer)[0] = 1;  // still mapped
  TEEC_ReleaseSharedMemory(&shm);
  EXPECT_TRUE(fake.wait_disconnections(1));
}

}  // namespace
}  // namespace swtee::teec::testing
