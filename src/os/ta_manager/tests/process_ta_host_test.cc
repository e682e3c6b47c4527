// ProcessTaHost against the real test TA (tests/test_ta), signed with a
// throw-away key and served by a fake SecureRpc. The TA counts its own
// entry-point calls (TEST_CMD_COUNTS), which shows instance sharing.
#include "os/ta_manager/process_ta_host.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "common/pidfd.h"
#include "common/shm_file.h"
#include "os/after_answer.h"
#include "ta_image/ta_image.h"
#include "test_shm.h"
#include "test_ta.h"

namespace swtee::os {
namespace {

constexpr uint32_t kSingle = 0x4, kMulti = 0x8, kKeepAlive = 0x10;

Uuid test_uuid(uint8_t id) {
  const uint8_t node[8] = {0x80, 0, 0, 0, 0, 0, 0, id};
  return Uuid::from_fields(0x5e5e0000, 0x7a11, 0x4e57, node);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Answers LOAD_TA from a map; counts loads. With `after` set, takes the
// kills of destroyed TA processes as a secure thread does.
class FakeRpc final : public SecureRpc {
 public:
  GpResult load_ta(const Uuid& uuid, std::vector<uint8_t>& image) override {
    ++loads;
    auto it = images.find(uuid);
    if (it == images.end()) return {kTeeErrorItemNotFound, kTeeOriginTee};
    image = it->second;
    return {kTeeSuccess, kTeeOriginTee};
  }
  bool kill_after_answer(UniqueFd& pidfd) override { return after != nullptr && after->kill_later(pidfd); }
  std::map<Uuid, std::vector<uint8_t>> images;
  int loads = 0;
  AfterAnswer* after = nullptr;
};

struct Keys {
  std::string priv, pub;
};

const Keys& keys() {
  static const Keys k = [] {
    auto r = taimg::generate_signing_key();
    EXPECT_TRUE(r.ok());
    return Keys{r->first, r->second};
  }();
  return k;
}

std::vector<uint8_t> signed_image(const std::string& so_name, const Uuid& uuid, uint32_t flags) {
  auto so = read_file(std::string(TEST_TA_DIR) + "/" + so_name + ".so");
  EXPECT_FALSE(so.empty()) << so_name;
  auto img = taimg::sign_ta_image(so, uuid, flags, keys().priv);
  EXPECT_TRUE(img.ok());
  return img.ok() ? *img : std::vector<uint8_t>{};
}

std::shared_ptr<PhysShm> make_shm(uint64_t cookie, uint64_t size) { return make_test_shm(cookie, size); }

class TaHostTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto& imgs = images();
    imgs[test_uuid(1)] = signed_image("tahost_ta_multi", test_uuid(1), 0);
    imgs[test_uuid(2)] = signed_image("tahost_ta_single", test_uuid(2), kSingle);
    imgs[test_uuid(3)] = signed_image("tahost_ta_single_multi", test_uuid(3), kSingle | kMulti);
    imgs[test_uuid(4)] = signed_image("tahost_ta_keep_alive", test_uuid(4), kSingle | kMulti | kKeepAlive);
    imgs[test_uuid(5)] = signed_image("tahost_ta_create_fail", test_uuid(5), 0);
    imgs[test_uuid(6)] = signed_image("tahost_ta_die_loading", test_uuid(6), 0);
    imgs[test_uuid(8)] = signed_image("tahost_ta_hostile_loading", test_uuid(8), 0);
  }
  static std::map<Uuid, std::vector<uint8_t>>& images() {
    static std::map<Uuid, std::vector<uint8_t>> m;
    return m;
  }

  void SetUp() override { make_host(64, 1024); }

  // A host whose image cache asks the store at every load (interval 0).
  void make_host_asking_every_time() { make_host_trusting(0); }
  // A host whose image cache trusts a verified image for `ms`.
  void make_host_trusting(unsigned ms) { make_host(64, 1024, 100, ms); }

  // A host whose TAs' spares go after `ms` without a take.
  void make_host_with_spare_idle(unsigned ms) { make_host(64, 1024, 100, TaHostConfig{}.image_trust_ms, ms); }

  void make_host(unsigned max_instances, unsigned max_sessions, unsigned uid_share_percent = 100,
                 unsigned image_trust_ms = TaHostConfig{}.image_trust_ms,
                 unsigned spare_idle_ms = TaHostConfig{}.spare_idle_ms) {
    host_.reset();
    TaHostConfig cfg;
    cfg.uid_share_percent = uid_share_percent;
    cfg.image_trust_ms = image_trust_ms;
    cfg.spare_idle_ms = spare_idle_ms;
    cfg.ta_host_binary = SWTEE_TA_HOST_BIN;
    cfg.ta_pubkey_pems = {keys().pub};
    cfg.max_instances = max_instances;
    cfg.max_sessions = max_sessions;
    auto h = ProcessTaHost::create(cfg);
    ASSERT_TRUE(h.ok());
    host_ = std::move(*h);
    rpc_.images = images();
  }

  GpResult open(uint8_t id, uint64_t* s, uint32_t refuse = 0, std::optional<uint32_t> uid = std::nullopt) {
    OsParams p{};
    if (refuse != 0) {
      p[0].type = OsParamType::ValueInput;
      p[0].a = refuse;
    }
    CancelState cancel;
    CallContext call{rpc_, cancel};
    ClientIdentity client;
    client.uid = uid;
    return host_->open_session(test_uuid(id), client, p, call, s);
  }

  GpResult invoke(uint64_t s, uint32_t cmd, OsParams& p, CancelState* cancel = nullptr) {
    CancelState local;
    CallContext call{rpc_, cancel ? *cancel : local};
    return host_->invoke(s, cmd, p, call);
  }

  // {creates, opens, closes, live} as the instance serving `s` counted them.
  std::array<uint32_t, 4> counts(uint64_t s) {
    OsParams p{};
    p[0].type = OsParamType::ValueOutput;
    p[1].type = OsParamType::ValueOutput;
    GpResult r = invoke(s, TEST_CMD_COUNTS, p);
    EXPECT_EQ(r.ret, kTeeSuccess);
    return {p[0].a, p[0].b, p[1].a, p[1].b};
  }

