#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "os/pta/invoke_tests_pta.h"
#include "os/pta/stats_pta.h"
#include "os/pta/system_pta.h"
#include "os/shm_registry.h"
#include "os/tests/fake_ta_host.h"
#include "protocol/optee_msg.h"

namespace swtee::os {
namespace {

using testing::FakeCallRpc;

class PtaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fd = create_sealed_memfd("t", 64);
    ASSERT_TRUE(fd.ok());
    shm = *adopt_phys_shm(1, std::move(*fd), 64);
  }
  OsParam memref(OsParamType t, uint64_t off, uint64_t size) { return OsParam{t, 0, 0, shm, off, size}; }
  GpResult invoke(PseudoTa& pta, uint32_t cmd) {
    CallContext call{rpc, cancel};
    return pta.invoke(session, cmd, p, call);
  }
  std::shared_ptr<PhysShm> shm;
  FakeCallRpc rpc;
  CancelState cancel;
  PtaSession session{7, {optee::kLoginGroup, *Uuid::parse("00112233-4455-6677-8899-aabbccddeeff")}, 0};
  OsParams p{};
  InvokeTestsPta tests;
};

TEST_F(PtaTest, IncValuesChecksTypes) {
  p[0] = OsParam{OsParamType::ValueInout, 0xFFFFFFFF, 1, nullptr, 0, 0};
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdIncValues).ret, kTeeSuccess);
  EXPECT_EQ(p[0].a, 0u);
  EXPECT_EQ(p[0].b, 2u);
  p[0].type = OsParamType::ValueInput;
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdIncValues).ret, kTeeErrorBadParameters);
  EXPECT_EQ(invoke(tests, 77).ret, kTeeErrorNotSupported);
}

TEST_F(PtaTest, ReverseWithShortBuffer) {
  std::memcpy(shm->map.data(), "hello", 5);
  p[0] = memref(OsParamType::MemrefInput, 0, 5);
  p[1] = memref(OsParamType::MemrefOutput, 16, 4);
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdReverse).ret, kTeeErrorShortBuffer);
  EXPECT_EQ(p[1].size, 5u);
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, nullptr, 0, 0};  // NULL memref size query
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdReverse).ret, kTeeErrorShortBuffer);
  EXPECT_EQ(p[1].size, 5u);
  p[1] = memref(OsParamType::MemrefOutput, 16, 48);
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdReverse).ret, kTeeSuccess);
  EXPECT_EQ(p[1].size, 5u);
  EXPECT_EQ(std::memcmp(shm->map.data() + 16, "olleh", 5), 0);
  // A NULL input memref claiming bytes has none.
  p[0] = OsParam{OsParamType::MemrefInput, 0, 0, nullptr, 0, 4};
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdReverse).ret, kTeeErrorBadParameters);
}

TEST_F(PtaTest, ClientIdentity) {
  p[0].type = OsParamType::ValueOutput;
  p[1] = memref(OsParamType::MemrefOutput, 0, 16);
  ASSERT_EQ(invoke(tests, kInvokeTestsCmdClientId).ret, kTeeSuccess);
  EXPECT_EQ(p[0].a, optee::kLoginGroup);
  EXPECT_EQ(p[0].b, 7u);
  EXPECT_EQ(std::memcmp(shm->map.data(), session.client.uuid.octets.data(), 16), 0);
  p[1] = memref(OsParamType::MemrefOutput, 0, 15);
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdClientId).ret, kTeeErrorShortBuffer);
  EXPECT_EQ(p[1].size, 16u);
}

TEST_F(PtaTest, WaitCancelAlreadyRequested) {
  cancel.request();  // before the wait starts: the hook runs at once
  p[0] = OsParam{OsParamType::ValueInput, kInvokeTestsMaxWaitMs, 0, nullptr, 0, 0};
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdWaitCancel).ret, kTeeErrorCancel);
}

TEST_F(PtaTest, WaitCancelTimesOutWithoutCancel) {
  p[0] = OsParam{OsParamType::ValueInput, 0, 0, nullptr, 0, 0};
  EXPECT_EQ(invoke(tests, kInvokeTestsCmdWaitCancel).ret, kTeeSuccess);
}

