// The TA channel's transport: messages and fds through the channel block,
// read once into the receiver's copy; garbage, rewrites, interrupts and a
// peer's death as a hostile or dying TA would produce them.
#include "protocol/ta_channel_link.h"

#include <gtest/gtest.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <thread>
#include <vector>

#include "common/shm_file.h"
#include "protocol/ta_channel_codec.h"

namespace swtee::tachan {
namespace {

// One instance's shared memory and socket, as swtee-os sets them up.
struct Instance {
  Instance() {
    shm_fd = std::move(*create_sealed_memfd("link-test", kInstanceShmSize));
    shm = std::move(*Mapping::map(shm_fd.get(), kInstanceShmSize));
    auto p = std::move(*seqpacket_pair());
    os_sock = std::move(p.first);
    ta_sock = std::move(p.second);
  }
  ChannelBlock* block() {
    return reinterpret_cast<ChannelBlock*>(static_cast<uint8_t*>(shm.data()) + kChannelBlockOffset);
  }
  UniqueFd shm_fd;
  Mapping shm;
  UniqueFd os_sock, ta_sock;
};

std::span<const uint8_t> bytes(const void* p, size_t n) { return {static_cast<const uint8_t*>(p), n}; }

Status send_request(ChannelLink& l, const TaRequest& r, std::span<const int> fds = {}) {
  const std::array<std::span<const uint8_t>, 1> parts{bytes(&r, sizeof(r))};
  return l.send(parts, fds);
}

Status send_reply(ChannelLink& l, uint32_t seq, uint32_t ret) {
  TaReply rep{};
  rep.ret = ret;
  return send_ta_message(l, TaMsgKind::Reply, seq, bytes(&rep, sizeof(rep)));
}

void ring(DoorbellBox& box, uint32_t seq, uint64_t length, uint64_t word1 = 0, uint32_t fds = 0) {
  box.words[kFrameLengthWord].store(length);
  box.words[1].store(word1);
  box.fds.store(fds);
  box.seq.store(seq);
  ::syscall(SYS_futex, &box.seq, FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

TEST(TaChannelLink, CarriesRequestsRepliesAndFdsBothWays) {
  Instance in;
  ChannelLink os(in.os_sock.get()), ta(in.ta_sock.get());
  os.attach(in.block(), ChannelLink::Side::Os, 0, kDoorbellCheckMs);
  ta.attach(in.block(), ChannelLink::Side::Ta, 0, kTaSideCheckMs);
  std::array<UniqueFd, 3> memfds;
  std::array<int, 3> raw{};
  for (size_t i = 0; i < memfds.size(); ++i) {
    memfds[i] = std::move(*create_sealed_memfd("m", 4096));
    raw[i] = memfds[i].get();
  }
  TaRequest r{};
  r.magic = kRequestMagic;
  r.seq = 9;
  ASSERT_TRUE(send_request(os, r, raw).ok());
  alignas(8) std::array<uint8_t, kMaxOsMessage> tbuf;
  auto got = ta.recv(tbuf);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->length, sizeof(TaRequest));
  EXPECT_EQ(got->fds.size(), 3u);
  EXPECT_EQ(std::memcmp(tbuf.data(), &r, sizeof(r)), 0);

  // The largest syscall each way fits.
  std::vector<uint8_t> in_bytes(kMaxSyscallInline, 0xA5);
  TaSyscall sc{};
  sc.in_len = kMaxSyscallInline;
  sc.num_fds = 1;
  ASSERT_TRUE(send_syscall(ta, sc, in_bytes, std::span<const int>(raw.data(), 1)).ok());
  alignas(8) std::array<uint8_t, kMaxTaMessage> obuf;
  auto m = os.recv(obuf);
  ASSERT_TRUE(m.ok());
  auto d = decode_ta_message({obuf.data(), m->length});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, TaMsgKind::Syscall);
  EXPECT_EQ(d->syscall_in.size(), kMaxSyscallInline);
  EXPECT_EQ(m->fds.size(), 1u);
  TaSyscallReply rep{};
  rep.magic = kSysReplyMagic;
  rep.out_len = kMaxSyscallInline;
  ASSERT_TRUE(send_syscall_reply(os, rep, in_bytes).ok());
  got = ta.recv(tbuf);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(decode_syscall_reply({tbuf.data(), got->length}, got->fds.size()).ok());
  ASSERT_TRUE(send_reply(ta, 9, 0).ok());
  m = os.recv(obuf);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(decode_ta_message({obuf.data(), m->length})->seq, 9u);
}

// A TA rewrites its message after ringing. The OS decodes its own copy,
// taken once: what the TA writes afterwards changes nothing it holds, and
// what it wrote before the copy is validated like any message.
TEST(TaChannelLink, AMessageIsCopiedOutOnceAndRewritesAfterwardsChangeNothing) {
  Instance in;
  ChannelLink os(in.os_sock.get()), ta(in.ta_sock.get());
  os.attach(in.block(), ChannelLink::Side::Os, 0, kDoorbellCheckMs);
  ta.attach(in.block(), ChannelLink::Side::Ta, 0, kTaSideCheckMs);
  ASSERT_TRUE(send_reply(ta, 5, 0x1234).ok());
  std::array<uint8_t, kMaxTaMessage> buf;
  auto m = os.recv(buf);
  ASSERT_TRUE(m.ok());
  std::memset(in.block()->to_os, 0xFF, sizeof(in.block()->to_os));  // the rewrite
  auto d = decode_ta_message({buf.data(), m->length});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->seq, 5u);
  EXPECT_EQ(d->reply.ret, 0x1234u);

