#include "common/seqpacket.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <thread>

#include "common/adaptive_spin.h"

namespace swtee {
namespace {

TEST(Seqpacket, PassesPayloadAndFds) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  const uint8_t msg[] = {1, 2, 3};
  int fds[] = {w.get()};
  ASSERT_TRUE(send_message(pair->first.get(), msg, fds).ok());
  std::array<uint8_t, 16> buf{};
  auto got = recv_message(pair->second.get(), buf);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->length, 3u);
  ASSERT_EQ(got->fds.size(), 1u);
  ASSERT_EQ(write(got->fds[0].get(), "x", 1), 1);
  char c = 0;
  ASSERT_EQ(read(r.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
}

TEST(Seqpacket, TruncatedMessageIsAnErrorAndClosesFds) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  std::array<uint8_t, 64> big{};
  int fds[] = {w.get()};
  ASSERT_TRUE(send_message(pair->first.get(), big, fds).ok());
  w.reset();
  std::array<uint8_t, 8> small{};
  auto got = recv_message(pair->second.get(), small);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, EMSGSIZE);
  // The passed write end was closed by the receiver: the pipe reads EOF.
  char c;
  EXPECT_EQ(read(r.get(), &c, 1), 0);
}

TEST(Seqpacket, PeerCloseIsConnReset) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  pair->first.reset();
  std::array<uint8_t, 8> buf{};
  auto got = recv_message(pair->second.get(), buf);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ECONNRESET);
}

TEST(Seqpacket, AdaptiveReceiveDeliversWhetherItSpinsOrBlocks) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  AdaptiveSpin spin(50);
  const uint8_t msg[] = {7, 8, 9};
  std::array<uint8_t, 16> buf{};
  ASSERT_TRUE(send_message(pair->first.get(), msg).ok());
  auto got = recv_message_spin(pair->second.get(), buf, spin);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->length, 3u);
  EXPECT_EQ(buf[2], 9);

  // Block mode: the receive blocks at once, here for a sender still to come.
  for (uint32_t i = 0; i < AdaptiveSpin::kMissesToBlock; ++i) spin.record(uint64_t{1} << 40);
  ASSERT_TRUE(spin.blocking());
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  std::thread sender([&] {
    int fds[] = {w.get()};
    EXPECT_TRUE(send_message(pair->first.get(), msg, fds).ok());
  });
  got = recv_message_spin(pair->second.get(), buf, spin);
  sender.join();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->length, 3u);
  ASSERT_EQ(got->fds.size(), 1u);
  ASSERT_EQ(write(got->fds[0].get(), "y", 1), 1);
  char c = 0;
  ASSERT_EQ(read(r.get(), &c, 1), 1);
  EXPECT_EQ(c, 'y');

  pair->first.reset();
  got = recv_message_spin(pair->second.get(), buf, spin);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ECONNRESET);
}

TEST(Seqpacket, PeerCredIsOurs) {
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  auto c = peer_cred(pair->first.get());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->uid, getuid());
  EXPECT_EQ(c->pid, getpid());
}

}  // namespace
}  // namespace swtee
