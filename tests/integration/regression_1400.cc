// 1400s: TA-to-TA sessions (memrefs through three levels, identity,
// self-calls and cycles, callee panics, cancellation and timeouts), REE
// time and TA persistent time. The TAs are ta/ta2ta (A -> B -> C).
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "xtest_common.h"

extern "C" {
#include <ta2ta_ta.h>
}

namespace xtest {
namespace {

const TEEC_UUID kA = TA2TA_A_UUID;
const TEEC_UUID kB = TA2TA_B_UUID;
const TEEC_UUID kC = TA2TA_C_UUID;

constexpr uint32_t kLoginTrustedApp = 0xF0000000;
constexpr uint32_t kErrTimeNotSet = 0xFFFF5000;
constexpr uint32_t kErrTimeNeedsReset = 0xFFFF5001;
constexpr uint32_t kErrOverflow = 0xFFFF300F;
constexpr uint32_t kNoTimeout = TA2TA_RELAY_NO_TIMEOUT;

// RFC 4122 octets of `u`, computed here rather than with swtee::Uuid: the
// test's own oracle for the runtime's field/octet conversions.
std::vector<uint8_t> octets(const TEEC_UUID& u) {
  std::vector<uint8_t> o(16);
  o[0] = u.timeLow >> 24;
  o[1] = u.timeLow >> 16;
  o[2] = u.timeLow >> 8;
  o[3] = u.timeLow;
  o[4] = u.timeMid >> 8;
  o[5] = u.timeMid;
  o[6] = u.timeHiAndVersion >> 8;
  o[7] = u.timeHiAndVersion;
  std::memcpy(o.data() + 8, u.clockSeqAndNode, 8);
  return o;
}

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 8));
  return v;
}

struct ChainResult {
  TEEC_Result res = 0;
  uint32_t origin = 0;
  std::vector<uint8_t> out, io;
  size_t out_size = 0;
  uint32_t a = 0, b = 0;
};

// client -> A -> B -> C (hops = 2) with the chain command.
ChainResult run_chain(Session& s, const std::vector<uint8_t>& in, size_t out_len, std::vector<uint8_t> io,
                      bool null_out = false) {
  ChainResult r;
  r.out.assign(out_len, 0xEE);
  r.io = std::move(io);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
                                               TEEC_MEMREF_TEMP_INOUT, TEEC_VALUE_INOUT));
  op.params[0].tmpref.buffer = const_cast<uint8_t*>(in.data());
  op.params[0].tmpref.size = in.size();
  op.params[1].tmpref.buffer = null_out ? nullptr : r.out.data();
  op.params[1].tmpref.size = null_out ? 0 : r.out.size();
  op.params[2].tmpref.buffer = r.io.data();
  op.params[2].tmpref.size = r.io.size();
  op.params[3].value.a = 2;
  op.params[3].value.b = 40;
  r.res = s.invoke(TA2TA_CMD_CHAIN, &op);
  r.origin = s.origin();
  r.out_size = op.params[1].tmpref.size;
  r.a = op.params[3].value.a;
  r.b = op.params[3].value.b;
  return r;
}

void check_chain(size_t in_len, size_t io_len) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  const auto in = pattern(in_len, 3);
  const auto io = pattern(io_len, 9);
  ChainResult r = run_chain(s, in, in_len, io);
  ASSERT_EQ(r.res, TEEC_SUCCESS) << std::hex << r.res << " origin " << r.origin;
  EXPECT_EQ(r.a, 1000u);
  EXPECT_EQ(r.b, 43u);  // one per level
  ASSERT_EQ(r.out_size, in_len);
  size_t bad_out = 0, bad_io = 0;
  for (size_t i = 0; i < in_len; ++i)
    if (r.out[i] != static_cast<uint8_t>(in[in_len - 1 - i] + 4)) ++bad_out;  // (+2 in, reverse, +2 back)
  for (size_t i = 0; i < io_len; ++i)
    if (r.io[i] != static_cast<uint8_t>(io[i] + 3)) ++bad_io;
  EXPECT_EQ(bad_out, 0u);
  EXPECT_EQ(bad_io, 0u);
}

// Runs the relay command on `s`: target/flags/timeout in p0, cmd, and up to
// three forwarded params (types in `fwd_types`, the low 12 bits of the
// inner paramTypes).
struct Relay {
  TEEC_Operation op{};
  TEEC_Result res = 0;
  uint32_t origin = 0;
  uint32_t inner_res() const { return op.params[0].value.a; }
  uint32_t inner_origin() const { return op.params[0].value.b; }
};

