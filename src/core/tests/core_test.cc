#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <thread>

#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "core/login.h"
#include "core/tests/core_test_util.h"

namespace swtee::core::testing {
namespace {

using CoreTest = CoreFixture;

TEST_F(CoreTest, VersionAddsPrivilegedAndDropsRegMem) {
  auto c = connect();
  std::vector<uint8_t> out;
  ASSERT_EQ(call_rc(c, TEE_IOC_VERSION, {}, &out), 0);
  ASSERT_EQ(out.size(), sizeof(tee_ioctl_version_data));
  tee_ioctl_version_data v{};
  std::memcpy(&v, out.data(), sizeof(v));
  EXPECT_EQ(v.impl_id, static_cast<uint32_t>(TEE_IMPL_ID_OPTEE));
  EXPECT_EQ(v.gen_caps, TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL);

  auto p = connect("teepriv0");
  ASSERT_EQ(call_rc(p, TEE_IOC_VERSION, {}, &out), 0);
  std::memcpy(&v, out.data(), sizeof(v));
  EXPECT_EQ(v.gen_caps, TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL | TEE_GEN_CAP_PRIVILEGED);
}

TEST_F(CoreTest, SocketModesFollowPrivilege) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_.path() + "/tee0").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0666u);
  ASSERT_EQ(::stat((dir_.path() + "/teepriv0").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(CoreTest, ShmAllocGivesSealedZeroedMemfdAndIdsFromOne) {
  auto c = connect();
  auto a = shm_alloc(c, 8192);
  ASSERT_EQ(a.rc, 0);
  EXPECT_EQ(a.data.id, 1);
  EXPECT_EQ(a.data.size, 8192u);
  ASSERT_TRUE(a.fd.valid());
  EXPECT_EQ(::fcntl(a.fd.get(), F_GET_SEALS) & kShmRequiredSeals, kShmRequiredSeals);
  auto m = Mapping::map(a.fd.get(), 8192);
  ASSERT_TRUE(m.ok());
  for (uint8_t b : m->bytes()) ASSERT_EQ(b, 0);
  EXPECT_NE(::ftruncate(a.fd.get(), 4096), 0);  // sealed against shrink

  auto b = shm_alloc(c, 16);
  ASSERT_EQ(b.rc, 0);
  EXPECT_EQ(b.data.id, 2);
  EXPECT_EQ(snap("tee0").shms, 2u);
  EXPECT_EQ(shm_release(c, a.data.id), 0);
  EXPECT_EQ(shm_release(c, a.data.id), -EINVAL);
  EXPECT_EQ(snap("tee0").shms, 1u);
  // Released ids are not handed out again at once.
  EXPECT_EQ(shm_alloc(c, 16).data.id, 3);
}

TEST_F(CoreTest, ShmAllocRejectsFlagsZeroAndOversize) {
  auto c = connect();
  EXPECT_EQ(shm_alloc(c, 4096, 1).rc, -EINVAL);
  EXPECT_EQ(shm_alloc(c, 0).rc, -EINVAL);
  EXPECT_EQ(shm_alloc(c, (256ull << 20) + 1).rc, -ENOMEM);
  EXPECT_EQ(snap("tee0").shms, 0u);
}

TEST_F(CoreTest, ShmLimitPerContext) {
  CoreLimits l;
  l.max_shms_per_context = 2;
  start(l);
  auto c = connect();
  EXPECT_EQ(shm_alloc(c, 16).rc, 0);
  EXPECT_EQ(shm_alloc(c, 16).rc, 0);
  EXPECT_EQ(shm_alloc(c, 16).rc, -ENOSPC);
  auto other = connect();
  EXPECT_EQ(shm_alloc(other, 16).rc, 0);
}

TEST_F(CoreTest, ShmRegisterFdTakesASealableMemfd) {
  auto c = connect();
  UniqueFd mfd(::memfd_create("t", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  ASSERT_TRUE(mfd.valid());
  ASSERT_EQ(::ftruncate(mfd.get(), 12288), 0);
  tee_ioctl_shm_register_fd_data req{-1, 0, 0, 0};
  std::vector<uint8_t> out;
  int fds[] = {mfd.get()};
  ASSERT_EQ(call_rc(c, TEE_IOC_SHM_REGISTER_FD, uapi::encode_struct(req), &out, nullptr, fds), 0);
  tee_ioctl_shm_register_fd_data got{};
  ASSERT_EQ(out.size(), sizeof(got));
  std::memcpy(&got, out.data(), sizeof(got));
  EXPECT_EQ(got.size, 12288u);
  EXPECT_GE(got.id, 1);
  EXPECT_EQ(::fcntl(mfd.get(), F_GET_SEALS) & kShmRequiredSeals, kShmRequiredSeals);

  // No fd, a pipe, flags: EINVAL.
  EXPECT_EQ(call_rc(c, TEE_IOC_SHM_REGISTER_FD, uapi::encode_struct(req)), -EINVAL);
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  int pfd[] = {r.get()};
  EXPECT_EQ(call_rc(c, TEE_IOC_SHM_REGISTER_FD, uapi::encode_struct(req), nullptr, nullptr, pfd), -EINVAL);
  req.flags = 1;
  EXPECT_EQ(call_rc(c, TEE_IOC_SHM_REGISTER_FD, uapi::encode_struct(req), nullptr, nullptr, fds), -EINVAL);
  // An fd on a command that takes none.
  EXPECT_EQ(call_rc(c, TEE_IOC_VERSION, {}, nullptr, nullptr, fds), -EINVAL);
  // SHM_REGISTER cannot pin pages here.
  tee_ioctl_shm_register_data reg{0x1000, 4096, 0, 0};
  EXPECT_EQ(call_rc(c, TEE_IOC_SHM_REGISTER, uapi::encode_struct(reg)), -EOPNOTSUPP);
}

TEST_F(CoreTest, ShmIdOfAnotherContextFailsLikeABadId) {
  auto a = connect();
  auto b = connect();
  auto s = shm_alloc(a, 4096);
  ASSERT_EQ(s.rc, 0);
  auto sess = open_session(b, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(sess.rc, 0);
  EXPECT_EQ(shm_release(b, s.data.id), -EINVAL);
  auto r = invoke(b, sess.hdr.session, FakeDriver::kFuncEcho, {memref_param(kMemIn, 0, 16, s.data.id)});
  EXPECT_EQ(r.rc, -EINVAL);
  EXPECT_EQ(drv_.counts.invoke.load(), 0);
  EXPECT_EQ(invoke(b, sess.hdr.session, FakeDriver::kFuncEcho, {memref_param(kMemIn, 0, 16, 999)}).rc, -EINVAL);
  // Still valid for its owner.
  EXPECT_EQ(shm_release(a, s.data.id), 0);
}

TEST_F(CoreTest, SessionOfAnotherContextIsRejectedWithoutCallingTheDriver) {
  auto a = connect();
  auto b = connect();
  auto s = open_session(a, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  ASSERT_EQ(s.hdr.ret, 0u);
  EXPECT_EQ(snap("tee0").sessions, 1u);
  EXPECT_EQ(invoke(b, s.hdr.session, FakeDriver::kFuncEcho).rc, -EINVAL);
  EXPECT_EQ(close_session(b, s.hdr.session), -EINVAL);
  EXPECT_EQ(cancel(b, 5, s.hdr.session), -EINVAL);
  EXPECT_EQ(drv_.counts.invoke.load(), 0);
  EXPECT_EQ(drv_.counts.close_session.load(), 0);
  EXPECT_EQ(drv_.counts.cancel.load(), 0);

  EXPECT_EQ(invoke(a, s.hdr.session, FakeDriver::kFuncEcho).rc, 0);
  EXPECT_EQ(close_session(a, s.hdr.session), 0);
  EXPECT_EQ(close_session(a, s.hdr.session), -EINVAL);
  EXPECT_EQ(drv_.counts.close_session.load(), 1);
  EXPECT_EQ(snap("tee0").sessions, 0u);
}

TEST_F(CoreTest, CancelIsScopedToTheContext) {
  auto a = connect();
  // Session 0: cancel an open_session in progress, by cancel id.
  EXPECT_EQ(cancel(a, 42, 0), 0);
  auto seen = drv_.seen();
  EXPECT_EQ(seen.cancel_id, 42u);
  EXPECT_EQ(seen.cancel_session, 0u);
  auto b = connect();
  EXPECT_EQ(cancel(b, 43, 0), 0);
  EXPECT_NE(drv_.seen().cancel_ctx, seen.cancel_ctx);
}

TEST_F(CoreTest, FailedOpenIsNotRecordedAsASession) {
  drv_.open_ret = 0xFFFF0008;
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  EXPECT_EQ(s.hdr.ret, 0xFFFF0008u);
  EXPECT_EQ(s.hdr.ret_origin, 4u);
  EXPECT_EQ(snap("tee0").sessions, 0u);
}

TEST_F(CoreTest, LoginUuidsComeFromTheSocket) {
  auto c = connect();
  ASSERT_EQ(open_session(c, TEE_IOCTL_LOGIN_PUBLIC).rc, 0);
  EXPECT_TRUE(drv_.seen().clnt_uuid.is_nil());

  ASSERT_EQ(open_session(c, TEE_IOCTL_LOGIN_USER, {}, 0xdeadbeef).rc, 0);
  EXPECT_EQ(drv_.seen().clnt_uuid, uuid_v5(tee_client_uuid_ns(), fmt::format("uid={:x}", ::geteuid())));
  EXPECT_EQ(drv_.seen().clnt_login, static_cast<uint32_t>(TEE_IOCTL_LOGIN_USER));

  ASSERT_EQ(open_session(c, TEE_IOCTL_LOGIN_GROUP, {}, ::getegid()).rc, 0);
  EXPECT_EQ(drv_.seen().clnt_uuid, uuid_v5(tee_client_uuid_ns(), fmt::format("gid={:x}", ::getegid())));

  const int opens = drv_.counts.open_session.load();
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_GROUP, {}, 0x7ffffff0u).rc, -EPERM);
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_REE_KERNEL).rc, -EPERM);
  EXPECT_EQ(open_session(c, 0xBFFFFFFFu).rc, -EPERM);
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_APPLICATION).rc, -EINVAL);
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_USER_APPLICATION).rc, -EINVAL);
  EXPECT_EQ(open_session(c, 3).rc, -EINVAL);
  EXPECT_EQ(drv_.counts.open_session.load(), opens);
}