  uint32_t inc(uint64_t s, uint32_t v, GpResult* res = nullptr) {
    OsParams p{};
    p[0].type = OsParamType::ValueInout;
    p[0].a = v;
    GpResult r = invoke(s, TEST_CMD_INC, p);
    if (res) *res = r;
    return p[0].a;
  }

  FakeRpc rpc_;
  std::unique_ptr<ProcessTaHost> host_;
};

TEST_F(TaHostTest, OpenInvokeClose) {
  uint64_t s = 0;
  GpResult r = open(1, &s);
  ASSERT_EQ(r.ret, kTeeSuccess);
  EXPECT_EQ(r.origin, kTeeOriginTrustedApp);
  GpResult ir;
  EXPECT_EQ(inc(s, 41, &ir), 42u);
  EXPECT_EQ(ir.ret, kTeeSuccess);
  EXPECT_EQ(ir.origin, kTeeOriginTrustedApp);
  auto c = counts(s);
  EXPECT_EQ(c[0], 1u);
  EXPECT_EQ(c[1], 1u);
  EXPECT_EQ(host_->live_instances(), 1u);
  host_->close_session(s);
  EXPECT_EQ(host_->open_sessions(), 0u);
  EXPECT_EQ(host_->live_instances(), 0u) << "multi-instance TA: the instance goes with its session";
}

// The last close from the normal world leaves the destroyed process's kill
// to the secure thread, for after its answer: until then the process,
// which took its Destroy, waits (a window for an event that must not
// happen, not a deadline).
TEST_F(TaHostTest, LastCloseLeavesTheKillForAfterTheAnswer) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  UniqueFd watch = open_pidfd(host_->session_pid(s)).value();
  ASSERT_TRUE(watch);
  AfterAnswer after;
  rpc_.after = &after;
  host_->close_session(s, &rpc_);
  rpc_.after = nullptr;
  EXPECT_EQ(host_->live_instances(), 0u);
  EXPECT_EQ(after.pending(), 1u);
  EXPECT_FALSE(wait_exit(watch.get(), 200));
  after.run();
  EXPECT_TRUE(wait_exit(watch.get(), 10000));
}

// Without a thread to send it later (no RPC, or one that takes no kill),
// the close kills the process itself.
TEST_F(TaHostTest, LastCloseKillsAtOnceWhenNothingTakesTheKill) {
  for (bool with_rpc : {false, true}) {
    uint64_t s = 0;
    ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
    UniqueFd watch = open_pidfd(host_->session_pid(s)).value();
    ASSERT_TRUE(watch);
    if (with_rpc)
      host_->close_session(s, &rpc_);
    else
      host_->close_session(s);
    EXPECT_TRUE(wait_exit(watch.get(), 10000)) << (with_rpc ? "with" : "without") << " an RPC";
  }
}

TEST_F(TaHostTest, UnknownCommandIsTheTasResult) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  OsParams p{};
  GpResult r = invoke(s, 999, p);
  EXPECT_EQ(r.ret, kTeeErrorNotSupported);
  EXPECT_EQ(r.origin, kTeeOriginTrustedApp);
  host_->close_session(s);
}

TEST_F(TaHostTest, MemrefsAreCopiedWithShortBufferReport) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  auto in = make_shm(11, 4096);
  auto out = make_shm(12, 4096);
  std::memcpy(in->map.data() + 100, "abcdef", 6);

  OsParams p{};
  p[0] = OsParam{OsParamType::MemrefInput, 0, 0, in, 100, 6};
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, out, 8, 64};
  GpResult r = invoke(s, TEST_CMD_REVERSE, p);
  ASSERT_EQ(r.ret, kTeeSuccess);
  EXPECT_EQ(p[1].size, 6u);
  EXPECT_EQ(std::memcmp(out->map.data() + 8, "fedcba", 6), 0);

  // Too small: the TA reports the size it needs; the OS passes it on.
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, out, 0, 2};
  r = invoke(s, TEST_CMD_REVERSE, p);
  EXPECT_EQ(r.ret, kTeeErrorShortBuffer);
  EXPECT_EQ(p[1].size, 6u);

  // NULL memref (size query).
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, nullptr, 0, 0};
  r = invoke(s, TEST_CMD_REVERSE, p);
  EXPECT_EQ(r.ret, kTeeErrorShortBuffer);
  EXPECT_EQ(p[1].size, 6u);

  // Out-of-range memref is refused before it reaches the TA.
  p[1] = OsParam{OsParamType::MemrefOutput, 0, 0, out, 4090, 64};
  r = invoke(s, TEST_CMD_REVERSE, p);
  EXPECT_EQ(r.ret, kTeeErrorBadParameters);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  host_->close_session(s);
}

TEST_F(TaHostTest, ReRegisteredCookieIsSentAgain) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  for (int round = 0; round < 3; ++round) {
    auto buf = make_shm(77, 64);  // same cookie, new memfd each round
    OsParams p{};
    p[0] = OsParam{OsParamType::MemrefInout, 0, 0, buf, 0, 64};
    p[1].type = OsParamType::ValueInput;
    p[1].a = 0x10 + round;
    ASSERT_EQ(invoke(s, TEST_CMD_FILL, p).ret, kTeeSuccess);
    EXPECT_EQ(buf->map.data()[63], 0x10 + round) << "the TA wrote into this round's memfd";
  }
  host_->close_session(s);
}

TEST_F(TaHostTest, ManyShmsThroughTheSameWindows) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  for (uint64_t i = 0; i < 200; ++i) {
    auto buf = make_shm(1000 + i, 16);
    OsParams p{};
    p[0] = OsParam{OsParamType::MemrefInout, 0, 0, buf, 0, 16};
    p[1].type = OsParamType::ValueInput;
    p[1].a = 0x5a;
    ASSERT_EQ(invoke(s, TEST_CMD_FILL, p).ret, kTeeSuccess) << i;
    ASSERT_EQ(buf->map.data()[0], 0x5a);
  }
  host_->close_session(s);
}

