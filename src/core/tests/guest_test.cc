// Guests in the core: the guest table, the optional guest ops, contexts
// that carry a guest id, and a guest's departure.
#include <poll.h>

#include <array>

#include "common/seqpacket.h"
#include "core/guest_table.h"
#include "core/login.h"
#include "core/tests/core_test_util.h"

namespace swtee::core::testing {
namespace {

using namespace std::chrono_literals;

TEST(GuestTable, LifecycleAndContextCounts) {
  GuestTable t;
  EXPECT_TRUE(t.live(kHostGuestId));
  EXPECT_EQ(t.create(kHostGuestId).error().code, EINVAL);
  EXPECT_EQ(t.attach(3).error().code, ENOENT);
  ASSERT_TRUE(t.create(3).ok());
  EXPECT_EQ(t.create(3).error().code, EEXIST);
  auto a = t.attach(3);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->id(), 3u);
  auto host = t.attach(kHostGuestId);
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->id(), kHostGuestId);
  EXPECT_EQ(t.contexts(3), 1u);

  ASSERT_TRUE(t.destroy(3).ok());
  EXPECT_FALSE(t.live(3));
  EXPECT_EQ(t.destroy(3).error().code, ENOENT);
  EXPECT_EQ(t.attach(3).error().code, ENOENT);
  // The old incarnation's context is still closing: the id waits.
  EXPECT_EQ(t.create(3).error().code, EBUSY);
  EXPECT_FALSE(t.wait_drained(3, std::chrono::steady_clock::now()));
  GuestRef moved = std::move(*a);
  EXPECT_EQ(t.contexts(3), 1u);
  moved.reset();
  EXPECT_EQ(t.contexts(3), 0u);
  EXPECT_TRUE(t.wait_drained(3, std::chrono::steady_clock::now()));
  EXPECT_TRUE(t.create(3).ok());
}

// A raw UAPI client on an adopted socket.
struct RawClient {
  UniqueFd sock;
  uint32_t tag = 1;

  int32_t open_session(uint32_t* session, uint32_t login = TEE_IOCTL_LOGIN_PUBLIC,
                       const Uuid& clnt = Uuid::nil()) {
    tee_ioctl_open_session_arg a{};
    a.uuid[0] = 0x12;
    a.clnt_login = login;
    std::memcpy(a.clnt_uuid, clnt.octets.data(), sizeof(a.clnt_uuid));
    auto arg = uapi::encode_buf_arg(a, std::span<const tee_ioctl_param>());
    swtee_uapi_req_hdr h = uapi::make_request_header(TEE_IOC_OPEN_SESSION, tag, arg.size());
    std::vector<uint8_t> msg(sizeof(h) + arg.size());
    std::memcpy(msg.data(), &h, sizeof(h));
    std::memcpy(msg.data() + sizeof(h), arg.data(), arg.size());
    if (!send_message(sock.get(), msg).ok()) return -9999;
    std::array<uint8_t, 4096> buf{};
    auto m = recv_message(sock.get(), buf);
    if (!m.ok() || m->length == 0) return -9998;
    auto f = uapi::decode_reply_frame(std::span<const uint8_t>(buf.data(), m->length));
    if (!f.ok() || f->hdr.tag != tag++) return -9997;
    if (f->hdr.rc == 0) {
      auto d = uapi::decode_open_session(f->arg);
      if (!d.ok()) return -9996;
      *session = d->hdr.session;
    }
    return f->hdr.rc;
  }
  // True when the daemon hung up.
  bool hung_up() {
    pollfd p{sock.get(), POLLIN, 0};
    if (::poll(&p, 1, 10000) != 1) return false;
    std::array<uint8_t, 64> buf{};
    auto m = recv_message(sock.get(), buf);
    return !m.ok() || m->length == 0;
  }
};

class GuestCoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    auto c = Core::create();
    ASSERT_TRUE(c.ok());
    core_ = std::move(c).value();
    ASSERT_TRUE(core_->add_device(DeviceDesc{"tee0", false, &drv_}, dir_.path()).ok());
    ASSERT_TRUE(core_->add_device(DeviceDesc{"tee1", false, &local_only_}, dir_.path()).ok());
    ASSERT_TRUE(core_->start().ok());
  }
  void TearDown() override {
    EXPECT_TRUE(core_->stop(20s));
    core_.reset();
  }
  Result<RawClient> adopt(const std::string& dev, uint32_t guest) {
    ASSIGN_OR_RETURN(auto pair, seqpacket_pair());
    TRY_STATUS(core_->adopt(dev, std::move(pair.first), guest));
    return RawClient{std::move(pair.second)};
  }

  TempDir dir_;
  FakeDriver drv_{FakeDriver::kAllOps | FakeDriver::kGuestOps};
  FakeDriver local_only_;
  std::unique_ptr<Core> core_;
};

