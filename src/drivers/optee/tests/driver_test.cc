// The OP-TEE driver against an in-process fake secure world.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <ctime>
#include <thread>

#include "drivers/optee/optee_driver.h"
#include "drivers/optee/optee_driver_impl.h"
#include "drivers/optee/probe.h"
#include "drivers/optee/tests/fake_secure_world.h"
#include "protocol/gp_results.h"
#include "protocol/os_status_codec.h"
#include "swtee/uapi/tee.h"

namespace swtee::optee {
namespace {

using core::ParamType;
using core::TeeParam;
using core::TeeParams;
using testing::FakeCall;
using testing::FakeContext;
using testing::FakeOptions;
using testing::FakeSecureWorld;

MsgParam value_param(uint64_t attr, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0) {
  MsgParam p{};
  p.attr = attr;
  p.u.value = {a, b, c};
  return p;
}

bool same_file(int a, int b) {
  struct stat sa {
  }, sb{};
  return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

class DriverTest : public ::testing::Test {
 protected:
  // Set sw->on_call between make_world() and probe().
  void make_world(FakeOptions o = {}) { sw = std::make_unique<FakeSecureWorld>(o); }
  void probe() {
    auto d = probe_with_conduit(sw->carveout_fd(), sw->take_channels(), sw->doorbell_fd());
    ASSERT_TRUE(d.ok()) << d.error().what;
    drv = std::move(*d);
  }
  CallQueue& queue() { return static_cast<OpteeDriverImpl&>(*drv).driver_core().queue(); }
  // `n` threads invoke `session` at once; returns how many succeeded.
  int invoke_concurrently(FakeContext& ctx, uint32_t session, int n) {
    std::atomic<int> ok{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < n; ++i) {
      ts.emplace_back([&] {
        TeeParams p;
        core::InvokeArg arg;
        arg.session = session;
        if (drv->client_ops().invoke_func(ctx, arg, p).ok() && arg.result.ret == kTeeSuccess) ok++;
      });
    }
    for (auto& t : ts) t.join();
    return ok.load();
  }
  std::unique_ptr<FakeContext> client(uint64_t id) {
    auto c = std::make_unique<FakeContext>(id, false);
    auto d = drv->client_ops().open(*c);
    EXPECT_TRUE(d.ok());
    c->data_ = std::move(*d);
    return c;
  }
  std::unique_ptr<FakeContext> supplicant(uint64_t id) {
    auto c = std::make_unique<FakeContext>(id, true);
    EXPECT_TRUE(drv->supp_ops().open(*c).ok());
    return c;
  }
  uint32_t open_session(FakeContext& ctx) {
    core::OpenSessionArg arg;
    TeeParams none;
    EXPECT_TRUE(drv->client_ops().open_session(ctx, arg, none).ok());
    EXPECT_EQ(arg.result.ret, kTeeSuccess);
    return arg.session;
  }
  core::TeeResult invoke(FakeContext& ctx, uint32_t session, TeeParams& params, uint32_t func = 0) {
    core::InvokeArg arg;
    arg.session = session;
    arg.func = func;
    EXPECT_TRUE(drv->client_ops().invoke_func(ctx, arg, params).ok());
    return arg.result;
  }

  std::unique_ptr<FakeSecureWorld> sw;
  std::unique_ptr<OpteeDriver> drv;
};

bool is_cmd(const FakeCall& c, MsgCmd cmd) { return c.hdr.cmd == static_cast<uint32_t>(cmd); }

// --- probe -------------------------------------------------------------------

TEST_F(DriverTest, ProbeHandshakeAndVersion) {
  make_world();
  probe();
  auto v = drv->client_ops().get_version();
  EXPECT_EQ(v.impl_id, static_cast<uint32_t>(TEE_IMPL_ID_OPTEE));
  EXPECT_EQ(v.impl_caps, static_cast<uint32_t>(TEE_OPTEE_CAP_TZ));
  EXPECT_EQ(v.gen_caps, TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL);
  EXPECT_TRUE(drv->os_alive());
  EXPECT_TRUE(drv->client_ops().optional_ops() & static_cast<uint32_t>(core::OptionalOp::ShmUnregister));
  EXPECT_TRUE(drv->client_ops().optional_ops() & static_cast<uint32_t>(core::OptionalOp::CancelReq));
  EXPECT_FALSE(drv->client_ops().optional_ops() & static_cast<uint32_t>(core::OptionalOp::SuppRecv));
  EXPECT_TRUE(drv->supp_ops().optional_ops() & static_cast<uint32_t>(core::OptionalOp::SuppSend));
  EXPECT_FALSE(drv->supp_ops().optional_ops() & static_cast<uint32_t>(core::OptionalOp::OpenSession));
}

TEST(DriverProbe, RefusesWhatIsNotOpteeV2WithTheNeededCaps) {
  auto try_probe = [](FakeOptions o) {
    FakeSecureWorld sw(o);
    return probe_with_conduit(sw.carveout_fd(), sw.take_channels(), sw.doorbell_fd());
  };
  FakeOptions bad_uid;
  bad_uid.uid0 = 0x12345678;
  FakeOptions bad_rev;
  bad_rev.rev_major = 3;
  FakeOptions no_rpc_arg;
  no_rpc_arg.caps = kSecCapDynamicShm | kSecCapMemrefNull;
  FakeOptions no_dyn;
  no_dyn.caps = kSecCapRpcArg;
  FakeOptions bad_shm;
  bad_shm.shm_base = 0x1000;
  for (const auto& o : {bad_uid, bad_rev, no_rpc_arg, no_dyn, bad_shm}) {
    auto d = try_probe(o);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.error().code, ENODEV);
  }
}

TEST(DriverProbe, DeadSecureWorldIsACleanError) {
  FakeSecureWorld sw;
  sw.kill();
  auto d = probe_with_conduit(sw.carveout_fd(), sw.take_channels(), sw.doorbell_fd());
  EXPECT_FALSE(d.ok());
}

TEST(DriverProbe, SpawnFailureIsACleanError) {
  OpteeConfig cfg;
  cfg.os_binary = "/nonexistent/swtee-os";
  cfg.threads = 1;
  cfg.channels = 2;
  auto d = OpteeDriver::probe(cfg);
  EXPECT_FALSE(d.ok());
  cfg.channels = 0;
  EXPECT_EQ(OpteeDriver::probe(cfg).error().code, EINVAL);
}

// --- open / invoke -------------------------------------------------------------

TEST_F(DriverTest, OpenSessionTranslatesMetaAndUserParams) {
  make_world();
  Mutex mu;
  std::vector<MsgParam> seen;
  sw->on_call = [&](FakeCall& c) {
    if (!is_cmd(c, MsgCmd::OpenSession)) return;
    {
      MutexLock l(mu);
      seen = c.params;
    }
    c.hdr.session = 0x42;
    c.params[3].u.value = {7, 8, 9};
    c.params[4].u.rmem.size = 3;
    c.params[5].u.tmem.size = 55;
  };
  probe();
  auto ctx = client(1);
  auto shm = ctx->alloc_shm(4096, &drv->client_ops());

  core::OpenSessionArg arg;
  arg.uuid = *Uuid::parse("8aaaf200-2450-11e4-abe2-0002a5d5c51b");
  arg.clnt_uuid = *Uuid::parse("11111111-2222-3333-4444-555555555555");
  arg.clnt_login = TEE_IOCTL_LOGIN_USER;
  TeeParams params(4);
  params[0].type = ParamType::ValueInput;
  params[0].value = {1, 2, 3};
  params[1].type = ParamType::ValueOutput;
  params[2].type = ParamType::MemrefOutput;
  params[2].memref = {8, 16, shm};
  params[3].type = ParamType::MemrefOutput;
  params[3].memref.size = 10;  // NULL memref, size query
  ASSERT_TRUE(drv->client_ops().open_session(*ctx, arg, params).ok());
  EXPECT_EQ(arg.result.ret, kTeeSuccess);
  EXPECT_EQ(arg.session, 0x42u);

  MutexLock l(mu);
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(seen[0].attr, kAttrTypeValueInput | kAttrMeta);
  EXPECT_EQ(std::memcmp(&seen[0].u.value.a, arg.uuid.octets.data(), 8), 0);
  EXPECT_EQ(std::memcmp(&seen[0].u.value.b, arg.uuid.octets.data() + 8, 8), 0);
  EXPECT_EQ(seen[1].attr, kAttrTypeValueInput | kAttrMeta);
  EXPECT_EQ(std::memcmp(&seen[1].u.value.a, arg.clnt_uuid.octets.data(), 8), 0);
  EXPECT_EQ(seen[1].u.value.c, static_cast<uint64_t>(TEE_IOCTL_LOGIN_USER));
  EXPECT_EQ(seen[2].attr, kAttrTypeValueInput);
  EXPECT_EQ(seen[2].u.value.c, 3u);
  EXPECT_EQ(seen[3].attr, kAttrTypeValueOutput);
  EXPECT_EQ(seen[4].attr, kAttrTypeRmemOutput);
  EXPECT_EQ(seen[4].u.rmem.offs, 8u);
  EXPECT_EQ(seen[4].u.rmem.size, 16u);
  const uint64_t cookie = seen[4].u.rmem.shm_ref;
  EXPECT_NE(cookie, 0u);
  EXPECT_EQ(shm->driver_cookie.load(), cookie);
  ASSERT_TRUE(sw->is_registered(cookie));
  EXPECT_TRUE(same_file(sw->registered_fd(cookie), shm->fd()));
  EXPECT_EQ(seen[5].attr, kAttrTypeTmemOutput);
  EXPECT_EQ(seen[5].u.tmem.buf_ptr, 0u);
  EXPECT_EQ(seen[5].u.tmem.size, 10u);
  EXPECT_EQ(seen[5].u.tmem.shm_ref, 0u);

  EXPECT_EQ(params[1].value.b, 8u);
  EXPECT_EQ(params[2].memref.size, 3u);
  EXPECT_EQ(params[3].memref.size, 55u);
}

TEST_F(DriverTest, LazyRegistrationOnceAndUnregisterWhenTheShmDies) {
  make_world();
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  auto shm = ctx->alloc_shm(8192, &drv->client_ops());
  for (int i = 0; i < 3; ++i) {
    TeeParams p(1);
    p[0].type = ParamType::MemrefInout;
    p[0].memref = {0, 8192, shm};
    EXPECT_EQ(invoke(*ctx, s, p).ret, kTeeSuccess);
  }
  EXPECT_EQ(sw->register_calls(), 1);
  const uint64_t cookie = shm->driver_cookie.load();
  ASSERT_NE(cookie, 0u);
  EXPECT_TRUE(sw->is_registered(cookie));

  const int id = shm->id();
  shm.reset();
  ctx->drop_shm(id);  // last reference: the release hook queues UNREGISTER_SHM
  EXPECT_TRUE(sw->wait_for([&] { return sw->registered_count() == 0; }));
}

TEST_F(DriverTest, SessionsAreScopedAndReleasedWithTheContext) {
  make_world();
  probe();
  auto a = client(1), b = client(2);
  uint32_t s = open_session(*a);
  TeeParams none;
  core::InvokeArg arg;
  arg.session = s;
  auto st = drv->client_ops().invoke_func(*b, arg, none);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, EINVAL);
  EXPECT_EQ(drv->client_ops().close_session(*b, s).error().code, EINVAL);
  EXPECT_EQ(drv->client_ops().cancel_req(*b, 0, s).error().code, EINVAL);

