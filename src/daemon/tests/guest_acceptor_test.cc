// A host core (fake driver) with its guest acceptor, and a guest core whose
// tee0 is the remote driver, connected over a Unix socket or TCP: what a
// guest's client sees, what reaches the host's driver, and what a guest's
// departure or the host's leaves behind.
#include "daemon/guest_acceptor.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "common/uuid.h"
#include "core/login.h"
#include "core/tests/core_test_util.h"
#include "drivers/remote/remote_driver.h"
#include "protocol/gp_results.h"

namespace swtee::daemon {
namespace {

using core::testing::FakeDriver;
using core::testing::TempDir;
namespace ct = core::testing;

// Bounded waits for liveness only; nothing is asserted about time.
template <typename F>
bool eventually(F f) {
  for (int i = 0; i < 2000; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return f();
}

class GuestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ::mkdir((dir_.path() + "/host").c_str(), 0700);
    ::mkdir((dir_.path() + "/guest").c_str(), 0700);
    auto c = core::Core::create({});
    ASSERT_TRUE(c.ok());
    host_ = std::move(c).value();
    ASSERT_TRUE(host_->add_device({"tee0", false, &hdrv_}, dir_.path() + "/host").ok());
    ASSERT_TRUE(host_->add_device({"tee1", false, &local_only_}, dir_.path() + "/host").ok());
    ASSERT_TRUE(host_->start().ok());
    addr_ = "unix:" + dir_.path() + "/guests.sock";
  }
  void TearDown() override {
    hdrv_.unblock();
    client_.reset();
    if (guest_) EXPECT_TRUE(guest_->stop(std::chrono::seconds(20)));
    guest_.reset();
    gdrv_.reset();
    acceptor_.reset();
    EXPECT_TRUE(host_->stop(std::chrono::seconds(20)));
  }

  void start_acceptor(std::vector<GuestIdentity> guests, const std::string& listen = "",
                      const std::string& device = "tee0") {
    AcceptorConfig cfg;
    cfg.listeners.push_back(*parse_stream_address(listen.empty() ? addr_ : listen));
    cfg.guests = std::move(guests);
    cfg.device = device;
    auto a = GuestAcceptor::start(*host_, std::move(cfg));
    ASSERT_TRUE(a.ok()) << a.error().message();
    acceptor_ = std::move(a).value();
  }

  Result<std::unique_ptr<remote::RemoteDriver>> link(const std::string& addr, std::vector<uint8_t> key = {}) {
    remote::LinkConfig lc;
    lc.address = *parse_stream_address(addr);
    lc.name = "vm-test";
    lc.key = std::move(key);
    lc.first_connect_timeout = std::chrono::milliseconds(5000);
    ASSIGN_OR_RETURN(auto l, remote::RemoteLink::start(std::move(lc)));
    return std::make_unique<remote::RemoteDriver>(std::move(l));
  }

  void start_guest(const std::string& addr = "", std::vector<uint8_t> key = {}) {
    auto d = link(addr.empty() ? addr_ : addr, std::move(key));
    ASSERT_TRUE(d.ok()) << d.error().message();
    gdrv_ = std::move(d).value();
    auto c = core::Core::create({});
    ASSERT_TRUE(c.ok());
    guest_ = std::move(c).value();
    ASSERT_TRUE(guest_->add_device({"tee0", false, gdrv_.get()}, dir_.path() + "/guest").ok());
    ASSERT_TRUE(guest_->start().ok());
    auto cl = uapi::UapiClient::connect("tee0", dir_.path() + "/guest");
    ASSERT_TRUE(cl.ok());
    client_ = std::make_unique<uapi::UapiClient>(std::move(cl).value());
  }

  uint32_t host_contexts() {
    for (auto& d : host_->snapshot())
      if (d.name == "tee0") return d.contexts;
    return 0;
  }
  uint32_t host_sessions() {
    for (auto& d : host_->snapshot())
      if (d.name == "tee0") return d.sessions;
    return 0;
  }

  TempDir dir_;
  FakeDriver hdrv_{FakeDriver::kAllOps | FakeDriver::kGuestOps};
  FakeDriver local_only_;  // no guest ops: serves the host's own clients only
  std::unique_ptr<core::Core> host_;
  std::unique_ptr<GuestAcceptor> acceptor_;
  std::unique_ptr<remote::RemoteDriver> gdrv_;
  std::unique_ptr<core::Core> guest_;
  std::unique_ptr<uapi::UapiClient> client_;
  std::string addr_;
};

TEST_F(GuestTest, VersionIsTheHostsWithoutWhatTheDriverLacks) {
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}});
  start_guest();
  std::vector<uint8_t> out;
  ASSERT_EQ(
      ct::call_rc(*client_, TEE_IOC_VERSION, std::vector<uint8_t>(sizeof(tee_ioctl_version_data)), &out), 0);
  tee_ioctl_version_data v{};
  std::memcpy(&v, out.data(), sizeof(v));
  EXPECT_EQ(v.impl_id, static_cast<uint32_t>(TEE_IMPL_ID_OPTEE));
  EXPECT_EQ(v.gen_caps, TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL);
  // No supplicant queue, no registered memory: the core answers for the driver.
  EXPECT_EQ(ct::call_rc(*client_, TEE_IOC_SUPPL_RECV,
                        uapi::encode_buf_arg(tee_iocl_supp_recv_arg{}, std::vector<tee_ioctl_param>{})),
            -EINVAL);
  // The core announced the guest to the host's driver before its Welcome.
  EXPECT_EQ(hdrv_.counts.guest_created.load(), 1);
  EXPECT_EQ(hdrv_.counts.guests_live.load(), 1);
}

