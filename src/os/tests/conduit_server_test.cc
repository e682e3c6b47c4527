// Drives the conduit server the way the OP-TEE driver does: real socketpairs
// and a real carve-out memfd, the test acting as the normal world.
#include "os/conduit_server.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "common/pidfd.h"
#include "os/pta/invoke_tests_pta.h"
#include "os/pta/stats_pta.h"
#include "os/tests/fake_ta_host.h"
#include "os/tests/normal_world.h"

namespace swtee::os {
namespace {

using optee::MsgCmd;
using testing::FakeTaHost;
using testing::NormalWorld;
using testing::RpcRequest;

using testing::kTa;

uint32_t open_pta(NormalWorld& nw, unsigned ch, const Uuid& uuid, uint32_t login = optee::kLoginPublic) {
  nw.arg(ch).cmd(MsgCmd::OpenSession).num_params(2).open_meta(uuid, Uuid::nil(), login);
  EXPECT_EQ(nw.yielding(ch).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(ch).ret(), kTeeSuccess);
  return nw.view(ch).session_out();
}

TEST(ConduitServer, FastCallsAndBadFrames) {
  NormalWorld nw(2, 1);
  auto uid = nw.call(0, optee::kSmcCallsUid);
  EXPECT_EQ(uid.a[0], optee::kApiUid0);
  EXPECT_EQ(nw.call(1, optee::kSmcGetThreadCount).a[1], 1u);
  EXPECT_EQ(nw.call(1, optee::kSmcGetShmConfig).a[2], 2 * conduit::kCarveoutSlotSize);
  EXPECT_EQ(nw.call(0, 0x8badf00d).a[0], optee::kSmcReturnUnknownFunction);
  EXPECT_EQ(nw.call(0, optee::kSmcReturnFromRpc).a[0], optee::kSmcReturnEBadCmd);
  EXPECT_EQ(nw.call(0, optee::kSmcCallWithArg).a[0], optee::kSmcReturnEBadCmd);

  // A fast call carrying an fd is refused (and the fd closed by the server).
  auto fd = create_sealed_memfd("x", 16);
  ASSERT_TRUE(fd.ok());
  conduit::SmcRegs r{};
  r.a[0] = optee::kSmcCallsUid;
  const int raw = fd->get();
  EXPECT_EQ(nw.call(0, r, {&raw, 1}).a[0], optee::kSmcReturnEBadCmd);
}

TEST(ConduitServer, BadArgAddress) {
  NormalWorld nw(2, 2);
  auto r = NormalWorld::yielding_regs(1);  // channel 1's slot sent on channel 0
  EXPECT_EQ(nw.call(0, r).a[0], optee::kSmcReturnEBadAddr);
  r = NormalWorld::yielding_regs(0, 4);
  EXPECT_EQ(nw.call(0, r).a[0], optee::kSmcReturnEBadAddr);
  r = NormalWorld::yielding_regs(0);
  r.a[1] |= uint64_t{1} << 40;
  EXPECT_EQ(nw.call(0, r).a[0], optee::kSmcReturnEBadAddr);
  r = NormalWorld::yielding_regs(0, conduit::kCarveoutSlotSize - 32);
  EXPECT_EQ(nw.call(0, r).a[0], optee::kSmcReturnEBadAddr);
}

TEST(ConduitServer, BadMessagesGetBadParameters) {
  NormalWorld nw(1, 1);
  nw.arg(0).raw_cmd(1234);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorBadParameters);
  EXPECT_EQ(nw.view(0).ret_origin(), kTeeOriginTee);
  nw.arg(0).cmd(MsgCmd::InvokeCommand).num_params(0x7FFFFFFF);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorBadParameters);
  nw.arg(0).cmd(MsgCmd::InvokeCommand).session(12345);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorItemNotFound);
}