Relay relay(Session& s, uint32_t target, uint32_t flags, uint32_t timeout, uint32_t cmd,
            uint32_t t1 = TEEC_NONE, uint32_t t2 = TEEC_NONE, uint32_t t3 = TEEC_NONE,
            TEEC_Operation* preset = nullptr) {
  Relay r;
  r.op = preset != nullptr ? *preset : make_op(0);
  r.op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, t1, t2, t3);
  r.op.params[0].value.a = TA2TA_RELAY_ARG(target, flags, timeout);
  r.op.params[0].value.b = cmd;
  r.res = s.invoke(TA2TA_CMD_RELAY, &r.op);
  r.origin = s.origin();
  return r;
}

// Invokes the relay command in r->op from another thread and requests its
// cancellation after `delay`.
void relay_then_cancel(Session& s, Relay* r, std::chrono::milliseconds delay) {
  uint32_t origin = 0;
  std::thread t([&] { r->res = TEEC_InvokeCommand(s.get(), TA2TA_CMD_RELAY, &r->op, &origin); });
  std::this_thread::sleep_for(delay);
  TEEC_RequestCancellation(&r->op);
  t.join();
  r->origin = origin;
}

TEST(Regression1400, X1401_ChainThreeDeepWithMemrefs) {
  check_chain(100, 40);  // io forwarded from the TAs' stacks
}

TEST(Regression1400, X1402_ChainThreeDeepWithBulkMemrefs) {
  check_chain(100 * 1024, 5000);  // above the inline syscall size; io from the received buffers
}

TEST(Regression1400, X1403_ShortBufferTravelsBackThroughTheChain) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  const auto in = pattern(300, 1);
  ChainResult r = run_chain(s, in, 299, pattern(8, 0));
  EXPECT_EQ(r.res, TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(r.origin, (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_EQ(r.out_size, 300u);
  // A NULL output memref is a size query all the way down.
  ChainResult q = run_chain(s, in, 0, pattern(8, 0), /*null_out=*/true);
  EXPECT_EQ(q.res, TEEC_ERROR_SHORT_BUFFER);
  EXPECT_EQ(q.out_size, 300u);
  // The session still works.
  EXPECT_EQ(run_chain(s, in, 300, pattern(8, 0)).res, TEEC_SUCCESS);
}

TEST(Regression1400, X1404_CalleeSeesTrustedAppLoginAndCallerUuid) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  // The client itself is PUBLIC.
  std::vector<uint8_t> id(16, 0xFF);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[1].tmpref.buffer = id.data();
  op.params[1].tmpref.size = id.size();
  ASSERT_EQ(s.invoke(TA2TA_CMD_IDENTITY, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, (uint32_t)TEEC_LOGIN_PUBLIC);
  // A -> B: B's client is A.
  std::fill(id.begin(), id.end(), 0xFF);
  TEEC_Operation pre = make_op(0);
  pre.params[2].tmpref.buffer = id.data();
  pre.params[2].tmpref.size = id.size();
  Relay r = relay(s, TA2TA_B, 0, kNoTimeout, TA2TA_CMD_IDENTITY, TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT,
                  TEEC_NONE, &pre);
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  ASSERT_EQ(r.inner_res(), TEEC_SUCCESS) << std::hex << r.inner_res() << " " << r.inner_origin();
  EXPECT_EQ(r.inner_origin(), (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_EQ(r.op.params[1].value.a, kLoginTrustedApp);
  EXPECT_EQ(r.op.params[2].tmpref.size, 16u);
  EXPECT_EQ(id, octets(kA));
  // C (GP 1.1 mode) sees B when B calls it: client -> B -> C.
  Session sb;
  ASSERT_EQ(sb.open(ctx.get(), kB), TEEC_SUCCESS);
  std::fill(id.begin(), id.end(), 0xFF);
  Relay r2 = relay(sb, TA2TA_C, 0, kNoTimeout, TA2TA_CMD_IDENTITY, TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT,
                   TEEC_NONE, &pre);
  ASSERT_EQ(r2.inner_res(), TEEC_SUCCESS);
  EXPECT_EQ(r2.op.params[1].value.a, kLoginTrustedApp);
  EXPECT_EQ(id, octets(kB));
}

TEST(Regression1400, X1405_SelfCallIsBusy) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kB), TEEC_SUCCESS);
  // B is single-instance: opening itself would wait for itself.
  Relay r = relay(s, TA2TA_B, 0, kNoTimeout, TA2TA_CMD_NULL);
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  EXPECT_EQ(r.inner_res(), TEEC_ERROR_BUSY);
  EXPECT_EQ(r.inner_origin(), (uint32_t)TEEC_ORIGIN_TEE | TA2TA_OPEN_FAILED);
  // A has an instance per session: A -> A is a new instance, not a cycle.
  Session sa;
  ASSERT_EQ(sa.open(ctx.get(), kA), TEEC_SUCCESS);
  Relay r2 = relay(sa, TA2TA_A, 0, kNoTimeout, TA2TA_CMD_NULL);
  EXPECT_EQ(r2.inner_res(), TEEC_SUCCESS);
  EXPECT_EQ(s.invoke(TA2TA_CMD_NULL), TEEC_SUCCESS);  // B is fine
}

TEST(Regression1400, X1406_CycleIsBusy) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kB), TEEC_SUCCESS);
  // client -> B -> C (relay) -> B: B is busy serving this very chain.
  TEEC_Operation pre = make_op(0);
  pre.params[1].value.a = TA2TA_RELAY_ARG(TA2TA_B, 0, kNoTimeout);
  pre.params[1].value.b = TA2TA_CMD_NULL;
  Relay r = relay(s, TA2TA_C, 0, kNoTimeout, TA2TA_CMD_RELAY, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, &pre);
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  ASSERT_EQ(r.inner_res(), TEEC_SUCCESS) << std::hex << r.inner_res();
  EXPECT_EQ(r.op.params[1].value.a, TEEC_ERROR_BUSY);
  EXPECT_EQ(r.op.params[1].value.b, (uint32_t)TEEC_ORIGIN_TEE | TA2TA_OPEN_FAILED);
}