  // Rewritten between the ring and the copy: the OS sees garbage, which
  // its decoder rejects (the instance then dies, as for a bad datagram).
  ASSERT_TRUE(send_reply(ta, 6, 0).ok());
  std::memset(in.block()->to_os, 0xFF, sizeof(TaMsgHeader));
  m = os.recv(buf);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(decode_ta_message({buf.data(), m->length}).ok());
}

// Frames a hostile TA may ring: each is malformed (EPROTO), consumed, and
// the link still carries the next good message.
TEST(TaChannelLink, GarbageFramesAreMalformed) {
  Instance in;
  ChannelLink os(in.os_sock.get()), ta(in.ta_sock.get());
  os.attach(in.block(), ChannelLink::Side::Os, 0, kDoorbellCheckMs);
  ta.attach(in.block(), ChannelLink::Side::Ta, 0, kTaSideCheckMs);
  DoorbellBox& box = in.block()->bell.to_client;
  std::array<uint8_t, kMaxTaMessage> buf;
  ring(box, 1, sizeof(in.block()->to_os) + 1);  // longer than the buffer
  EXPECT_EQ(os.recv(buf).error().code, EPROTO);
  ring(box, 2, uint64_t{1} << 63);  // absurd
  EXPECT_EQ(os.recv(buf).error().code, EPROTO);
  ring(box, 3, 16, /*word1=*/7);  // a reserved word set
  EXPECT_EQ(os.recv(buf).error().code, EPROTO);
  ring(box, 4, 16, 0, /*fds=*/2);  // fds announced, none sent
  EXPECT_EQ(os.recv(buf).error().code, EPROTO);
  ring(box, 5, 16, 0, /*fds=*/kDoorbellMaxFds + 1);  // more fds than any message may carry
  EXPECT_EQ(os.recv(buf).error().code, EPROTO);
  // The receiver's buffer is smaller than the message: malformed, not an overflow.
  ring(box, 6, 64);
  std::array<uint8_t, 32> small;
  EXPECT_EQ(os.recv(small).error().code, EPROTO);
  // The channel goes on (the TA's own counter restarts where it left off).
  box.seq.store(6);
  ChannelLink ta2(in.ta_sock.get());
  // A fresh TA end starts at seq 0; continue from the forged seq by hand.
  const uint64_t len = sizeof(TaMsgHeader) + sizeof(TaReply);
  TaMsgHeader h{kMsgMagic, static_cast<uint32_t>(TaMsgKind::Reply), 3, sizeof(TaReply)};
  std::memset(in.block()->to_os, 0, len);
  std::memcpy(in.block()->to_os, &h, sizeof(h));
  ring(box, 7, len);
  auto m = os.recv(buf);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(decode_ta_message({buf.data(), m->length})->seq, 3u);
}

// interrupt() ends a wait whether it is still spinning or already asleep,
// and every later one.
TEST(TaChannelLink, InterruptEndsAWaitSpinningOrBlocked) {
  for (unsigned spin : {0u, kDoorbellMaxSpinUs}) {
    Instance in;
    ChannelLink os(in.os_sock.get());
    os.attach(in.block(), ChannelLink::Side::Os, spin, 3'600'000);
    std::thread t([&] {
      if (spin == 0) {
        while (in.block()->bell.to_client.sleeping.load() == 0) ::sched_yield();
      }
      os.interrupt();
    });
    std::array<uint8_t, kMaxTaMessage> buf;
    auto m = os.recv(buf);
    t.join();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ECANCELED);
    EXPECT_EQ(os.recv(buf).error().code, ECANCELED);
  }
}