  auto closes = [&] {
    int n = 0;
    for (const auto& h : sw->calls()) n += h.cmd == static_cast<uint32_t>(MsgCmd::CloseSession);
    return n;
  };
  drv->client_ops().release(*a);
  EXPECT_EQ(closes(), 1);
}

// The secure world turns calls away (ETHREAD_LIMIT) although the driver
// counted a free thread (it reported more than it serves, as a guest's
// share looks): the calls queue and retry, and none fails.
TEST_F(DriverTest, EThreadLimitQueuesCallersAndNobodyFails) {
  FakeOptions o;
  o.threads = 1;
  o.reported_threads = 6;
  o.channels = 6;
  make_world(o);
  sw->on_call = [&](FakeCall& c) {
    // Hold the only secure thread until someone has been turned away.
    if (is_cmd(c, MsgCmd::InvokeCommand)) sw->wait_for([&] { return sw->ethread_limits.load() > 0; });
  };
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  EXPECT_EQ(invoke_concurrently(*ctx, s, 5), 5);
  EXPECT_GT(sw->ethread_limits.load(), 0);
  EXPECT_EQ(sw->max_busy.load(), 1);
}

// With the count it reported right, the driver holds calls beyond it back
// itself: none is sent only to be turned away, and none fails.
TEST_F(DriverTest, CallsBeyondTheThreadCountWaitInTheDriverNotInARebound) {
  FakeOptions o;
  o.threads = 1;
  o.channels = 6;
  make_world(o);
  std::atomic<int> invokes{0};
  sw->on_call = [&](FakeCall& c) {
    // Hold the only secure thread until the other four wait in the driver.
    if (is_cmd(c, MsgCmd::InvokeCommand) && invokes.fetch_add(1) == 0)
      sw->wait_for([&] { return queue().admission_waiting() == 4; });
  };
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  EXPECT_EQ(invoke_concurrently(*ctx, s, 5), 5);
  EXPECT_EQ(invokes.load(), 5);
  EXPECT_EQ(sw->ethread_limits.load(), 0) << "no call was sent only to be turned away";
  EXPECT_EQ(sw->max_busy.load(), 1);
}

// A call the secure world turned away holds no thread by the driver's count
// while it waits: the next call is admitted and sent (where, with guests,
// another guest's share may have room). Here the fake serves 1 of the 2
// threads it reports, so both later calls are turned away in turn.
TEST_F(DriverTest, ACallTurnedAwayGivesItsAdmissionBack) {
  FakeOptions o;
  o.threads = 1;
  o.reported_threads = 2;
  o.channels = 6;
  make_world(o);
  std::atomic<int> invokes{0};
  sw->on_call = [&](FakeCall& c) {
    if (is_cmd(c, MsgCmd::InvokeCommand) && invokes.fetch_add(1) == 0)
      sw->wait_for([&] { return sw->ethread_limits.load() >= 2; });
  };
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  EXPECT_EQ(invoke_concurrently(*ctx, s, 3), 3);
  EXPECT_GE(sw->ethread_limits.load(), 2) << "the third call was admitted while the second waited";
  EXPECT_EQ(sw->max_busy.load(), 1);
}

TEST_F(DriverTest, CancelReachesOnlyTheCallerContextsCall) {
  make_world();
  std::atomic<uint32_t> invoke_cancel_id{0}, cancel_cancel_id{0}, cancel_session{0};
  std::atomic<int> cancels{0};
  sw->on_call = [&](FakeCall& c) {
    if (is_cmd(c, MsgCmd::InvokeCommand)) {
      invoke_cancel_id = c.hdr.cancel_id;
      sw->wait_for([&] { return cancels.load() > 0; });
    } else if (is_cmd(c, MsgCmd::Cancel)) {
      cancel_cancel_id = c.hdr.cancel_id;
      cancel_session = c.hdr.session;
      cancels++;
    } else if (is_cmd(c, MsgCmd::OpenSession)) {
      c.hdr.session = 9;
    }
  };
  probe();
  auto a = client(1), b = client(2);
  uint32_t s = open_session(*a);
  std::thread caller([&] {
    TeeParams p;
    core::InvokeArg arg;
    arg.session = s;
    arg.cancel_id = 5;
    EXPECT_TRUE(drv->client_ops().invoke_func(*a, arg, p).ok());
  });
  while (invoke_cancel_id.load() == 0) std::this_thread::yield();
  // Another context using the same cancel id reaches nothing.
  EXPECT_TRUE(drv->client_ops().cancel_req(*b, 5, 0).ok());
  EXPECT_EQ(cancels.load(), 0);
  ASSERT_TRUE(drv->client_ops().cancel_req(*a, 5, s).ok());
  caller.join();
  EXPECT_EQ(cancels.load(), 1);
  EXPECT_EQ(cancel_cancel_id.load(), invoke_cancel_id.load());
  EXPECT_EQ(cancel_session.load(), s);
}

// --- RPC -----------------------------------------------------------------------

TEST_F(DriverTest, RpcGetTimeShmAllocKernelAndErrors) {
  make_world();
  Mutex mu;
  std::vector<FakeCall::RpcResult> got;
  sw->on_call = [&](FakeCall& c) {
    if (!is_cmd(c, MsgCmd::InvokeCommand)) return;
    std::vector<FakeCall::RpcResult> r;
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::GetTime), {value_param(kAttrTypeValueOutput)}));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::ShmAlloc),
                      {value_param(kAttrTypeValueInput, kRpcShmTypeKernel, 8192, 4096)}));
    const uint64_t cookie = r.back().params[0].u.tmem.shm_ref;
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::ShmFree),
                      {value_param(kAttrTypeValueInput, kRpcShmTypeKernel, cookie)}));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::ShmFree),
                      {value_param(kAttrTypeValueInput, kRpcShmTypeKernel, cookie)}));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::ShmAlloc),
                      {value_param(kAttrTypeValueInput, kRpcShmTypeKernel, 1ull << 40)}));
    r.push_back(c.rpc(99, {}));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::GetTime), std::vector<MsgParam>(6)));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::Notification),
                      {value_param(kAttrTypeValueInput, kRpcNotificationSend, 77)}));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::Notification),
                      {value_param(kAttrTypeValueInput, kRpcNotificationWait, 77, 0)}));
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::Suspend), {value_param(kAttrTypeValueInput, 1)}));
    MutexLock l(mu);
    got = std::move(r);
  };
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  TeeParams p;
  EXPECT_EQ(invoke(*ctx, s, p).ret, kTeeSuccess);

  MutexLock l(mu);
  ASSERT_EQ(got.size(), 10u);
  for (const auto& r : got) EXPECT_TRUE(r.ok);
  // GET_TIME
  EXPECT_EQ(got[0].ret, kTeeSuccess);
  const auto now = static_cast<uint64_t>(::time(nullptr));
  EXPECT_LE(got[0].params[0].u.value.a, now + 1);
  EXPECT_GE(got[0].params[0].u.value.a + 60, now);
  EXPECT_LT(got[0].params[0].u.value.b, 1'000'000'000u);
  // SHM_ALLOC kernel: TMEM_OUTPUT + a sealed memfd of that size
  EXPECT_EQ(got[1].ret, kTeeSuccess);
  EXPECT_EQ(got[1].params[0].attr, kAttrTypeTmemOutput);
  EXPECT_EQ(got[1].params[0].u.tmem.size, 8192u);
  EXPECT_NE(got[1].params[0].u.tmem.shm_ref, 0u);
  ASSERT_TRUE(got[1].fd.valid());
  auto size = seal_and_size(got[1].fd.get());
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 8192u);
  // SHM_FREE once fine, twice refused
  EXPECT_EQ(got[2].ret, kTeeSuccess);
  EXPECT_EQ(got[3].ret, kTeeErrorBadParameters);
  EXPECT_EQ(got[4].ret, kTeeErrorOutOfMemory);
  EXPECT_EQ(got[5].ret, kTeeErrorNotSupported);
  EXPECT_EQ(got[6].ret, kTeeErrorBadParameters);
  // A SEND before its WAIT is remembered.
  EXPECT_EQ(got[7].ret, kTeeSuccess);
  EXPECT_EQ(got[8].ret, kTeeSuccess);
  EXPECT_EQ(got[9].ret, kTeeSuccess);
}