TEST_F(CoreTest, CopyBackFollowsTheKernelRules) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  auto shm = shm_alloc(c, 4096);
  ASSERT_EQ(shm.rc, 0);
  auto r = invoke(c, s.hdr.session, FakeDriver::kFuncEcho,
                  {value_param(kValIn, 1, 2, 3), value_param(kValOut, 9, 9, 9), value_param(kValInout, 10, 20, 30),
                   value_param(kValInout | kMeta, 10, 20, 30), memref_param(kMemInout, 16, 64, shm.data.id),
                   memref_param(kMemIn, 0, 64, shm.data.id)});
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(r.params.size(), 6u);
  // Inputs untouched.
  EXPECT_EQ(r.params[0].a, 1u);
  // VALUE_OUTPUT was not read: the driver saw zeros and added one.
  EXPECT_EQ(r.params[1].a, 1u);
  EXPECT_EQ(r.params[1].c, 1u);
  EXPECT_EQ(r.params[2].a, 11u);
  EXPECT_EQ(r.params[2].c, 31u);
  // META outputs are not copied back.
  EXPECT_EQ(r.params[3].a, 10u);
  // MEMREF out: only the size; offset and id stay.
  EXPECT_EQ(r.params[4].a, 16u);
  EXPECT_EQ(r.params[4].b, 7u);
  EXPECT_EQ(r.params[4].c, static_cast<uint64_t>(shm.data.id));
  EXPECT_EQ(r.params[5].b, 64u);
  EXPECT_EQ(r.hdr.ret_origin, 4u);
}