// A TA process that dies mid-call ends the OS's wait at once (its life
// word), with a check interval of an hour: (1) while the OS waits for its
// reply, (2) after it sent a syscall, while the OS serves it and then
// waits for the TA's next message.
TEST(TaChannelLink, ATaThatDiesMidCallEndsTheOsWait) {
  for (bool in_syscall : {false, true}) {
    Instance in;
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ChannelLink ta(in.ta_sock.get());
      ta.attach(in.block(), ChannelLink::Side::Ta, 0, kTaSideCheckMs);
      if (!hold_life_word(&in.block()->ta_life).ok()) ::_exit(1);
      std::array<uint8_t, kMaxOsMessage> buf;
      if (!ta.recv(buf).ok()) ::_exit(2);  // the request
      if (in_syscall) {
        TaSyscall sc{};
        if (!send_syscall(ta, sc, {}, {}).ok()) ::_exit(3);
      }
      char c = 1;
      (void)::write(ready[1], &c, 1);
      for (;;) ::pause();  // killed here: mid-request, or waiting for the syscall's reply
    }
    ::close(ready[1]);
    // As swtee-os attaches only after the hello, which the TA sends after
    // holding its life word.
    while (in.block()->ta_life.load() == 0) ::sched_yield();
    ChannelLink os(in.os_sock.get());
    os.attach(in.block(), ChannelLink::Side::Os, 0, 3'600'000);
    TaRequest r{};
    r.magic = kRequestMagic;
    ASSERT_TRUE(send_request(os, r).ok());
    std::array<uint8_t, kMaxTaMessage> buf;
    if (in_syscall) {
      auto m = os.recv(buf);
      ASSERT_TRUE(m.ok());
      EXPECT_EQ(decode_ta_message({buf.data(), m->length})->kind, TaMsgKind::Syscall);
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    ::close(ready[0]);
    std::thread killer([&] {
      while (in.block()->bell.to_client.sleeping.load() == 0) ::sched_yield();
      ::kill(pid, SIGKILL);
    });
    if (in_syscall) {
      // The OS answers the syscall (into memory nobody reads any more),
      // then waits for the TA's next message.
      TaSyscallReply rep{};
      rep.magic = kSysReplyMagic;
      ASSERT_TRUE(send_syscall_reply(os, rep, {}).ok());
    }
    auto m = os.recv(buf);
    killer.join();
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error().code, ECONNRESET);
    int st = 0;
    ASSERT_EQ(::waitpid(pid, &st, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(st));
  }
}

TEST(TaChannelLink, UnattachedItIsTheSocket) {
  Instance in;
  ChannelLink os(in.os_sock.get()), ta(in.ta_sock.get());
  EXPECT_FALSE(ta.attached());
  TaHello h{};
  ASSERT_TRUE(send_ta_message(ta, TaMsgKind::Hello, 0, bytes(&h, sizeof(h))).ok());
  std::array<uint8_t, kMaxTaMessage> buf;
  auto m = recv_message(in.os_sock.get(), buf);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(decode_ta_message({buf.data(), m->length})->kind, TaMsgKind::Hello);
  // Too large for the block: refused before anything is written.
  ta.attach(in.block(), ChannelLink::Side::Ta, 0, kTaSideCheckMs);
  std::vector<uint8_t> huge(sizeof(in.block()->to_os) + 1);
  const std::array<std::span<const uint8_t>, 1> parts{std::span<const uint8_t>(huge)};
  EXPECT_EQ(ta.send(parts).error().code, EMSGSIZE);
  EXPECT_EQ(in.block()->bell.to_client.seq.load(), 0u);
}

}  // namespace
}  // namespace swtee::tachan