TEST(ConduitServer, PtaSessionLifecycle) {
  NormalWorld nw(1, 1);
  const uint32_t sid = open_pta(nw, 0, InvokeTestsPta::kUuid, optee::kLoginUser);
  ASSERT_GE(sid, 1u);
  EXPECT_EQ(nw.router().session_count(), 1u);
  // The arg may sit anywhere 8-aligned in the slot.
  auto w = nw.arg(0, 256);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kInvokeTestsCmdIncValues).num_params(1);
  w.param(0, optee::kAttrTypeValueInout, 41, 9, 0);
  EXPECT_EQ(nw.yielding(0, {}, {}, 256).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(w.ret(), kTeeSuccess);
  EXPECT_EQ(w.ret_origin(), kTeeOriginTrustedApp);
  EXPECT_EQ(w.pword(0, 1), 42u);
  EXPECT_EQ(w.pword(0, 2), 10u);

  nw.arg(0).cmd(MsgCmd::CloseSession).session(sid);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeSuccess);
  EXPECT_EQ(nw.router().session_count(), 0u);
}

TEST(ConduitServer, RegisterShmAndMemrefs) {
  NormalWorld nw(1, 1);
  const uint32_t sid = open_pta(nw, 0, InvokeTestsPta::kUuid);
  auto fd = create_sealed_memfd("shm", 64);
  ASSERT_TRUE(fd.ok());
  auto map = Mapping::map(fd->get(), 64);
  ASSERT_TRUE(map.ok());
  std::memcpy(map->data(), "abcdef", 6);
  const int raw = fd->get();

  nw.arg(0).cmd(MsgCmd::RegisterShm).num_params(1).param(0, optee::kAttrTypeTmemInput, 0, 64, 0xC0);
  ASSERT_EQ(nw.yielding(0, {}, {&raw, 1}).a[0], optee::kSmcReturnOk);
  ASSERT_EQ(nw.view(0).ret(), kTeeSuccess);
  EXPECT_EQ(nw.registry().size(), 1u);
  // Same cookie again: refused.
  ASSERT_EQ(nw.yielding(0, {}, {&raw, 1}).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorBadParameters);
  // Missing fd: refused.
  nw.arg(0).cmd(MsgCmd::RegisterShm).num_params(1).param(0, optee::kAttrTypeTmemInput, 0, 64, 0xC1);
  nw.yielding(0);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorBadParameters);
  // Declared larger than the memfd: refused.
  nw.arg(0).cmd(MsgCmd::RegisterShm).num_params(1).param(0, optee::kAttrTypeTmemInput, 0, 65, 0xC2);
  nw.yielding(0, {}, {&raw, 1});
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorBadParameters);
  // An unsealable memfd: refused.
  UniqueFd unsealable(::memfd_create("u", MFD_CLOEXEC));
  ASSERT_EQ(::ftruncate(unsealable.get(), 64), 0);
  const int uraw = unsealable.get();
  nw.arg(0).cmd(MsgCmd::RegisterShm).num_params(1).param(0, optee::kAttrTypeTmemInput, 0, 64, 0xC3);
  nw.yielding(0, {}, {&uraw, 1});
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorBadParameters);
  EXPECT_EQ(nw.registry().size(), 1u);

  // REVERSE [0..6) into [32..64).
  auto w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kInvokeTestsCmdReverse).num_params(2);
  w.param(0, optee::kAttrTypeRmemInput, 0, 6, 0xC0);
  w.param(1, optee::kAttrTypeRmemOutput, 32, 32, 0xC0);
  nw.yielding(0);
  ASSERT_EQ(w.ret(), kTeeSuccess);
  EXPECT_EQ(w.pword(1, 2), 6u);
  EXPECT_EQ(std::memcmp(map->data() + 32, "fedcba", 6), 0);

  // An fd on an invoke: refused.
  w.param(1, optee::kAttrTypeRmemOutput, 32, 32, 0xC0);
  nw.yielding(0, {}, {&raw, 1});
  EXPECT_EQ(w.ret(), kTeeErrorBadParameters);

  // Out-of-range memref: refused.
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kInvokeTestsCmdReverse).num_params(2);
  w.param(0, optee::kAttrTypeRmemInput, 60, 6, 0xC0);
  w.param(1, optee::kAttrTypeRmemOutput, 32, 32, 0xC0);
  nw.yielding(0);
  EXPECT_EQ(w.ret(), kTeeErrorBadParameters);

  nw.arg(0).cmd(MsgCmd::UnregisterShm).num_params(1).param(0, optee::kAttrTypeRmemInput, 0, 0, 0xC0);
  nw.yielding(0);
  EXPECT_EQ(nw.view(0).ret(), kTeeSuccess);
  EXPECT_EQ(nw.registry().size(), 0u);
  nw.yielding(0);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorItemNotFound);

  // The cookie is gone: memrefs naming it are refused.
  w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kInvokeTestsCmdReverse).num_params(2);
  w.param(0, optee::kAttrTypeRmemInput, 0, 6, 0xC0);
  w.param(1, optee::kAttrTypeTmemOutput, 0, 0, 0);
  nw.yielding(0);
  EXPECT_EQ(w.ret(), kTeeErrorBadParameters);
}