TEST(Regression1400, X1407_PanickingCalleeIsTargetDeadAndCallerLives) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  // The second invoke on the dead session answers TARGET_DEAD too.
  Relay r = relay(s, TA2TA_C, TA2TA_RELAY_TWICE, kNoTimeout, TA2TA_CMD_PANIC);
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  EXPECT_EQ(r.inner_res(), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(r.inner_origin(), (uint32_t)TEEC_ORIGIN_TEE);
  EXPECT_EQ(s.invoke(TA2TA_CMD_NULL), TEEC_SUCCESS);  // A survived
  // The callee TA comes back as a new instance.
  Relay again = relay(s, TA2TA_C, 0, kNoTimeout, TA2TA_CMD_NULL);
  EXPECT_EQ(again.inner_res(), TEEC_SUCCESS);
  // Three deep: client -> A -> B -> C panics; B reports it, A and B live.
  TEEC_Operation pre = make_op(0);
  pre.params[1].value.a = TA2TA_RELAY_ARG(TA2TA_C, 0, kNoTimeout);
  pre.params[1].value.b = TA2TA_CMD_PANIC;
  Relay deep =
      relay(s, TA2TA_B, 0, kNoTimeout, TA2TA_CMD_RELAY, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, &pre);
  EXPECT_EQ(deep.inner_res(), TEEC_SUCCESS);
  EXPECT_EQ(deep.op.params[1].value.a, TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(deep.op.params[1].value.b, (uint32_t)TEEC_ORIGIN_TEE);
}

TEST(Regression1400, X1408_CancelReachesTheInnermostTa) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  // client -> A (unmasked) -> B (unmasked) -> C: TEE_Wait(20 s).
  TEEC_Operation pre = make_op(0);
  pre.params[1].value.a = TA2TA_RELAY_ARG(TA2TA_C, TA2TA_RELAY_UNMASK, kNoTimeout);
  pre.params[1].value.b = TA2TA_CMD_WAIT;
  pre.params[2].value.a = 20000;
  Relay r;
  r.op = pre;
  r.op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_VALUE_INOUT, TEEC_VALUE_INPUT, TEEC_NONE);
  r.op.params[0].value.a = TA2TA_RELAY_ARG(TA2TA_B, TA2TA_RELAY_UNMASK, kNoTimeout);
  r.op.params[0].value.b = TA2TA_CMD_RELAY;
  relay_then_cancel(s, &r, std::chrono::milliseconds(500));
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  EXPECT_EQ(r.inner_res(), TEEC_SUCCESS);                // B's relay answered A
  EXPECT_EQ(r.op.params[1].value.a, TEEC_ERROR_CANCEL);  // C's wait was cancelled
  EXPECT_EQ(r.op.params[1].value.b, (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
}

TEST(Regression1400, X1409_CancellationRequestTimeoutCancelsTheCallee) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  TEEC_Operation pre = make_op(0);
  pre.params[1].value.a = 20000;
  Relay r = relay(s, TA2TA_C, 0, 200, TA2TA_CMD_WAIT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, &pre);
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  EXPECT_EQ(r.inner_res(), TEEC_ERROR_CANCEL);
  EXPECT_EQ(r.inner_origin(), (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
}

TEST(Regression1400, X1410_MaskedCallerDoesNotPassTheCancelOn) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  Relay r;
  r.op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE));
  r.op.params[0].value.a = TA2TA_RELAY_ARG(TA2TA_C, 0, kNoTimeout);  // A keeps cancellation masked
  r.op.params[0].value.b = TA2TA_CMD_WAIT;
  // The OS kills a call still running 2 s after its cancel (call_limits.h,
  // cancel_grace): C's open and its wait must end well inside that, also
  // on a loaded machine where the open of C waits for a process. An 800 ms
  // wait leaves 1.5 s for the open (1500 ms left 0.8 s, and a loaded full
  // run once went past it).
  r.op.params[1].value.a = 800;
  relay_then_cancel(s, &r, std::chrono::milliseconds(300));
  ASSERT_EQ(r.res, TEEC_SUCCESS);
  EXPECT_EQ(r.inner_res(), TEEC_SUCCESS);  // the wait ran its course
}

