// The zygote fork path: swtee-ta-host --zygote forks TA processes that load
// a TA .so from a sealed memfd, say hello, and serve their channel.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

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
  UniqueFd page_fd;
  Mapping page;
};

TaEnd spawn(ZygoteClient& z, const std::vector<uint8_t>& so) {
  TaEnd t;
  UniqueFd payload = memfd_with(so);
  auto page = create_sealed_memfd("page", kParamPageSize);
  auto pair = seqpacket_pair();
  EXPECT_TRUE(page.ok() && pair.ok());
  auto s = z.spawn(payload.get(), pair->second.get(), page->get());
  EXPECT_TRUE(s.ok());
  t.proc = std::move(*s);
  t.chan = std::move(pair->first);
  t.page_fd = std::move(*page);
  return t;
}

TaMessage recv_msg(int chan) {
  std::array<uint8_t, kMaxTaMessage> buf;
  for (;;) {
    auto m = recv_message(chan, buf);
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return {};
    auto d = decode_ta_message({buf.data(), m->length});
    EXPECT_TRUE(d.ok());
    if (d->kind != TaMsgKind::Log) return std::move(*d);
  }
}

TaReply call(int chan, TaOp op, uint32_t seq, uint32_t session, uint32_t cmd, uint32_t a = 0) {
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
  EXPECT_TRUE(send_message(chan, {reinterpret_cast<const uint8_t*>(&r), sizeof(r)}).ok());
  TaMessage m = recv_msg(chan);
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

  TaMessage hello = recv_msg(t.chan.get());
  ASSERT_EQ(hello.kind, TaMsgKind::Hello);
  EXPECT_EQ(hello.hello.status, static_cast<uint32_t>(HelloStatus::Ok));
  EXPECT_EQ(hello.hello.abi_version, kTaAbiVersion);
  EXPECT_EQ(hello.hello.flags, 0u);
  EXPECT_EQ(hello.hello.uuid[15], 1);
  EXPECT_EQ(hello.hello.uuid[0], 0x5e);

  EXPECT_EQ(call(t.chan.get(), TaOp::Create, 1, 0, 0).ret, 0u);
  EXPECT_EQ(call(t.chan.get(), TaOp::OpenSession, 2, 1, 0).ret, 0u);
  TaReply r = call(t.chan.get(), TaOp::Invoke, 3, 1, TEST_CMD_INC, 41);
  EXPECT_EQ(r.ret, 0u);
  EXPECT_EQ(r.params[0].a, 42u);
  EXPECT_EQ(call(t.chan.get(), TaOp::CloseSession, 4, 1, 0).ret, 0u);
  EXPECT_EQ(call(t.chan.get(), TaOp::Destroy, 5, 0, 0).ret, 0u);
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, EachSpawnIsANewProcess) {
  TaEnd a = spawn(*zygote_, so_);
  TaEnd b = spawn(*zygote_, so_);
  EXPECT_NE(a.proc.pid, b.proc.pid);
  EXPECT_EQ(recv_msg(a.chan.get()).kind, TaMsgKind::Hello);
  EXPECT_EQ(recv_msg(b.chan.get()).kind, TaMsgKind::Hello);
}

TEST_F(ZygoteTest, NotAnElfReportsLoadFailure) {
  TaEnd t = spawn(*zygote_, std::vector<uint8_t>(4096, 0x42));
  TaMessage hello = recv_msg(t.chan.get());
  ASSERT_EQ(hello.kind, TaMsgKind::Hello);
  EXPECT_EQ(hello.hello.status, static_cast<uint32_t>(HelloStatus::LoadFailed));
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, ClosingTheChannelEndsTheTa) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(recv_msg(t.chan.get()).kind, TaMsgKind::Hello);
  t.chan.reset();
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, MalformedRequestEndsTheTa) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(recv_msg(t.chan.get()).kind, TaMsgKind::Hello);
  uint8_t junk[5] = {1, 2, 3, 4, 5};
  ASSERT_TRUE(send_message(t.chan.get(), junk).ok());
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

TEST_F(ZygoteTest, TaProcessesDieWithTheZygote) {
  TaEnd t = spawn(*zygote_, so_);
  EXPECT_EQ(recv_msg(t.chan.get()).kind, TaMsgKind::Hello);
  zygote_.reset();  // SIGKILLs the zygote
  EXPECT_TRUE(process_exited(t.proc.pidfd.get()));
}

}  // namespace
}  // namespace swtee::os
