#include "uapi/uapi_client.h"

#include <stdlib.h>
#include <sys/socket.h>

#include <array>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "common/seqpacket.h"
#include "uapi/slot_wire.h"
#include "uapi/uapi_codec.h"

namespace swtee::uapi {
namespace {

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string t = (std::filesystem::temp_directory_path() / "swtee-uapi-XXXXXX").string();
    ASSERT_NE(::mkdtemp(t.data()), nullptr);
    dir_ = t;
    auto l = seqpacket_listen(dir_ + "/tee0", 0600);
    ASSERT_TRUE(l.ok());
    listener_ = std::move(l).value();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  UniqueFd accept_one() { return UniqueFd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC)); }

  struct Req {
    swtee_uapi_req_hdr hdr{};
    std::vector<uint8_t> arg;
    std::vector<UniqueFd> fds;
  };
  static Req read_req(int s) {
    std::array<uint8_t, SWTEE_UAPI_MAX_MSG> buf{};
    Req r;
    auto m = recv_message(s, buf);
    EXPECT_TRUE(m.ok());
    if (!m.ok()) return r;
    auto f = decode_request_frame(std::span<const uint8_t>(buf.data(), m->length));
    EXPECT_TRUE(f.ok());
    if (!f.ok()) return r;
    r.hdr = f->hdr;
    r.arg.assign(f->arg.begin(), f->arg.end());
    r.fds = std::move(m->fds);
    return r;
  }
  static void reply(int s, uint32_t tag, int32_t rc, std::vector<uint8_t> arg, std::span<const int> fds = {}) {
    swtee_uapi_resp_hdr h = make_reply_header(rc, tag, arg.size());
    std::array<std::span<const uint8_t>, 2> parts{
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&h), sizeof(h)), arg};
    ASSERT_TRUE(send_message_parts(s, parts, fds).ok());
  }

  std::string dir_;
  UniqueFd listener_;
};

TEST_F(ClientTest, CallCarriesArgFdsAndGetsItsReply) {
  auto c = UapiClient::connect("tee0", dir_);
  ASSERT_TRUE(c.ok());
  UniqueFd s = accept_one();
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  std::thread srv([&] {
    Req q = read_req(s.get());
    EXPECT_EQ(q.hdr.cmd, TEE_IOC_SHM_REGISTER_FD);
    EXPECT_NE(q.hdr.tag, kUnattributedTag);
    EXPECT_EQ(q.arg, (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_EQ(q.fds.size(), 1u);
    int fd = q.fds.empty() ? -1 : q.fds[0].get();
    reply(s.get(), q.hdr.tag, 0, {4, 5}, std::span<const int>(&fd, 1));
  });
  int fds[] = {w.get()};
  auto rep = c->call(TEE_IOC_SHM_REGISTER_FD, std::vector<uint8_t>{1, 2, 3}, fds);
  srv.join();
  ASSERT_TRUE(rep.ok());
  EXPECT_EQ(rep->rc, 0);
  EXPECT_EQ(rep->arg, (std::vector<uint8_t>{4, 5}));
  EXPECT_EQ(rep->fds.size(), 1u);
}

TEST_F(ClientTest, RepliesAreDemultiplexedByTag) {
  auto c = UapiClient::connect("tee0", dir_, {Transport::SocketOnly, {}});
  ASSERT_TRUE(c.ok());
  UniqueFd s = accept_one();
  constexpr int kThreads = 4;
  std::thread srv([&] {
    // Collect all requests first, then answer in reverse order.
    std::vector<Req> qs;
    for (int i = 0; i < kThreads; ++i) qs.push_back(read_req(s.get()));
    for (int i = kThreads - 1; i >= 0; --i) reply(s.get(), qs[i].hdr.tag, -static_cast<int32_t>(qs[i].arg[0]), qs[i].arg);
  });
  std::vector<std::thread> ts;
  std::atomic<int> good{0};
  for (int i = 0; i < kThreads; ++i) {
    ts.emplace_back([&, i] {
      auto r = c->call(TEE_IOC_VERSION, std::vector<uint8_t>{static_cast<uint8_t>(i + 1)});
      if (r.ok() && r->rc == -(i + 1) && r->arg.size() == 1 && r->arg[0] == i + 1) ++good;
    });
  }
  for (auto& t : ts) t.join();
  srv.join();
  EXPECT_EQ(good.load(), kThreads);
}

TEST_F(ClientTest, DaemonGoneIsATransportError) {
  auto c = UapiClient::connect("tee0", dir_, {Transport::SocketOnly, {}});
  ASSERT_TRUE(c.ok());
  UniqueFd s = accept_one();
  std::thread srv([&] {
    (void)read_req(s.get());
    s.reset();
  });
  auto r = c->call(TEE_IOC_VERSION, {});
  srv.join();
  ASSERT_FALSE(r.ok());
  auto again = c->call(TEE_IOC_VERSION, {});
  EXPECT_FALSE(again.ok());
}

TEST_F(ClientTest, RefusalBeforeCloseBecomesTheError) {
  auto c = UapiClient::connect("tee0", dir_);
  ASSERT_TRUE(c.ok());
  {
    UniqueFd s = accept_one();
    reply(s.get(), kUnattributedTag, -EBUSY, {});
  }
  auto r = c->call(TEE_IOC_VERSION, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EBUSY);
}

TEST_F(ClientTest, ADaemonWithoutSlotsIsCalledOverTheSocket) {
  auto c = UapiClient::connect("tee0", dir_);  // slots wanted
  ASSERT_TRUE(c.ok());
  UniqueFd s = accept_one();
  std::thread srv([&] {
    Req open = read_req(s.get());
    EXPECT_EQ(open.hdr.cmd, SWTEE_IOC_SLOT_OPEN);
    reply(s.get(), open.hdr.tag, -EINVAL, {});  // an swteed that knows no slots
    for (uint8_t i = 1; i <= 2; ++i) {
      Req q = read_req(s.get());
      EXPECT_EQ(q.hdr.cmd, TEE_IOC_VERSION);  // asked once per thread, not again
      reply(s.get(), q.hdr.tag, 0, {i});
    }
  });
  for (uint8_t i = 1; i <= 2; ++i) {
    auto r = c->call(TEE_IOC_VERSION, {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->arg, std::vector<uint8_t>{i});
  }
  EXPECT_FALSE(c->thread_has_slot());
  srv.join();
}

TEST_F(ClientTest, LocalLimits) {
  auto c = UapiClient::connect("tee0", dir_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->call(TEE_IOC_VERSION, std::vector<uint8_t>(TEE_MAX_ARG_SIZE + 1)).error().code, EINVAL);
  EXPECT_FALSE(UapiClient::connect("../x", dir_).ok());
  EXPECT_FALSE(UapiClient::connect("tee9", dir_).ok());
}

TEST(RuntimeDir, FromEnvironment) {
  ::setenv(SWTEE_RUNTIME_DIR_ENV, "/tmp/x", 1);
  EXPECT_EQ(runtime_dir_from_env(), "/tmp/x");
  ::unsetenv(SWTEE_RUNTIME_DIR_ENV);
  EXPECT_EQ(runtime_dir_from_env(), SWTEE_DEFAULT_RUNTIME_DIR);
}

}  // namespace
}  // namespace swtee::uapi