TEST_F(TaHostTest, MultiInstanceTaGetsAProcessPerSession) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  EXPECT_NE(host_->session_pid(a), host_->session_pid(b));
  EXPECT_EQ(counts(a)[1], 1u);
  EXPECT_EQ(counts(b)[1], 1u);
  EXPECT_EQ(host_->live_instances(), 2u);
  host_->close_session(a);
  host_->close_session(b);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, SingleInstanceWithoutMultiSessionIsBusy) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(2, &a).ret, kTeeSuccess);
  GpResult r = open(2, &b);
  EXPECT_EQ(r.ret, kTeeErrorBusy);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  pid_t first = host_->session_pid(a);
  host_->close_session(a);
  EXPECT_EQ(host_->live_instances(), 0u);
  ASSERT_EQ(open(2, &b).ret, kTeeSuccess);
  EXPECT_NE(host_->session_pid(b), first) << "no keep-alive: a fresh instance";
  EXPECT_EQ(counts(b)[0], 1u);
  host_->close_session(b);
}

TEST_F(TaHostTest, BusyAnswerDoesNotWaitForARunningCall) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(2, &a).ret, kTeeSuccess);
  CancelState cancel;
  GpResult waited{};
  std::thread t([&] {
    OsParams p{};
    p[0].type = OsParamType::ValueInput;
    p[0].a = 0xFFFFFFFF;  // TEE_TIMEOUT_INFINITE: holds the instance until cancelled
    waited = invoke(a, TEST_CMD_WAIT, p, &cancel);
  });
  EXPECT_EQ(open(2, &b).ret, kTeeErrorBusy);  // would hang here if it waited for the call
  cancel.request();
  t.join();
  EXPECT_EQ(waited.ret, kTeeErrorCancel);
  host_->close_session(a);
}

TEST_F(TaHostTest, SingleInstanceMultiSessionShares) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(3, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(3, &b).ret, kTeeSuccess);
  EXPECT_EQ(host_->session_pid(a), host_->session_pid(b));
  auto c = counts(b);
  EXPECT_EQ(c[0], 1u) << "one TA_CreateEntryPoint";
  EXPECT_EQ(c[1], 2u) << "two TA_OpenSessionEntryPoint";
  EXPECT_EQ(host_->live_instances(), 1u);
  EXPECT_EQ(rpc_.loads, 1) << "loaded once";
  host_->close_session(a);
  EXPECT_EQ(counts(b)[2], 1u) << "TA_CloseSessionEntryPoint ran";
  host_->close_session(b);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, KeepAliveSurvivesLastSession) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(4, &a).ret, kTeeSuccess);
  pid_t pid = host_->session_pid(a);
  OsParams p{};
  p[0].type = OsParamType::ValueInout;
  p[0].a = 0x1234;
  ASSERT_EQ(invoke(a, TEST_CMD_INSTANCE_DATA, p).ret, kTeeSuccess);
  host_->close_session(a);
  EXPECT_EQ(host_->live_instances(), 1u);
  ASSERT_EQ(open(4, &b).ret, kTeeSuccess);
  EXPECT_EQ(host_->session_pid(b), pid);
  auto c = counts(b);
  EXPECT_EQ(c[0], 1u);
  EXPECT_EQ(c[1], 2u);
  EXPECT_EQ(c[3], 1u);
  p[0].a = 0;
  ASSERT_EQ(invoke(b, TEST_CMD_INSTANCE_DATA, p).ret, kTeeSuccess);
  EXPECT_EQ(p[0].a, 0x1234u) << "instance data survived";
  host_->close_session(b);
  EXPECT_EQ(host_->live_instances(), 1u);
}

TEST_F(TaHostTest, PanicKillsOnlyThatInstance) {
  uint64_t a = 0, b = 0, c = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  ASSERT_EQ(open(3, &c).ret, kTeeSuccess);
  OsParams p{};
  GpResult r = invoke(a, TEST_CMD_PANIC, p);
  EXPECT_EQ(r.ret, kTeeErrorTargetDead);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  GpResult again;
  inc(a, 1, &again);
  EXPECT_EQ(again.ret, kTeeErrorTargetDead);
  EXPECT_EQ(again.origin, kTeeOriginTee);
  EXPECT_EQ(inc(b, 1), 2u);
  EXPECT_EQ(inc(c, 5), 6u);
  host_->close_session(a);  // still succeeds
  EXPECT_EQ(host_->open_sessions(), 2u);
  EXPECT_EQ(host_->live_instances(), 2u);
  host_->close_session(b);
  host_->close_session(c);
}

TEST_F(TaHostTest, PanickedSingleInstanceIsReplaced) {
  uint64_t a = 0, b = 0, c = 0;
  ASSERT_EQ(open(3, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(3, &b).ret, kTeeSuccess);
  OsParams p{};
  EXPECT_EQ(invoke(a, TEST_CMD_PANIC, p).ret, kTeeErrorTargetDead);
  GpResult r;
  inc(b, 1, &r);
  EXPECT_EQ(r.ret, kTeeErrorTargetDead) << "the other session shared the dead instance";
  ASSERT_EQ(open(3, &c).ret, kTeeSuccess);
  EXPECT_EQ(inc(c, 1), 2u);
  EXPECT_EQ(counts(c)[1], 1u) << "a new instance";
  host_->close_session(a);
  host_->close_session(b);
  host_->close_session(c);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, SigkilledTaIsTargetDead) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  ASSERT_EQ(::kill(host_->session_pid(a), SIGKILL), 0);
  GpResult r;
  inc(a, 1, &r);
  EXPECT_EQ(r.ret, kTeeErrorTargetDead);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(inc(b, 1), 2u);
  host_->close_session(a);
  host_->close_session(b);
}

// True while `pid` sleeps in a futex wait without a timeout: TEE_Wait with
// TEE_TIMEOUT_INFINITE (api_cancel_time.cc). An idle TA waits for its next
// request with a timeout, so this tells "inside the call" apart.
bool in_untimed_futex_wait(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/syscall");
  std::string nr, a0, a1, a2, a3;
  f >> nr >> a0 >> a1 >> a2 >> a3;
  return nr == std::to_string(SYS_futex) && a3 == "0x0";
}