TEST_F(GuestTest, CallsCarryTheGuestsIdentityAndCopyOnlyTheRanges) {
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}});
  start_guest();
  auto o = ct::open_session(*client_, TEE_IOCTL_LOGIN_USER);
  ASSERT_EQ(o.rc, 0);
  ASSERT_EQ(o.hdr.ret, 0u);
  // The identity the guest's core computed reached the host's driver as is.
  auto seen = hdrv_.seen();
  EXPECT_EQ(seen.clnt_login, static_cast<uint32_t>(TEE_IOCTL_LOGIN_USER));
  EXPECT_EQ(seen.clnt_uuid,
            uuid_v5(core::tee_client_uuid_ns(), fmt::format("uid={:x}", static_cast<uint32_t>(::getuid()))));
  EXPECT_EQ(seen.guest, 7u);  // the host's context carries the guest's id
  EXPECT_EQ(host_sessions(), 1u);

  auto shm = ct::shm_alloc(*client_, 64);
  ASSERT_EQ(shm.rc, 0);
  ASSERT_EQ(::pwrite(shm.fd.get(), "................................", 32, 0), 32);
  auto r = ct::invoke(
      *client_, o.hdr.session, FakeDriver::kFuncWriteShm,
      {ct::memref_param(TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INOUT, 8, 16, static_cast<uint64_t>(shm.data.id)),
       ct::value_param(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT, 1, 2, 3)});
  ASSERT_EQ(r.rc, 0);
  EXPECT_EQ(r.hdr.ret, 0u);
  EXPECT_EQ(r.params[0].b, 7u);  // the size the TEE returned
  EXPECT_EQ(r.params[1].a, 2u);
  char back[33] = {};
  ASSERT_EQ(::pread(shm.fd.get(), back, 32, 0), 32);
  // "swtee\0" then one byte the fake left as the guest sent it; nothing
  // outside [8, 8 + 7) changed.
  EXPECT_EQ(std::string(back, 8), "........");
  EXPECT_EQ(std::string(back + 8, 5), "swtee");
  EXPECT_EQ(back[13], '\0');
  EXPECT_EQ(std::string(back + 15, 17), ".................");

  EXPECT_EQ(ct::close_session(*client_, o.hdr.session), 0);
  EXPECT_TRUE(eventually([&] { return host_sessions() == 0; }));
  // A closed session is gone on both sides.
  EXPECT_EQ(ct::invoke(*client_, o.hdr.session, 0).rc, -EINVAL);
}

TEST_F(GuestTest, GuestDepartureClosesEverythingItHeld) {
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}});
  start_guest();
  auto second = uapi::UapiClient::connect("tee0", dir_.path() + "/guest");
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC).hdr.ret, 0u);
  ASSERT_EQ(ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC).hdr.ret, 0u);
  ASSERT_EQ(ct::open_session(*second, TEE_IOCTL_LOGIN_PUBLIC).hdr.ret, 0u);
  EXPECT_EQ(host_contexts(), 2u);
  EXPECT_EQ(host_sessions(), 3u);
  // One client leaves: only its context goes.
  client_.reset();
  EXPECT_TRUE(eventually([&] { return host_contexts() == 1 && host_sessions() == 1; }));
  // The whole guest goes (its daemon dies): everything goes.
  second = Error{EIO};
  EXPECT_TRUE(guest_->stop(std::chrono::seconds(20)));
  guest_.reset();
  gdrv_.reset();
  EXPECT_TRUE(eventually(
      [&] { return host_contexts() == 0 && host_sessions() == 0 && acceptor_->connected() == 0; }));
  // The core retired the guest: the host's driver dropped it once.
  EXPECT_TRUE(eventually([&] { return hdrv_.counts.guest_destroyed.load() == 1; }));
  EXPECT_EQ(hdrv_.counts.guests_live.load(), 0);
  EXPECT_EQ(hdrv_.counts.open.load(), hdrv_.counts.release.load());
}

TEST_F(GuestTest, UnknownGuestAndSecondConnectionAreRefused) {
  start_acceptor({GuestIdentity{7, "vm", ::getuid() + 1, {}, {}}});
  auto d = link(addr_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, EACCES);
  acceptor_.reset();
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}});
  start_guest();
  auto again = link(addr_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, EBUSY);
}

