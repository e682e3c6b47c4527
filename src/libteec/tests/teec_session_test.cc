// Sessions: open/close encodings, login methods, error mapping, invoke
// headers and cancellation.
#include <gtest/gtest.h>
#include <sys/types.h>

#include <cerrno>
#include <cstring>

#include "libteec/tests/teec_fixture.h"

namespace swtee::teec::testing {
namespace {

class TeecSession : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(TEEC_InitializeContext(nullptr, &ctx_), TEEC_SUCCESS); }
  void TearDown() override { TEEC_FinalizeContext(&ctx_); }

  TEEC_Result open(uint32_t method, const void* data, uint32_t* origin, TEEC_Operation* op = nullptr) {
    return TEEC_OpenSession(&ctx_, &sess_, &kTaUuid, method, data, op, origin);
  }

  FakeTeed fake_;
  TEEC_Context ctx_{};
  TEEC_Session sess_{};
};

TEST_F(TeecSession, UuidTravelsAsBigEndianOctets) {
  uint32_t origin = 0;
  ASSERT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin), TEEC_SUCCESS);
  const std::array<uint8_t, 16> want = {0x8a, 0xaa, 0xf2, 0x00, 0x24, 0x50, 0x11, 0xe4,
                                        0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b};
  CallRecord r = fake_.last_call();
  EXPECT_TRUE(r.open);
  EXPECT_EQ(r.uuid, want);
  EXPECT_EQ(r.params.size(), 4u);
  EXPECT_EQ(r.cancel_id, 0u);  // no operation: not cancellable
  EXPECT_EQ(sess_.imp.ctx, &ctx_);
  EXPECT_EQ(sess_.imp.session_id, r.session);
  TEEC_CloseSession(&sess_);
  ASSERT_EQ(fake_.closed_sessions().size(), 1u);
  EXPECT_EQ(fake_.closed_sessions()[0], r.session);
}

TEST_F(TeecSession, LoginsWithoutDataSendZeroClientUuid) {
  const std::array<uint8_t, 16> zero{};
  for (uint32_t m : {TEEC_LOGIN_PUBLIC, TEEC_LOGIN_USER, TEEC_LOGIN_APPLICATION, TEEC_LOGIN_USER_APPLICATION}) {
    uint32_t origin = 0;
    ASSERT_EQ(open(m, nullptr, &origin), TEEC_SUCCESS) << m;
    CallRecord r = fake_.last_call();
    EXPECT_EQ(r.login, m);
    EXPECT_EQ(r.clnt_uuid, zero);
    TEEC_CloseSession(&sess_);
  }
}

TEST_F(TeecSession, GroupLoginsCarryTheGid) {
  for (uint32_t m : {TEEC_LOGIN_GROUP, TEEC_LOGIN_GROUP_APPLICATION}) {
    gid_t gid = 0x1234;
    uint32_t origin = 0;
    ASSERT_EQ(open(m, &gid, &origin), TEEC_SUCCESS);
    CallRecord r = fake_.last_call();
    EXPECT_EQ(r.login, m);
    gid_t got = 0;
    std::memcpy(&got, r.clnt_uuid.data(), sizeof(got));
    EXPECT_EQ(got, gid);
    for (size_t i = sizeof(gid_t); i < 16; ++i) EXPECT_EQ(r.clnt_uuid[i], 0);
    TEEC_CloseSession(&sess_);
  }
}