TEST_F(GuestCoreTest, ADriverWithoutGuestOpsRefusesGuests) {
  EXPECT_EQ(core_->guest_created("tee1", 4).error().code, ENOTSUP);
  EXPECT_EQ(core_->guest_destroyed("tee1", 4, 0ms).error().code, ENOTSUP);
  EXPECT_EQ(adopt("tee1", 4).error().code, ENOTSUP);
  EXPECT_EQ(core_->guest_created("nope", 4).error().code, ENODEV);
  EXPECT_EQ(local_only_.counts.guest_created.load(), 0);
  // The host's own clients are guest 0 everywhere.
  auto c = adopt("tee1", kHostGuestId);
  ASSERT_TRUE(c.ok());
  uint32_t s = 0;
  EXPECT_EQ(c->open_session(&s), 0);
  EXPECT_EQ(local_only_.seen().guest, kHostGuestId);
}

TEST_F(GuestCoreTest, AGuestsContextsCarryItsIdUntilItLeaves) {
  EXPECT_EQ(adopt("tee0", 7).error().code, ENOENT);  // not announced
  EXPECT_EQ(core_->guest_created("tee0", 0).error().code, EINVAL);
  ASSERT_TRUE(core_->guest_created("tee0", 7).ok());
  EXPECT_EQ(core_->guest_created("tee0", 7).error().code, EEXIST);
  EXPECT_EQ(drv_.counts.guest_created.load(), 1);

  auto g = adopt("tee0", 7);
  ASSERT_TRUE(g.ok());
  uint32_t s = 0;
  ASSERT_EQ(g->open_session(&s), 0);
  EXPECT_EQ(drv_.seen().guest, 7u);
  auto host = adopt("tee0", kHostGuestId);
  ASSERT_TRUE(host.ok());
  ASSERT_EQ(host->open_session(&s), 0);
  EXPECT_EQ(drv_.seen().guest, kHostGuestId);

  // Departure: the guest's connection is dropped and released, the
  // driver hears of it once, the host's context is untouched.
  ASSERT_TRUE(core_->guest_destroyed("tee0", 7, 20s).ok());
  EXPECT_EQ(drv_.counts.guest_destroyed.load(), 1);
  EXPECT_EQ(drv_.counts.guests_live.load(), 0);
  EXPECT_TRUE(g->hung_up());
  EXPECT_EQ(drv_.counts.release.load(), 1);
  EXPECT_EQ(host->open_session(&s), 0);
  EXPECT_EQ(adopt("tee0", 7).error().code, ENOENT);
  EXPECT_EQ(core_->guest_destroyed("tee0", 7, 0ms).error().code, ENOENT);

  // The guest may come back.
  ASSERT_TRUE(core_->guest_created("tee0", 7).ok());
  EXPECT_TRUE(adopt("tee0", 7).ok());
}

TEST_F(GuestCoreTest, ARefusedArrivalLeavesNoGuest) {
  drv_.refuse_guest = ENOSPC;
  EXPECT_EQ(core_->guest_created("tee0", 9).error().code, ENOSPC);
  EXPECT_EQ(adopt("tee0", 9).error().code, ENOENT);
  drv_.refuse_guest = 0;
  EXPECT_TRUE(core_->guest_created("tee0", 9).ok());
}

// A guest's core computed its client's identity from that client's
// credentials; the host's socket peer is the acceptor itself, so a guest
// context takes the identity as given, for the methods a core produces.
TEST_F(GuestCoreTest, AGuestContextKeepsTheGuestsClientIdentity) {
  ASSERT_TRUE(core_->guest_created("tee0", 5).ok());
  auto g = adopt("tee0", 5);
  ASSERT_TRUE(g.ok());
  const Uuid user = uuid_v5(tee_client_uuid_ns(), "uid=7ffffffe");  // not this process
  uint32_t s = 0;
  ASSERT_EQ(g->open_session(&s, TEE_IOCTL_LOGIN_USER, user), 0);
  EXPECT_EQ(drv_.seen().clnt_uuid, user);
  EXPECT_EQ(drv_.seen().clnt_login, TEE_IOCTL_LOGIN_USER);
  EXPECT_EQ(g->open_session(&s, TEE_IOCTL_LOGIN_PUBLIC, user), -EINVAL);
  EXPECT_EQ(g->open_session(&s, TEE_IOCTL_LOGIN_APPLICATION, user), -EINVAL);
  // The host's own clients still get it from their credentials: a USER
  // login names the uid of the socket's peer (this process), not the
  // uuid in the request.
  auto host = adopt("tee0", kHostGuestId);
  ASSERT_TRUE(host.ok());
  ASSERT_EQ(host->open_session(&s, TEE_IOCTL_LOGIN_USER, user), 0);
  EXPECT_EQ(drv_.seen().clnt_uuid, uuid_v5(tee_client_uuid_ns(), fmt::format("uid={:x}", ::getuid())));
}

TEST(GuestDevices, ADriverHasBothGuestOpsOrNeither) {
  TempDir dir;
  auto core = Core::create();
  ASSERT_TRUE(core.ok());
  FakeDriver half(FakeDriver::kAllOps | static_cast<uint32_t>(OptionalOp::GuestCreated));
  EXPECT_EQ((*core)->add_device(DeviceDesc{"tee0", false, &half}, dir.path()).error().code, EINVAL);
}

}  // namespace
}  // namespace swtee::core::testing