TEST(ConduitServer, ThreadLimitWhenAllSecureThreadsBusy) {
  FakeTaHost host(kTa);
  NormalWorld nw(2, 1, &host);
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  nw.yielding(0);
  ASSERT_EQ(nw.view(0).ret(), kTeeSuccess);
  const uint32_t sid = nw.view(0).session_out();

  host.block_invoke = true;
  nw.arg(0).cmd(MsgCmd::InvokeCommand).session(sid).func(3);
  conduit::SmcRegs first{};
  std::thread t([&] { first = nw.yielding(0); });
  host.gate.wait_entered();

  nw.arg(1).cmd(MsgCmd::InvokeCommand).session(sid).func(4);
  EXPECT_EQ(nw.call(1, NormalWorld::yielding_regs(1)).a[0], optee::kSmcReturnEThreadLimit);
  EXPECT_EQ(nw.call(1, optee::kSmcCallsRevision).a[0], optee::kRevisionMajor);  // fast calls still answer

  host.gate.open();
  t.join();
  EXPECT_EQ(first.a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeSuccess);
  EXPECT_EQ(nw.call(1, NormalWorld::yielding_regs(1)).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(host.invokes, 2);
}

TEST(ConduitServer, CancelFromAnotherChannel) {
  NormalWorld nw(2, 2);
  const uint32_t sid = open_pta(nw, 0, InvokeTestsPta::kUuid);
  auto w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kInvokeTestsCmdWaitCancel).cancel_id(5).num_params(1);
  w.param(0, optee::kAttrTypeValueInput, kInvokeTestsMaxWaitMs, 0, 0);
  conduit::SmcRegs first{};
  std::thread t([&] { first = nw.yielding(0); });
  while (nw.router().inflight_count() == 0) std::this_thread::yield();

  nw.arg(1).cmd(MsgCmd::Cancel).session(sid).cancel_id(5);
  EXPECT_EQ(nw.yielding(1).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(1).ret(), kTeeSuccess);
  t.join();
  EXPECT_EQ(first.a[0], optee::kSmcReturnOk);
  EXPECT_EQ(w.ret(), kTeeErrorCancel);
}

// Answers LOAD_TA / SHM_ALLOC / SHM_FREE like the driver + supplicant.
struct FakeTaStore {
  std::vector<uint8_t> image{0xde, 0xad, 0xbe, 0xef, 0x01};
  uint32_t missing_ret = 0;  // non-zero: LOAD_TA answers this
  std::vector<uint32_t> cmds;
  std::shared_ptr<Mapping> shm_map;
  uint64_t cookie = 0x5000;
  int frees = 0;
  bool alloc_without_fd = false;

  bool operator()(RpcRequest& r, std::vector<UniqueFd>& fds) {
    cmds.push_back(r.cmd());
    switch (static_cast<optee::RpcCmd>(r.cmd())) {
      case optee::RpcCmd::LoadTa:
        if (missing_ret != 0) {
          r.set_ret(missing_ret);
          return true;
        }
        if (r.p(1, 0) == optee::kAttrTypeTmemOutput) {  // size query
          r.set_p(1, optee::kAttrTypeTmemOutput, 0, image.size(), 0);
        } else {
          EXPECT_EQ(r.p(1, 3), cookie);
          std::memcpy(shm_map->data(), image.data(), image.size());
          r.set_p(1, optee::kAttrTypeRmemOutput, 0, image.size(), cookie);
        }
        r.set_ret(kTeeSuccess);
        return true;
      case optee::RpcCmd::ShmAlloc: {
        auto fd = create_sealed_memfd("rpc", r.p(0, 2));
        EXPECT_TRUE(fd.ok());
        shm_map = std::make_shared<Mapping>(std::move(*Mapping::map(fd->get(), r.p(0, 2))));
        r.set_p(0, optee::kAttrTypeTmemOutput, 0, r.p(0, 2), cookie);
        if (!alloc_without_fd) fds.push_back(std::move(*fd));
        r.set_ret(kTeeSuccess);
        return true;
      }
      case optee::RpcCmd::ShmFree:
        EXPECT_EQ(r.p(0, 2), cookie);
        ++frees;
        r.set_ret(kTeeSuccess);
        return true;
      case optee::RpcCmd::GetTime:
        r.set_p(0, optee::kAttrTypeValueOutput, 1700000000, 5, 0);
        r.set_ret(kTeeSuccess);
        return true;
      default:
        r.set_ret(kTeeErrorNotSupported);
        return true;
    }
  }
};