// The waits are a pool split per uid (os/shared_pool.h): a uid past its
// share, or any past the pool, is answered BUSY at once; another uid still
// waits, and a wait that ended gives its place back.
TEST_F(PtaTest, WaitCancelTakesFromThePoolOfTheCallsUid) {
  auto pool = std::make_shared<SharedPool>("invoke_tests PTA waits", share_limit(2, 50));
  InvokeTestsPta limited(pool);
  CancelState holder_cancel;
  std::atomic<bool> waiting{false};
  std::thread holder([&] {
    OsParams hp{};
    hp[0] = OsParam{OsParamType::ValueInput, kInvokeTestsMaxWaitMs, 0, nullptr, 0, 0};
    CallContext call{rpc, holder_cancel, 0, 5u};
    waiting = true;
    EXPECT_EQ(limited.invoke(session, kInvokeTestsCmdWaitCancel, hp, call).ret, kTeeErrorCancel);
  });
  while (!waiting || pool->used() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto wait_as = [&](std::optional<uint32_t> uid) {
    OsParams wp{};
    wp[0] = OsParam{OsParamType::ValueInput, 1, 0, nullptr, 0, 0};
    CancelState c;
    CallContext call{rpc, c, 0, uid};
    return limited.invoke(session, kInvokeTestsCmdWaitCancel, wp, call);
  };
  const GpResult busy = wait_as(5u);
  EXPECT_EQ(busy.ret, kTeeErrorBusy);
  EXPECT_EQ(busy.origin, kTeeOriginTrustedApp);
  EXPECT_EQ(wait_as(6u).ret, kTeeSuccess) << "another uid still gets a wait";
  EXPECT_EQ(pool->status().refused_share, 1u);
  holder_cancel.request();
  holder.join();
  EXPECT_EQ(pool->used(), 0u);
  EXPECT_EQ(wait_as(5u).ret, kTeeSuccess) << "the ended wait gave its place back";
}

TEST_F(PtaTest, StatsCounts) {
  int calls = 0;
  StatsPta stats([&calls] {
    ++calls;
    return OsCounts{3, 2, 5, 1};
  });
  p[0].type = OsParamType::ValueOutput;
  p[1].type = OsParamType::ValueOutput;
  ASSERT_EQ(invoke(stats, kStatsCmdCounts).ret, kTeeSuccess);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(p[0].a, 3u);
  EXPECT_EQ(p[0].b, 2u);
  EXPECT_EQ(p[1].a, 5u);
  EXPECT_EQ(p[1].b, 1u);
  p[1].type = OsParamType::ValueInout;
  EXPECT_EQ(invoke(stats, kStatsCmdCounts).ret, kTeeErrorBadParameters);
  p[1].type = OsParamType::ValueOutput;
  // No RPC time service in the fake: the error comes through.
  EXPECT_EQ(invoke(stats, kStatsCmdGetTime).ret, kTeeErrorNotSupported);
  EXPECT_EQ(invoke(stats, 1).ret, kTeeErrorNotSupported);
  EXPECT_EQ(StatsPta::kUuid, *Uuid::parse("6e2b4a10-7c39-4d58-b1a2-3f4e5d6c7b82"));
  EXPECT_EQ(InvokeTestsPta::kUuid, *Uuid::parse("6e2b4a10-7c39-4d58-b1a2-3f4e5d6c7b81"));
  // Never OP-TEE's invoke_tests / stats PTA UUIDs: their command sets differ.
  EXPECT_NE(InvokeTestsPta::kUuid, *Uuid::parse("d96a5b40-c3e5-21e3-8794-1002a5d5c61b"));
  EXPECT_NE(StatsPta::kUuid, *Uuid::parse("d96a5b40-e2c7-b1af-8794-1002a5d5c61b"));
}

// STATUS: the report for swteed (login REE_KERNEL) only, decodable by the
// protocol codec, SHORT_BUFFER with the size when it does not fit.
TEST_F(PtaTest, StatsStatusReportForTheDaemonOnly) {
  int reports = 0;
  StatsPta stats([] { return OsCounts{}; },
                 [&reports] {
                   ++reports;
                   osstat::OsStatus s;
                   s.counts.rpcs = 12;
                   s.counts.storage_written_bytes = 4096;
                   osstat::TaStatus t;
                   t.uuid = *Uuid::parse("d1e6a5a0-0c3b-4f7e-9a51-3c2b1a000004");
                   t.panics = 2;
                   t.instances = {{4242, 2}};
                   s.tas = {t};
                   return s;
                 });
  auto fd = create_sealed_memfd("report", 4096);
  ASSERT_TRUE(fd.ok());
  auto big = *adopt_phys_shm(2, std::move(*fd), 4096);
  p[0] = OsParam{OsParamType::MemrefOutput, 0, 0, big, 0, 4096};
  EXPECT_EQ(invoke(stats, kStatsCmdStatus).ret, kTeeErrorAccessDenied);  // a client's login
  EXPECT_EQ(reports, 0);
  session.client = {optee::kLoginReeKernel, Uuid::nil()};
  ASSERT_EQ(invoke(stats, kStatsCmdStatus).ret, kTeeSuccess);
  auto r = osstat::decode(big->map.bytes().subspan(0, p[0].size));
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->counts.rpcs, 12u);
  EXPECT_EQ(r->counts.storage_written_bytes, 4096u);
  ASSERT_EQ(r->tas.size(), 1u);
  EXPECT_EQ(r->tas[0].panics, 2u);
  ASSERT_EQ(r->tas[0].instances.size(), 1u);
  EXPECT_EQ(r->tas[0].instances[0].pid, 4242);
  EXPECT_EQ(r->tas[0].instances[0].sessions, 2u);
  const uint64_t full = p[0].size;
  p[0] = OsParam{OsParamType::MemrefOutput, 0, 0, big, 0, 16};
  EXPECT_EQ(invoke(stats, kStatsCmdStatus).ret, kTeeErrorShortBuffer);
  EXPECT_EQ(p[0].size, full);
  p[0].type = OsParamType::MemrefInout;
  EXPECT_EQ(invoke(stats, kStatsCmdStatus).ret, kTeeErrorBadParameters);
  StatsPta without([] { return OsCounts{}; });
  EXPECT_EQ(invoke(without, kStatsCmdStatus).ret, kTeeErrorNotSupported);
}