TEST(Regression1400, X1411_CrossThreadCycleDoesNotDeadlock) {
  Context ctx;
  Session sb, sc;
  ASSERT_EQ(sb.open(ctx.get(), kB), TEEC_SUCCESS);
  ASSERT_EQ(sc.open(ctx.get(), kC), TEEC_SUCCESS);
  // Thread 1: client -> B -> C; thread 2: client -> C -> B. Each relay
  // first pauses a second, holding its own instance, so both are busy
  // serving their own thread before either calls the other, and each then
  // waits for the other's instance. (Not a timed assertion: the two threads
  // start together, and a second covers any scheduling delay between them.)
  TEEC_Operation pre = make_op(0);
  pre.params[1].value.a = 1000;
  Relay r1, r2;
  std::thread t1([&] {
    r1 = relay(sb, TA2TA_C, TA2TA_RELAY_PAUSE, kNoTimeout, TA2TA_CMD_NULL, TEEC_VALUE_INPUT, TEEC_NONE,
               TEEC_NONE, &pre);
  });
  std::thread t2([&] {
    r2 = relay(sc, TA2TA_B, TA2TA_RELAY_PAUSE, kNoTimeout, TA2TA_CMD_NULL, TEEC_VALUE_INPUT, TEEC_NONE,
               TEEC_NONE, &pre);
  });
  t1.join();
  t2.join();
  ASSERT_EQ(r1.res, TEEC_SUCCESS) << std::hex << r1.res << " origin " << r1.origin;
  ASSERT_EQ(r2.res, TEEC_SUCCESS) << std::hex << r2.res << " origin " << r2.origin;
  const int busy = (r1.inner_res() == TEEC_ERROR_BUSY) + (r2.inner_res() == TEEC_ERROR_BUSY);
  EXPECT_GE(busy, 1) << std::hex << r1.inner_res() << " " << r2.inner_res();
  for (const Relay* r : {&r1, &r2})
    EXPECT_TRUE(r->inner_res() == TEEC_SUCCESS || r->inner_res() == TEEC_ERROR_BUSY)
        << std::hex << r->inner_res();
  // Both TAs serve again.
  EXPECT_EQ(sb.invoke(TA2TA_CMD_NULL), TEEC_SUCCESS);
  EXPECT_EQ(sc.invoke(TA2TA_CMD_NULL), TEEC_SUCCESS);
}

TEST(Regression1400, X1412_ForgedSessionHandlePanics) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  EXPECT_EQ(s.invoke(TA2TA_CMD_CLOSE_NULL), TEEC_SUCCESS);  // TEE_HANDLE_NULL is a no-op
  EXPECT_EQ(s.invoke(TA2TA_CMD_BAD_HANDLE), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE);
}

