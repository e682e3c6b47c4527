#include "common/doorbell.h"

#include <gtest/gtest.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "common/seqpacket.h"
#include "common/shm_file.h"

namespace swtee {
namespace {

// A channel as two processes would see it: a shared mapping of a sealed
// memfd and a socketpair.
struct Channel {
  Channel() {
    memfd = std::move(*create_sealed_memfd("doorbell-test", sizeof(DoorbellPair)));
    map = std::move(*Mapping::map(memfd.get(), sizeof(DoorbellPair)));
    auto p = std::move(*seqpacket_pair());
    client_sock = std::move(p.first);
    server_sock = std::move(p.second);
  }
  DoorbellPair* pair() { return reinterpret_cast<DoorbellPair*>(map.data()); }
  UniqueFd memfd;
  Mapping map;
  UniqueFd client_sock, server_sock;
};

DoorbellFrame frame(uint64_t base) {
  DoorbellFrame f;
  for (size_t i = 0; i < f.size(); ++i) f[i] = base + i;
  return f;
}

TEST(Doorbell, RoundTripsWithAndWithoutSpinning) {
  for (unsigned spin : {0u, 50u}) {
    Channel ch;
    DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), spin, 10000);
    DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), spin, 10000);
    constexpr int kRounds = 2000;
    std::thread t([&] {
      for (int i = 0; i < kRounds; ++i) {
        auto m = server.wait();
        ASSERT_TRUE(m.ok());
        DoorbellFrame f = m->frame;
        f[7] += 1;
        ASSERT_TRUE(server.post(f).ok());
      }
    });
    for (int i = 0; i < kRounds; ++i) {
      ASSERT_TRUE(client.post(frame(i)).ok());
      auto m = client.wait();
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(m->frame[0], static_cast<uint64_t>(i));
      EXPECT_EQ(m->frame[7], static_cast<uint64_t>(i) + 8);
      EXPECT_TRUE(m->fds.empty());
    }
    t.join();
  }
}

TEST(Doorbell, WorksAcrossProcesses) {
  Channel ch;
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 20);
    for (;;) {
      auto m = server.wait();
      if (!m.ok()) _exit(m.error().code == ECONNRESET ? 0 : 1);
      DoorbellFrame f = m->frame;
      f[1] = f[0] * 2;
      if (!server.post(f).ok()) _exit(2);
    }
  }
  {
    DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 20);
    for (uint64_t i = 1; i <= 500; ++i) {
      ASSERT_TRUE(client.post(frame(i)).ok());
      auto m = client.wait();
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(m->frame[1], 2 * i);
    }
    client.hang_up();
  }
  int st = 0;
  ASSERT_EQ(::waitpid(pid, &st, 0), pid);
  EXPECT_TRUE(WIFEXITED(st));
  EXPECT_EQ(WEXITSTATUS(st), 0);
}

TEST(Doorbell, PassesAnFdAheadOfTheFrame) {
  Channel ch;
  DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 0);
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0);
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  ASSERT_TRUE(client.post(frame(1), w.get()).ok());
  auto m = server.wait();
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->fds.size(), 1u);
  ASSERT_EQ(::write(m->fds[0].get(), "x", 1), 1);
  char c = 0;
  ASSERT_EQ(::read(r.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
  // The next frame carries none.
  ASSERT_TRUE(client.post(frame(2)).ok());
  m = server.wait();
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->fds.empty());
}

TEST(Doorbell, StaleFdDatagramsAreSkippedAndAMissingFdIsMalformed) {
  Channel ch;
  DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 0);
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0);
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  // A stray datagram (wrong tag) and one without an fd precede the real one.
  const uint32_t wrong = 77;
  const int raw = w.get();
  ASSERT_TRUE(
      send_message(ch.client_sock.get(), {reinterpret_cast<const uint8_t*>(&wrong), 4}, {&raw, 1}).ok());
  const uint32_t right_tag = 1;
  ASSERT_TRUE(send_message(ch.client_sock.get(), {reinterpret_cast<const uint8_t*>(&right_tag), 4}).ok());
  ASSERT_TRUE(client.post(frame(1), w.get()).ok());
  auto m = server.wait();
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->fds.size(), 1u);

  // A frame claiming an fd that never came: EPROTO, and the channel goes on.
  ch.pair()->to_server.words[0].store(5);
  ch.pair()->to_server.fds.store(1);
  ch.pair()->to_server.seq.store(2);
  m = server.wait();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, EPROTO);
  // A frame claiming several fds: EPROTO.
  ch.pair()->to_server.fds.store(3);
  ch.pair()->to_server.seq.store(3);
  m = server.wait();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, EPROTO);
  ASSERT_TRUE(server.post(frame(9)).ok());
  m = client.wait();
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->frame[0], 9u);
}