TEST_F(DriverTest, SupplicantAbsentFailsAtOnce) {
  make_world();
  std::atomic<uint32_t> ret{0};
  sw->on_call = [&](FakeCall& c) {
    if (!is_cmd(c, MsgCmd::InvokeCommand)) return;
    MsgParam img{};
    img.attr = kAttrTypeTmemOutput;
    auto r = c.rpc(static_cast<uint32_t>(RpcCmd::LoadTa), {value_param(kAttrTypeValueInput, 1, 2), img});
    ret = r.ret;
  };
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  TeeParams p;
  EXPECT_EQ(invoke(*ctx, s, p).ret, kTeeSuccess);
  EXPECT_EQ(ret.load(), kTeeErrorCommunication);
}

TEST_F(DriverTest, SecondSupplicantIsBusy) {
  make_world();
  probe();
  auto s1 = supplicant(10);
  FakeContext s2(11, true);
  auto r = drv->supp_ops().open(s2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EBUSY);
  drv->supp_ops().release(*s1);
  EXPECT_TRUE(drv->supp_ops().open(s2).ok());
  drv->supp_ops().release(s2);
}

TEST_F(DriverTest, SupplicantRoundTripWithApplShm) {
  make_world();
  Mutex mu;
  std::vector<FakeCall::RpcResult> got;
  std::string read_back;
  sw->on_call = [&](FakeCall& c) {
    if (!is_cmd(c, MsgCmd::InvokeCommand)) return;
    std::vector<FakeCall::RpcResult> r;
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::ShmAlloc),
                      {value_param(kAttrTypeValueInput, kRpcShmTypeAppl, 4096, 8)}));
    const uint64_t cookie = r[0].params[0].u.tmem.shm_ref;
    MsgParam mem{};
    mem.attr = kAttrTypeRmemOutput;
    mem.u.rmem = {16, 64, cookie};
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::Fs), {value_param(kAttrTypeValueInput, 3, 1, 0), mem}));
    std::string data;
    if (r[0].fd.valid()) {
      auto m = Mapping::map(r[0].fd.get(), 4096, false);
      if (m.ok()) data.assign(reinterpret_cast<const char*>(m->data() + 16), r[1].params[1].u.rmem.size);
    }
    r.push_back(c.rpc(static_cast<uint32_t>(RpcCmd::ShmFree),
                      {value_param(kAttrTypeValueInput, kRpcShmTypeAppl, cookie)}));
    MutexLock l(mu);
    got = std::move(r);
    read_back = data;
  };
  probe();
  auto supp = supplicant(10);
  std::atomic<int> freed_id{-1}, alloc_id{-2};
  std::thread supp_thread([&] {
    for (int i = 0; i < 3; ++i) {
      uint32_t func = 0;
      TeeParams p(6);
      p[0].meta = true;
      if (!drv->supp_ops().supp_recv(*supp, func, p).ok()) return;
      uint32_t ret = kTeeSuccess;
      if (func == static_cast<uint32_t>(RpcCmd::ShmAlloc)) {
        auto shm = supp->alloc_shm(p[1].value.b, &drv->supp_ops());
        p[1].value.c = static_cast<uint64_t>(shm->id());
        alloc_id = shm->id();
      } else if (func == static_cast<uint32_t>(RpcCmd::Fs)) {
        auto& mr = p[2].memref;
        auto m = Mapping::map(mr.shm->fd(), mr.shm->size());
        std::memcpy(m->data() + mr.shm_offs, "hello", 5);
        mr.size = 5;
      } else if (func == static_cast<uint32_t>(RpcCmd::ShmFree)) {
        freed_id = static_cast<int>(p[1].value.b);
        supp->drop_shm(freed_id);
      } else {
        ret = kTeeErrorNotSupported;
      }
      if (!drv->supp_ops().supp_send(*supp, ret, p).ok()) return;
    }
  });
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  TeeParams p;
  EXPECT_EQ(invoke(*ctx, s, p).ret, kTeeSuccess);
  supp_thread.join();

  MutexLock l(mu);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].ret, kTeeSuccess);
  EXPECT_EQ(got[0].params[0].attr, kAttrTypeTmemOutput);
  EXPECT_EQ(got[0].params[0].u.tmem.size, 4096u);
  EXPECT_TRUE(got[0].fd.valid());
  EXPECT_EQ(got[1].ret, kTeeSuccess);
  EXPECT_EQ(got[1].params[1].u.rmem.size, 5u);
  EXPECT_EQ(got[1].params[1].u.rmem.offs, 16u);
  EXPECT_EQ(read_back, "hello");
  EXPECT_EQ(got[2].ret, kTeeSuccess);
  EXPECT_EQ(freed_id.load(), alloc_id.load());
  drv->supp_ops().release(*supp);
}

