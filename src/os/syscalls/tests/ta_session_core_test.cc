#include "os/syscalls/ta_session_core.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace swtee::os {
namespace {

class FakeRpc final : public SecureRpc {
 public:
  GpResult load_ta(const Uuid&, std::vector<uint8_t>&) override {
    return {kTeeErrorItemNotFound, kTeeOriginTee};
  }
};

// Counts lifecycle events; behaviour per test through the members.
class FakeRouter final : public CalleeRouter {
 public:
  GpResult open(const Uuid& uuid, const ClientIdentity& client, OsParams& params, CallContext& call,
                CalleeRef* out) override {
    ++opens;
    last_client = client;
    last_dest = uuid;
    last_depth = call.depth;
    if (open_result.ret == kTeeSuccess) {
      out->host_session = next++;
      ++live;
    }
    if (params[0].type == OsParamType::ValueInout) params[0].a += 1;
    return open_result;
  }
  GpResult invoke(const CalleeRef& ref, uint32_t cmd, OsParams& params, CallContext& call) override {
    ++invokes;
    last_depth = call.depth;
    last_cmd = cmd;
    last_session = ref.host_session;
    if (on_invoke) on_invoke(call);
    saw_cancel = call.cancel.requested();
    (void)params;
    return invoke_result;
  }
  void close(const CalleeRef& ref, SecureRpc* rpc) override {
    ++closes;
    --live;
    last_close_rpc = rpc;
    (void)ref;
  }

  GpResult open_result{kTeeSuccess, kTeeOriginTrustedApp};
  GpResult invoke_result{kTeeSuccess, kTeeOriginTrustedApp};
  std::function<void(CallContext&)> on_invoke;
  int opens = 0, invokes = 0, closes = 0, live = 0;
  uint64_t next = 100;
  ClientIdentity last_client;
  Uuid last_dest;
  unsigned last_depth = 0;
  uint32_t last_cmd = 0;
  uint64_t last_session = 0;
  bool saw_cancel = false;
  SecureRpc* last_close_rpc = nullptr;
};

Uuid uuid_of(uint8_t n) {
  Uuid u;
  u.octets[0] = n;
  return u;
}

struct Fixture : ::testing::Test {
  std::shared_ptr<FakeRouter> router = std::make_shared<FakeRouter>();
  FakeRpc rpc;
  CancelState outer_cancel;
  CallContext outer{rpc, outer_cancel, 0};
  std::unique_ptr<SyscallState> slot;
  OsParams params{};
  const Uuid caller = uuid_of(0xAA);
  const Uuid callee = uuid_of(0xBB);
};

using TaSessionCoreTest = Fixture;

TEST_F(TaSessionCoreTest, CalleeSeesTrustedAppLoginAndCallerUuid) {
  TaSessionCore core(router);
  params[0].type = OsParamType::ValueInout;
  params[0].a = 41;
  uint64_t id = 0;
  GpResult r = core.open(slot, caller, &outer, 0, callee, {}, params, &id);
  ASSERT_EQ(r.ret, kTeeSuccess);
  EXPECT_NE(id, 0u);
  EXPECT_EQ(router->last_client.login, kTeeLoginTrustedApp);
  EXPECT_EQ(router->last_client.uuid, caller);
  EXPECT_EQ(router->last_dest, callee);
  EXPECT_EQ(router->last_depth, 1u);
  EXPECT_EQ(params[0].a, 42u);
  EXPECT_EQ(core.open_sessions(slot), 1u);
}

TEST_F(TaSessionCoreTest, InvokeRoutesToTheSessionAndNestsDepth) {
  TaSessionCore core(router);
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 3, callee, {}, params, &id).ret, kTeeSuccess);
  bool known = false;
  GpResult r = core.invoke(slot, &outer, 3, id, 77, {}, params, &known);
  EXPECT_TRUE(known);
  EXPECT_EQ(r.ret, kTeeSuccess);
  EXPECT_EQ(router->last_cmd, 77u);
  EXPECT_EQ(router->last_session, 100u);
  EXPECT_EQ(router->last_depth, 4u);
}

TEST_F(TaSessionCoreTest, FailedOpenKeepsNothing) {
  TaSessionCore core(router);
  router->open_result = {kTeeErrorBusy, kTeeOriginTee};
  uint64_t id = 5;
  GpResult r = core.open(slot, caller, &outer, 0, callee, {}, params, &id);
  EXPECT_EQ(r.ret, kTeeErrorBusy);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(id, 5u);
  EXPECT_EQ(core.open_sessions(slot), 0u);
}

TEST_F(TaSessionCoreTest, SessionLimitPerInstance) {
  TaSessionCore core(router, TaSessionLimits{2, 8});
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  GpResult r = core.open(slot, caller, &outer, 0, callee, {}, params, &id);
  EXPECT_EQ(r.ret, kTeeErrorOutOfMemory);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(router->opens, 2);
  // Closing one makes room.
  ASSERT_TRUE(core.close(slot, &rpc, id));
  EXPECT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
}

TEST_F(TaSessionCoreTest, DepthLimit) {
  TaSessionCore core(router, TaSessionLimits{32, 8});
  uint64_t id = 0;
  EXPECT_EQ(core.open(slot, caller, &outer, 7, callee, {}, params, &id).ret, kTeeSuccess);
  EXPECT_EQ(router->last_depth, 8u);
  GpResult r = core.open(slot, caller, &outer, 8, callee, {}, params, &id);
  EXPECT_EQ(r.ret, kTeeErrorOutOfMemory);
  EXPECT_EQ(router->opens, 1);
}

