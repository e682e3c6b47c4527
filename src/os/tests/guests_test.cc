// Client ids over the conduit (os/guests.h): VM_CREATED / VM_DESTROYED, the
// partition each client id reaches, and refusals for unknown ids.
#include "os/guests.h"

#include <gtest/gtest.h>

#include <atomic>

#include "os/pta/invoke_tests_pta.h"
#include "os/pta/stats_pta.h"
#include "os/tests/normal_world.h"

namespace swtee::os {
namespace {

using optee::MsgCmd;
using testing::NormalWorld;

// A guest partition of PTAs only, counting its shut-downs.
class TestPartition final : public Partition {
 public:
  explicit TestPartition(std::atomic<int>& shut) : shut_(shut) {
    EXPECT_TRUE(router.add_pta(std::make_unique<InvokeTestsPta>()).ok());
    EXPECT_TRUE(router.add_pta(std::make_unique<StatsPta>([] { return OsCounts{}; })).ok());
  }
  MsgEntry& entry() override { return entry_; }
  void shut_down() override { ++shut_; }

  ShmRegistry registry;
  SessionRouter router{nullptr};

 private:
  MsgEntry entry_{router, registry};
  std::atomic<int>& shut_;
};

struct Made {
  std::atomic<int> partitions{0};
  std::atomic<int> shut{0};
  std::atomic<bool> refuse{false};
  std::weak_ptr<TestPartition> last;
};

PartitionFactory factory(Made& m) {
  return [&m](uint32_t) -> Result<std::shared_ptr<Partition>> {
    if (m.refuse) return Error{ENOMEM, "refused by the test"};
    ++m.partitions;
    auto p = std::make_shared<TestPartition>(m.shut);
    m.last = p;
    return std::shared_ptr<Partition>(p);
  };
}

conduit::SmcRegs vm(uint64_t fid, uint64_t guest, uint64_t client = 0) {
  conduit::SmcRegs r{};
  r.a[0] = fid;
  r.a[1] = guest;
  r.a[optee::kSmcClientIdReg] = client;
  return r;
}

uint32_t open_pta(NormalWorld& nw) {
  nw.arg(0)
      .cmd(MsgCmd::OpenSession)
      .num_params(2)
      .open_meta(InvokeTestsPta::kUuid, Uuid::nil(), optee::kLoginPublic);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.view(0).ret(), kTeeSuccess);
  return nw.view(0).session_out();
}

uint32_t invoke_ret(NormalWorld& nw, uint32_t session) {
  auto w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(session).func(kInvokeTestsCmdIncValues).num_params(1);
  w.param(0, optee::kAttrTypeValueInout, 1, 2, 0);
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  return w.ret();
}

TEST(Guests, WithoutPartitionsOnlyClientIdZeroIsServed) {
  NormalWorld nw(1, 1);
  const auto caps = nw.call(0, optee::kSmcExchangeCapabilities).a[1];
  EXPECT_EQ(caps & optee::kSecCapVirtualization, 0u);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 5)).a[0], optee::kSmcReturnUnknownFunction);
  nw.client = 5;
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnENotAvail);
  conduit::SmcRegs uid{};
  uid.a[0] = optee::kSmcCallsUid;
  uid.a[optee::kSmcClientIdReg] = 5;
  EXPECT_EQ(nw.call(0, uid).a[0], optee::kSmcReturnENotAvail);
}

