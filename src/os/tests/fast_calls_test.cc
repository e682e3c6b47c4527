#include "os/fast_calls.h"

#include <gtest/gtest.h>

#include "protocol/optee_msg.h"
#include "protocol/optee_smc.h"

namespace swtee::os {
namespace {

conduit::SmcRegs call(uint64_t a0, uint64_t a1 = 0) {
  conduit::SmcRegs r{};
  r.a[0] = a0;
  r.a[1] = a1;
  return r;
}

const FastCallConfig kCfg{3, 4 * conduit::kCarveoutSlotSize};

TEST(FastCalls, UidAndRevisions) {
  auto uid = answer_fast_call(call(optee::kSmcCallsUid), kCfg);
  ASSERT_TRUE(uid);
  EXPECT_EQ(uid->a[0], optee::kApiUid0);
  EXPECT_EQ(uid->a[3], optee::kApiUid3);
  auto rev = answer_fast_call(call(optee::kSmcCallsRevision), kCfg);
  ASSERT_TRUE(rev);
  EXPECT_EQ(rev->a[0], optee::kRevisionMajor);
  EXPECT_EQ(rev->a[1], optee::kRevisionMinor);
  auto os = answer_fast_call(call(optee::kSmcGetOsUuid), kCfg);
  ASSERT_TRUE(os);
  EXPECT_EQ(os->a[0], optee::kOsUuid0);
  EXPECT_EQ(os->a[2], optee::kOsUuid2);
  EXPECT_TRUE(answer_fast_call(call(optee::kSmcGetOsRevision), kCfg));
}

TEST(FastCalls, Capabilities) {
  auto r = answer_fast_call(call(optee::kSmcExchangeCapabilities, optee::kNsecCapUniprocessor), kCfg);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->a[0], optee::kSmcReturnOk);
  EXPECT_EQ(r->a[1], optee::kSecCapDynamicShm | optee::kSecCapMemrefNull | optee::kSecCapRpcArg |
                         optee::kSecCapHaveReservedShm);
  EXPECT_EQ(r->a[3] & 0xff, optee::kRpcMaxParams);
}

TEST(FastCalls, ShmConfigAndThreads) {
  auto shm = answer_fast_call(call(optee::kSmcGetShmConfig), kCfg);
  ASSERT_TRUE(shm);
  EXPECT_EQ(shm->a[0], optee::kSmcReturnOk);
  EXPECT_EQ(shm->a[1], conduit::kCarveoutPhysBase);
  EXPECT_EQ(shm->a[2], kCfg.shm_size);
  EXPECT_EQ(shm->a[3], optee::kSmcShmCached);
  auto t = answer_fast_call(call(optee::kSmcGetThreadCount), kCfg);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->a[1], 3u);
  EXPECT_EQ(answer_fast_call(call(optee::kSmcEnableShmCache), kCfg)->a[0], optee::kSmcReturnOk);
  EXPECT_EQ(answer_fast_call(call(optee::kSmcDisableShmCache), kCfg)->a[0], optee::kSmcReturnENotAvail);
}

TEST(FastCalls, NotFastCalls) {
  EXPECT_FALSE(answer_fast_call(call(optee::kSmcCallWithRpcArg), kCfg));
  EXPECT_FALSE(answer_fast_call(call(optee::kSmcReturnFromRpc), kCfg));
  EXPECT_FALSE(answer_fast_call(call(0x12345678), kCfg));
  EXPECT_FALSE(answer_fast_call(call(uint64_t{1} << 32 | optee::kSmcCallsUid), kCfg));
}

}  // namespace
}  // namespace swtee::os