// Killed in the middle of a call (asleep in TEE_Wait, swtee-os waiting
// for its reply): the call ends TARGET_DEAD and the other instance serves on.
TEST_F(TaHostTest, TaKilledWhileTheOsWaitsForItsReplyIsTargetDead) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  const pid_t pid = host_->session_pid(a);
  GpResult r{};
  std::thread t([&] {
    OsParams p{};
    p[0].type = OsParamType::ValueInput;
    p[0].a = 0xFFFFFFFF;  // TEE_TIMEOUT_INFINITE
    r = invoke(a, TEST_CMD_WAIT, p);
  });
  while (!in_untimed_futex_wait(pid)) ::sched_yield();  // inside TEE_Wait
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  t.join();
  EXPECT_EQ(r.ret, kTeeErrorTargetDead);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(inc(b, 1), 2u);
  host_->close_session(a);
  host_->close_session(b);
}

TEST_F(TaHostTest, CreateEntryPointFailureIsItsOwnResult) {
  uint64_t s = 0;
  GpResult r = open(5, &s);
  EXPECT_EQ(r.ret, kTeeErrorAccessDenied);
  EXPECT_EQ(r.origin, kTeeOriginTrustedApp);
  EXPECT_EQ(host_->live_instances(), 0u);
  EXPECT_EQ(host_->open_sessions(), 0u);
}

// A TA process that dies while it loads, before its hello (here its ELF
// constructor exits; in life a kill or the OOM killer): the open tries one
// more process, then answers TARGET_DEAD, not BAD_FORMAT, and the host
// still serves.
TEST_F(TaHostTest, AProcessDeadWhileLoadingIsTargetDeadAfterOneMoreTry) {
  host_->wait_spares_idle();
  const uint64_t before = host_->processes_spawned();
  uint64_t s = 0;
  GpResult r = open(6, &s);
  EXPECT_EQ(r.ret, kTeeErrorTargetDead);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  host_->wait_spares_idle();
  // Two for the open; one spare the pool then tried, which died too and
  // made it stop.
  EXPECT_EQ(host_->processes_spawned() - before, 3u);
  EXPECT_EQ(host_->live_instances(), 0u);
  uint64_t s1 = 0;
  ASSERT_EQ(open(1, &s1).ret, kTeeSuccess);
}

TEST_F(TaHostTest, OpenRefusedByTheTa) {
  uint64_t s = 0;
  GpResult r = open(1, &s, TEST_TA_OPEN_REFUSE);
  EXPECT_EQ(r.ret, kTeeErrorAccessDenied);
  EXPECT_EQ(r.origin, kTeeOriginTrustedApp);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, MissingTaIsItemNotFound) {
  uint64_t s = 0;
  GpResult r = open(9, &s);
  EXPECT_EQ(r.ret, kTeeErrorItemNotFound);
}

TEST_F(TaHostTest, FlippedByteIsSecurity) {
  auto& img = rpc_.images[test_uuid(1)];
  for (size_t pos : {size_t{30}, size_t{100}, img.size() / 2, img.size() - 1}) {
    rpc_.images = images();
    rpc_.images[test_uuid(1)][pos] ^= 0x01;
    uint64_t s = 0;
    GpResult r = open(1, &s);
    EXPECT_EQ(r.ret, kTeeErrorSecurity) << pos;
    EXPECT_EQ(r.origin, kTeeOriginTee);
  }
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, WrongUuidIsSecurity) {
  rpc_.images[test_uuid(7)] = images()[test_uuid(1)];
  uint64_t s = 0;
  EXPECT_EQ(open(7, &s).ret, kTeeErrorSecurity);
}

TEST_F(TaHostTest, WrongKeyIsSecurity) {
  auto other = taimg::generate_signing_key();
  ASSERT_TRUE(other.ok());
  auto so = read_file(std::string(TEST_TA_DIR) + "/tahost_ta_multi.so");
  auto img = taimg::sign_ta_image(so, test_uuid(1), 0, other->first);
  ASSERT_TRUE(img.ok());
  rpc_.images[test_uuid(1)] = *img;
  uint64_t s = 0;
  EXPECT_EQ(open(1, &s).ret, kTeeErrorSecurity);
}

TEST_F(TaHostTest, SignedFlagsMustMatchTheTa) {
  // The .so says flags 0; the signed header claims SINGLE_INSTANCE.
  rpc_.images[test_uuid(1)] = signed_image("tahost_ta_multi", test_uuid(1), kSingle);
  uint64_t s = 0;
  GpResult r = open(1, &s);
  EXPECT_EQ(r.ret, kTeeErrorSecurity);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, TaIsSandboxed) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  OsParams p{};
  p[0].type = OsParamType::ValueOutput;
  ASSERT_EQ(invoke(s, TEST_CMD_OPEN_FILE, p).ret, kTeeSuccess);
  EXPECT_EQ(p[0].a, 0u) << "open() must fail inside a TA";
  EXPECT_EQ(p[0].b, static_cast<uint32_t>(EPERM));
  host_->close_session(s);
}

// A TA's ELF constructors run under the loader stage, before its final
// sandbox (docs/sandbox.md): no path reaches a file there either. The only
// open the stage lets through (read-only, close-on-exec: the loader's own)
// meets Landlock; the rest meet seccomp.
TEST_F(TaHostTest, TaConstructorsAreConfinedToo) {
  uint64_t s = 0;
  ASSERT_EQ(open(8, &s).ret, kTeeSuccess);
  OsParams p{};
  for (int i = 0; i < 3; ++i) p[i].type = OsParamType::ValueOutput;
  ASSERT_EQ(invoke(s, TEST_CMD_LOADING_TRIES, p).ret, kTeeSuccess);
  // Landlock's ABI version, 0 without it (as ta_runtime/landlock.h asks).
  const bool landlock = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, 1U /* _VERSION */) > 0;
  if (landlock)
    EXPECT_EQ(p[0].a, static_cast<uint32_t>(EACCES)) << "read a file by path while loading";
  else
    EXPECT_EQ(p[0].a, 0u) << "without Landlock this open works (docs/sandbox.md)";
  EXPECT_EQ(p[0].b, static_cast<uint32_t>(EPERM)) << "open";
  EXPECT_EQ(p[1].a, static_cast<uint32_t>(EPERM)) << "create a file";
  EXPECT_EQ(p[1].b, static_cast<uint32_t>(EPERM)) << "prctl(PR_SET_DUMPABLE)";
  EXPECT_EQ(p[2].a, static_cast<uint32_t>(EPERM)) << "unshare";
  EXPECT_NE(::access("/tmp/swtee-hostile-loader", F_OK), 0);
  host_->close_session(s);
}