TEST_F(DriverTest, SupplicantDeathFailsPendingRequests) {
  make_world();
  std::atomic<uint32_t> ret{0};
  sw->on_call = [&](FakeCall& c) {
    if (!is_cmd(c, MsgCmd::InvokeCommand)) return;
    ret = c.rpc(static_cast<uint32_t>(RpcCmd::Fs), {value_param(kAttrTypeValueInput, 0)}).ret;
  };
  probe();
  auto supp = supplicant(10);
  std::thread supp_thread([&] {
    uint32_t func = 0;
    TeeParams p(3);
    p[0].meta = true;
    ASSERT_TRUE(drv->supp_ops().supp_recv(*supp, func, p).ok());
    drv->supp_ops().release(*supp);  // dies holding the request
  });
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  TeeParams p;
  EXPECT_EQ(invoke(*ctx, s, p).ret, kTeeSuccess);
  supp_thread.join();
  EXPECT_EQ(ret.load(), kTeeErrorCommunication);
  // A late SEND from the dead context is refused, and a new supplicant may attach.
  TeeParams late(2);
  late[0].meta = true;
  late[0].type = ParamType::ValueInout;
  late[0].value.a = 1;
  EXPECT_FALSE(drv->supp_ops().supp_send(*supp, 0, late).ok());
  auto again = supplicant(11);
  drv->supp_ops().release(*again);
}