TEST_F(TeecSession, GroupLoginWithoutAGidIsRejectedLocally) {
  uint32_t origin = 0;
  EXPECT_EQ(open(TEEC_LOGIN_GROUP, nullptr, &origin), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);
  EXPECT_EQ(open(TEEC_LOGIN_GROUP_APPLICATION, nullptr, &origin), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_TRUE(fake_.calls().empty());
}

// Like OP-TEE's libteec, unknown methods go to the driver, which judges them.
TEST_F(TeecSession, UnknownLoginMethodsAreTheDriversToRefuse) {
  for (uint32_t m : {3u, 0x80000000u, 0xF0000000u}) {
    fake_.set_handler([](CallRecord& r) { r.rc = -EINVAL; });
    uint32_t origin = 0;
    EXPECT_EQ(open(m, nullptr, &origin), TEEC_ERROR_BAD_PARAMETERS) << m;
    EXPECT_EQ(origin, TEEC_ORIGIN_COMMS);
    EXPECT_EQ(fake_.last_call().login, m);
  }
}

TEST_F(TeecSession, NullArgumentsAreBadParametersFromApi) {
  uint32_t origin = 0;
  EXPECT_EQ(TEEC_OpenSession(nullptr, &sess_, &kTaUuid, 0, nullptr, nullptr, &origin),
            TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);
  origin = 0;
  EXPECT_EQ(TEEC_OpenSession(&ctx_, nullptr, &kTaUuid, 0, nullptr, nullptr, &origin),
            TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);
  EXPECT_EQ(TEEC_InvokeCommand(nullptr, 0, nullptr, &origin), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(origin, TEEC_ORIGIN_API);
  // A NULL origin pointer is allowed.
  EXPECT_EQ(TEEC_OpenSession(nullptr, &sess_, &kTaUuid, 0, nullptr, nullptr, nullptr),
            TEEC_ERROR_BAD_PARAMETERS);
  TEEC_CloseSession(nullptr);
}

TEST_F(TeecSession, IoctlErrnosMapWithOriginComms) {
  struct Case {
    int err;
    TEEC_Result want;
  };
  for (Case c : {Case{ENOMEM, TEEC_ERROR_OUT_OF_MEMORY}, Case{EINVAL, TEEC_ERROR_BAD_PARAMETERS},
                 Case{EPERM, TEEC_ERROR_GENERIC}, Case{EBUSY, TEEC_ERROR_GENERIC}}) {
    fake_.set_handler([&](CallRecord& r) { r.rc = -c.err; });
    uint32_t origin = 0;
    EXPECT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin), c.want) << c.err;
    EXPECT_EQ(origin, TEEC_ORIGIN_COMMS);
  }
}

TEST_F(TeecSession, LostDaemonIsCommunicationErrorFromComms) {
  uint32_t origin = 0;
  ASSERT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin), TEEC_SUCCESS);
  fake_.set_handler([](CallRecord& r) { r.drop_connection = true; });
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {7, 8};
  EXPECT_EQ(TEEC_InvokeCommand(&sess_, 1, &op, &origin), TEEC_ERROR_COMMUNICATION);
  EXPECT_EQ(origin, TEEC_ORIGIN_COMMS);
  EXPECT_EQ(op.params[0].value.a, 7u);  // nothing written back
  // The context stays dead, and cleanup still works.
  EXPECT_EQ(TEEC_InvokeCommand(&sess_, 1, nullptr, &origin), TEEC_ERROR_COMMUNICATION);
  TEEC_SharedMemory shm{};
  shm.size = 8;
  shm.flags = TEEC_MEM_INPUT;
  EXPECT_NE(TEEC_AllocateSharedMemory(&ctx_, &shm), TEEC_SUCCESS);
  TEEC_CloseSession(&sess_);
}

TEST_F(TeecSession, TeeResultAndOriginPassThrough) {
  fake_.set_handler([](CallRecord& r) {
    r.ret = TEEC_ERROR_ITEM_NOT_FOUND;
    r.ret_origin = TEEC_ORIGIN_TEE;
  });
  uint32_t origin = 0;
  sess_.imp.session_id = 77;
  EXPECT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin), TEEC_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(origin, TEEC_ORIGIN_TEE);
  EXPECT_EQ(sess_.imp.session_id, 77u);  // untouched on failure
}

