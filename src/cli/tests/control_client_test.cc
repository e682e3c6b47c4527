#include "cli/control_client.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstring>
#include <thread>

#include "cli/runtime_dir.h"
#include "common/seqpacket.h"

namespace swtee::cli {
namespace {

// A Status reply with one device (the codec's own tests cover the rest).
std::vector<uint8_t> one_device_reply() {
  control::ControlStatusReply h{0, 1, 12345, 1, 0};
  control::DeviceStatus d{};
  std::snprintf(d.name, sizeof(d.name), "tee0");
  std::vector<uint8_t> out(sizeof(h) + sizeof(d));
  std::memcpy(out.data(), &h, sizeof(h));
  std::memcpy(out.data() + sizeof(h), &d, sizeof(d));
  return out;
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
    (void)send_message(c.get(), one_device_reply());
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