// The five capability sets of a process, from /proc/PID/status, joined
// ("CapInh CapPrm CapEff CapBnd CapAmb" values); empty if unreadable.
std::string capability_sets(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line, sets;
  while (std::getline(f, line))
    if (line.rfind("Cap", 0) == 0) sets += line.substr(line.find(':') + 1) + " ";
  return sets;
}

// The zygote drops every capability after its set-up (capabilities.h), so
// the TA processes it forks start with none, whoever runs the stack.
TEST_F(TaHostTest, TaProcessesHoldNoCapabilities) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  const pid_t ta = host_->session_pid(s);
  ASSERT_GT(ta, 0);
  for (pid_t pid : {host_->zygote_pid(), ta}) {
    const std::string sets = capability_sets(pid);
    ASSERT_FALSE(sets.empty()) << pid;
    EXPECT_EQ(sets.find_first_not_of("0\t "), std::string::npos) << "pid " << pid << ": " << sets;
  }
  host_->close_session(s);
}

TEST_F(TaHostTest, RuntimeMemoryFunctions) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  OsParams p{};
  p[0].type = OsParamType::ValueOutput;
  ASSERT_EQ(invoke(s, TEST_CMD_MEMORY, p).ret, kTeeSuccess);
  EXPECT_EQ(p[0].a, 0u) << "failed checks bitmask";
  host_->close_session(s);
}

TEST_F(TaHostTest, RuntimeProperties) {
  for (uint8_t id : {1, 3}) {
    uint64_t s = 0;
    ASSERT_EQ(open(id, &s).ret, kTeeSuccess);
    OsParams p{};
    p[0].type = OsParamType::ValueOutput;
    ASSERT_EQ(invoke(s, TEST_CMD_PROPERTIES, p).ret, kTeeSuccess);
    EXPECT_EQ(p[0].a, 0u) << "failed property checks bitmask, TA " << int(id);
    host_->close_session(s);
  }
}

TEST_F(TaHostTest, CancelRequestedBeforeWaitCancels) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  CancelState cancel;
  cancel.request();
  OsParams p{};
  p[0].type = OsParamType::ValueInput;
  p[0].a = 0xFFFFFFFF;  // TEE_TIMEOUT_INFINITE
  GpResult r = invoke(s, TEST_CMD_WAIT, p, &cancel);
  EXPECT_EQ(r.ret, kTeeErrorCancel);
  // The next call is not cancelled by the old request.
  OsParams q{};
  q[0].type = OsParamType::ValueInput;
  q[0].a = 1;
  EXPECT_EQ(invoke(s, TEST_CMD_WAIT, q).ret, kTeeSuccess);
  host_->close_session(s);
}

TEST_F(TaHostTest, CancelWakesAnInfiniteWait) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  CancelState cancel;
  GpResult r{};
  std::thread t([&] {
    OsParams p{};
    p[0].type = OsParamType::ValueInput;
    p[0].a = 0xFFFFFFFF;
    r = invoke(s, TEST_CMD_WAIT, p, &cancel);
  });
  cancel.request();  // before, during or after the TA enters TEE_Wait: all must cancel
  t.join();
  EXPECT_EQ(r.ret, kTeeErrorCancel);
  host_->close_session(s);
}

TEST_F(TaHostTest, MaskedCancellationIsIgnored) {
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  CancelState cancel;
  cancel.request();
  OsParams p{};
  p[0].type = OsParamType::ValueInput;
  p[0].a = 5;
  p[0].b = 1;  // mask first
  EXPECT_EQ(invoke(s, TEST_CMD_WAIT, p, &cancel).ret, kTeeSuccess);
  host_->close_session(s);
}

TEST_F(TaHostTest, InstanceLimitIsOutOfMemory) {
  make_host(1, 1024);
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  GpResult r = open(1, &b);
  EXPECT_EQ(r.ret, kTeeErrorOutOfMemory);
  EXPECT_EQ(r.origin, kTeeOriginTee);
  host_->close_session(a);
  EXPECT_EQ(open(1, &b).ret, kTeeSuccess) << "the slot came back";
  host_->close_session(b);
}

// Instances are a pool split per uid (os/shared_pool.h): one uid's opens
// stop at its share (OUT_OF_MEMORY) while another uid's still make
// instances; an open without a uid meets the global limit only.
TEST_F(TaHostTest, EachUidGetsItsShareOfTheInstances) {
  make_host(4, 1024, 50);
  uint64_t a1 = 0, a2 = 0, a3 = 0, b = 0, anon = 0, over = 0;
  ASSERT_EQ(open(1, &a1, 0, 5u).ret, kTeeSuccess);
  ASSERT_EQ(open(1, &a2, 0, 5u).ret, kTeeSuccess);
  GpResult r = open(1, &a3, 0, 5u);
  EXPECT_EQ(r.ret, kTeeErrorOutOfMemory) << "uid 5 holds its 2 of 4";
  EXPECT_EQ(r.origin, kTeeOriginTee);
  EXPECT_EQ(open(1, &b, 0, 6u).ret, kTeeSuccess) << "another uid still gets an instance";
  EXPECT_EQ(open(1, &anon).ret, kTeeSuccess) << "no uid: the global limit only";
  EXPECT_EQ(open(1, &over, 0, 7u).ret, kTeeErrorOutOfMemory) << "all 4 are in use";
  EXPECT_EQ(host_->instance_pool().status().refused_share, 1u);
  EXPECT_EQ(host_->instance_pool().status().refused_full, 1u);
  host_->close_session(a1);
  EXPECT_EQ(host_->instance_pool().used_by(5), 1u) << "the instance gave its unit back with its process";
  EXPECT_EQ(open(1, &a3, 0, 5u).ret, kTeeSuccess);
  for (uint64_t s : {a2, a3, b, anon}) host_->close_session(s);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, SessionLimitIsBusy) {
  make_host(64, 1);
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(3, &a).ret, kTeeSuccess);
  EXPECT_EQ(open(3, &b).ret, kTeeErrorBusy);
  host_->close_session(a);
}

