// The zygote fork path: swtee-ta-host --zygote forks TA processes that load
// a TA .so from a sealed memfd, say hello, and serve their channel.
#include <gtest/gtest.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "common/pidfd.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "os/ta_manager/zygote_client.h"
#include "protocol/ta_channel_codec.h"
#include "test_ta.h"

namespace swtee::os {
namespace {

using namespace swtee::tachan;

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

UniqueFd memfd_with(const std::vector<uint8_t>& bytes) {
  auto fd = create_sealed_memfd("test-payload", bytes.size());
  EXPECT_TRUE(fd.ok());
  EXPECT_EQ(::pwrite(fd->get(), bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  return std::move(*fd);
}

pid_t parent_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return -1;
  char state;
  int ppid = -1;
  std::sscanf(s.c_str() + close + 1, " %c %d", &state, &ppid);
  return ppid;
}

bool process_exited(int pidfd) {
  pollfd p{pidfd, POLLIN, 0};
  return ::poll(&p, 1, -1) == 1;  // a pidfd polls readable when the process exits
}

struct TaEnd {
  SpawnedTa proc;
  UniqueFd chan;
  UniqueFd shm_fd;
  Mapping shm;
  std::unique_ptr<ChannelLink> link;  // the socket until the hello, then the block
  ChannelBlock* block() {
    return reinterpret_cast<ChannelBlock*>(static_cast<uint8_t*>(shm.data()) + kChannelBlockOffset);
  }
};

TaEnd spawn(ZygoteClient& z, const std::vector<uint8_t>& so) {
  TaEnd t;
  UniqueFd payload = memfd_with(so);
  auto shm = create_sealed_memfd("shm", kInstanceShmSize);
  auto pair = seqpacket_pair();
  EXPECT_TRUE(shm.ok() && pair.ok());
  auto s = z.spawn(payload.get(), pair->second.get(), shm->get());
  EXPECT_TRUE(s.ok());
  t.proc = std::move(*s);
  t.chan = std::move(pair->first);
  t.shm = std::move(*Mapping::map(shm->get(), kInstanceShmSize));
  t.shm_fd = std::move(*shm);
  t.link = std::make_unique<ChannelLink>(t.chan.get());
  return t;
}

TaMessage recv_msg(TaEnd& t) {
  std::array<uint8_t, kMaxTaMessage> buf;
  for (;;) {
    auto m = t.link->recv(buf);
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return {};
    auto d = decode_ta_message({buf.data(), m->length});
    EXPECT_TRUE(d.ok());
    if (d->kind != TaMsgKind::Log) return std::move(*d);
  }
}

// The hello (on the socket); after it the channel block carries everything.
TaMessage hello(TaEnd& t) {
  TaMessage m = recv_msg(t);
  t.link->attach(t.block(), ChannelLink::Side::Os, 0, kDoorbellCheckMs);
  return m;
}

void send_request(TaEnd& t, TaOp op, uint32_t seq, uint32_t session, uint32_t cmd, uint32_t a = 0) {
  TaRequest r{};
  r.magic = kRequestMagic;
  r.op = static_cast<uint32_t>(op);
  r.seq = seq;
  r.session = session;
  r.cmd = cmd;
  if (op == TaOp::Invoke) {
    r.params[0].type = 3;  // value inout
    r.params[0].a = a;
  }
  const std::array<std::span<const uint8_t>, 1> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&r), sizeof(r))};
  EXPECT_TRUE(t.link->send(parts).ok());
}

TaReply call(TaEnd& t, TaOp op, uint32_t seq, uint32_t session, uint32_t cmd, uint32_t a = 0) {
  send_request(t, op, seq, session, cmd, a);
  TaMessage m = recv_msg(t);
  EXPECT_EQ(m.kind, TaMsgKind::Reply);
  EXPECT_EQ(m.seq, seq);
  return m.reply;
}

class ZygoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto z = ZygoteClient::start(SWTEE_TA_HOST_BIN);
    ASSERT_TRUE(z.ok());
    zygote_ = std::move(*z);
    so_ = read_file(std::string(TEST_TA_DIR) + "/tahost_ta_multi.so");
    ASSERT_FALSE(so_.empty());
  }
  std::unique_ptr<ZygoteClient> zygote_;
  std::vector<uint8_t> so_;
};