TEST_F(CoreTest, MemrefsReachTheDriverAsSharedMemory) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  auto shm = shm_alloc(c, 4096);
  ASSERT_EQ(shm.rc, 0);
  ASSERT_EQ(invoke(c, s.hdr.session, FakeDriver::kFuncWriteShm, {memref_param(kMemOut, 100, 32, shm.data.id)}).rc, 0);
  auto m = Mapping::map(shm.fd.get(), 4096);
  ASSERT_TRUE(m.ok());
  EXPECT_STREQ(reinterpret_cast<const char*>(m->data() + 100), "swtee");
}

TEST_F(CoreTest, NullMemrefWithTheCapability) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  auto r = invoke(c, s.hdr.session, FakeDriver::kFuncEcho, {memref_param(kMemOut, 0, 100, TEE_MEMREF_NULL)});
  ASSERT_EQ(r.rc, 0);
  auto seen = drv_.seen();
  ASSERT_EQ(seen.params.size(), 1u);
  EXPECT_EQ(seen.shm_ids, std::vector<int>{-1});
  EXPECT_EQ(seen.params[0].memref.size, 100u);
  EXPECT_EQ(r.params[0].b, 7u);
}

TEST_F(CoreTest, MalformedRequestsGetEinvalAndServingGoesOn) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  auto shm = shm_alloc(c, 4096);
  const uint32_t sess = s.hdr.session;
  const int id = shm.data.id;
  auto bad_invoke = [&](tee_ioctl_param p) { return invoke(c, sess, FakeDriver::kFuncEcho, {p}).rc; };
  EXPECT_EQ(bad_invoke(value_param(1ull << 9, 0, 0, 0)), -EINVAL);             // unknown attr bit
  EXPECT_EQ(bad_invoke(value_param(1ull << 40, 0, 0, 0)), -EINVAL);            // high attr bit
  EXPECT_EQ(bad_invoke(value_param(4, 0, 0, 0)), -EINVAL);                     // unused type 4
  EXPECT_EQ(bad_invoke(value_param(8, 0, 0, 0)), -EINVAL);                     // UBUF: not supported
  EXPECT_EQ(bad_invoke(memref_param(kMemIn, ~0ull, 2, id)), -EINVAL);          // offset + size wraps
  EXPECT_EQ(bad_invoke(memref_param(kMemIn, 4000, 97, id)), -EINVAL);          // past the end
  EXPECT_EQ(bad_invoke(memref_param(kMemIn, 0, 16, 0)), -EINVAL);             // id 0
  EXPECT_EQ(bad_invoke(memref_param(kMemIn, 0, 16, 1ull << 33)), -EINVAL);     // id beyond int
  EXPECT_EQ(bad_invoke(memref_param(kMemIn, 4000, 96, id)), 0);                // exactly fits

  tee_ioctl_invoke_arg inv{};
  inv.session = sess;
  inv.num_params = 1;  // but no param follows
  std::vector<uint8_t> raw(sizeof(inv));
  std::memcpy(raw.data(), &inv, sizeof(inv));
  EXPECT_EQ(call_rc(c, TEE_IOC_INVOKE, raw), -EINVAL);
  inv.num_params = 0;
  raw.resize(sizeof(inv) + 8);  // trailing garbage
  std::memcpy(raw.data(), &inv, sizeof(inv));
  EXPECT_EQ(call_rc(c, TEE_IOC_INVOKE, raw), -EINVAL);
  EXPECT_EQ(call_rc(c, TEE_IOC_INVOKE, {1, 2, 3}), -EINVAL);            // shorter than the header
  EXPECT_EQ(call_rc(c, TEE_IOC_CLOSE_SESSION, {0, 0, 0, 0, 0}), -EINVAL);  // wrong fixed size
  EXPECT_EQ(call_rc(c, 0xdeadbeef, {}), -EINVAL);                          // unknown command
  EXPECT_EQ(call_rc(c, TEE_IOC_VERSION, std::vector<uint8_t>(5)), -EINVAL);
  EXPECT_EQ(drv_.counts.invoke.load(), 1);

  // Raw framing errors, on a raw socket.
  auto raw_sock = seqpacket_connect(dir_.path() + "/tee0");
  ASSERT_TRUE(raw_sock.ok());
  std::array<uint8_t, 64> buf{};
  auto expect_reply = [&](uint32_t tag, int32_t rc) {
    auto m = recv_message(raw_sock->get(), buf);
    ASSERT_TRUE(m.ok());
    auto f = uapi::decode_reply_frame(std::span<const uint8_t>(buf.data(), m->length));
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->hdr.tag, tag);
    EXPECT_EQ(f->hdr.rc, rc);
  };
  const uint8_t tiny[] = {1, 2, 3};
  ASSERT_TRUE(send_message(raw_sock->get(), tiny).ok());
  expect_reply(uapi::kUnattributedTag, -EINVAL);
  swtee_uapi_req_hdr h = uapi::make_request_header(TEE_IOC_VERSION, 77, 0);
  h.flags = 1;
  ASSERT_TRUE(send_message(raw_sock->get(), std::span<const uint8_t>(reinterpret_cast<uint8_t*>(&h), sizeof(h))).ok());
  expect_reply(77, -EINVAL);
  h.flags = 0;
  h.len = 12;  // says 12 bytes follow, none do
  ASSERT_TRUE(send_message(raw_sock->get(), std::span<const uint8_t>(reinterpret_cast<uint8_t*>(&h), sizeof(h))).ok());
  expect_reply(77, -EINVAL);
  std::vector<uint8_t> huge(sizeof(h) + TEE_MAX_ARG_SIZE + 32);
  h.len = static_cast<uint32_t>(huge.size() - sizeof(h));
  std::memcpy(huge.data(), &h, sizeof(h));
  ASSERT_TRUE(send_message(raw_sock->get(), huge).ok());
  expect_reply(77, -EINVAL);
  std::vector<uint8_t> giant(8 * SWTEE_UAPI_MAX_MSG);
  ASSERT_TRUE(send_message(raw_sock->get(), giant).ok());
  expect_reply(uapi::kUnattributedTag, -EINVAL);
  h.len = 0;
  ASSERT_TRUE(send_message(raw_sock->get(), std::span<const uint8_t>(reinterpret_cast<uint8_t*>(&h), sizeof(h))).ok());
  expect_reply(77, 0);

  // The well-behaved client is still served.
  EXPECT_EQ(invoke(c, sess, FakeDriver::kFuncEcho).rc, 0);
}

