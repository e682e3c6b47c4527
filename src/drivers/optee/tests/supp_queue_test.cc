#include "drivers/optee/supp_queue.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "core/shm.h"
#include "drivers/optee/tests/fake_secure_world.h"
#include "protocol/gp_results.h"

namespace swtee::optee {
namespace {

using core::ParamType;
using core::TeeParam;
using core::TeeParams;
using testing::FakeContext;

TeeParams slots(size_t n, bool meta) {
  TeeParams p(n);
  if (meta && n > 0) p[0].meta = true;
  return p;
}

std::shared_ptr<SuppRequest> value_req(uint32_t func) {
  auto r = std::make_shared<SuppRequest>();
  r->func = func;
  TeeParam in;
  in.type = ParamType::ValueInput;
  in.value = {1, 2, 3};
  TeeParam out;
  out.type = ParamType::ValueInout;
  out.value = {10, 20, 30};
  r->params = {in, out};
  return r;
}

std::shared_ptr<SuppRequest> memref_req(const std::shared_ptr<core::Shm>& shm) {
  auto r = std::make_shared<SuppRequest>();
  r->func = 2;
  TeeParam m;
  m.type = ParamType::MemrefInput;
  m.memref.shm = shm;
  m.memref.size = shm->size();
  r->params = {m};
  return r;
}

// A request naming a buffer of a dead supplicant is never handed to its
// successor, even when the new context lives at the old one's address (the
// allocator reuses it): it fails COMMUNICATION, and the next request gets
// through.
TEST(SuppQueue, DeadSupplicantsBufferFailsEvenAtTheSameAddress) {
  SuppQueue q;
  std::optional<FakeContext> slot;
  slot.emplace(1, true);
  ASSERT_TRUE(q.attach(&*slot).ok());
  auto stale = slot->alloc_shm(4096, nullptr, false);
  q.detach(&*slot);
  slot.reset();
  slot.emplace(2, true);  // same storage: same address
  ASSERT_EQ(stale->owner(), &*slot);
  ASSERT_TRUE(q.attach(&*slot).ok());

  uint32_t stale_ret = 0, fresh_ret = 0;
  std::thread a([&] { stale_ret = q.submit(memref_req(stale)); });
  while (q.queued() < 1) std::this_thread::yield();
  auto own = slot->alloc_shm(4096, nullptr, false);
  std::thread b([&] { fresh_ret = q.submit(memref_req(own)); });
  while (q.queued() < 2) std::this_thread::yield();

  uint32_t func = 0;
  TeeParams p = slots(2, true);
  EXPECT_TRUE(q.recv(&*slot, func, p, nullptr).ok());
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p.back().memref.shm, own);  // the stale one was skipped
  EXPECT_TRUE(q.send(&*slot, kTeeSuccess, p, nullptr).ok());
  q.detach(&*slot);  // fails whatever is still queued: no hang on a bug
  a.join();
  b.join();
  EXPECT_EQ(stale_ret, kTeeErrorCommunication);
  EXPECT_EQ(fresh_ret, kTeeSuccess);
}

TEST(SuppQueue, NoSupplicantFailsAtOnce) {
  SuppQueue q;
  EXPECT_EQ(q.submit(value_req(2)), kTeeErrorCommunication);
}

TEST(SuppQueue, SecondSupplicantIsBusy) {
  SuppQueue q;
  FakeContext a(1, true), b(2, true);
  ASSERT_TRUE(q.attach(&a).ok());
  auto st = q.attach(&b);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, EBUSY);
  q.detach(&a);
  EXPECT_TRUE(q.attach(&b).ok());
}

TEST(SuppQueue, AsyncRoundTripCopiesOnlyOutputs) {
  SuppQueue q;
  FakeContext s(1, true);
  ASSERT_TRUE(q.attach(&s).ok());
  auto req = value_req(2);
  uint32_t ret = 0;
  std::thread client([&] { ret = q.submit(req); });

  uint32_t func = 0;
  TeeParams p = slots(4, true);
  ASSERT_TRUE(q.recv(&s, func, p, nullptr).ok());
  EXPECT_EQ(func, 2u);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_TRUE(p[0].meta);
  EXPECT_EQ(p[0].type, ParamType::ValueInout);
  EXPECT_NE(p[0].value.a, 0u);
  EXPECT_EQ(p[1].value.b, 2u);

  p[1].value = {7, 7, 7};  // input: must not be copied back
  p[2].value = {4, 5, 6};  // inout: copied back
  ASSERT_TRUE(q.send(&s, 0x1234, p, nullptr).ok());
  client.join();
  EXPECT_EQ(ret, 0x1234u);
  EXPECT_EQ(req->params[0].value.a, 1u);
  EXPECT_EQ(req->params[1].value.c, 6u);
}