TEST_F(TaHostTest, ConcurrentOpensShareOneSingleInstance) {
  constexpr int kThreads = 4;
  std::array<uint64_t, kThreads> ids{};
  std::array<GpResult, kThreads> res{};
  std::vector<std::thread> ts;
  for (int i = 0; i < kThreads; ++i) ts.emplace_back([&, i] { res[i] = open(3, &ids[i]); });
  for (auto& t : ts) t.join();
  for (int i = 0; i < kThreads; ++i) ASSERT_EQ(res[i].ret, kTeeSuccess);
  for (int i = 1; i < kThreads; ++i) EXPECT_EQ(host_->session_pid(ids[i]), host_->session_pid(ids[0]));
  EXPECT_EQ(counts(ids[0])[0], 1u);
  EXPECT_EQ(host_->live_instances(), 1u);
  for (auto id : ids) host_->close_session(id);
}

TEST_F(TaHostTest, ZygoteDeathKillsItsTasAndIsRecovered) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(3, &a).ret, kTeeSuccess);
  const pid_t old_zygote = host_->zygote_pid();
  UniqueFd ta(static_cast<int>(::syscall(SYS_pidfd_open, host_->session_pid(a), 0)));
  ASSERT_TRUE(ta.valid());
  ASSERT_EQ(::kill(old_zygote, SIGKILL), 0);
  pollfd pfd{ta.get(), POLLIN, 0};
  ASSERT_EQ(::poll(&pfd, 1, -1), 1);  // the TA process is gone (PDEATHSIG)
  GpResult r;
  inc(a, 1, &r);
  EXPECT_EQ(r.ret, kTeeErrorTargetDead) << "TA processes die with their zygote";
  ASSERT_EQ(open(3, &b).ret, kTeeSuccess) << "a new zygote serves new instances";
  EXPECT_NE(host_->zygote_pid(), old_zygote);
  EXPECT_EQ(inc(b, 1), 2u);
  host_->close_session(a);
  host_->close_session(b);
}

// ---- Cold starts: the verified-image cache and the spare pool.

TEST_F(TaHostTest, MultiInstanceTaGetsSparesThatServeLaterOpens) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  host_->wait_spares_idle();
  ASSERT_EQ(host_->ready_spares(), kSparesPerTa);
  const std::vector<pid_t> spares = host_->spare_pids();
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  const pid_t pb = host_->session_pid(b);
  EXPECT_NE(pb, host_->session_pid(a));
  EXPECT_NE(std::find(spares.begin(), spares.end(), pb), spares.end()) << "served by a spare";
  auto c = counts(b);
  EXPECT_EQ(c[0], 1u) << "a spare runs TA_CreateEntryPoint once, when taken";
  EXPECT_EQ(c[1], 1u);
  EXPECT_EQ(inc(b, 41), 42u);
  EXPECT_EQ(host_->live_instances(), 2u) << "spares are not instances";
  host_->close_session(a);
  host_->close_session(b);
  EXPECT_EQ(host_->live_instances(), 0u);
}

// A single-instance TA keeps one spare, which serves its next cold open
// (the instance went with its last session) and runs the create entry
// point once.
TEST_F(TaHostTest, SingleInstanceTaGetsOneSpare) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(3, &a).ret, kTeeSuccess);
  host_->wait_spares_idle();
  ASSERT_EQ(host_->ready_spares(), kSparesPerSingleInstanceTa);
  const std::vector<pid_t> spares = host_->spare_pids();
  ASSERT_EQ(open(3, &b).ret, kTeeSuccess);
  EXPECT_EQ(host_->session_pid(b), host_->session_pid(a)) << "a live single instance is shared, not a spare";
  EXPECT_EQ(host_->ready_spares(), kSparesPerSingleInstanceTa);
  host_->close_session(a);
  host_->close_session(b);
  EXPECT_EQ(host_->live_instances(), 0u);
  ASSERT_EQ(open(3, &a).ret, kTeeSuccess);
  const pid_t pa = host_->session_pid(a);
  EXPECT_NE(std::find(spares.begin(), spares.end(), pa), spares.end()) << "the cold open took the spare";
  auto c = counts(a);
  EXPECT_EQ(c[0], 1u) << "TA_CreateEntryPoint once, when taken";
  EXPECT_EQ(c[1], 1u);
  EXPECT_EQ(host_->live_instances(), 1u);
  host_->close_session(a);
}