// The system PTA with a fake key derivation that counts its calls.
TEST_F(PtaTest, SystemPtaDerivesForTheCallingTaOnly) {
  int derivations = 0;
  Uuid seen;
  SystemPta sys([&](const Uuid& ta, std::span<const uint8_t> extra, std::span<uint8_t> out, CallContext&) {
    ++derivations;
    seen = ta;
    for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(i + extra.size());
    return ok_status();
  });
  EXPECT_EQ(SystemPta::kUuid, *Uuid::parse("3a2f8978-5dc0-11e8-9c2d-fa7ae01bbebc"));
  CallContext call{rpc, cancel};
  // Normal-world clients are refused, as on OP-TEE.
  EXPECT_EQ(sys.open_session(session, p, call).ret, kTeeErrorAccessDenied);
  PtaSession ta_session{8, {0xF0000000u, *Uuid::parse("01020304-0506-0708-090a-0b0c0d0e0f10")}, 0};
  EXPECT_EQ(sys.open_session(ta_session, p, call).ret, kTeeSuccess);
  // DERIVE_TA_UNIQUE_KEY: extra = shm[0..4), key = shm[16..48).
  p[0] = memref(OsParamType::MemrefInput, 0, 4);
  p[1] = memref(OsParamType::MemrefOutput, 16, 32);
  ASSERT_EQ(sys.invoke(ta_session, kSystemCmdDeriveTaUniqueKey, p, call).ret, kTeeSuccess);
  EXPECT_EQ(derivations, 1);
  EXPECT_EQ(seen, ta_session.client.uuid);
  EXPECT_EQ(shm->map.data()[16], 4);
  p[1] = memref(OsParamType::MemrefOutput, 16, 8);  // below OP-TEE's 16-byte floor
  EXPECT_EQ(sys.invoke(ta_session, kSystemCmdDeriveTaUniqueKey, p, call).ret, kTeeErrorBadParameters);
  EXPECT_EQ(derivations, 1) << "refused before deriving";
  // Known but inapplicable commands, then unknown ones.
  EXPECT_EQ(sys.invoke(ta_session, 2, p, call).ret, kTeeErrorNotSupported);
  EXPECT_EQ(sys.invoke(ta_session, 12, p, call).ret, kTeeErrorNotSupported);
  EXPECT_EQ(sys.invoke(ta_session, 14, p, call).ret, kTeeErrorNotImplemented);
  // SUPP_PLUGIN_INVOKE with no supplicant path: the transport's error.
  OsParams q{};
  q[0] = memref(OsParamType::MemrefInput, 0, 16);
  q[1] = OsParam{OsParamType::ValueInput, 1, 0, nullptr, 0, 0};
  q[2] = memref(OsParamType::MemrefInout, 16, 8);
  q[3] = OsParam{OsParamType::ValueOutput, 0, 0, nullptr, 0, 0};
  EXPECT_EQ(sys.invoke(ta_session, kSystemCmdSuppPluginInvoke, q, call).ret, kTeeErrorNotSupported);
}

}  // namespace
}  // namespace swtee::os