// A process the host hands over on a close is killed by the channel's
// thread once the close's answer is out (os/after_answer.h).
TEST(ConduitServer, CloseHandsAProcessKillToAfterTheAnswer) {
  FakeTaHost host(kTa);
  NormalWorld nw(1, 1, &host);
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  ASSERT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  ASSERT_EQ(nw.view(0).ret(), kTeeSuccess);
  const uint32_t sid = nw.view(0).session_out();

  const pid_t child = ::fork();
  if (child == 0) {
    for (;;) ::pause();
  }
  ASSERT_GT(child, 0);
  host.kill_on_close = open_pidfd(child).value();
  ASSERT_TRUE(host.kill_on_close);

  nw.arg(0).cmd(MsgCmd::CloseSession).session(sid);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeSuccess);
  EXPECT_TRUE(host.kill_taken);
  // Reaping waits for the kill: bounded, so a kill that never comes fails.
  int status = 0;
  pid_t got = 0;
  for (int i = 0; i < 10000 && (got = ::waitpid(child, &status, WNOHANG)) == 0; ++i) ::usleep(1000);
  if (got == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    FAIL() << "the process handed over was not killed after the answer";
  }
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST(ConduitServer, LoadTaOverRpc) {
  FakeTaHost host(kTa);
  host.load_on_open = true;
  NormalWorld nw(1, 1, &host);
  FakeTaStore store;
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  EXPECT_EQ(nw.yielding(0, std::ref(store)).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeSuccess);
  EXPECT_EQ(host.last_image, store.image);
  const std::vector<uint32_t> expect{
      static_cast<uint32_t>(optee::RpcCmd::LoadTa), static_cast<uint32_t>(optee::RpcCmd::ShmAlloc),
      static_cast<uint32_t>(optee::RpcCmd::LoadTa), static_cast<uint32_t>(optee::RpcCmd::ShmFree)};
  EXPECT_EQ(store.cmds, expect);
  EXPECT_EQ(store.frees, 1);
}

TEST(ConduitServer, LoadTaErrorsMapToGp) {
  FakeTaHost host(kTa);
  host.load_on_open = true;
  NormalWorld nw(1, 1, &host);
  FakeTaStore store;
  store.missing_ret = kTeeErrorItemNotFound;
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  nw.yielding(0, std::ref(store));
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorItemNotFound);
  store.missing_ret = kTeeErrorCommunication;  // no supplicant
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  nw.yielding(0, std::ref(store));
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorCommunication);
  EXPECT_EQ(nw.router().session_count(), 0u);
}

TEST(ConduitServer, MalformedShmAllocIsFreedAndFails) {
  FakeTaHost host(kTa);
  host.load_on_open = true;
  NormalWorld nw(1, 1, &host);
  FakeTaStore store;
  store.alloc_without_fd = true;
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  EXPECT_EQ(nw.yielding(0, std::ref(store)).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeErrorOutOfMemory);
  EXPECT_EQ(store.frees, 1);  // the cookie the driver handed out is given back
  EXPECT_TRUE(host.last_image.empty());
}

