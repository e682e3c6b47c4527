#include "daemon/control_server.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>

#include "common/seqpacket.h"
#include "core/tests/core_test_util.h"
#include "protocol/control_codec.h"

namespace swtee::daemon {
namespace {

using core::testing::FakeDriver;
using core::testing::TempDir;

struct StatusReply {
  control::ControlStatusReply hdr{};
  std::vector<control::DeviceStatus> devs;
};

StatusReply ask(const std::string& path, std::vector<uint8_t> req) {
  StatusReply out;
  auto s = seqpacket_connect(path);
  EXPECT_TRUE(s.ok());
  if (!s.ok()) return out;
  EXPECT_TRUE(send_message(s->get(), req).ok());
  std::array<uint8_t, 4096> buf{};
  auto m = recv_message(s->get(), buf);
  EXPECT_TRUE(m.ok());
  if (!m.ok() || m->length < sizeof(out.hdr)) return out;
  std::memcpy(&out.hdr, buf.data(), sizeof(out.hdr));
  size_t n = (m->length - sizeof(out.hdr)) / sizeof(control::DeviceStatus);
  EXPECT_EQ(n, out.hdr.num_devices);
  out.devs.resize(n);
  if (n != 0) std::memcpy(out.devs.data(), buf.data() + sizeof(out.hdr), n * sizeof(control::DeviceStatus));
  return out;
}

TEST(ControlServer, ReportsDevicesContextsSessionsShms) {
  TempDir dir;
  FakeDriver drv, supp;
  auto core = core::Core::create();
  ASSERT_TRUE(core.ok());
  ASSERT_TRUE((*core)->add_device(core::DeviceDesc{"tee0", false, &drv}, dir.path()).ok());
  ASSERT_TRUE((*core)->add_device(core::DeviceDesc{"teepriv0", true, &supp}, dir.path()).ok());
  ASSERT_TRUE((*core)->start().ok());
  bool alive = true;
  const std::string path = dir.path() + "/" + control::kSocketName;
  auto ctl = ControlServer::start(path, **core, [&alive] { return alive; });
  ASSERT_TRUE(ctl.ok());

  auto c = uapi::UapiClient::connect("tee0", dir.path());
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(core::testing::open_session(*c, TEE_IOCTL_LOGIN_PUBLIC).rc, 0);
  ASSERT_EQ(core::testing::shm_alloc(*c, 64).rc, 0);

  control::ControlRequest req{static_cast<uint32_t>(control::ControlCmd::Status), 0};
  StatusReply st = ask(path, uapi::encode_struct(req));
  EXPECT_EQ(st.hdr.rc, 0);
  EXPECT_EQ(st.hdr.os_alive, 1u);
  ASSERT_EQ(st.devs.size(), 2u);
  EXPECT_STREQ(st.devs[0].name, "tee0");
  EXPECT_EQ(st.devs[0].contexts, 1u);
  EXPECT_EQ(st.devs[0].sessions, 1u);
  EXPECT_EQ(st.devs[0].shms, 1u);
  EXPECT_EQ(st.devs[0].privileged, 0u);
  EXPECT_STREQ(st.devs[1].name, "teepriv0");
  EXPECT_EQ(st.devs[1].privileged, 1u);
  EXPECT_NE(st.devs[1].gen_caps & TEE_GEN_CAP_PRIVILEGED, 0u);

  alive = false;
  EXPECT_EQ(ask(path, uapi::encode_struct(req)).hdr.os_alive, 0u);
  req.cmd = 99;
  EXPECT_EQ(ask(path, uapi::encode_struct(req)).hdr.rc, -EINVAL);
  EXPECT_EQ(ask(path, {1, 2, 3}).hdr.rc, -EINVAL);

  ctl->reset();
  EXPECT_FALSE(seqpacket_connect(path).ok());
}

// The Os request passes the trusted OS's report on; its failure is an rc.
TEST(ControlServer, RelaysTheOsReport) {
  TempDir dir;
  FakeDriver drv;
  auto core = core::Core::create();
  ASSERT_TRUE(core.ok());
  ASSERT_TRUE((*core)->add_device(core::DeviceDesc{"tee0", false, &drv}, dir.path()).ok());
  ASSERT_TRUE((*core)->start().ok());
  osstat::OsStatus report;
  report.counts.rpcs = 5;
  report.tas.resize(1);
  report.tas[0].instances = {{321, 2}};
  std::vector<uint8_t> bytes(osstat::encoded_size(report));
  ASSERT_TRUE(osstat::encode(report, bytes).ok());
  bool up = true;
  int asked = 0;
  const std::string path = dir.path() + "/" + control::kSocketName;
  auto ctl = ControlServer::start(
      path, **core, [] { return true; },
      [&]() -> Result<std::vector<uint8_t>> {
        ++asked;
        if (!up) return Error{ENOTCONN, "query"};
        return bytes;
      });
  ASSERT_TRUE(ctl.ok());
  auto ask_os = [&] {
    auto s = seqpacket_connect(path);
    EXPECT_TRUE(s.ok());
    control::ControlRequest req{static_cast<uint32_t>(control::ControlCmd::Os), 0};
    EXPECT_TRUE(send_message(s->get(), uapi::encode_struct(req)).ok());
    std::vector<uint8_t> buf(control::kMaxOsReply + 1);
    auto m = recv_message(s->get(), buf);
    EXPECT_TRUE(m.ok());
    buf.resize(m.ok() ? m->length : 0);
    return control::decode_os_reply(buf);
  };
  auto r = ask_os();
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->counts.rpcs, 5u);
  ASSERT_EQ(r->tas.size(), 1u);
  EXPECT_EQ(r->tas[0].instances[0].pid, 321);
  up = false;
  EXPECT_EQ(ask_os().error().code, ENOTCONN);
  EXPECT_EQ(asked, 2);
}

}  // namespace
}  // namespace swtee::daemon
