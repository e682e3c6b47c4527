#include "os/session_router.h"

#include <gtest/gtest.h>

#include <thread>

#include "os/pta/invoke_tests_pta.h"
#include "os/tests/fake_ta_host.h"
#include "protocol/optee_msg.h"

namespace swtee::os {
namespace {

using testing::FakeCallRpc;
using testing::FakeTaHost;

using testing::kTa;
const Uuid kOther = *Uuid::parse("99999999-2222-3333-4444-555555555555");

class RouterTest : public ::testing::Test {
 protected:
  FakeTaHost host{kTa};
  SessionRouter router{&host, 4};
  FakeCallRpc rpc;
  OsParams params{};
  ClientIdentity client{optee::kLoginUser, Uuid::nil()};
};

TEST_F(RouterTest, OpenInvokeCloseRoutesToHost) {
  uint32_t sid = 0;
  ASSERT_EQ(router.open_session(kTa, client, 0, params, rpc, &sid).ret, kTeeSuccess);
  EXPECT_GE(sid, 1u);
  EXPECT_EQ(host.opens, 1);
  EXPECT_EQ(host.last_login, optee::kLoginUser);
  EXPECT_EQ(router.session_count(), 1u);
  params[0] = OsParam{OsParamType::ValueInout, 21, 0, nullptr, 0, 0};
  ASSERT_EQ(router.invoke(sid, 5, 0, params, rpc).ret, kTeeSuccess);
  EXPECT_EQ(params[0].a, 42u);
  EXPECT_EQ(host.last_cmd, 5u);
  ASSERT_EQ(router.close_session(sid).ret, kTeeSuccess);
  EXPECT_EQ(host.closes, 1);
  EXPECT_EQ(host.live, 0);
  EXPECT_EQ(router.session_count(), 0u);
  // The id is gone: invoke and close fail as for a bad id.
  EXPECT_EQ(router.invoke(sid, 5, 0, params, rpc).ret, kTeeErrorItemNotFound);
  EXPECT_EQ(router.close_session(sid).ret, kTeeErrorItemNotFound);
  EXPECT_EQ(host.closes, 1);
  EXPECT_EQ(router.inflight_count(), 0u);
}

TEST_F(RouterTest, UnknownTaFailsWithoutSession) {
  uint32_t sid = 0;
  GpResult r = router.open_session(kOther, client, 0, params, rpc, &sid);
  EXPECT_EQ(r.ret, kTeeErrorItemNotFound);
  EXPECT_EQ(sid, 0u);
  EXPECT_EQ(router.session_count(), 0u);
}

TEST_F(RouterTest, SessionIdsUniqueAndBounded) {
  uint32_t ids[4];
  for (uint32_t& id : ids) ASSERT_EQ(router.open_session(kTa, client, 0, params, rpc, &id).ret, kTeeSuccess);
  for (int i = 0; i < 4; ++i)
    for (int j = i + 1; j < 4; ++j) EXPECT_NE(ids[i], ids[j]);
  uint32_t extra = 0;
  EXPECT_EQ(router.open_session(kTa, client, 0, params, rpc, &extra).ret, kTeeErrorOutOfMemory);
  EXPECT_EQ(host.opens, 4);
  ASSERT_EQ(router.close_session(ids[1]).ret, kTeeSuccess);
  ASSERT_EQ(router.open_session(kTa, client, 0, params, rpc, &extra).ret, kTeeSuccess);
  for (uint32_t id : ids) EXPECT_TRUE(id == ids[1] || extra != id);
}

TEST_F(RouterTest, PtaRoutedBeforeHost) {
  ASSERT_TRUE(router.add_pta(std::make_unique<InvokeTestsPta>()).ok());
  EXPECT_EQ(router.add_pta(std::make_unique<InvokeTestsPta>()).error().code, EEXIST);
  uint32_t sid = 0;
  ASSERT_EQ(router.open_session(InvokeTestsPta::kUuid, client, 0, params, rpc, &sid).ret, kTeeSuccess);
  EXPECT_EQ(host.opens, 0);
  params[0] = OsParam{OsParamType::ValueInout, 1, 2, nullptr, 0, 0};
  ASSERT_EQ(router.invoke(sid, kInvokeTestsCmdIncValues, 0, params, rpc).ret, kTeeSuccess);
  EXPECT_EQ(params[0].a, 2u);
  EXPECT_EQ(host.invokes, 0);
  EXPECT_EQ(router.invoke(sid, 999, 0, params, rpc).origin, kTeeOriginTrustedApp);
  ASSERT_EQ(router.close_session(sid).ret, kTeeSuccess);
  EXPECT_EQ(host.closes, 0);
}

TEST_F(RouterTest, NoHostMeansItemNotFound) {
  SessionRouter ptas_only(nullptr);
  uint32_t sid = 0;
  EXPECT_EQ(ptas_only.open_session(kTa, client, 0, params, rpc, &sid).ret, kTeeErrorItemNotFound);
}

TEST_F(RouterTest, CancelMatchesSessionAndCancelId) {
  uint32_t sid = 0, other = 0;
  ASSERT_EQ(router.open_session(kTa, client, 0, params, rpc, &sid).ret, kTeeSuccess);
  ASSERT_EQ(router.open_session(kTa, client, 0, params, rpc, &other).ret, kTeeSuccess);
  host.block_invoke = true;
  GpResult result{};
  std::thread t([&] {
    FakeCallRpc rpc2;
    OsParams p{};
    result = router.invoke(sid, 1, 77, p, rpc2);
  });
  host.gate.wait_entered();
  EXPECT_EQ(router.inflight_count(), 1u);
  router.cancel(sid, 78);    // wrong cancel id
  router.cancel(other, 77);  // wrong session
  router.cancel(0, 77);      // not an open in progress
  EXPECT_EQ(host.cancel_hooks_run, 0);
  router.cancel(sid, 77);
  t.join();
  EXPECT_EQ(host.cancel_hooks_run, 1);
  EXPECT_EQ(result.ret, kTeeErrorCancel);
  EXPECT_EQ(router.inflight_count(), 0u);
}

TEST_F(RouterTest, CancelOpenInProgressUsesSessionZero) {
  host.block_open = true;
  GpResult result{};
  uint32_t sid = 0;
  std::thread t([&] {
    FakeCallRpc rpc2;
    OsParams p{};
    result = router.open_session(kTa, client, 5, p, rpc2, &sid);
  });
  host.gate.wait_entered();
  router.cancel(1, 5);  // a session id, not an open in progress: ignored
  router.cancel(0, 6);  // another cancel id
  EXPECT_EQ(host.cancel_hooks_run, 0);
  router.cancel(0, 5);  // the hook opens the gate
  t.join();
  EXPECT_EQ(result.ret, kTeeErrorCancel);
  EXPECT_EQ(host.cancel_hooks_run, 1);
  EXPECT_EQ(router.session_count(), 0u);
}

}  // namespace
}  // namespace swtee::os