TEST_F(CoreTest, MissingOptionalOpsAreEinvalWithoutCallingTheDriver) {
  auto c = connect("tee1");
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_PUBLIC).rc, -EINVAL);
  EXPECT_EQ(invoke(c, 1, 0).rc, -EINVAL);
  EXPECT_EQ(close_session(c, 1), -EINVAL);
  EXPECT_EQ(cancel(c, 1, 0), -EINVAL);
  tee_iocl_supp_recv_arg rv{};
  EXPECT_EQ(call_rc(c, TEE_IOC_SUPPL_RECV, uapi::encode_buf_arg(rv, {})), -EINVAL);
  EXPECT_EQ(bare_drv_.counts.open_session.load(), 0);
  EXPECT_EQ(bare_drv_.counts.invoke.load(), 0);
  EXPECT_EQ(bare_drv_.counts.supp_recv.load(), 0);
  // Shm still works on a driver without shm ops, and no unregister is heard.
  auto s = shm_alloc(c, 64);
  ASSERT_EQ(s.rc, 0);
  EXPECT_EQ(shm_release(c, s.data.id), 0);
  EXPECT_EQ(bare_drv_.counts.shm_unregister.load(), 0);
}

TEST_F(CoreTest, DisconnectClosesSessionsDropsShmsAndReleases) {
  {
    auto c = connect();
    ASSERT_EQ(open_session(c, TEE_IOCTL_LOGIN_PUBLIC).rc, 0);
    ASSERT_EQ(open_session(c, TEE_IOCTL_LOGIN_PUBLIC).rc, 0);
    ASSERT_EQ(shm_alloc(c, 4096).rc, 0);
    EXPECT_EQ(snap("tee0").contexts, 1u);
    EXPECT_EQ(drv_.counts.open.load(), 1);
  }
  ASSERT_TRUE(drv_.wait_released(1));
  EXPECT_EQ(drv_.counts.close_session.load(), 2);
  EXPECT_EQ(drv_.counts.close_context.load(), 1);
  EXPECT_EQ(drv_.counts.shm_unregister.load(), 1);
  EXPECT_EQ(snap("tee0").contexts, 0u);
  EXPECT_EQ(snap("tee0").sessions, 0u);
  EXPECT_EQ(snap("tee0").shms, 0u);
}