// Spares that no cold open takes are killed after the configured idle
// expiry: an idle stack holds no TA process. Not a speed check: the bound
// (10 s) is 100 times the expiry set here and a third of the default (30 s),
// so it only tells "the setting was applied" from "it was not". The spares
// may be gone before they are listed (a sanitized build takes longer than
// the expiry to launch one): that they were launched is what must hold.
TEST_F(TaHostTest, UntakenSparesGoAfterTheIdleExpiry) {
  make_host_with_spare_idle(kMinSpareIdleMs);
  static_assert(kDefaultSpareIdleMs >= 30000);
  uint64_t a = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  host_->wait_spares_idle();
  ASSERT_GT(host_->spares_launched(), 0u);
  const std::vector<pid_t> spares = host_->spare_pids();
  host_->close_session(a);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto gone = [&] {
    if (host_->ready_spares() != 0) return false;
    for (pid_t p : spares)  // killed, and reaped by the zygote
      if (::kill(p, 0) == 0) return false;
    return true;
  };
  while (!gone() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(gone()) << "spares still there 10 s after a 100 ms idle expiry";
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, KeepAliveTaGetsNoSpare) {
  uint64_t a = 0;
  ASSERT_EQ(open(4, &a).ret, kTeeSuccess);
  host_->wait_spares_idle();
  EXPECT_EQ(host_->ready_spares(), 0u);
  host_->close_session(a);
  EXPECT_EQ(spare_target(kSingle | kMulti | kKeepAlive, kSparesPerTa), 0u);
  EXPECT_EQ(spare_target(kSingle, kSparesPerTa), kSparesPerSingleInstanceTa);
  EXPECT_EQ(spare_target(kSingle, 0), 0u) << "SWTEE_TA_SPARES=0 turns spares off";
  EXPECT_EQ(spare_target(0, kSparesPerTa), kSparesPerTa);
}

// With the default revalidation interval, a cold open of a TA verified and
// confirmed by the store moments ago does not ask the store again.
TEST_F(TaHostTest, RecentlyVerifiedImageNeedsNoLoad) {
  ASSERT_GT(TaHostConfig{}.image_trust_ms, 0u) << "the default interval is on";
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  EXPECT_EQ(rpc_.loads, 1);
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  EXPECT_EQ(rpc_.loads, 1) << "no LOAD_TA within the interval";
  EXPECT_EQ(inc(b, 1), 2u);
  host_->close_session(a);
  host_->close_session(b);
}

// The first open after the interval asks the store, and sees a change.
TEST_F(TaHostTest, ChangeIsSeenAfterTheInterval) {
  make_host_trusting(1);
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  host_->close_session(a);
  rpc_.images[test_uuid(1)][100] ^= 0x01;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // past the 1 ms interval
  EXPECT_EQ(open(1, &b).ret, kTeeErrorSecurity);
  EXPECT_EQ(rpc_.loads, 2);
  EXPECT_EQ(host_->cached_images(), 0u);
}

TEST_F(TaHostTest, EveryOpenAsksTheStoreWithIntervalZero) {
  make_host_asking_every_time();
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess);
  EXPECT_EQ(rpc_.loads, 2);
  EXPECT_EQ(host_->cached_images(), 1u);
  host_->close_session(a);
  host_->close_session(b);
  // Removed from the store: refused although verified before, and forgotten.
  rpc_.images.erase(test_uuid(1));
  EXPECT_EQ(open(1, &a).ret, kTeeErrorItemNotFound);
  EXPECT_EQ(host_->cached_images(), 0u);
  host_->wait_spares_idle();
  EXPECT_EQ(host_->ready_spares(), 0u);
}

TEST_F(TaHostTest, ReplacedImageIsVerifiedAgain) {
  make_host_asking_every_time();
  uint64_t s = 0;
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  host_->close_session(s);
  host_->wait_spares_idle();
  ASSERT_GT(host_->ready_spares(), 0u);
  // Tampered after a good load: the cached verdict does not carry over.
  for (size_t pos : {size_t{100}, rpc_.images[test_uuid(1)].size() - 1}) {
    rpc_.images = images();
    rpc_.images[test_uuid(1)][pos] ^= 0x01;
    GpResult r = open(1, &s);
    EXPECT_EQ(r.ret, kTeeErrorSecurity) << pos;
    EXPECT_EQ(host_->cached_images(), 0u);
    host_->wait_spares_idle();
    EXPECT_EQ(host_->ready_spares(), 0u) << "spares of the old image are gone";
  }
  // Re-signed with other flags: verified again and obeyed (SECURITY here,
  // since the TA's own info says flags 0).
  rpc_.images[test_uuid(1)] = signed_image("tahost_ta_multi", test_uuid(1), kSingle);
  EXPECT_EQ(open(1, &s).ret, kTeeErrorSecurity);
  // The good image again: loads.
  rpc_.images = images();
  ASSERT_EQ(open(1, &s).ret, kTeeSuccess);
  EXPECT_EQ(inc(s, 1), 2u);
  host_->close_session(s);
}

// A taken spare's create entry point runs with its first open
// (kReqCreateFirst); a spare that had died (here, with its zygote) is found
// dead there, and the open starts a new process instead.
TEST_F(TaHostTest, DeadSparesAreReplaced) {
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  host_->wait_spares_idle();
  std::vector<UniqueFd> spares;
  for (pid_t p : host_->spare_pids()) spares.emplace_back(static_cast<int>(::syscall(SYS_pidfd_open, p, 0)));
  ASSERT_FALSE(spares.empty());
  ASSERT_EQ(::kill(host_->zygote_pid(), SIGKILL), 0);
  for (auto& fd : spares) {
    ASSERT_TRUE(fd.valid());
    pollfd pfd{fd.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, -1), 1);  // died with the zygote
  }
  GpResult r = open(1, &b);
  ASSERT_EQ(r.ret, kTeeSuccess);
  EXPECT_EQ(inc(b, 1), 2u);
  EXPECT_EQ(counts(b)[0], 1u);
  host_->close_session(a);
  host_->close_session(b);
  EXPECT_EQ(host_->live_instances(), 0u);
}

// A first open that fails in the OS before it reaches a taken spare (here
// its memrefs are more than a call may carry) has not run the spare's
// deferred create, so the spare's destroy entry point must not run either
// (the TA runtime takes a destroy before create for a protocol error and
// exits: a death counted for the TA). The next open is served normally.
TEST_F(TaHostTest, AFirstOpenRefusedBeforeTheSpareNeitherCreatesNorDestroysIt) {
  uint64_t a = 0, b = 0, c = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  host_->wait_spares_idle();
  const std::vector<pid_t> spares = host_->spare_pids();
  ASSERT_FALSE(spares.empty());

  // 4 x 300 MiB of one sparse shm: past kMaxCallMemrefBytes (1 GiB).
  auto big = make_shm(21, 300ull << 20);
  OsParams too_much{};
  for (auto& q : too_much) q = OsParam{OsParamType::MemrefInput, 0, 0, big, 0, 300ull << 20};
  CancelState cancel;
  CallContext call{rpc_, cancel};
  GpResult r = host_->open_session(test_uuid(1), ClientIdentity{}, too_much, call, &b);
  EXPECT_EQ(r.ret, kTeeErrorOutOfMemory);
  const std::vector<pid_t> now = host_->spare_pids();
  EXPECT_TRUE(std::any_of(spares.begin(), spares.end(), [&](pid_t p) {
    return std::find(now.begin(), now.end(), p) == now.end();
  })) << "the open took a spare";

  for (const auto& t : host_->ta_stats())
    if (t.uuid == test_uuid(1)) EXPECT_EQ(t.panics, 0u) << "a destroy was sent to a spare never created";
  ASSERT_EQ(open(1, &c).ret, kTeeSuccess);
  EXPECT_EQ(counts(c)[0], 1u);
  host_->close_session(a);
  host_->close_session(c);
}

