#include <gtest/gtest.h>

#include "protocol/gp_results.h"
#include "protocol/optee_rpc_cmd.h"
#include "supplicant/supplicant.h"
#include "supplicant/tests/fake_transport.h"
#include "supplicant/tests/test_dir.h"

namespace swtee::supp {
namespace {

constexpr uint64_t kMetaReply = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | TEE_IOCTL_PARAM_ATTR_META;

SuppMessage request(uint32_t func, uint64_t req_id, bool meta = true) {
  SuppMessage m;
  m.code = func;
  if (meta) m.params.push_back({kMetaReply, req_id, 0, 0});
  m.params.push_back({TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT, 0, 0, 0});
  return m;
}

class LoopTest : public ::testing::Test {
 protected:
  testing::TempDir tmp_;
  testing::FakeTransport transport_;
  ShmTable shms_;
  TaStore tas_{{tmp_.path()}};
  ReeFs ree_{ReeFsOptions{tmp_.path() + "/state", true}};
  RpcEnv env_{transport_, shms_, tas_, ree_};
};

TEST_F(LoopTest, AnnouncesMetaAndEchoesIt) {
  Supplicant s(env_, 4);
  ASSERT_TRUE(s.start().ok());
  transport_.push(request(/*unsupported*/ 99, 42));
  ASSERT_TRUE(
      transport_.wait_for([&]() REQUIRES(transport_.mu_) { return transport_.replies_.size() == 1; }));
  {
    MutexLock l(transport_.mu_);
    ASSERT_FALSE(transport_.last_offered_.empty());
    EXPECT_EQ(transport_.last_offered_[0].attr, TEE_IOCTL_PARAM_ATTR_META);
    EXPECT_EQ(transport_.last_offered_.size(), 1 + optee::kRpcMaxParams);
    const SuppMessage& r = transport_.replies_[0];
    EXPECT_EQ(r.code, kTeeErrorNotSupported);
    ASSERT_EQ(r.params.size(), 2u);
    EXPECT_EQ(r.params[0].attr, kMetaReply);
    EXPECT_EQ(r.params[0].a, 42u);
  }
  s.stop();
  EXPECT_TRUE(s.wait().ok());
}

TEST_F(LoopTest, StartsAWorkerWhenNoneIsLeftWaiting) {
  Supplicant s(env_, 4);
  ASSERT_TRUE(s.start().ok());
  transport_.push(request(optee::kRpcShmTypeAppl /* LOAD_TA with a bad shape */, 1));
  ASSERT_TRUE(
      transport_.wait_for([&]() REQUIRES(transport_.mu_) { return transport_.replies_.size() == 1; }));
  EXPECT_EQ(s.stats().threads_started, 2u);
  s.stop();
  EXPECT_TRUE(s.wait().ok());
}

TEST_F(LoopTest, SynchronousModeNeverSpawns) {
  Supplicant s(env_, 4);
  ASSERT_TRUE(s.start().ok());
  for (int i = 0; i < 3; ++i) transport_.push(request(99, 0, /*meta=*/false));
  ASSERT_TRUE(
      transport_.wait_for([&]() REQUIRES(transport_.mu_) { return transport_.replies_.size() == 3; }));
  EXPECT_EQ(s.stats().threads_started, 1u);
  {
    MutexLock l(transport_.mu_);
    EXPECT_EQ(transport_.replies_[0].params.size(), 1u);  // no META echo invented
  }
  s.stop();
  EXPECT_TRUE(s.wait().ok());
}

TEST_F(LoopTest, WorkersAreBounded) {
  Supplicant s(env_, 3);
  transport_.hold_sends(true);  // every handled request blocks in SEND
  ASSERT_TRUE(s.start().ok());
  for (int i = 0; i < 10; ++i) transport_.push(request(99, static_cast<uint64_t>(i)));
  ASSERT_TRUE(transport_.wait_for([&]() REQUIRES(transport_.mu_) { return transport_.in_send_ == 3; }));
  EXPECT_EQ(s.stats().threads_started, 3u);
  {
    MutexLock l(transport_.mu_);
    EXPECT_EQ(transport_.queue_.size(), 7u);  // nobody left to take them
  }
  transport_.hold_sends(false);
  ASSERT_TRUE(
      transport_.wait_for([&]() REQUIRES(transport_.mu_) { return transport_.replies_.size() == 10; }));
  EXPECT_EQ(s.stats().threads_started, 3u);
  EXPECT_EQ(s.stats().requests, 10u);
  s.stop();
  EXPECT_TRUE(s.wait().ok());
}

TEST_F(LoopTest, TransportDeathEndsTheLoopWithAnError) {
  Supplicant s(env_, 2);
  ASSERT_TRUE(s.start().ok());
  ASSERT_TRUE(transport_.wait_for([&]() REQUIRES(transport_.mu_) { return transport_.waiting_ == 1; }));
  transport_.shutdown();  // as if swteed went away
  Status st = s.wait();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ECONNRESET);
}

}  // namespace
}  // namespace swtee::supp