TEST_F(DriverTest, ClosingTheSupplicantConnectionEndsItsBlockedRecv) {
  make_world();
  probe();
  auto supp = supplicant(10);
  Status st;
  std::thread blocked([&] {
    uint32_t func = 0;
    TeeParams p(3);
    p[0].meta = true;
    st = drv->supp_ops().supp_recv(*supp, func, p);
  });
  drv->supp_ops().close_context(*supp);
  blocked.join();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, EINTR);
  drv->supp_ops().release(*supp);
  auto next = supplicant(11);
  drv->supp_ops().release(*next);
}

// --- secure world death ------------------------------------------------------------

TEST_F(DriverTest, SecureWorldDeathGivesTargetDead) {
  make_world();
  probe();
  auto ctx = client(1);
  uint32_t s = open_session(*ctx);
  sw->kill();
  for (int i = 0; i < 2; ++i) {
    TeeParams p;
    core::InvokeArg arg;
    arg.session = s;
    ASSERT_TRUE(drv->client_ops().invoke_func(*ctx, arg, p).ok());  // the ioctl itself succeeds
    EXPECT_EQ(arg.result.ret, kTeeErrorTargetDead);
    EXPECT_EQ(arg.result.ret_origin, kTeeOriginTee);
  }
  EXPECT_FALSE(drv->os_alive());
  core::OpenSessionArg oa;
  TeeParams none;
  ASSERT_TRUE(drv->client_ops().open_session(*ctx, oa, none).ok());
  EXPECT_EQ(oa.result.ret, kTeeErrorTargetDead);
  drv->client_ops().release(*ctx);
}