// A NULL memref with a size, as OP-TEE's syscall judges it: BAD_PARAMETERS,
// origin TEE. TEE_OpenTASession returns that; TEE_InvokeTACommand, which
// returns only the callee's answers, OUT_OF_MEMORY and TARGET_DEAD from the
// TEE, panics the caller (OP-TEE's libutee), so its client sees TARGET_DEAD.
TEST(Regression1400, X1414_NullMemrefWithASize) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {TA2TA_C, 0};
  ASSERT_EQ(s.invoke(TA2TA_CMD_NULL_MEMREF, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(op.params[0].value.b, (uint32_t)TEEC_ORIGIN_TEE);
  op.params[0].value = {TA2TA_C, 1};
  EXPECT_EQ(s.invoke(TA2TA_CMD_NULL_MEMREF, &op), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE);
}

// An invoke cycle: C holds a session to B; client -> B -> C -> B. B is
// busy serving this very chain, so C's invoke waits its bounded time and
// gets BUSY, origin TEE, and C goes on (OP-TEE would wait for ever or panic
// its core; swtee lets the caller see BUSY instead of panicking it).
TEST(Regression1400, X1415_InvokeCycleIsBusyForTheCaller) {
  Context ctx;
  Session sb, sc;
  ASSERT_EQ(sc.open(ctx.get(), kC), TEEC_SUCCESS);
  TEEC_Operation keep = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  keep.params[0].value = {TA2TA_B, 0xFFFF};
  ASSERT_EQ(sc.invoke(TA2TA_CMD_OPEN_KEEP, &keep), TEEC_SUCCESS);
  ASSERT_EQ(keep.params[0].value.b, TEEC_SUCCESS);  // C -> B, while B is idle
  ASSERT_EQ(sb.open(ctx.get(), kB), TEEC_SUCCESS);
  Relay r = relay(sb, TA2TA_C, 0, kNoTimeout, TA2TA_CMD_INVOKE_KEPT, TEEC_VALUE_INOUT);
  ASSERT_EQ(r.res, TEEC_SUCCESS) << std::hex << r.res << " origin " << r.origin;
  ASSERT_EQ(r.inner_res(), TEEC_SUCCESS) << std::hex << r.inner_res() << " " << r.inner_origin();
  EXPECT_EQ(r.op.params[1].value.a, TEEC_ERROR_BUSY);
  EXPECT_EQ(r.op.params[1].value.b, (uint32_t)TEEC_ORIGIN_TEE);
  EXPECT_EQ(sc.invoke(TA2TA_CMD_CLOSE_KEPT), TEEC_SUCCESS);
  EXPECT_EQ(sb.invoke(TA2TA_CMD_NULL), TEEC_SUCCESS);
}

TEST(Regression1400, X1413_SessionsOfAGoneInstanceAreClosed) {
  Context ctx;
  Session probe;
  {
    Session s;
    ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = TA2TA_B;
    ASSERT_EQ(s.invoke(TA2TA_CMD_OPEN_KEEP, &op), TEEC_SUCCESS);
    EXPECT_EQ(op.params[0].value.b, TEEC_SUCCESS);
    // A dies holding its session to B.
    EXPECT_EQ(s.invoke(TA2TA_CMD_PANIC), TEEC_ERROR_TARGET_DEAD);
  }
  {
    Session s;
    ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = TA2TA_C;
    ASSERT_EQ(s.invoke(TA2TA_CMD_OPEN_KEEP, &op), TEEC_SUCCESS);
    EXPECT_EQ(op.params[0].value.b, TEEC_SUCCESS);
    // The client closes A without A closing its TA session.
  }
  ASSERT_EQ(probe.open(ctx.get(), kB), TEEC_SUCCESS);
  EXPECT_EQ(probe.invoke(TA2TA_CMD_NULL), TEEC_SUCCESS);
}

TEST(Regression1400, X1414_InputForwardedFromStackAndHeap) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  for (size_t n : {size_t{0}, size_t{100}, size_t{5000}, size_t{70000}}) {
    auto data = pattern(n, 5);
    uint32_t want = 0;
    for (uint8_t b : data) want += b;
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE));
    op.params[0].tmpref.buffer = data.empty() ? nullptr : data.data();
    op.params[0].tmpref.size = n;
    op.params[1].value.a = TA2TA_B;
    ASSERT_EQ(s.invoke(TA2TA_CMD_SUM, &op), TEEC_SUCCESS);
    EXPECT_EQ(op.params[1].value.b, TEEC_SUCCESS) << n;
    EXPECT_EQ(op.params[1].value.a, want) << n;
  }
}