// OP-TEE writes the session only when the open succeeds, and OpenSession
// never writes the operation's imp; a cancellable open must not change that.
TEST_F(TeecSession, FailedOpenWithAnOperationLeavesSessionAndOperationAlone) {
  TEEC_Session other{};
  TEEC_Context other_ctx{};
  sess_.imp.ctx = &other_ctx;
  sess_.imp.session_id = 1234;
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.imp.session = &other;
  uint32_t origin = 0;
  fake_.set_handler([](CallRecord& r) {
    r.ret = TEEC_ERROR_ITEM_NOT_FOUND;
    r.ret_origin = TEEC_ORIGIN_TEE;
  });
  EXPECT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin, &op), TEEC_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(sess_.imp.ctx, &other_ctx);
  EXPECT_EQ(sess_.imp.session_id, 1234u);
  EXPECT_EQ(op.imp.session, &other);
  fake_.set_handler([](CallRecord& r) { r.rc = -EBUSY; });  // the ioctl fails
  EXPECT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin, &op), TEEC_ERROR_GENERIC);
  EXPECT_EQ(origin, TEEC_ORIGIN_COMMS);
  EXPECT_EQ(sess_.imp.ctx, &other_ctx);
  EXPECT_EQ(sess_.imp.session_id, 1234u);
  EXPECT_EQ(op.imp.session, &other);
  fake_.set_handler(nullptr);
  ASSERT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin, &op), TEEC_SUCCESS);
  EXPECT_EQ(sess_.imp.ctx, &ctx_);
  EXPECT_EQ(sess_.imp.session_id, fake_.last_call().session);
  EXPECT_EQ(op.imp.session, &other);
  TEEC_CloseSession(&sess_);
}

TEST_F(TeecSession, InvokeCarriesFuncSessionAndPerOperationCancelId) {
  uint32_t origin = 0;
  ASSERT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin), TEEC_SUCCESS);
  fake_.set_handler([](CallRecord& r) {
    r.ret = TEEC_ERROR_SHORT_BUFFER;
    r.ret_origin = TEEC_ORIGIN_TRUSTED_APP;
  });
  TEEC_Operation op1 = make_op(TEEC_NONE), op2 = make_op(TEEC_NONE);
  EXPECT_EQ(TEEC_InvokeCommand(&sess_, 42, &op1, &origin), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
  CallRecord r1 = fake_.last_call();
  EXPECT_EQ(r1.func, 42u);
  EXPECT_EQ(r1.session, sess_.imp.session_id);
  EXPECT_NE(r1.cancel_id, 0u);
  EXPECT_EQ(op1.imp.session, &sess_);
  EXPECT_EQ(TEEC_InvokeCommand(&sess_, 42, &op2, &origin), TEEC_ERROR_SHORT_BUFFER);
  CallRecord r2 = fake_.last_call();
  EXPECT_NE(r2.cancel_id, r1.cancel_id);
  EXPECT_EQ(TEEC_InvokeCommand(&sess_, 42, nullptr, &origin), TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(fake_.last_call().cancel_id, 0u);

  // Cancelling op1 names op1's call, not op2's.
  TEEC_RequestCancellation(&op1);
  auto cancels = fake_.cancels();
  ASSERT_EQ(cancels.size(), 1u);
  EXPECT_EQ(cancels[0].cancel_id, r1.cancel_id);
  EXPECT_EQ(cancels[0].session, sess_.imp.session_id);
  TEEC_CloseSession(&sess_);
}

TEST_F(TeecSession, CancellationOfUnstartedOperationSendsNothing) {
  TEEC_Operation op = make_op(TEEC_NONE);
  TEEC_RequestCancellation(&op);
  TEEC_RequestCancellation(nullptr);
  EXPECT_TRUE(fake_.cancels().empty());
}

TEST_F(TeecSession, OpenSessionIsCancellableWhileInFlight) {
  TEEC_Operation op = make_op(TEEC_NONE);
  uint32_t seen_cancel_id = 0;
  fake_.set_handler([&](CallRecord& r) {
    seen_cancel_id = r.cancel_id;
    // The fake serves one connection on one thread, so a cancel from here
    // would wait for this reply; record what the library would send instead.
    EXPECT_EQ(op.imp.session, &sess_);
  });
  uint32_t origin = 0;
  ASSERT_EQ(open(TEEC_LOGIN_PUBLIC, nullptr, &origin, &op), TEEC_SUCCESS);
  EXPECT_NE(seen_cancel_id, 0u);
  EXPECT_EQ(op.imp.session, nullptr);  // the open is over
  TEEC_CloseSession(&sess_);
}

}  // namespace
}  // namespace swtee::teec::testing