TEST_F(CoreTest, BlockingCallDoesNotBlockOtherThreadsOfTheClient) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  const uint32_t sid = s.hdr.session;
  int32_t blocked_rc = -1;
  uint64_t blocked_a = 0;
  std::thread t([&] {
    auto r = invoke(c, sid, FakeDriver::kFuncBlock, {value_param(kValOut, 0, 0, 0)});
    blocked_rc = r.rc;
    if (!r.params.empty()) blocked_a = r.params[0].a;
  });
  ASSERT_TRUE(drv_.wait_blocked(1));
  // Other calls on the same connection are served meanwhile.
  EXPECT_EQ(call_rc(c, TEE_IOC_VERSION, {}), 0);
  EXPECT_EQ(invoke(c, s.hdr.session, FakeDriver::kFuncEcho).rc, 0);
  auto shm = shm_alloc(c, 64);
  EXPECT_EQ(shm.rc, 0);
  EXPECT_EQ(cancel(c, 1, s.hdr.session), 0);
  drv_.unblock();
  t.join();
  EXPECT_EQ(blocked_rc, 0);
  EXPECT_EQ(blocked_a, 1u);
}

TEST_F(CoreTest, ManyThreadsShareOneConnection) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  const uint32_t sid = s.hdr.session;
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    ts.emplace_back([&, i] {
      for (int k = 0; k < 50; ++k) {
        auto r = invoke(c, sid, FakeDriver::kFuncEcho, {value_param(kValInout, i, k, 0)});
        if (r.rc == 0 && r.params[0].a == static_cast<uint64_t>(i) + 1 && r.params[0].b == static_cast<uint64_t>(k) + 1)
          ++ok;
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_EQ(ok.load(), 300);
}

TEST_F(CoreTest, InFlightLimitGivesEbusy) {
  CoreLimits l;
  l.max_inflight_per_context = 2;
  start(l);
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  ASSERT_EQ(s.rc, 0);
  const uint32_t sid = s.hdr.session;
  std::vector<std::thread> ts;
  for (int i = 0; i < 2; ++i) ts.emplace_back([&] { EXPECT_EQ(invoke(c, sid, FakeDriver::kFuncBlock).rc, 0); });
  ASSERT_TRUE(drv_.wait_blocked(2));
  EXPECT_EQ(invoke(c, s.hdr.session, FakeDriver::kFuncEcho).rc, -EBUSY);
  EXPECT_EQ(call_rc(c, TEE_IOC_VERSION, {}), 0);  // short calls still served
  drv_.unblock();
  for (auto& t : ts) t.join();
  EXPECT_EQ(invoke(c, s.hdr.session, FakeDriver::kFuncEcho).rc, 0);
}

TEST_F(CoreTest, ShmStaysAliveWhileACallUsesIt) {
  auto c = connect();
  auto s = open_session(c, TEE_IOCTL_LOGIN_PUBLIC);
  auto shm = shm_alloc(c, 4096);
  ASSERT_EQ(shm.rc, 0);
  const uint32_t sid = s.hdr.session;
  const int shm_id = shm.data.id;
  std::thread t([&] { EXPECT_EQ(invoke(c, sid, FakeDriver::kFuncBlock, {memref_param(kMemIn, 0, 8, shm_id)}).rc, 0); });
  ASSERT_TRUE(drv_.wait_blocked(1));
  EXPECT_EQ(shm_release(c, shm.data.id), 0);
  EXPECT_EQ(snap("tee0").shms, 0u);
  EXPECT_EQ(drv_.counts.shm_unregister.load(), 0);  // the call still holds it
  drv_.unblock();
  t.join();
  EXPECT_EQ(drv_.counts.shm_unregister.load(), 1);
}

TEST_F(CoreTest, RefusedContextReportsTheDriversError) {
  supp_drv_.refuse_open = EBUSY;
  auto c = connect("teepriv0");
  auto r = c.call(TEE_IOC_VERSION, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EBUSY);
  EXPECT_EQ(core_->counters().contexts_refused, 1u);
}

TEST_F(CoreTest, ContextLimitRefusesWithEmfile) {
  CoreLimits l;
  l.max_contexts_per_device = 1;
  start(l);
  auto a = connect();
  ASSERT_EQ(call_rc(a, TEE_IOC_VERSION, {}), 0);
  auto b = connect();
  auto r = b.call(TEE_IOC_VERSION, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, EMFILE);
}

TEST_F(CoreTest, SupplicantRecvAndSend) {
  auto sp = connect("teepriv0");
  auto supp_shm = shm_alloc(sp, 4096);
  ASSERT_EQ(supp_shm.rc, 0);
  std::vector<uint8_t> out;
  std::thread t([&] {
    tee_iocl_supp_recv_arg rv{};
    std::vector<tee_ioctl_param> slots(4, tee_ioctl_param{});
    slots[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_NONE | kMeta;
    EXPECT_EQ(call_rc(sp, TEE_IOC_SUPPL_RECV, uapi::encode_buf_arg(rv, slots), &out), 0);
  });
  ASSERT_TRUE(supp_drv_.wait_blocked(1));
  TeeParams req(3);
  req[0].type = ParamType::ValueInout;
  req[0].meta = true;
  req[0].value = {5, 0, 0};
  req[1].type = ParamType::ValueInput;
  req[1].value = {1, 2, 3};
  req[2].type = ParamType::MemrefOutput;
  req[2].memref.size = 100;  // NULL memref
  supp_drv_.post_supp_request(2, std::move(req));
  t.join();
  auto d = uapi::decode_supp_recv(out);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->hdr.func, 2u);
  ASSERT_EQ(d->params.size(), 3u);
  EXPECT_EQ(d->params[0].attr, kValInout | kMeta);
  EXPECT_EQ(d->params[0].a, 5u);
  EXPECT_EQ(d->params[1].c, 3u);
  EXPECT_EQ(d->params[2].attr, kMemOut);
  EXPECT_EQ(d->params[2].b, 100u);
  EXPECT_EQ(d->params[2].c, TEE_MEMREF_NULL);

  tee_iocl_supp_send_arg sd{};
  sd.ret = 0xFFFF000A;
  std::vector<tee_ioctl_param> ans{value_param(kValInout | kMeta, 5, 0, 0), value_param(kValOut, 7, 8, 9),
                                   memref_param(kMemOut, 0, 42, 0)};
  EXPECT_EQ(call_rc(sp, TEE_IOC_SUPPL_SEND, uapi::encode_buf_arg(sd, ans)), 0);
  auto seen = supp_drv_.seen();
  EXPECT_EQ(seen.supp_ret, 0xFFFF000Au);
  ASSERT_EQ(seen.supp_params.size(), 3u);
  EXPECT_EQ(seen.supp_params[1].value.b, 8u);
  EXPECT_EQ(seen.supp_params[2].memref.size, 42u);
  EXPECT_EQ(seen.supp_params[2].memref.shm, nullptr);
  // SUPPL_SEND with a shorter length than its params need.
  auto bad = uapi::encode_buf_arg(sd, ans);
  bad.resize(bad.size() - 1);
  EXPECT_EQ(call_rc(sp, TEE_IOC_SUPPL_SEND, bad), -EINVAL);
  // SUPPL_SEND may carry trailing bytes.
  auto longer = uapi::encode_buf_arg(sd, ans);
  longer.resize(longer.size() + 32);
  EXPECT_EQ(call_rc(sp, TEE_IOC_SUPPL_SEND, longer), 0);
}

TEST_F(CoreTest, SupplicantDisconnectWhileWaitingReleasesTheContext) {
  {
    auto sp = connect("teepriv0");
    std::thread t([&] {
      tee_iocl_supp_recv_arg rv{};
      std::vector<tee_ioctl_param> slots(2, tee_ioctl_param{});
      auto r = sp.call(TEE_IOC_SUPPL_RECV, uapi::encode_buf_arg(rv, slots));
      EXPECT_FALSE(r.ok());  // the connection goes away under it
    });
    ASSERT_TRUE(supp_drv_.wait_blocked(1));
    ::shutdown(sp.socket_fd(), SHUT_RDWR);
    t.join();
  }
  ASSERT_TRUE(supp_drv_.wait_released(1));
  EXPECT_EQ(supp_drv_.counts.close_context.load(), 1);
}

TEST_F(CoreTest, SessionOpenedForAVanishedClientIsClosed) {
  drv_.block_open = true;
  auto raw = seqpacket_connect(dir_.path() + "/tee0");
  ASSERT_TRUE(raw.ok());
  tee_ioctl_open_session_arg a{};
  auto arg = uapi::encode_buf_arg(a, std::span<const tee_ioctl_param>());
  swtee_uapi_req_hdr h = uapi::make_request_header(TEE_IOC_OPEN_SESSION, 9, arg.size());
  std::array<std::span<const uint8_t>, 2> parts{
      std::span<const uint8_t>(reinterpret_cast<uint8_t*>(&h), sizeof(h)), arg};
  ASSERT_TRUE(send_message_parts(raw->get(), parts).ok());
  ASSERT_TRUE(drv_.wait_blocked(1));
  raw->reset();
  drv_.unblock();
  ASSERT_TRUE(drv_.wait_released(1));
  EXPECT_EQ(drv_.counts.close_session.load(), 1);
  EXPECT_EQ(snap("tee0").sessions, 0u);
}

TEST_F(CoreTest, SessionLimitPerContext) {
  CoreLimits l;
  l.max_sessions_per_context = 1;
  start(l);
  auto c = connect();
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_PUBLIC).rc, 0);
  EXPECT_EQ(open_session(c, TEE_IOCTL_LOGIN_PUBLIC).rc, -ENOSPC);
}