TEST(Guests, EachClientIdReachesOnlyItsOwnPartition) {
  Made made;
  NormalWorld nw(1, 1, nullptr, factory(made));
  EXPECT_NE(nw.call(0, optee::kSmcExchangeCapabilities).a[1] & optee::kSecCapVirtualization, 0u);
  // Only the hypervisor creates guests; ids are 1..65535; no duplicates.
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 5, 5)).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 0)).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 0x10000)).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 5)).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 5)).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(made.partitions.load(), 1);

  nw.client = 5;
  const uint32_t gs = open_pta(nw);
  EXPECT_EQ(invoke_ret(nw, gs), kTeeSuccess);
  auto part = made.last.lock();
  ASSERT_TRUE(part);
  EXPECT_EQ(part->router.session_count(), 1u);
  EXPECT_EQ(nw.router().session_count(), 0u);
  // The host's clients do not find the guest's session...
  nw.client = 0;
  EXPECT_EQ(invoke_ret(nw, gs), kTeeErrorItemNotFound);
  const uint32_t hs = open_pta(nw);
  // ...nor the guest the host's (even under the same id).
  nw.client = 5;
  if (hs != gs) EXPECT_EQ(invoke_ret(nw, hs), kTeeErrorItemNotFound);
  part.reset();

  // Departure: the partition is shut down and let go; the id is refused.
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmDestroyed, 5, 5)).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmDestroyed, 5)).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(made.shut.load(), 1);
  EXPECT_TRUE(made.last.expired());
  EXPECT_EQ(nw.yielding(0).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmDestroyed, 5)).a[0], optee::kSmcReturnOk);  // unknown: nothing to do
  nw.client = 0;
  EXPECT_EQ(invoke_ret(nw, hs), kTeeSuccess);
}

TEST(Guests, ArrivalsAreBoundedAndAFailedPartitionRefusesTheGuest) {
  Made made;
  NormalWorld nw(1, 1, nullptr, factory(made));
  for (uint32_t g = 1; g <= kDefaultMaxGuests; ++g)
    EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, g)).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 100)).a[0], optee::kSmcReturnENotAvail);
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmDestroyed, 1)).a[0], optee::kSmcReturnOk);
  made.refuse = true;
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 100)).a[0], optee::kSmcReturnENotAvail);
  made.refuse = false;
  EXPECT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 100)).a[0], optee::kSmcReturnOk);
}

TEST(Guests, AResumeMustCarryTheCallsClientId) {
  Made made;
  NormalWorld nw(1, 1, nullptr, factory(made));
  ASSERT_EQ(nw.call(0, vm(optee::kSmcVmCreated, 5)).a[0], optee::kSmcReturnOk);
  nw.client = 5;
  nw.arg(0)
      .cmd(MsgCmd::OpenSession)
      .num_params(2)
      .open_meta(StatsPta::kUuid, Uuid::nil(), optee::kLoginPublic);
  ASSERT_EQ(nw.yielding(0).a[0], optee::kSmcReturnOk);
  const uint32_t sid = nw.view(0).session_out();
  auto w = nw.arg(0);
  w.cmd(MsgCmd::InvokeCommand).session(sid).func(kStatsCmdGetTime).num_params(2);
  w.param(0, optee::kAttrTypeValueOutput, 0, 0, 0);
  w.param(1, optee::kAttrTypeValueOutput, 0, 0, 0);
  auto regs = NormalWorld::yielding_regs(0);
  regs.a[optee::kSmcClientIdReg] = 5;
  auto out = nw.call(0, regs);
  ASSERT_EQ(out.a[0], conduit::kSmcReturnRpcCmd);  // GET_TIME
  testing::RpcRequest req{nw.slot(0).subspan(optee::msg_arg_size(2)), out.a[3]};
  req.set_p(0, optee::kAttrTypeValueOutput, 7, 0, 0);
  req.set_ret(kTeeSuccess);
  conduit::SmcRegs resume{};
  resume.a[0] = optee::kSmcReturnFromRpc;
  resume.a[3] = out.a[3];
  EXPECT_EQ(nw.call(0, resume).a[0], optee::kSmcReturnEResume);  // client id 0: not this call's
  resume.a[optee::kSmcClientIdReg] = 5;
  EXPECT_EQ(nw.call(0, resume).a[0], optee::kSmcReturnOk);
  EXPECT_EQ(w.ret(), kTeeSuccess);
  EXPECT_EQ(w.pword(0, 1), 7u);
}

}  // namespace
}  // namespace swtee::os
