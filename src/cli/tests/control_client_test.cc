#include "cli/control_client.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstring>
#include <thread>

#include "cli/runtime_dir.h"
#include "common/seqpacket.h"

namespace swtee::cli {
namespace {

std::vector<uint8_t> reply(uint32_t n, size_t extra_bytes = 0, int32_t rc = 0) {
  control::ControlStatusReply h{rc, n, 12345, 1, 0};
  std::vector<uint8_t> out(sizeof(h) + n * sizeof(control::DeviceStatus) + extra_bytes);
  std::memcpy(out.data(), &h, sizeof(h));
  for (uint32_t i = 0; i < n; ++i) {
    control::DeviceStatus d{};
    std::snprintf(d.name, sizeof(d.name), i == 0 ? "tee0" : "teepriv0");
    std::memset(d.name + 12, 'x', sizeof(d.name) - 12);  // garbage after the NUL is ignored
    d.privileged = i;
    d.contexts = 3 + i;
    std::memcpy(out.data() + sizeof(h) + i * sizeof(d), &d, sizeof(d));
  }
  return out;
}

TEST(ControlClient, DecodesDevices) {
  auto st = decode_status(reply(2));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->header.uptime_ms, 12345u);
  ASSERT_EQ(st->devices.size(), 2u);
  EXPECT_STREQ(st->devices[0].name, "tee0");
  EXPECT_STREQ(st->devices[1].name, "teepriv0");
  EXPECT_EQ(st->devices[1].contexts, 4u);
}

TEST(ControlClient, RejectsMalformedReplies) {
  EXPECT_EQ(decode_status(std::vector<uint8_t>(10)).error().code, EPROTO);
  EXPECT_EQ(decode_status(reply(2, 1)).error().code, EPROTO);  // trailing byte
  auto r = reply(2);
  r.resize(r.size() - 1);
  EXPECT_EQ(decode_status(r).error().code, EPROTO);  // truncated record
  auto many = reply(0);
  uint32_t n = control::kMaxDevices + 1;
  std::memcpy(many.data() + 4, &n, 4);
  EXPECT_EQ(decode_status(many).error().code, EPROTO);
  EXPECT_EQ(decode_status(reply(0, 0, -EPERM)).error().code, EPERM);
}

TEST(ControlClient, QueriesARealSocket) {
  auto rd = RuntimeDir::create("/tmp");
  ASSERT_TRUE(rd.ok());
  auto l = seqpacket_listen(rd->path() + "/" + control::kSocketName, 0600);
  ASSERT_TRUE(l.ok());
  std::thread server([&] {
    UniqueFd c(::accept4(l->get(), nullptr, nullptr, SOCK_CLOEXEC));
    uint8_t buf[64];
    auto m = recv_message(c.get(), buf);
    if (!m.ok() || m->length != sizeof(control::ControlRequest)) return;
    control::ControlRequest req{};
    std::memcpy(&req, buf, sizeof(req));
    if (req.cmd != static_cast<uint32_t>(control::ControlCmd::Status)) return;
    (void)send_message(c.get(), reply(1));
  });
  auto st = query_status(rd->path());
  server.join();
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->devices.size(), 1u);
  EXPECT_EQ(st->header.os_alive, 1u);
}

TEST(ControlClient, NoDaemonIsAnError) {
  auto rd = RuntimeDir::create("/tmp");
  ASSERT_TRUE(rd.ok());
  EXPECT_FALSE(query_status(rd->path()).ok());
}

}  // namespace
}  // namespace swtee::cli