TEST(CoreDevices, RegistrationValidatesTheDescriptor) {
  TempDir dir;
  auto core = Core::create();
  ASSERT_TRUE(core.ok());
  FakeDriver d;
  EXPECT_EQ((*core)->add_device(DeviceDesc{"tee0", false, nullptr}, dir.path()).error().code, EINVAL);
  EXPECT_EQ((*core)->add_device(DeviceDesc{"", false, &d}, dir.path()).error().code, EINVAL);
  EXPECT_EQ((*core)->add_device(DeviceDesc{"a/b", false, &d}, dir.path()).error().code, EINVAL);
  FakeDriver weird(1u << 20);
  EXPECT_EQ((*core)->add_device(DeviceDesc{"tee0", false, &weird}, dir.path()).error().code, EINVAL);
  EXPECT_TRUE((*core)->add_device(DeviceDesc{"tee0", false, &d}, dir.path()).ok());
  EXPECT_EQ((*core)->add_device(DeviceDesc{"tee0", false, &d}, dir.path()).error().code, EEXIST);
}

TEST(CoreDevices, AdoptServesAConnectedSocket) {
  TempDir dir;
  auto core = Core::create();
  ASSERT_TRUE(core.ok());
  FakeDriver d;
  ASSERT_TRUE((*core)->add_device(DeviceDesc{"tee0", false, &d}, dir.path()).ok());
  auto pair = seqpacket_pair();
  ASSERT_TRUE(pair.ok());
  ASSERT_TRUE((*core)->adopt("tee0", std::move(pair->first)).ok());
  swtee_uapi_req_hdr h = uapi::make_request_header(TEE_IOC_VERSION, 5, 0);
  ASSERT_TRUE(send_message(pair->second.get(), std::span<const uint8_t>(reinterpret_cast<uint8_t*>(&h), sizeof(h))).ok());
  std::array<uint8_t, 64> buf{};
  auto m = recv_message(pair->second.get(), buf);
  ASSERT_TRUE(m.ok());
  auto f = uapi::decode_reply_frame(std::span<const uint8_t>(buf.data(), m->length));
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->hdr.tag, 5u);
  EXPECT_EQ(f->hdr.rc, 0);
  EXPECT_EQ((*core)->adopt("nope", UniqueFd()).error().code, ENODEV);
  pair->second.reset();
  EXPECT_TRUE((*core)->stop(std::chrono::seconds(20)));
  EXPECT_EQ(d.counts.release.load(), 1);
}

}  // namespace
}  // namespace swtee::core::testing