TEST(ConduitServer, WrongResumeThreadIdIsRefused) {
  NormalWorld nw(1, 1);
  const uint32_t sid = open_pta(nw, 0, StatsPta::kUuid);
  auto w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kStatsCmdGetTime).num_params(2);
  w.param(0, optee::kAttrTypeValueOutput, 0, 0, 0);
  w.param(1, optee::kAttrTypeValueOutput, 0, 0, 0);
  auto out = nw.call(0, NormalWorld::yielding_regs(0));
  ASSERT_EQ(out.a[0], conduit::kSmcReturnRpcCmd);
  conduit::SmcRegs resume{};
  resume.a[0] = optee::kSmcReturnFromRpc;
  resume.a[3] = out.a[3] + 1;
  EXPECT_EQ(nw.call(0, resume).a[0], optee::kSmcReturnEResume);
  // A fast call while the thread waits in the RPC is answered.
  EXPECT_EQ(nw.call(0, optee::kSmcGetThreadCount).a[1], 1u);
  // A new yielding call on the busy channel is not.
  EXPECT_EQ(nw.call(0, NormalWorld::yielding_regs(0)).a[0], optee::kSmcReturnEBadCmd);
  // Answer the GET_TIME properly.
  auto area = nw.slot(0).subspan(optee::msg_arg_size(2));
  RpcRequest req{area, out.a[3]};
  EXPECT_EQ(req.cmd(), static_cast<uint32_t>(optee::RpcCmd::GetTime));
  req.set_p(0, optee::kAttrTypeValueOutput, 1234, 99, 0);
  req.set_ret(kTeeSuccess);
  resume.a[3] = out.a[3];
  EXPECT_EQ(nw.call(0, resume).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(w.ret(), kTeeSuccess);
  EXPECT_EQ(w.pword(0, 1), 1234u);
  EXPECT_EQ(w.pword(0, 2), 99u);
}

TEST(ConduitServer, NormalWorldDiesMidRpc) {
  FakeTaHost host(kTa);
  host.load_on_open = true;
  NormalWorld nw(2, 2, &host);
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  nw.yielding(0, [](RpcRequest&, std::vector<UniqueFd>&) { return false; });  // closes channel 0
  // Channel 1 still works; the failed open left no session.
  EXPECT_EQ(nw.call(1, optee::kSmcCallsUid).a[0], optee::kApiUid0);
  nw.shutdown();  // returns only if every server thread ended
  EXPECT_EQ(nw.router().session_count(), 0u);
  EXPECT_EQ(host.opens, 1);
  EXPECT_EQ(nw.router().inflight_count(), 0u);
}

TEST(ConduitServer, CrashedNormalWorldIsNoticedWithoutAHangUp) {
  FakeTaHost host(kTa);
  host.load_on_open = true;
  NormalWorld nw(2, 2, &host);
  // Channel 0 dies mid-RPC, channel 1 while idle: only the sockets close.
  nw.arg(0).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, Uuid::nil(), 0);
  auto out = nw.call(0, NormalWorld::yielding_regs(0));
  ASSERT_EQ(out.a[0], conduit::kSmcReturnRpcCmd);
  nw.drop_socket(0);
  nw.drop_socket(1);
  nw.shutdown();  // returns only once both server threads saw the sockets' HUP
  EXPECT_EQ(nw.router().session_count(), 0u);
  EXPECT_EQ(nw.router().inflight_count(), 0u);
}

TEST(ConduitServer, ScribbledDoorbellFramesAreRefused) {
  NormalWorld nw(1, 1);
  DoorbellBox& box = nw.doorbell_pair(0)->to_server;
  // A frame that claims an fd but none was sent: EBADCMD, the channel lives on.
  box.words[0].store(optee::kSmcCallsUid);
  box.fds.store(1);
  box.seq.store(1000);
  auto* to_client = &nw.doorbell_pair(0)->to_client;
  // The answer arrives in the client mailbox; read it the normal way.
  EXPECT_EQ(nw.await(0).a[0], optee::kSmcReturnEBadCmd);
  EXPECT_EQ(to_client->fds.load(), 0u);
  EXPECT_EQ(nw.call(0, optee::kSmcCallsUid).a[0], optee::kApiUid0);
}

TEST(ConduitServer, StatsCountsOverConduit) {
  NormalWorld nw(1, 1);
  const uint32_t sid = open_pta(nw, 0, StatsPta::kUuid);
  auto w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kStatsCmdCounts).num_params(2);
  w.param(0, optee::kAttrTypeValueOutput, 0, 0, 0);
  w.param(1, optee::kAttrTypeValueOutput, 0, 0, 0);
  nw.yielding(0);
  ASSERT_EQ(w.ret(), kTeeSuccess);
  EXPECT_EQ(w.pword(0, 1), 1u);  // this session
  EXPECT_EQ(w.pword(1, 1), 0u);  // no shm
  EXPECT_EQ(w.pword(1, 2), 1u);  // this call
}

}  // namespace
}  // namespace swtee::os
