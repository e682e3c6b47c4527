// Guests' partitions (os/partition.h) behind the conduit: each guest gets its
// own TA host (single-instance TAs have one instance per guest), sessions,
// shm, identities and limits; VM_DESTROYED ends that guest's instances and
// sessions and nothing else. The TA host is a counting fake.
#include "os/partition.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "os/tests/fake_ta_host.h"
#include "os/tests/normal_world.h"

namespace swtee::os {
namespace {

using optee::MsgCmd;
using testing::NormalWorld;

using testing::kTa;
const Uuid kAlice = *Uuid::parse("aaaaaaaa-0000-5000-8000-000000000001");

// What every fake host made so far saw, by guest.
enum Ev { kMade, kDestroyed, kShut, kInvokes };
struct Seen {
  Mutex mu;
  std::map<std::pair<Ev, uint32_t>, int> events GUARDED_BY(mu);
  std::map<uint32_t, std::vector<ClientIdentity>> clients GUARDED_BY(mu);
  void note(Ev e, uint32_t g) EXCLUDES(mu) {
    MutexLock l(mu);
    ++events[{e, g}];
  }
  int get(Ev e, uint32_t g) EXCLUDES(mu) {
    MutexLock l(mu);
    return events[{e, g}];
  }
};

// One single-instance TA (kTa): one instance while it has sessions.
class CountingHost final : public TaHost {
 public:
  CountingHost(Seen& seen, uint32_t guest) : seen_(seen), guest_(guest) { seen_.note(kMade, guest_); }
  ~CountingHost() override { seen_.note(kDestroyed, guest_); }
  GpResult open_session(const Uuid& uuid, const ClientIdentity& client, OsParams&, CallContext&,
                        uint64_t* ta_session) override {
    if (uuid != kTa) return {kTeeErrorItemNotFound, kTeeOriginTee};
    {
      MutexLock l(seen_.mu);
      seen_.clients[guest_].push_back(client);
    }
    if (shut_) return {kTeeErrorTargetDead, kTeeOriginTee};
    *ta_session = ++next_;
    ++sessions_;
    return {kTeeSuccess, kTeeOriginTrustedApp};
  }
  GpResult invoke(uint64_t, uint32_t, OsParams& params, CallContext&) override {
    seen_.note(kInvokes, guest_);
    if (block) {
      gate.mark_entered();
      gate.wait();
    }
    if (shut_) return {kTeeErrorTargetDead, kTeeOriginTee};
    return {kTeeSuccess, kTeeOriginTrustedApp};
  }
  void close_session(uint64_t) override { --sessions_; }
  size_t instance_count() const override { return sessions_ > 0 && !shut_ ? 1 : 0; }
  void shut_down() override {
    shut_ = true;
    seen_.note(kShut, guest_);
  }

  std::atomic<bool> block{false};
  testing::Gate gate;

 private:
  Seen& seen_;
  const uint32_t guest_;
  std::atomic<bool> shut_{false};
  std::atomic<int> sessions_{0};
  std::atomic<uint64_t> next_{0};
};

conduit::SmcRegs vm(uint64_t fid, uint64_t guest) {
  conduit::SmcRegs r{};
  r.a[0] = fid;
  r.a[1] = guest;
  return r;
}

struct Rig {
  explicit Rig(PartitionLimits limits = {}, unsigned channels = 2, unsigned threads = 2)
      : host_storage(std::move(open_storage_service({}).value())),
        host(seen, 0),
        nw(channels, threads, &host, factory(limits)) {}

  PartitionFactory factory(PartitionLimits limits) {
    PartitionConfig base;
    base.limits = limits;
    base.make_host = [this](const TaHostConfig&) -> Result<std::unique_ptr<TaHost>> {
      // The guest is the last one VM_CREATED asked for (calls are serial here).
      auto h = std::make_unique<CountingHost>(seen, creating);
      hosts[creating] = h.get();
      return std::unique_ptr<TaHost>(std::move(h));
    };
    auto inner = guest_partition_factory(base, host_storage);
    return [this, inner](uint32_t id) -> Result<std::shared_ptr<Partition>> {
      creating = id;
      auto p = inner(id);
      if (p.ok()) partitions[id] = *p;
      return p;
    };
  }
  bool create(uint32_t g) { return nw.call(0, vm(optee::kSmcVmCreated, g)).a[0] == optee::kSmcReturnOk; }
  bool destroy(uint32_t g) { return nw.call(0, vm(optee::kSmcVmDestroyed, g)).a[0] == optee::kSmcReturnOk; }
  // OPEN_SESSION to kTa from client id `g` on channel `ch`: ret, session.
  std::pair<uint32_t, uint32_t> open(uint32_t g, uint32_t login = optee::kLoginPublic,
                                     const Uuid& who = Uuid::nil(), unsigned ch = 0) {
    nw.arg(ch).cmd(MsgCmd::OpenSession).num_params(2).open_meta(kTa, who, login);
    auto regs = NormalWorld::yielding_regs(ch);
    regs.a[optee::kSmcClientIdReg] = g;
    EXPECT_EQ(nw.call(ch, regs).a[0], optee::kSmcReturnOk);
    return {nw.view(ch).ret(), nw.view(ch).session_out()};
  }
  // INVOKE from client id `g` on channel `ch`: the SMC answer's a0 and the ret.
  std::pair<uint64_t, uint32_t> invoke(uint32_t g, uint32_t session, unsigned ch = 0) {
    auto w = nw.arg(ch);
    w.cmd(MsgCmd::InvokeCommand).session(session).func(1).num_params(0);
    auto regs = NormalWorld::yielding_regs(ch);
    regs.a[optee::kSmcClientIdReg] = g;
    const uint64_t a0 = nw.call(ch, regs).a[0];
    return {a0, w.ret()};
  }
  // What the live guests' partitions hold.
  GuestCounts held() { return nw.guests().counts(); }