TEST_F(ZygoteTest, ForksTaProcessThatSaysHelloAndServes) {
  TaEnd t = spawn(*zygote_, so_);
  ASSERT_GT(t.proc.pid, 0);
  EXPECT_NE(t.proc.pid, zygote_->pid());
  EXPECT_EQ(parent_of(t.proc.pid), zygote_->pid()) << "forked by the zygote, not by us";

  TaMessage h = hello(t);
  ASSERT_EQ(h.kind, TaMsgKind::Hello);
  EXPECT_EQ(h.hello.status, static_cast<uint32_t>(HelloStatus::Ok));
  EXPECT_EQ(h.hello.abi_version, kTaAbiVersion);
  EXPECT_EQ(h.hello.flags, 0u);
  EXPECT_EQ(h.hello.uuid[15], 1);
  EXPECT_EQ(h.hello.uuid[0], 0x5e);
  // The TA holds its life word (its pid: it is single-threaded).
  EXPECT_EQ(t.block()->ta_life.load() & FUTEX_TID_MASK, static_cast<uint32_t>(t.proc.pid));

  EXPECT_EQ(call(t, TaOp::Create, 1, 0, 0).ret, 0u);
  EXPECT_EQ(call(t, TaOp::OpenSession, 2, 1, 0).ret, 0u);
  TaReply r = call(t, TaOp::Invoke, 3, 1, TEST_CMD_INC, 41);
  EXPECT_EQ(r.ret, 0u);
  EXPECT_EQ(r.params[0].a, 42u);
  EXPECT_EQ(call(t, TaOp::CloseSession, 4, 1, 0).ret, 0u);
  EXPECT_EQ(call(t, TaOp::Destroy, 5, 0, 0).ret, 0u);
  t.chan.reset();  // the OS lets go (TaInstance kills the process instead)
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

// After Destroy's reply the process does not end itself: its exit would run
// between that reply and the OS's next step (dispatcher.h). It waits for the
// OS, and a request that comes instead ends it as a protocol violation.
TEST_F(ZygoteTest, AfterDestroyTheTaWaitsForTheOsAndTakesNoRequest) {
  TaEnd t = spawn(*zygote_, so_);
  ASSERT_EQ(hello(t).kind, TaMsgKind::Hello);
  EXPECT_EQ(call(t, TaOp::Create, 1, 0, 0).ret, 0u);
  EXPECT_EQ(call(t, TaOp::OpenSession, 2, 1, 0).ret, 0u);
  EXPECT_EQ(call(t, TaOp::CloseSession, 3, 1, 0).ret, 0u);
  EXPECT_EQ(call(t, TaOp::Destroy, 4, 0, 0).ret, 0u);
  // Not a speed check: a process that ended itself after the reply would
  // have done so well within this window.
  pollfd p{t.proc.pidfd.get(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 300), 0) << "the TA process ended itself after Destroy";

  send_request(t, TaOp::Create, 5, 0, 0);
  std::array<uint8_t, kMaxTaMessage> buf;
  auto m = t.link->recv(buf);
  ASSERT_TRUE(m.ok());
  auto d = decode_ta_message({buf.data(), m->length});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, TaMsgKind::Log) << "no reply to a request after Destroy";
  EXPECT_EQ(d->log_text, "a request after destroy");
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, EachSpawnIsANewProcess) {
  TaEnd a = spawn(*zygote_, so_);
  TaEnd b = spawn(*zygote_, so_);
  EXPECT_NE(a.proc.pid, b.proc.pid);
  EXPECT_EQ(hello(a).kind, TaMsgKind::Hello);
  EXPECT_EQ(hello(b).kind, TaMsgKind::Hello);
}

TEST_F(ZygoteTest, NotAnElfReportsLoadFailure) {
  TaEnd t = spawn(*zygote_, std::vector<uint8_t>(4096, 0x42));
  TaMessage h = hello(t);
  ASSERT_EQ(h.kind, TaMsgKind::Hello);
  EXPECT_EQ(h.hello.status, static_cast<uint32_t>(HelloStatus::LoadFailed));
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, ClosingTheChannelEndsTheTa) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(hello(t).kind, TaMsgKind::Hello);
  t.chan.reset();
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, MalformedRequestEndsTheTa) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(hello(t).kind, TaMsgKind::Hello);
  const uint8_t junk[5] = {1, 2, 3, 4, 5};
  const std::array<std::span<const uint8_t>, 1> parts{std::span<const uint8_t>(junk)};
  ASSERT_TRUE(t.link->send(parts).ok());
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

// A ring whose frame names more bytes than the buffer holds: the TA copies
// nothing and ends, as for a malformed request.
TEST_F(ZygoteTest, AGarbageFrameEndsTheTa) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(hello(t).kind, TaMsgKind::Hello);
  DoorbellBox& box = t.block()->bell.to_server;
  box.words[kFrameLengthWord].store(uint64_t{1} << 40);
  box.seq.store(1);
  ::syscall(SYS_futex, &box.seq, FUTEX_WAKE, 1, nullptr, nullptr, 0);
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

// The OS's wait for a reply ends when the TA dies, without a message and
// without the socket being polled: the check interval here is an hour.
TEST_F(ZygoteTest, ATaKilledWhileTheOsWaitsEndsTheWait) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(recv_msg(t).kind, TaMsgKind::Hello);
  t.link->attach(t.block(), ChannelLink::Side::Os, 0, 3'600'000);
  EXPECT_EQ(call(t, TaOp::Create, 1, 0, 0).ret, 0u);
  EXPECT_EQ(call(t, TaOp::OpenSession, 2, 1, 0).ret, 0u);
  TaRequest r{};
  r.magic = kRequestMagic;
  r.op = static_cast<uint32_t>(TaOp::Invoke);
  r.seq = 3;
  r.session = 1;
  r.cmd = TEST_CMD_WAIT;
  r.params[0].type = 1;        // value in
  r.params[0].a = 0xFFFFFFFF;  // TEE_TIMEOUT_INFINITE
  const std::array<std::span<const uint8_t>, 1> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&r), sizeof(r))};
  ASSERT_TRUE(t.link->send(parts).ok());
  std::thread killer([&] {
    while (t.block()->bell.to_client.sleeping.load() == 0) ::sched_yield();
    kill_pidfd(t.proc.pidfd.get());
  });
  std::array<uint8_t, kMaxTaMessage> buf;
  auto m = t.link->recv(buf);
  killer.join();
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ECONNRESET);
}

TEST_F(ZygoteTest, TaProcessesDieWithTheZygote) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(hello(t).kind, TaMsgKind::Hello);
  zygote_.reset();  // SIGKILLs the zygote
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

}  // namespace
}  // namespace swtee::os
