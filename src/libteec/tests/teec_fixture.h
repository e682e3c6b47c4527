// Shared fixture: a FakeTeed plus an initialised context and an open session.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "libteec/tests/fake_teed.h"
#include "tee_client_api.h"
#include "tee_client_api_extensions.h"

namespace swtee::teec::testing {

inline constexpr TEEC_UUID kTaUuid = {0x8aaaf200, 0x2450, 0x11e4, {0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b}};

class TeecFixture : public ::testing::Test {
 protected:
  explicit TeecFixture(FakeOptions opts = {}) : fake_(std::make_unique<FakeTeed>(opts)) {}

  void SetUp() override {
    ASSERT_EQ(TEEC_InitializeContext(nullptr, &ctx_), TEEC_SUCCESS);
    uint32_t origin = 0;
    ASSERT_EQ(TEEC_OpenSession(&ctx_, &sess_, &kTaUuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin),
              TEEC_SUCCESS);
  }
  void TearDown() override {
    TEEC_CloseSession(&sess_);
    TEEC_FinalizeContext(&ctx_);
  }

  // Invokes command 1 with `op`; returns the result, origin in *origin.
  TEEC_Result invoke(TEEC_Operation* op, uint32_t* origin = nullptr) {
    uint32_t o = 0;
    TEEC_Result r = TEEC_InvokeCommand(&sess_, 1, op, &o);
    if (origin != nullptr) *origin = o;
    return r;
  }

  std::unique_ptr<FakeTeed> fake_;
  TEEC_Context ctx_{};
  TEEC_Session sess_{};
};

inline TEEC_Operation make_op(uint32_t types) {
  TEEC_Operation op{};
  op.paramTypes = types;
  return op;
}

}  // namespace swtee::teec::testing