  Seen seen;
  std::shared_ptr<StorageService> host_storage;
  CountingHost host;
  uint32_t creating = 0;
  std::map<uint32_t, CountingHost*> hosts;
  std::map<uint32_t, std::weak_ptr<Partition>> partitions;
  NormalWorld nw;
};

TEST(Partitions, EachGuestHasItsOwnSingleInstanceAndSessions) {
  Rig r;
  ASSERT_TRUE(r.create(1));
  ASSERT_TRUE(r.create(2));
  EXPECT_EQ(r.seen.get(kMade, 1), 1);
  EXPECT_EQ(r.seen.get(kMade, 2), 1);
  auto [ret1, s1] = r.open(1);
  auto [ret1b, s1b] = r.open(1);
  auto [ret2, s2] = r.open(2);
  ASSERT_EQ(ret1, kTeeSuccess);
  ASSERT_EQ(ret1b, kTeeSuccess);
  ASSERT_EQ(ret2, kTeeSuccess);
  // One instance of the single-instance TA in each guest, none in the host.
  const GuestCounts c = r.held();
  EXPECT_EQ(c.guests, 2u);
  EXPECT_EQ(c.held.ta_instances, 2u);
  EXPECT_EQ(c.held.sessions, 3u);
  EXPECT_EQ(r.host.instance_count(), 0u);

  // Session ids are the partition's own: guest 2 reaches only its own.
  ASSERT_NE(s1b, s2);
  EXPECT_EQ(r.invoke(2, s1b).second, kTeeErrorItemNotFound);
  EXPECT_EQ(r.invoke(0, s1b).second, kTeeErrorItemNotFound);  // nor the host
  EXPECT_EQ(r.invoke(2, s2).second, kTeeSuccess);
  EXPECT_EQ(r.seen.get(kInvokes, 1), 0);
  EXPECT_EQ(r.seen.get(kInvokes, 2), 1);
}

TEST(Partitions, VmDestroyedEndsThatGuestOnlyAndCountsDropBack) {
  Rig r;
  ASSERT_TRUE(r.create(1));
  ASSERT_TRUE(r.create(2));
  const auto before = r.held();
  auto [ret1, s1] = r.open(1);
  auto [ret2, s2] = r.open(2);
  ASSERT_EQ(ret1, kTeeSuccess);
  ASSERT_EQ(ret2, kTeeSuccess);
  EXPECT_EQ(r.held().held.sessions, before.held.sessions + 2);

  ASSERT_TRUE(r.destroy(1));
  EXPECT_EQ(r.seen.get(kShut, 1), 1);
  EXPECT_EQ(r.seen.get(kDestroyed, 1), 1);  // no call held it: freed at once
  EXPECT_EQ(r.seen.get(kShut, 2), 0);
  EXPECT_EQ(r.seen.get(kDestroyed, 2), 0);
  const auto after = r.held();
  EXPECT_EQ(after.guests, 1u);
  EXPECT_EQ(after.held.sessions, 1u);
  EXPECT_EQ(after.held.ta_instances, 1u);
  // Guest 1's client id is refused; guest 2 keeps working.
  EXPECT_EQ(r.invoke(1, s1).first, optee::kSmcReturnENotAvail);
  EXPECT_EQ(r.invoke(2, s2).second, kTeeSuccess);
  // The id may come again, with a fresh partition.
  ASSERT_TRUE(r.create(1));
  EXPECT_EQ(r.seen.get(kMade, 1), 2);
  EXPECT_EQ(r.invoke(1, s1).second, kTeeErrorItemNotFound);
}

TEST(Partitions, ADestroyedGuestsRunningCallEndsAndItsPartitionGoesAfterIt) {
  Rig r({}, 2, 2);
  ASSERT_TRUE(r.create(1));
  auto [ret, s] = r.open(1);
  ASSERT_EQ(ret, kTeeSuccess);
  r.hosts[1]->block = true;
  std::pair<uint64_t, uint32_t> out;
  const uint32_t sid = s;
  std::thread call([&] { out = r.invoke(1, sid, 1); });
  r.hosts[1]->gate.wait_entered();
  ASSERT_TRUE(r.destroy(1));
  EXPECT_EQ(r.seen.get(kShut, 1), 1);
  EXPECT_EQ(r.seen.get(kDestroyed, 1), 0);  // the running call holds it
  r.hosts[1]->gate.open();
  call.join();
  EXPECT_EQ(out.first, optee::kSmcReturnOk);
  EXPECT_EQ(out.second, kTeeErrorTargetDead);
  EXPECT_EQ(r.seen.get(kDestroyed, 1), 1);
  EXPECT_EQ(r.held().guests, 0u);
}

TEST(Partitions, GuestIdentitiesNeverEqualTheHostsOrAnothersGuests) {
  Rig r;
  ASSERT_TRUE(r.create(1));
  ASSERT_TRUE(r.create(2));
  ASSERT_EQ(r.open(1, optee::kLoginUser, kAlice).first, kTeeSuccess);
  ASSERT_EQ(r.open(2, optee::kLoginUser, kAlice).first, kTeeSuccess);
  ASSERT_EQ(r.open(0, optee::kLoginUser, kAlice).first, kTeeSuccess);
  ASSERT_EQ(r.open(1, optee::kLoginPublic).first, kTeeSuccess);
  MutexLock l(r.seen.mu);
  ASSERT_EQ(r.seen.clients[0].size(), 1u);
  ASSERT_EQ(r.seen.clients[1].size(), 2u);
  ASSERT_EQ(r.seen.clients[2].size(), 1u);
  const ClientIdentity host = r.seen.clients[0][0], g1 = r.seen.clients[1][0], g2 = r.seen.clients[2][0];
  EXPECT_EQ(host.uuid, kAlice);  // the host's clients: unchanged
  EXPECT_EQ(g1.login, optee::kLoginUser);
  EXPECT_NE(g1.uuid, kAlice);
  EXPECT_NE(g2.uuid, kAlice);
  EXPECT_NE(g1.uuid, g2.uuid);
  EXPECT_EQ(g1.uuid, guest_client_identity(1, {optee::kLoginUser, kAlice}).uuid);  // stable
  EXPECT_TRUE(r.seen.clients[1][1].uuid.is_nil());  // PUBLIC: no identity, in any guest
}

TEST(Partitions, AGuestHoldsAtMostItsShareOfSecureThreads) {
  PartitionLimits l;
  l.threads = 1;
  Rig r(l, 3, 3);
  ASSERT_TRUE(r.create(1));
  ASSERT_TRUE(r.create(2));
  auto [ret1, s1] = r.open(1);
  auto [ret2, s2] = r.open(2);
  ASSERT_EQ(ret1, kTeeSuccess);
  ASSERT_EQ(ret2, kTeeSuccess);
  r.hosts[1]->block = true;
  const uint32_t sid1 = s1;
  std::thread call([&] { (void)r.invoke(1, sid1, 0); });
  r.hosts[1]->gate.wait_entered();
  // Guest 1's one thread is taken: its next call waits (ETHREAD_LIMIT)...
  EXPECT_EQ(r.invoke(1, s1, 1).first, optee::kSmcReturnEThreadLimit);
  // ...while guest 2 and the host still get threads.
  EXPECT_EQ(r.invoke(2, s2, 1).second, kTeeSuccess);
  r.hosts[1]->gate.open();
  call.join();
  r.hosts[1]->block = false;
  EXPECT_EQ(r.invoke(1, s1, 1).second, kTeeSuccess);
}

TEST(Partitions, AGuestsSessionsAreBounded) {
  PartitionLimits l;
  l.sessions = 2;
  Rig r(l);
  ASSERT_TRUE(r.create(1));
  EXPECT_EQ(r.open(1).first, kTeeSuccess);
  EXPECT_EQ(r.open(1).first, kTeeSuccess);
  EXPECT_EQ(r.open(1).first, kTeeErrorOutOfMemory);
  ASSERT_TRUE(r.create(2));
  EXPECT_EQ(r.open(2).first, kTeeSuccess);  // another guest's own bound
}

TEST(Partitions, AGuestsPartitionHasItsOwnStorageAndLimits) {
  Seen seen;
  auto host_storage = std::move(open_storage_service({}).value());
  PartitionConfig base;
  base.limits.ta_instances = 3;
  TaHostConfig got;
  base.make_host = [&](const TaHostConfig& cfg) -> Result<std::unique_ptr<TaHost>> {
    got = cfg;
    return std::unique_ptr<TaHost>(std::make_unique<CountingHost>(seen, 9));
  };
  auto f = guest_partition_factory(base, host_storage);
  auto p = f(9);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(got.max_instances, 3u);
  EXPECT_TRUE(got.syscalls != nullptr);
  auto* op = static_cast<OsPartition*>(p->get());
  EXPECT_EQ(op->guest(), 9u);
  // A partition only takes the storage of its own guest.
  PartitionConfig wrong = base;
  wrong.guest = 3;
  wrong.storage = host_storage;
  EXPECT_FALSE(OsPartition::create(wrong).ok());
}

}  // namespace
}  // namespace swtee::os