// A host device whose driver has no guest ops (OP-TEE while swtee-os does
// not advertise VIRTUALIZATION) refuses every guest, and the guest does
// not keep retrying.
TEST_F(GuestTest, AHostTeeWithoutGuestsRefusesThem) {
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}}, "", "tee1");
  auto d = link(addr_);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, ENOTSUP);
  EXPECT_EQ(local_only_.counts.open.load(), 0);
  EXPECT_TRUE(eventually([&] { return acceptor_->connected() == 0; }));
}

TEST_F(GuestTest, HostRestartEndsCallsCleanlyAndTheGuestReconnects) {
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}});
  start_guest();
  auto o = ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(o.hdr.ret, 0u);
  const uint32_t session = o.hdr.session;
  auto blocked = std::make_unique<ct::InvokeResult>();
  ct::InvokeResult* out = blocked.get();
  std::thread t([this, session, out] { *out = ct::invoke(*client_, session, FakeDriver::kFuncBlock); });
  ASSERT_TRUE(hdrv_.wait_blocked(1));
  acceptor_.reset();  // the host's acceptor goes away with the guest's calls in flight
  t.join();
  ASSERT_EQ(blocked->rc, 0);
  EXPECT_EQ(blocked->hdr.ret, kTeeErrorTargetDead);
  EXPECT_EQ(blocked->hdr.ret_origin, kTeeOriginComms);
  hdrv_.unblock();
  EXPECT_TRUE(eventually([&] { return !gdrv_->connected(); }));
  // While the host is away: opens fail COMMUNICATION, old sessions are dead.
  EXPECT_EQ(ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC).hdr.ret, kTeeErrorCommunication);
  EXPECT_EQ(ct::invoke(*client_, o.hdr.session, 0).hdr.ret, kTeeErrorTargetDead);
  start_acceptor({GuestIdentity{7, "vm", ::getuid(), {}, {}}});
  ASSERT_TRUE(eventually([&] { return gdrv_->connected(); }));
  auto again = ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC);
  EXPECT_EQ(again.hdr.ret, 0u);
  EXPECT_NE(again.hdr.session, o.hdr.session);  // a number the guest's core still holds is never reused
  EXPECT_EQ(ct::invoke(*client_, again.hdr.session, 0).hdr.ret, 0u);
  EXPECT_EQ(ct::invoke(*client_, o.hdr.session, 0).hdr.ret, kTeeErrorTargetDead);
  EXPECT_EQ(ct::close_session(*client_, o.hdr.session), 0);
}

// A free TCP port on the loopback (bound, then released for the acceptor).
uint16_t free_port() {
  UniqueFd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) != 0) return 0;
  socklen_t len = sizeof(sin);
  (void)::getsockname(s.get(), reinterpret_cast<sockaddr*>(&sin), &len);
  return ntohs(sin.sin_port);
}

TEST_F(GuestTest, TcpGuestsProveTheirKey) {
  const uint16_t port = free_port();
  ASSERT_NE(port, 0);
  const std::string addr = fmt::format("tcp:127.0.0.1:{}", port);
  const std::vector<uint8_t> key(32, 0x5a), other(32, 0x33);
  start_acceptor({GuestIdentity{9, "tcp-vm", {}, {}, key}, GuestIdentity{4, "other", {}, {}, other}}, addr);
  auto bad = link(addr, std::vector<uint8_t>(32, 0x11));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, EACCES);
  auto none = link(addr);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, EACCES);
  start_guest(addr, key);
  auto o = ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC);
  EXPECT_EQ(o.hdr.ret, 0u);
  EXPECT_EQ(hdrv_.seen().guest, 9u);  // the key named the guest
}

// Whether a vsock stream to this machine's own CID works (the
// vsock_loopback transport); the answer is the kernel's, asked once.
std::optional<std::string> vsock_loopback_missing() {
  auto listen = parse_stream_address("vsock:any:47011");
  auto l = stream_listen(*listen);
  if (!l.ok()) return "AF_VSOCK unavailable: " + l.error().message();
  auto c = stream_connect(*parse_stream_address("vsock:1:47011"));
  if (!c.ok()) return "AF_VSOCK loopback (CID 1, vsock_loopback) unavailable: " + c.error().message();
  return std::nullopt;
}

TEST_F(GuestTest, VsockGuestIsNamedByItsCid) {
  if (auto why = vsock_loopback_missing()) GTEST_SKIP() << *why << " (counted skip, docs/remote.md)";
  const std::string addr = "vsock:any:47012";
  start_acceptor({GuestIdentity{5, "vsock-vm", {}, 1u, {}}}, addr);
  start_guest("vsock:1:47012");
  EXPECT_EQ(ct::open_session(*client_, TEE_IOCTL_LOGIN_PUBLIC).hdr.ret, 0u);
  EXPECT_EQ(hdrv_.seen().guest, 5u);
}

}  // namespace
}  // namespace swtee::daemon