TEST_F(TaHostTest, CreateFailureOfASpareIsItsOwnResult) {
  uint64_t s = 0;
  EXPECT_EQ(open(5, &s).ret, kTeeErrorAccessDenied);
  host_->wait_spares_idle();
  GpResult r = open(5, &s);  // now from a spare
  EXPECT_EQ(r.ret, kTeeErrorAccessDenied);
  EXPECT_EQ(r.origin, kTeeOriginTrustedApp);
  EXPECT_EQ(host_->live_instances(), 0u);
}

TEST_F(TaHostTest, LongTrustWindowSkipsTheStore) {
  make_host_trusting(60000);
  uint64_t a = 0, b = 0;
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  rpc_.images[test_uuid(1)][100] ^= 0x01;  // the store changes within the window
  ASSERT_EQ(open(1, &b).ret, kTeeSuccess) << "the verified image is trusted for the window";
  EXPECT_EQ(rpc_.loads, 1);
  host_->close_session(a);
  host_->close_session(b);
  make_host_asking_every_time();  // interval 0: a change is seen at once
  ASSERT_EQ(open(1, &a).ret, kTeeSuccess);
  host_->close_session(a);
  rpc_.images[test_uuid(1)][100] ^= 0x01;
  EXPECT_EQ(open(1, &b).ret, kTeeErrorSecurity);
}

TEST_F(TaHostTest, CloseOfUnknownSessionIsHarmless) {
  host_->close_session(12345);
  OsParams p{};
  EXPECT_EQ(invoke(12345, 0, p).ret, kTeeErrorItemNotFound);
}

// Guests' partitions (os/partition.h): one TA host per guest, one zygote for
// all. Each host keeps its own single instance; shutting one host down (its
// guest destroyed) kills its instances, a running call included, and
// leaves the other host's alone.
class SharedZygoteTest : public TaHostTest {
 protected:
  std::unique_ptr<ProcessTaHost> make(std::shared_ptr<ZygoteClient> zygote) {
    TaHostConfig cfg;
    cfg.ta_host_binary = SWTEE_TA_HOST_BIN;
    cfg.ta_pubkey_pems = {keys().pub};
    cfg.zygote = std::move(zygote);
    auto h = ProcessTaHost::create(cfg);
    EXPECT_TRUE(h.ok());
    return h.ok() ? std::move(*h) : nullptr;
  }
  GpResult open_on(ProcessTaHost& h, uint8_t id, uint64_t* s) {
    OsParams p{};
    CancelState cancel;
    CallContext call{rpc_, cancel};
    return h.open_session(test_uuid(id), ClientIdentity{}, p, call, s);
  }
  // TEST_CMD_INSTANCE_DATA: stores `v` (non-zero) and returns what the instance holds.
  GpResult data(ProcessTaHost& h, uint64_t s, uint32_t v, uint32_t* out) {
    OsParams p{};
    p[0].type = OsParamType::ValueInout;
    p[0].a = v;
    CancelState cancel;
    CallContext call{rpc_, cancel};
    GpResult r = h.invoke(s, TEST_CMD_INSTANCE_DATA, p, call);
    *out = p[0].a;
    return r;
  }
};

TEST_F(SharedZygoteTest, EachHostHasItsOwnSingleInstanceAndShutDownEndsOnlyItsOwn) {
  auto zygote = ZygoteClient::start(SWTEE_TA_HOST_BIN);
  ASSERT_TRUE(zygote.ok());
  std::shared_ptr<ZygoteClient> shared = std::move(*zygote);
  auto a = make(shared);
  auto b = make(shared);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->zygote_pid(), b->zygote_pid());

  uint64_t sa = 0, sa2 = 0, sb = 0;
  ASSERT_EQ(open_on(*a, 3, &sa).ret, kTeeSuccess);  // single instance, multi session
  ASSERT_EQ(open_on(*a, 3, &sa2).ret, kTeeSuccess);
  ASSERT_EQ(open_on(*b, 3, &sb).ret, kTeeSuccess);
  EXPECT_EQ(a->session_pid(sa), a->session_pid(sa2));
  EXPECT_NE(a->session_pid(sa), b->session_pid(sb));
  EXPECT_EQ(a->live_instances(), 1u);
  EXPECT_EQ(b->live_instances(), 1u);
  uint32_t v = 0;
  ASSERT_EQ(data(*a, sa, 111, &v).ret, kTeeSuccess);
  ASSERT_EQ(data(*b, sb, 222, &v).ret, kTeeSuccess);
  ASSERT_EQ(data(*a, sa2, 0, &v).ret, kTeeSuccess);
  EXPECT_EQ(v, 111u);  // a's sessions share a's instance...
  ASSERT_EQ(data(*b, sb, 0, &v).ret, kTeeSuccess);
  EXPECT_EQ(v, 222u);  // ...and b's is another

  // a's guest goes while one of its calls waits for ever.
  GpResult waited{};
  std::thread t([&] {
    OsParams p{};
    p[0].type = OsParamType::ValueInput;
    p[0].a = 0xFFFFFFFF;  // TEE_TIMEOUT_INFINITE
    CancelState cancel;
    CallContext call{rpc_, cancel};
    waited = a->invoke(sa, TEST_CMD_WAIT, p, call);
  });
  a->shut_down();
  t.join();
  EXPECT_EQ(waited.ret, kTeeErrorTargetDead);
  EXPECT_EQ(data(*a, sa2, 0, &v).ret, kTeeErrorTargetDead);
  uint64_t again = 0;
  EXPECT_EQ(open_on(*a, 3, &again).ret, kTeeErrorTargetDead);
  a.reset();
  EXPECT_EQ(b->live_instances(), 1u);
  ASSERT_EQ(data(*b, sb, 0, &v).ret, kTeeSuccess);
  EXPECT_EQ(v, 222u);
  uint64_t sb2 = 0;
  ASSERT_EQ(open_on(*b, 1, &sb2).ret, kTeeSuccess);  // the shared zygote still forks
  b->close_session(sb2);
  b->close_session(sb);
}

}  // namespace
}  // namespace swtee::os