// --- swteed's own stats PTA client (os_status_query.h) ---------------------

TEST_F(DriverTest, OsStatusAsksTheStatsPtaAsTheKernel) {
  make_world();
  std::atomic<int> opens{0}, closes{0};
  std::atomic<bool> garbage{false};
  std::atomic<uint32_t> login{0};
  sw->on_call = [&](FakeCall& c) {
    if (c.hdr.cmd == static_cast<uint32_t>(MsgCmd::OpenSession)) {
      Uuid u;
      std::memcpy(u.octets.data(), &c.params[0].u.value.a, 8);
      std::memcpy(u.octets.data() + 8, &c.params[0].u.value.b, 8);
      if (u.octets != osstat::kStatsPtaUuid) c.hdr.ret = kTeeErrorItemNotFound;
      login = static_cast<uint32_t>(c.params[1].u.value.c);
      c.hdr.session = 5;
      ++opens;
    } else if (c.hdr.cmd == static_cast<uint32_t>(MsgCmd::CloseSession)) {
      if (c.hdr.session == 5) ++closes;
    } else if (c.hdr.cmd == static_cast<uint32_t>(MsgCmd::InvokeCommand)) {
      ASSERT_EQ(c.hdr.func, osstat::kStatsCmdStatus);
      ASSERT_EQ(c.params.size(), 1u);
      osstat::OsStatus s;
      s.counts.rpcs = 3;
      osstat::TaStatus t;
      t.uuid.octets[15] = 1;
      t.instances = {{77, 1}};
      s.tas = {t};
      std::vector<uint8_t> bytes(osstat::encoded_size(s));
      ASSERT_TRUE(osstat::encode(s, bytes).ok());
      if (garbage) bytes[0] ^= 0xff;
      const int fd = c.sw->registered_fd(c.params[0].u.rmem.shm_ref);
      ASSERT_EQ(::pwrite(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
      c.params[0].u.rmem.size = bytes.size();
    }
  };
  probe();
  auto r = drv->os_status();
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(login.load(), kLoginReeKernel);
  auto s = osstat::decode(*r);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->counts.rpcs, 3u);
  ASSERT_EQ(s->tas.size(), 1u);
  EXPECT_EQ(s->tas[0].instances[0].pid, 77);
  garbage = true;  // a report that does not decode is refused, the session still closed
  EXPECT_EQ(drv->os_status().error().code, EPROTO);
  EXPECT_EQ(opens.load(), 2);
  EXPECT_EQ(closes.load(), 2);
  EXPECT_EQ(sw->registered_count(), 1u);  // the buffer is registered once
  sw->kill();
  EXPECT_FALSE(drv->os_status().ok());
}

}  // namespace
}  // namespace swtee::optee

