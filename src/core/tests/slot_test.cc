// Request slots (uapi/slot_wire.h) between a client thread and the core:
// calls through shared memory, the client that rewrites its slot, hostile
// frames, limits and the socket fallback, cancellation and a client gone
// mid-call. Liveness waits are bounded; nothing here measures time.
#include <linux/futex.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "common/doorbell.h"
#include "common/shm_file.h"
#include "core/tests/core_test_util.h"
#include "uapi/slot_codec.h"
#include "uapi/slot_wire.h"
#include "uapi/tests/raw_slot.h"

namespace swtee::core::testing {
namespace {

constexpr uint32_t kTeecErrorCancel = 0xFFFF0002;

using SlotTest = CoreFixture;

uapi::UapiClient connect_with(const std::string& dir, uapi::ClientOptions o) {
  auto c = uapi::UapiClient::connect("tee0", dir, o);
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

InvokeResult invoke_cancellable(uapi::UapiClient& c, uint32_t session, uint32_t cancel_id) {
  tee_ioctl_invoke_arg a{};
  a.func = FakeDriver::kFuncBlockUntilCancel;
  a.session = session;
  a.cancel_id = cancel_id;
  InvokeResult r;
  auto rep = c.call(TEE_IOC_INVOKE, uapi::encode_buf_arg(a, std::span<const tee_ioctl_param>{}));
  if (!rep.ok()) {
    r.rc = -9999;
    return r;
  }
  r.rc = rep->rc;
  if (r.rc == 0) {
    auto d = uapi::decode_invoke(rep->arg);
    EXPECT_TRUE(d.ok());
    if (d.ok()) r.hdr = d->hdr;
  }
  return r;
}

using uapi::testing::RawSlot;

TEST_F(SlotTest, EachThreadCallsThroughItsOwnSlot) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  EXPECT_TRUE(c.thread_has_slot());
  const uint32_t sid = s.hdr.session;
  std::vector<std::thread> ts;
  std::atomic<int> ok{0}, with_slot{0};
  for (int i = 0; i < 4; ++i) {
    ts.emplace_back([&, i] {
      for (int k = 0; k < 40; ++k) {
        auto r = invoke(c, sid, FakeDriver::kFuncEcho, {value_param(kValInout, i, k, 0)});
        if (r.rc == 0 && r.params[0].a == static_cast<uint64_t>(i) + 1 &&
            r.params[0].b == static_cast<uint64_t>(k) + 1)
          ++ok;
      }
      if (c.thread_has_slot()) ++with_slot;
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 160);
  EXPECT_EQ(with_slot.load(), 4);
  // Calls that carry an fd still use the socket, beside the slot.
  auto shm = shm_alloc(c, 64);
  EXPECT_EQ(shm.rc, 0);
  EXPECT_TRUE(shm.fd.valid());
}

TEST_F(SlotTest, ASocketOnlyClientIsServedAsBefore) {
  auto c = connect_with(dir_.path(), {uapi::Transport::SocketOnly, {}});
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  auto r = invoke(c, s.hdr.session, FakeDriver::kFuncEcho, {value_param(kValInout, 1, 2, 3)});
  ASSERT_EQ(r.rc, 0);
  EXPECT_EQ(r.params[0].a, 2u);
  EXPECT_FALSE(c.thread_has_slot());
  EXPECT_EQ(close_session(c, s.hdr.session), 0);
}

TEST_F(SlotTest, RewritingTheSlotDuringTheCallChangesNothing) {
  auto c = connect_with(dir_.path(), {uapi::Transport::SocketOnly, {}});
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  const uint32_t sid = s.hdr.session;
  auto opened = RawSlot::open(c);
  ASSERT_TRUE(opened.ok());
  RawSlot& slot = *opened;
  tee_ioctl_invoke_arg a{};
  a.func = FakeDriver::kFuncBlock;
  a.session = sid;
  std::vector<tee_ioctl_param> params{value_param(kValInout, 5, 6, 7)};
  ASSERT_TRUE(slot.request(TEE_IOC_INVOKE, uapi::encode_buf_arg(a, params)).ok());
  ASSERT_TRUE(drv_.wait_blocked(1));
  // The call is running: rewrite every byte of the argument and the frame.
  std::memset(slot.arg().data(), 0xff, slot.arg().size());
  slot.pair()->to_server.words[uapi::kSlotWordCmd].store(TEE_IOC_SHM_ALLOC);
  slot.pair()->to_server.words[uapi::kSlotWordLen].store(1);
  drv_.unblock();
  auto rep = slot.reply();
  ASSERT_TRUE(rep.ok());
  ASSERT_EQ(rep->first, 0);
  auto d = uapi::decode_invoke(rep->second);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->hdr.session, sid);
  EXPECT_EQ(d->hdr.func, FakeDriver::kFuncBlock);
  ASSERT_EQ(d->params.size(), 1u);
  EXPECT_EQ(d->params[0].a, 6u);  // the request as it was rung, plus one
  EXPECT_EQ(d->params[0].c, 8u);
  ASSERT_EQ(drv_.seen().params.size(), 1u);
  EXPECT_EQ(drv_.seen().params[0].value.a, 5u);
  EXPECT_EQ(drv_.counts.invoke.load(), 1);
  // The slot keeps serving.
  ASSERT_TRUE(slot.request(TEE_IOC_VERSION, {}).ok());
  EXPECT_EQ(slot.reply_rc(), 0);
}

TEST_F(SlotTest, MalformedFramesGetEinvalAndServingGoesOn) {
  auto c = connect_with(dir_.path(), {uapi::Transport::SocketOnly, {}});
  auto opened = RawSlot::open(c);
  ASSERT_TRUE(opened.ok());
  RawSlot& slot = *opened;
  DoorbellFrame f{};
  f[uapi::kSlotWordCmd] = TEE_IOC_VERSION;
  f[uapi::kSlotWordLen] = uapi::kSlotArgSize + 1;  // beyond the buffer
  slot.ring(f);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  f[uapi::kSlotWordLen] = 0;
  f[5] = 1;  // a reserved word
  slot.ring(f);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  f[5] = 0;
  f[uapi::kSlotWordCmd] = uint64_t{1} << 40;  // no 32-bit ioctl number
  slot.ring(f);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  f[uapi::kSlotWordCmd] = 0x1234;  // no command
  slot.ring(f);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  // Commands that need an fd either way belong to the socket.
  ASSERT_TRUE(slot.request(TEE_IOC_SHM_ALLOC, uapi::encode_struct(tee_ioctl_shm_alloc_data{64, 0, 0})).ok());
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  ASSERT_TRUE(slot.request(SWTEE_IOC_SLOT_OPEN, uapi::encode_struct(swtee_ioctl_slot_open_arg{})).ok());
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  // A frame announcing an fd: refused without reading the socket, whose
  // datagrams belong to the UAPI (a socket call still gets its own reply).
  f[uapi::kSlotWordCmd] = TEE_IOC_VERSION;
  slot.ring(f, 1);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  EXPECT_EQ(call_rc(c, TEE_IOC_VERSION, {}), 0);
  ASSERT_TRUE(slot.request(TEE_IOC_VERSION, {}).ok());
  auto rep = slot.reply();
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->first, 0);
  EXPECT_EQ(rep->second.size(), sizeof(tee_ioctl_version_data));
}

TEST_F(SlotTest, SlotsBeyondTheContextLimitFallBackToTheSocket) {
  CoreLimits l;
  l.max_slots_per_context = 2;
  start(l);
  auto slots = connect();
  const uint32_t sid = open_session(slots, TEE_IOCTL_LOGIN_PUBLIC).hdr.session;  // this thread: slot 1
  ASSERT_TRUE(slots.thread_has_slot());
  std::atomic<int> with_slot{0}, ok{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i) {
    ts.emplace_back([&] {
      if (invoke(slots, sid, FakeDriver::kFuncBlock).rc == 0) ++ok;
      if (slots.thread_has_slot()) ++with_slot;
    });
  }
  ASSERT_TRUE(drv_.wait_blocked(3));  // all three calls run, whichever way they came
  drv_.unblock();
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(with_slot.load(), 1);  // one more slot, then the socket
}

TEST_F(SlotTest, TheUsersShareOfSlotsIsBounded) {
  CoreLimits l;
  l.max_slots = 4;
  l.uid_share_percent = 50;  // 2 slots for this uid
  start(l);
  auto a = connect();
  auto b = connect();
  const uint32_t sa = open_session(a, TEE_IOCTL_LOGIN_PUBLIC).hdr.session;
  const uint32_t sb = open_session(b, TEE_IOCTL_LOGIN_PUBLIC).hdr.session;
  EXPECT_TRUE(a.thread_has_slot());
  EXPECT_TRUE(b.thread_has_slot());
  std::atomic<bool> got_slot{true};
  std::atomic<int> ok{0};
  std::thread t([&] {
    if (invoke(a, sa, FakeDriver::kFuncEcho).rc == 0) ++ok;
    if (invoke(b, sb, FakeDriver::kFuncEcho).rc == 0) ++ok;
    got_slot = a.thread_has_slot() || b.thread_has_slot();
  });
  t.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_FALSE(got_slot.load());
}

TEST_F(SlotTest, AThreadThatEndsGivesItsSlotBack) {
  CoreLimits l;
  l.max_slots_per_context = 1;
  start(l);
  auto c = connect();
  const uint32_t sid = open_session(c, TEE_IOCTL_LOGIN_PUBLIC).hdr.session;  // this thread holds the one slot
  // Another thread gets none while this one holds it...
  bool other = true;
  std::thread([&] {
    EXPECT_EQ(invoke(c, sid, FakeDriver::kFuncEcho).rc, 0);
    other = c.thread_has_slot();
  }).join();
  EXPECT_FALSE(other);
  // ...and threads that end give theirs back: a helper connection whose
  // slot passes from thread to thread.
  auto d = connect();
  uint32_t dsid = 0;
  std::thread([&] { dsid = open_session(d, TEE_IOCTL_LOGIN_PUBLIC).hdr.session; }).join();
  bool later = false;
  // The slot thread of an ended thread exits shortly after; wait for it (bounded).
  for (int i = 0; i < 400 && !later; ++i) {
    std::thread([&] {
      EXPECT_EQ(invoke(d, dsid, FakeDriver::kFuncEcho).rc, 0);
      later = d.thread_has_slot();
    }).join();
    if (!later) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(later);
}

void cancel_while_waiting(FakeDriver& drv, uapi::UapiClient& c) {
  const uint32_t sid = open_session(c, TEE_IOCTL_LOGIN_PUBLIC).hdr.session;
  int32_t rc = -1;
  uint32_t ret = 0;
  std::thread t([&] {
    auto r = invoke_cancellable(c, sid, 7);
    rc = r.rc;
    ret = r.hdr.ret;
  });
  ASSERT_TRUE(drv.wait_blocked(1));
  EXPECT_EQ(cancel(c, 7, sid), 0);
  t.join();
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(ret, kTeecErrorCancel);
  EXPECT_EQ(invoke(c, sid, FakeDriver::kFuncEcho).rc, 0);  // the session is fine afterwards
}

TEST_F(SlotTest, CancelReachesACallBlockedInItsSlot) {
  auto c = connect_with(dir_.path(), {uapi::Transport::Slots, 0u});  // waits block at once
  cancel_while_waiting(drv_, c);
}

TEST_F(SlotTest, CancelReachesACallSpinningInItsSlot) {
  auto c = connect_with(dir_.path(), {uapi::Transport::Slots, kDoorbellMaxSpinUs});
  cancel_while_waiting(drv_, c);
}

TEST_F(SlotTest, AClientGoneMidCallHasItsCallCancelledAndItsContextReleased) {
  auto c = connect();
  const uint32_t sid = open_session(c, TEE_IOCTL_LOGIN_PUBLIC).hdr.session;
  std::thread t([&] {
    // Either the cancelled call's reply or the dead connection.
    auto r = invoke_cancellable(c, sid, 3);
    if (r.rc == 0) EXPECT_EQ(r.hdr.ret, kTeecErrorCancel);
  });
  ASSERT_TRUE(drv_.wait_blocked(1));
  ASSERT_EQ(::shutdown(c.socket_fd(), SHUT_RDWR), 0);  // the client is gone, as far as swteed sees
  t.join();
  ASSERT_TRUE(drv_.wait_released(1));
  EXPECT_EQ(drv_.counts.close_context.load(), 1);
  EXPECT_EQ(drv_.counts.close_session.load(), 1);
  EXPECT_EQ(snap("tee0").contexts, 0u);
}

}  // namespace
}  // namespace swtee::core::testing