TEST(Regression1400, X1420_ReeTimeMatchesTheHostClock) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  const time_t before = ::time(nullptr);
  ASSERT_EQ(s.invoke(TA2TA_CMD_REE_TIME, &op), TEEC_SUCCESS);
  const time_t after = ::time(nullptr);
  EXPECT_GE(static_cast<time_t>(op.params[0].value.a), before - 1);
  EXPECT_LE(static_cast<time_t>(op.params[0].value.a), after + 1);
  EXPECT_LT(op.params[0].value.b, 1000u);
}

uint32_t pt_get(Session& s, uint32_t* sec, uint32_t* ms = nullptr) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  uint32_t r = s.invoke(TA2TA_CMD_PT_GET, &op);
  *sec = op.params[0].value.a;
  if (ms) *ms = op.params[0].value.b;
  return r;
}

uint32_t pt_set(Session& s, uint32_t sec, uint32_t ms) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = sec;
  op.params[0].value.b = ms;
  return s.invoke(TA2TA_CMD_PT_SET, &op);
}

TEST(Regression1400, X1421_PersistentTimeNotSetThenSetAndAdvancing) {
  Context ctx;
  Session sb, sc;
  ASSERT_EQ(sb.open(ctx.get(), kB), TEEC_SUCCESS);
  ASSERT_EQ(sc.open(ctx.get(), kC), TEEC_SUCCESS);
  uint32_t sec = 1, ms = 1;
  // No test ever sets C's time.
  EXPECT_EQ(pt_get(sc, &sec, &ms), kErrTimeNotSet);
  EXPECT_EQ(sec, 0u);
  EXPECT_EQ(ms, 0u);
  ASSERT_EQ(pt_set(sb, 100, 250), TEEC_SUCCESS);
  ASSERT_EQ(pt_get(sb, &sec, &ms), TEEC_SUCCESS);
  EXPECT_GE(sec, 100u);
  EXPECT_LT(sec, 160u);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  uint32_t later = 0;
  ASSERT_EQ(pt_get(sb, &later), TEEC_SUCCESS);
  EXPECT_GT(later, sec);
  // Another TA's time is its own.
  EXPECT_EQ(pt_get(sc, &sec), kErrTimeNotSet);
}

TEST(Regression1400, X1422_PersistentTimeOverflowAndBadTimePanics) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kB), TEEC_SUCCESS);
  ASSERT_EQ(pt_set(s, 0xFFFFFFFF, 0), TEEC_SUCCESS);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  uint32_t sec = 0;
  EXPECT_EQ(pt_get(s, &sec), kErrOverflow);
  EXPECT_LT(sec, 100u);  // truncated to 32 bits
  ASSERT_EQ(pt_set(s, 100, 0), TEEC_SUCCESS);
  EXPECT_EQ(pt_get(s, &sec), TEEC_SUCCESS);
  // millis = 1000 is not a time: the TA panics.
  Session a;
  ASSERT_EQ(a.open(ctx.get(), kA), TEEC_SUCCESS);
  EXPECT_EQ(a.invoke(TA2TA_CMD_PT_SET_BAD), TEEC_ERROR_TARGET_DEAD);
}

// X1450/X1451: persistence across a restart of the whole stack
// (run_persistent_time_test.sh runs them in two stacks over one --state).
constexpr uint32_t kPersistSeconds = 1000000;

TEST(Regression1400, X1450_PersistentTimeSet) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  ASSERT_EQ(pt_set(s, kPersistSeconds, 0), TEEC_SUCCESS);
}

TEST(Regression1400, X1451_PersistentTimeSurvives) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  uint32_t sec = 0;
  ASSERT_EQ(pt_get(s, &sec), TEEC_SUCCESS);
  EXPECT_GE(sec, kPersistSeconds);
  EXPECT_LT(sec, kPersistSeconds + 3600);
}

// Run by run_persistent_time_test.sh after it rolled the store back
// (SWTEE_XTEST_PT_ROLLED_BACK=1): the time can no longer be trusted.
TEST(Regression1400, X1452_RolledBackPersistentTimeNeedsReset) {
  if (std::getenv("SWTEE_XTEST_PT_ROLLED_BACK") == nullptr) GTEST_SKIP() << "needs a rolled-back store";
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kA), TEEC_SUCCESS);
  uint32_t sec = 1, ms = 1;
  EXPECT_EQ(pt_get(s, &sec, &ms), kErrTimeNeedsReset);
  EXPECT_EQ(sec, 0u);
  EXPECT_EQ(ms, 0u);
}

}  // namespace
}  // namespace xtest