// --- guests (virtualization) ----------------------------------------------------

namespace swtee::optee {
namespace {

bool has_op(core::TeeDriver& d, core::OptionalOp op) {
  return (d.optional_ops() & static_cast<uint32_t>(op)) != 0;
}

TEST_F(DriverTest, WithoutTheVirtualizationCapThereAreNoGuestOps) {
  make_world();
  probe();
  EXPECT_FALSE(has_op(drv->client_ops(), core::OptionalOp::GuestCreated));
  EXPECT_FALSE(has_op(drv->client_ops(), core::OptionalOp::GuestDestroyed));
  EXPECT_EQ(drv->client_ops().guest_created(5).error().code, ENOTSUP);
  EXPECT_TRUE(sw->vm_calls().empty());
}

TEST_F(DriverTest, GuestArrivalAndDepartureAreVmCallsFromTheHypervisor) {
  FakeOptions o;
  o.caps |= kSecCapVirtualization;
  make_world(o);
  probe();
  core::TeeDriver& ops = drv->client_ops();
  EXPECT_TRUE(has_op(ops, core::OptionalOp::GuestCreated));
  EXPECT_TRUE(has_op(ops, core::OptionalOp::GuestDestroyed));
  EXPECT_FALSE(has_op(drv->supp_ops(), core::OptionalOp::GuestCreated));
  ASSERT_TRUE(ops.guest_created(5).ok());
  ASSERT_TRUE(ops.guest_destroyed(5).ok());
  EXPECT_EQ(ops.guest_created(0).error().code, EINVAL);
  EXPECT_EQ(ops.guest_created(0x10000).error().code, EINVAL);
  sw->vm_created_answer = kSmcReturnENotAvail;
  EXPECT_EQ(ops.guest_created(6).error().code, ENOSPC);
  auto vm = sw->vm_calls();
  ASSERT_EQ(vm.size(), 3u);
  EXPECT_EQ(vm[0], (std::array<uint64_t, 3>{kSmcVmCreated, 5, kHypervisorClientId}));
  EXPECT_EQ(vm[1], (std::array<uint64_t, 3>{kSmcVmDestroyed, 5, kHypervisorClientId}));
  EXPECT_EQ(vm[2], (std::array<uint64_t, 3>{kSmcVmCreated, 6, kHypervisorClientId}));
}

TEST_F(DriverTest, EveryCallCarriesTheContextsGuestAsItsClientId) {
  FakeOptions o;
  o.caps |= kSecCapVirtualization;
  make_world(o);
  std::atomic<uint64_t> resume_id{UINT64_MAX};
  sw->on_call = [&](FakeCall& c) {
    if (is_cmd(c, MsgCmd::OpenSession)) {
      c.hdr.session = 1;
      // An RPC during the call: its RETURN_FROM_RPC carries the same client id.
      MsgParam p = value_param(kAttrTypeValueOutput);
      auto r = c.rpc(static_cast<uint32_t>(RpcCmd::GetTime), {p});
      if (r.ok) resume_id = c.resume_client_id;
    }
  };
  probe();
  auto g = client(1);
  g->guest_ = 5;
  auto host = client(2);
  const uint32_t s = open_session(*g);
  EXPECT_EQ(resume_id.load(), 5u);
  auto shm = g->alloc_shm(4096, &drv->client_ops());
  TeeParams p(1);
  p[0].type = ParamType::MemrefInout;
  p[0].memref = {0, 4096, shm};
  EXPECT_EQ(invoke(*g, s, p).ret, kTeeSuccess);
  EXPECT_EQ(ShmRegistry::cookie_guest(shm->driver_cookie.load()), 5u);
  p[0].memref.shm.reset();
  const int id = shm->id();
  shm.reset();
  g->drop_shm(id);
  EXPECT_TRUE(sw->wait_for([&] { return sw->registered_count() == 0; }));
  EXPECT_TRUE(drv->client_ops().close_session(*g, s).ok());
  const uint32_t hs = open_session(*host);
  EXPECT_TRUE(drv->client_ops().close_session(*host, hs).ok());

  auto calls = sw->calls();
  auto ids = sw->call_client_ids();
  ASSERT_EQ(calls.size(), ids.size());
  ASSERT_EQ(calls.size(), 7u);  // open, register, invoke, unregister, close; host open, close
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(ids[i], 5u) << "call " << i << " cmd " << calls[i].cmd;
  EXPECT_EQ(ids[5], 0u);
  EXPECT_EQ(ids[6], 0u);
}

TEST_F(DriverTest, ACallForAGuestTheSecureWorldDoesNotKnowEndsTargetDead) {
  FakeOptions o;
  o.caps |= kSecCapVirtualization;
  make_world(o);
  probe();
  sw->unknown_client = 9;
  auto g = client(1);
  g->guest_ = 9;
  core::OpenSessionArg arg;
  TeeParams none;
  ASSERT_TRUE(drv->client_ops().open_session(*g, arg, none).ok());
  EXPECT_EQ(arg.result.ret, kTeeErrorTargetDead);
  EXPECT_EQ(arg.result.ret_origin, kTeeOriginComms);
  EXPECT_EQ(arg.session, 0u);
}

}  // namespace
}  // namespace swtee::optee