TEST_F(TaSessionCoreTest, UnknownSessionIsReported) {
  TaSessionCore core(router);
  bool known = true;
  (void)core.invoke(slot, &outer, 0, 12345, 1, {}, params, &known);
  EXPECT_FALSE(known);
  EXPECT_FALSE(core.close(slot, &rpc, 12345));
  EXPECT_EQ(router->invokes, 0);
}

TEST_F(TaSessionCoreTest, DeadCalleeAnswersTargetDeadWithoutCalling) {
  TaSessionCore core(router);
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  router->invoke_result = {kTeeErrorTargetDead, kTeeOriginTee};
  bool known = false;
  EXPECT_EQ(core.invoke(slot, &outer, 0, id, 1, {}, params, &known).ret, kTeeErrorTargetDead);
  router->invoke_result = {kTeeSuccess, kTeeOriginTrustedApp};
  GpResult r = core.invoke(slot, &outer, 0, id, 1, {}, params, &known);
  EXPECT_EQ(r.ret, kTeeErrorTargetDead);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(router->invokes, 1);
  // A TA's own TARGET_DEAD (origin TRUSTED_APP) does not kill the session.
  uint64_t id2 = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id2).ret, kTeeSuccess);
  router->invoke_result = {kTeeErrorTargetDead, kTeeOriginTrustedApp};
  (void)core.invoke(slot, &outer, 0, id2, 1, {}, params, &known);
  router->invoke_result = {kTeeSuccess, kTeeOriginTrustedApp};
  EXPECT_EQ(core.invoke(slot, &outer, 0, id2, 1, {}, params, &known).ret, kTeeSuccess);
}

TEST_F(TaSessionCoreTest, InstanceGoingAwayClosesItsSessions) {
  TaSessionCore core(router);
  uint64_t id = 0;
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  ASSERT_TRUE(core.close(slot, &rpc, id));
  EXPECT_EQ(router->last_close_rpc, &rpc);
  EXPECT_EQ(router->live, 2);
  slot.reset();  // the instance's process went
  EXPECT_EQ(router->live, 0);
  EXPECT_EQ(router->closes, 3);
  EXPECT_EQ(router->last_close_rpc, nullptr);
}

TEST_F(TaSessionCoreTest, OuterCancelReachesCalleeWhenUnmasked) {
  TaSessionCore core(router);
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  // The client cancels while the callee runs.
  router->on_invoke = [&](CallContext&) { outer_cancel.request(); };
  bool known = false;
  NestedCallOptions unmasked{0xFFFFFFFF, false};
  (void)core.invoke(slot, &outer, 0, id, 1, unmasked, params, &known);
  EXPECT_TRUE(router->saw_cancel);
}

TEST_F(TaSessionCoreTest, OuterCancelDoesNotReachCalleeWhenMasked) {
  TaSessionCore core(router);
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  router->on_invoke = [&](CallContext&) { outer_cancel.request(); };
  bool known = false;
  NestedCallOptions masked{0xFFFFFFFF, true};
  (void)core.invoke(slot, &outer, 0, id, 1, masked, params, &known);
  EXPECT_FALSE(router->saw_cancel);
}

TEST_F(TaSessionCoreTest, AlreadyCancelledCallerCancelsTheCalleeAtOnce) {
  TaSessionCore core(router);
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  outer_cancel.request();
  bool known = false;
  (void)core.invoke(slot, &outer, 0, id, 1, NestedCallOptions{0xFFFFFFFF, false}, params, &known);
  EXPECT_TRUE(router->saw_cancel);
}

TEST_F(TaSessionCoreTest, TimeoutRequestsCancellationOfTheCallee) {
  TaSessionCore core(router);
  uint64_t id = 0;
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  // The callee "waits" until its call is cancelled (what TEE_Wait does).
  router->on_invoke = [](CallContext& call) {
    while (!call.cancel.requested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  };
  bool known = false;
  (void)core.invoke(slot, &outer, 0, id, 1, NestedCallOptions{5, true}, params, &known);
  EXPECT_TRUE(router->saw_cancel);
  EXPECT_FALSE(outer_cancel.requested());  // the caller's own call is not cancelled
  EXPECT_EQ(core.timer().pending(), 0u);
}

TEST_F(TaSessionCoreTest, InfiniteTimeoutSchedulesNothing) {
  TaSessionCore core(router);
  uint64_t id = 0;
  router->on_invoke = [&](CallContext&) { EXPECT_EQ(core.timer().pending(), 0u); };
  ASSERT_EQ(core.open(slot, caller, &outer, 0, callee, {}, params, &id).ret, kTeeSuccess);
  bool known = false;
  (void)core.invoke(slot, &outer, 0, id, 1, NestedCallOptions{0xFFFFFFFF, false}, params, &known);
  EXPECT_FALSE(router->saw_cancel);
}

TEST_F(TaSessionCoreTest, NoCallerContextStillWorksWithoutRpc) {
  TaSessionCore core(router);
  uint64_t id = 0;
  EXPECT_EQ(core.open(slot, caller, nullptr, 0, callee, {}, params, &id).ret, kTeeSuccess);
  EXPECT_EQ(router->last_depth, 1u);
}

}  // namespace
}  // namespace swtee::os