TEST(Doorbell, PeerDeathEndsAWait) {
  Channel ch;
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0, 5);
  std::thread t([&] { ch.client_sock.reset(); });
  auto m = server.wait();
  t.join();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ECONNRESET);
  // Posting to a dead peer with an fd fails; without one it is harmless.
  EXPECT_FALSE(server.post(frame(1), ch.server_sock.get()).ok());
}

TEST(Doorbell, HangUpAndInterrupt) {
  Channel ch;
  DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 0, 10000);
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0, 10000);
  std::thread t([&] { client.hang_up(); });
  auto m = server.wait();
  t.join();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ECONNRESET);

  std::thread i([&] { client.interrupt(); });
  m = client.wait();
  i.join();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ECANCELED);
  m = client.wait();  // sticky
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ECANCELED);
}

TEST(Doorbell, ThePosterWakesOnlyAnnouncedSleepers) {
  Channel ch;
  DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 0);
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0);
  ASSERT_TRUE(client.post(frame(1)).ok());
  EXPECT_EQ(ch.pair()->to_server.seq.load(), 1u);
  EXPECT_EQ(ch.pair()->to_server.sleeping.load(), 0u);
  auto m = server.wait();  // the frame is there: no sleep announced
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(ch.pair()->to_server.sleeping.load(), 0u);
}

TEST(Doorbell, PassesSeveralFdsInOrderUpToItsLimit) {
  Channel ch;
  DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 0);
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0, kDoorbellCheckMs,
                     DoorbellEnd::SideFds::Max);
  std::vector<UniqueFd> ends;
  std::vector<int> raw;
  for (int i = 0; i < 3; ++i) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ends.emplace_back(p[0]);
    ends.emplace_back(p[1]);
    raw.push_back(p[1]);
  }
  ASSERT_TRUE(client.post(frame(1), raw).ok());
  auto m = server.wait();
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->fds.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const char c = static_cast<char>('a' + i);
    ASSERT_EQ(::write(m->fds[i].get(), &c, 1), 1);
    char got = 0;
    ASSERT_EQ(::read(ends[2 * i].get(), &got, 1), 1);
    EXPECT_EQ(got, c);
  }
  // More than kDoorbellMaxFds is refused before anything is sent.
  std::vector<int> many(kDoorbellMaxFds + 1, raw[0]);
  EXPECT_EQ(client.post(frame(2), many).error().code, EINVAL);
  // An end that takes one fd finds a frame announcing two malformed.
  ASSERT_TRUE(server.post(frame(3), std::span<const int>(raw.data(), 2)).ok());
  auto r = client.wait();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EPROTO);
}

// The peer holds a life word and is killed while this end sleeps with a
// check interval far longer than the test's timeout: the kernel's
// robust-futex wake ends the wait, not the interval.
TEST(Doorbell, APeerHoldingALifeWordWakesTheWaiterWhenItDies) {
  Channel ch;
  auto life_fd = std::move(*create_sealed_memfd("doorbell-life", 4096));
  auto life_map = std::move(*Mapping::map(life_fd.get(), 4096));
  auto* word = reinterpret_cast<std::atomic<uint32_t>*>(life_map.data());
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (!hold_life_word(word).ok()) ::_exit(1);
    char c = 1;
    (void)::write(ready[1], &c, 1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ::close(ready[0]);
  EXPECT_EQ(word->load() & FUTEX_TID_MASK, static_cast<uint32_t>(pid));
  // The socket stays open in this process: only the life word can tell.
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0, 3'600'000);
  server.watch_peer_life(word);
  std::thread killer([&] {
    while (ch.pair()->to_server.sleeping.load() == 0) ::sched_yield();
    ::kill(pid, SIGKILL);
  });
  auto m = server.wait();
  killer.join();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ECONNRESET);
  EXPECT_NE(word->load() & FUTEX_OWNER_DIED, 0u);
  int st = 0;
  ASSERT_EQ(::waitpid(pid, &st, 0), pid);
}

// A peer that forges its life word (changes it without dying) is no longer
// watched: the wait goes on and ends with the next frame.
TEST(Doorbell, AForgedLifeWordIsDropped) {
  Channel ch;
  std::atomic<uint32_t> word{12345};
  DoorbellEnd client(ch.pair(), DoorbellEnd::Role::Client, ch.client_sock.get(), 0);
  DoorbellEnd server(ch.pair(), DoorbellEnd::Role::Server, ch.server_sock.get(), 0, 3'600'000);
  server.watch_peer_life(&word);
  std::thread peer([&] {
    while (ch.pair()->to_server.sleeping.load() == 0) ::sched_yield();
    word.store(777);  // forged: not a death
    ::syscall(SYS_futex, &word, FUTEX_WAKE, 1, nullptr, nullptr, 0);
    ASSERT_TRUE(client.post(frame(4)).ok());
  });
  auto m = server.wait();
  peer.join();
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->frame[0], 4u);
}

TEST(Doorbell, SpinBudgetIsBounded) { EXPECT_LE(doorbell_spin_us(), kDoorbellMaxSpinUs); }

}  // namespace
}  // namespace swtee