TEST(SuppQueue, ProtocolErrors) {
  SuppQueue q;
  FakeContext s(1, true);
  ASSERT_TRUE(q.attach(&s).ok());
  uint32_t func = 0;

  TeeParams bad = slots(2, false);
  bad[1].type = ParamType::ValueInput;
  EXPECT_EQ(q.recv(&s, func, bad, nullptr).error().code, EINVAL);  // slots must be NONE

  auto req = value_req(2);
  std::thread client([&] { q.submit(req); });
  while (q.queued() == 0) std::this_thread::yield();

  TeeParams small = slots(2, true);  // 1 usable slot, request needs 2
  EXPECT_EQ(q.recv(&s, func, small, nullptr).error().code, EINVAL);
  EXPECT_EQ(q.queued(), 1u);  // still queued

  TeeParams p = slots(3, true);
  ASSERT_TRUE(q.recv(&s, func, p, nullptr).ok());
  // Mixing: a non-META RECV after META ones.
  TeeParams sync = slots(3, false);
  EXPECT_EQ(q.recv(&s, func, sync, nullptr).error().code, EINVAL);
  // Unknown id.
  TeeParams wrong = p;
  wrong[0].value.a = 999;
  EXPECT_EQ(q.send(&s, 0, wrong, nullptr).error().code, ENOENT);
  // Count mismatch.
  TeeParams shorter(p.begin(), p.end() - 1);
  EXPECT_EQ(q.send(&s, 0, shorter, nullptr).error().code, EINVAL);
  ASSERT_TRUE(q.send(&s, 0, p, nullptr).ok());
  client.join();
  // The same id again: gone.
  EXPECT_EQ(q.send(&s, 0, p, nullptr).error().code, ENOENT);
}

TEST(SuppQueue, SyncModeRemembersTheId) {
  SuppQueue q;
  FakeContext s(1, true);
  ASSERT_TRUE(q.attach(&s).ok());
  auto req = value_req(3);
  uint32_t ret = 1;
  std::thread client([&] { ret = q.submit(req); });
  uint32_t func = 0;
  TeeParams p = slots(2, false);
  ASSERT_TRUE(q.recv(&s, func, p, nullptr).ok());
  ASSERT_EQ(p.size(), 2u);
  p[1].value = {8, 8, 8};
  ASSERT_TRUE(q.send(&s, 0, p, nullptr).ok());
  client.join();
  EXPECT_EQ(ret, 0u);
  EXPECT_EQ(req->params[1].value.a, 8u);
}

TEST(SuppQueue, DetachFailsQueuedAndInFlight) {
  SuppQueue q;
  FakeContext s(1, true);
  ASSERT_TRUE(q.attach(&s).ok());
  auto r1 = value_req(2), r2 = value_req(2);
  uint32_t ret1 = 0, ret2 = 0;
  std::thread c1([&] { ret1 = q.submit(r1); });
  while (q.queued() == 0) std::this_thread::yield();
  uint32_t func = 0;
  TeeParams p = slots(3, true);
  ASSERT_TRUE(q.recv(&s, func, p, nullptr).ok());  // r1 in flight
  std::thread c2([&] { ret2 = q.submit(r2); });
  while (q.queued() == 0) std::this_thread::yield();  // r2 queued
  q.detach(&s);
  c1.join();
  c2.join();
  EXPECT_EQ(ret1, kTeeErrorCommunication);
  EXPECT_EQ(ret2, kTeeErrorCommunication);
  EXPECT_EQ(q.in_flight(), 0u);
}

TEST(SuppQueue, RecvEndsWhenTheSupplicantIsGone) {
  SuppQueue q;
  FakeContext s(1, true);
  ASSERT_TRUE(q.attach(&s).ok());
  uint32_t func = 0;
  TeeParams p = slots(3, true);
  auto st = q.recv(&s, func, p, [] { return false; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, EINTR);
}

TEST(SuppQueue, QueueIsBounded) {
  SuppQueue q;
  FakeContext s(1, true);
  ASSERT_TRUE(q.attach(&s).ok());
  std::vector<std::thread> clients;
  std::vector<uint32_t> rets(SuppQueue::kMaxQueued, 0);
  for (size_t i = 0; i < SuppQueue::kMaxQueued; ++i) {
    clients.emplace_back([&, i] { rets[i] = q.submit(value_req(2)); });
  }
  while (q.queued() < SuppQueue::kMaxQueued) std::this_thread::yield();
  EXPECT_EQ(q.submit(value_req(2)), kTeeErrorBusy);
  q.detach(&s);
  for (auto& t : clients) t.join();
  for (uint32_t r : rets) EXPECT_EQ(r, kTeeErrorCommunication);
}

}  // namespace
}  // namespace swtee::optee
