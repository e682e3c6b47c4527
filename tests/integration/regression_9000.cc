// 9000s: hostile input. Raw UAPI messages straight at swteed's sockets:
// malformed lengths, unknown flags and attributes, overflowing offsets,
// another context's ids, forbidden logins, garbage datagrams, a second
// supplicant, and a missing supplicant. The daemon must answer each with a
// clean error and keep serving.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include <swtee/uapi/tee.h>

#include "common/child_process.h"
#include "common/seqpacket.h"
#include "common/uuid.h"
#include "uapi/slot_wire.h"
#include "uapi/tests/raw_slot.h"
#include "uapi/uapi_client.h"
#include "xtest_common.h"

namespace xtest {
namespace {

using swtee::uapi::UapiClient;

std::vector<uint8_t> bytes_of(const void* p, size_t n) {
  auto* b = static_cast<const uint8_t*>(p);
  return {b, b + n};
}

UapiClient connect_tee0() {
  auto c = UapiClient::connect("tee0");
  EXPECT_TRUE(c.ok());
  return std::move(c).value();
}

// VERSION still answers: the daemon is alive and this context still works.
void expect_alive(UapiClient& c) {
  auto r = c.call(TEE_IOC_VERSION, {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rc, 0);
  ASSERT_EQ(r->arg.size(), sizeof(tee_ioctl_version_data));
}

// Sends one framed request on a fresh raw connection, bypassing UapiClient's
// own checks, and returns the reply's rc (or -errno of the transport).
int32_t raw_call(uint32_t cmd, const std::vector<uint8_t>& arg) {
  auto s = swtee::seqpacket_connect(swtee::uapi::runtime_dir_from_env() + "/tee0");
  if (!s.ok()) return -s.error().code;
  swtee_uapi_req_hdr h{cmd, static_cast<uint32_t>(arg.size()), 77, 0};
  std::vector<uint8_t> m(sizeof(h) + arg.size());
  std::memcpy(m.data(), &h, sizeof(h));
  std::memcpy(m.data() + sizeof(h), arg.data(), arg.size());
  if (!swtee::send_message(s->get(), m).ok()) return -EPIPE;
  std::vector<uint8_t> buf(SWTEE_UAPI_MAX_MSG * 2);
  auto r = swtee::recv_message(s->get(), buf);
  if (!r.ok()) return -r.error().code;
  if (r->length < sizeof(swtee_uapi_resp_hdr)) return -EPROTO;
  swtee_uapi_resp_hdr rh;
  std::memcpy(&rh, buf.data(), sizeof(rh));
  EXPECT_EQ(rh.tag, 77u);
  return rh.rc;
}

std::vector<uint8_t> open_msg(const TEEC_UUID& ta, uint32_t login, uint32_t nparams,
                              const tee_ioctl_param* params = nullptr) {
  std::vector<uint8_t> m(sizeof(tee_ioctl_open_session_arg) + nparams * sizeof(tee_ioctl_param));
  auto* h = reinterpret_cast<tee_ioctl_open_session_arg*>(m.data());
  swtee::Uuid u = swtee::Uuid::from_fields(ta.timeLow, ta.timeMid, ta.timeHiAndVersion, ta.clockSeqAndNode);
  std::memcpy(h->uuid, u.octets.data(), 16);
  h->clnt_login = login;
  h->num_params = nparams;
  if (params) std::memcpy(m.data() + sizeof(*h), params, nparams * sizeof(tee_ioctl_param));
  return m;
}

int32_t open_session_raw(UapiClient& c, const TEEC_UUID& ta, uint32_t* session, uint32_t* ret) {
  auto m = open_msg(ta, TEE_IOCTL_LOGIN_PUBLIC, 0);
  auto r = c.call(TEE_IOC_OPEN_SESSION, m);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return -1;
  if (r->rc == 0 && r->arg.size() >= sizeof(tee_ioctl_open_session_arg)) {
    auto* h = reinterpret_cast<const tee_ioctl_open_session_arg*>(r->arg.data());
    *session = h->session;
    *ret = h->ret;
  }
  return r->rc;
}

std::vector<uint8_t> invoke_msg(uint32_t session, uint32_t func, uint32_t nparams,
                                const tee_ioctl_param* params = nullptr) {
  std::vector<uint8_t> m(sizeof(tee_ioctl_invoke_arg) + nparams * sizeof(tee_ioctl_param));
  auto* h = reinterpret_cast<tee_ioctl_invoke_arg*>(m.data());
  h->func = func;
  h->session = session;
  h->num_params = nparams;
  if (params) std::memcpy(m.data() + sizeof(*h), params, nparams * sizeof(tee_ioctl_param));
  return m;
}

int32_t shm_alloc_raw(UapiClient& c, uint64_t size, int32_t* id) {
  tee_ioctl_shm_alloc_data d{};
  d.size = size;
  auto r = c.call(TEE_IOC_SHM_ALLOC, bytes_of(&d, sizeof(d)));
  EXPECT_TRUE(r.ok());
  if (r->rc == 0) {
    EXPECT_EQ(r->fds.size(), 1u);
    auto* o = reinterpret_cast<const tee_ioctl_shm_alloc_data*>(r->arg.data());
    *id = o->id;
  }
  return r->rc;
}

TEST(Regression9000, X9001_MalformedLengthsAreEinval) {
  UapiClient c = connect_tee0();
  auto m = open_msg(kSingle, TEE_IOCTL_LOGIN_PUBLIC, 1);
  // num_params says 1 but the message carries none, or one and a half.
  std::vector<uint8_t> shorter(m.begin(), m.end() - 32);
  EXPECT_EQ(c.call(TEE_IOC_OPEN_SESSION, shorter)->rc, -EINVAL);
  std::vector<uint8_t> longer = m;
  longer.resize(m.size() + 16);
  EXPECT_EQ(c.call(TEE_IOC_OPEN_SESSION, longer)->rc, -EINVAL);
  // Shorter than the header.
  EXPECT_EQ(c.call(TEE_IOC_OPEN_SESSION, std::vector<uint8_t>(10))->rc, -EINVAL);
  EXPECT_EQ(c.call(TEE_IOC_INVOKE, std::vector<uint8_t>(3))->rc, -EINVAL);
  EXPECT_EQ(c.call(TEE_IOC_SHM_ALLOC, std::vector<uint8_t>(15))->rc, -EINVAL);
  EXPECT_EQ(c.call(TEE_IOC_CANCEL, std::vector<uint8_t>(9))->rc, -EINVAL);
  // Over TEE_MAX_ARG_SIZE: 31 params on an open-session header.
  auto big = open_msg(kSingle, TEE_IOCTL_LOGIN_PUBLIC, 31);
  EXPECT_EQ(raw_call(TEE_IOC_OPEN_SESSION, big), -EINVAL);
  // The same malformed messages sent raw, past the client library's checks.
  EXPECT_EQ(raw_call(TEE_IOC_OPEN_SESSION, shorter), -EINVAL);
  EXPECT_EQ(raw_call(TEE_IOC_OPEN_SESSION, longer), -EINVAL);
  EXPECT_EQ(raw_call(TEE_IOC_INVOKE, std::vector<uint8_t>(3)), -EINVAL);
  // Unknown command.
  EXPECT_EQ(c.call(0x8010a4ee, m)->rc, -EINVAL);
  expect_alive(c);
}

TEST(Regression9000, X9002_UnknownFlagsAndAttributesAreEinval) {
  UapiClient c = connect_tee0();
  tee_ioctl_shm_alloc_data d{};
  d.size = 4096;
  d.flags = 1;
  EXPECT_EQ(c.call(TEE_IOC_SHM_ALLOC, bytes_of(&d, sizeof(d)))->rc, -EINVAL);

  uint32_t session = 0, ret = 1;
  ASSERT_EQ(open_session_raw(c, kSingle, &session, &ret), 0);
  ASSERT_EQ(ret, 0u);
  for (uint64_t attr : {uint64_t{4}, uint64_t{8}, uint64_t{0x200} | 1, uint64_t{1} << 40, uint64_t{0xff}}) {
    tee_ioctl_param p{};
    p.attr = attr;
    EXPECT_EQ(c.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 1, &p))->rc, -EINVAL)
        << "attr 0x" << std::hex << attr;
  }
  // A header with reserved framing flags.
  expect_alive(c);
}

TEST(Regression9000, X9003_OverflowingAndOutOfRangeMemrefsAreEinval) {
  UapiClient c = connect_tee0();
  uint32_t session = 0, ret = 1;
  ASSERT_EQ(open_session_raw(c, kSingle, &session, &ret), 0);
  int32_t id = -1;
  ASSERT_EQ(shm_alloc_raw(c, 4096, &id), 0);
  struct Case {
    uint64_t offs, size;
  } cases[] = {{0, 4097}, {4096, 1}, {~0ull, 2}, {1, ~0ull}, {~0ull - 4095, 8192}};
  for (const auto& cs : cases) {
    tee_ioctl_param p{};
    p.attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
    p.a = cs.offs;
    p.b = cs.size;
    p.c = static_cast<uint64_t>(id);
    EXPECT_EQ(c.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 1, &p))->rc, -EINVAL)
        << cs.offs << "+" << cs.size;
  }
  // In range works, so the cases above failed for the right reason.
  tee_ioctl_param p{};
  p.attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
  p.a = 4000;
  p.b = 96;
  p.c = static_cast<uint64_t>(id);
  auto r = c.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 1, &p));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rc, 0);
  // An id that was never allocated.
  p.c = 999999;
  EXPECT_EQ(c.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 1, &p))->rc, -EINVAL);
  expect_alive(c);
}

TEST(Regression9000, X9004_AnotherContextsIdsAreRejected) {
  UapiClient a = connect_tee0();
  UapiClient b = connect_tee0();
  uint32_t session = 0, ret = 1;
  ASSERT_EQ(open_session_raw(a, kSingle, &session, &ret), 0);
  int32_t id = -1;
  ASSERT_EQ(shm_alloc_raw(a, 4096, &id), 0);

  // Session id from A used in B.
  EXPECT_EQ(b.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 0))->rc, -EINVAL);
  tee_ioctl_cancel_arg cancel{1, session};
  EXPECT_EQ(b.call(TEE_IOC_CANCEL, bytes_of(&cancel, sizeof(cancel)))->rc, -EINVAL);
  tee_ioctl_close_session_arg close{session};
  EXPECT_EQ(b.call(TEE_IOC_CLOSE_SESSION, bytes_of(&close, sizeof(close)))->rc, -EINVAL);
  // Shm id from A used in B (B's own session).
  uint32_t bs = 0;
  ASSERT_EQ(open_session_raw(b, kSingle, &bs, &ret), 0);
  tee_ioctl_param p{};
  p.attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
  p.b = 16;
  p.c = static_cast<uint64_t>(id);
  EXPECT_EQ(b.call(TEE_IOC_INVOKE, invoke_msg(bs, XTEST_CMD_NULL, 1, &p))->rc, -EINVAL);
  swtee_ioctl_shm_release_arg rel{id};
  EXPECT_EQ(b.call(SWTEE_IOC_SHM_RELEASE, bytes_of(&rel, sizeof(rel)))->rc, -EINVAL);

  // A's objects still work for A.
  EXPECT_EQ(a.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 1, &p))->rc, 0);
  EXPECT_EQ(a.call(TEE_IOC_CLOSE_SESSION, bytes_of(&close, sizeof(close)))->rc, 0);
  EXPECT_EQ(a.call(SWTEE_IOC_SHM_RELEASE, bytes_of(&rel, sizeof(rel)))->rc, 0);
  // And, once released, fail for A as well.
  EXPECT_EQ(a.call(SWTEE_IOC_SHM_RELEASE, bytes_of(&rel, sizeof(rel)))->rc, -EINVAL);
}

TEST(Regression9000, X9005_ForbiddenLogins) {
  UapiClient c = connect_tee0();
  for (uint32_t login : {TEE_IOCTL_LOGIN_REE_KERNEL, 0x80001234u, TEE_IOCTL_LOGIN_REE_KERNEL_MAX}) {
    auto r = c.call(TEE_IOC_OPEN_SESSION, open_msg(kSingle, login, 0));
    EXPECT_EQ(r->rc, -EPERM) << std::hex << login;
  }
  for (uint32_t login : {4u, 5u, 6u, 3u, 0x7fffffffu}) {
    auto r = c.call(TEE_IOC_OPEN_SESSION, open_msg(kSingle, login, 0));
    EXPECT_EQ(r->rc, -EINVAL) << std::hex << login;
  }
  expect_alive(c);
}

TEST(Regression9000, X9006_GarbageDatagrams) {
  auto dir = swtee::uapi::runtime_dir_from_env();
  auto s = swtee::seqpacket_connect(dir + "/tee0");
  ASSERT_TRUE(s.ok());
  std::mt19937 rng(12345);
  for (int i = 0; i < 200; ++i) {
    std::vector<uint8_t> junk(rng() % 200);
    for (auto& b : junk) b = static_cast<uint8_t>(rng());
    (void)swtee::send_message(s->get(), junk);
  }
  // Whatever happened to that connection, the daemon serves others.
  UapiClient c = connect_tee0();
  expect_alive(c);
  Context ctx;
  Session sess;
  EXPECT_EQ(sess.open(ctx.get(), kSingle), TEEC_SUCCESS);
}

TEST(Regression9000, X9007_SecondSupplicantIsRefused) {
  // swtee run already attached the real supplicant.
  auto c = UapiClient::connect("teepriv0");
  if (!c.ok()) {
    SUCCEED() << "refused at connect";
    return;
  }
  auto r = c->call(TEE_IOC_VERSION, {});
  EXPECT_TRUE(!r.ok() || r->rc == -EBUSY) << "a second supplicant context was accepted";
}

// A stack with no supplicant: a call that needs it fails at once with
// COMMUNICATION/COMMS and nothing hangs.
TEST(Regression9000, X9008_NoSupplicantFailsCleanly) {
  char tmpl[] = "/tmp/swtee-xtest-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  int ready[2];
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  auto d = swtee::ChildProcess::spawn(swteed_binary(),
                                      {"swteed", "--runtime-dir", dir, "--ready-fd", "3"}, {ready[1]});
  close(ready[1]);
  ASSERT_TRUE(d.ok());
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  std::string old = getenv("SWTEE_RUNTIME_DIR") ? getenv("SWTEE_RUNTIME_DIR") : "";
  setenv("SWTEE_RUNTIME_DIR", dir.c_str(), 1);
  {
    Context ctx;
    ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
    Session s;
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(s.open(ctx.get(), kSingle), TEEC_ERROR_COMMUNICATION);
    EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_COMMS);
    // Not a timing assertion on speed: only that it did not wait for a
    // supplicant that is never coming (anything short of the 30 s bound).
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30));
    // PTAs need no supplicant.
    EXPECT_EQ(s.open(ctx.get(), kInvokeTestsPta), TEEC_SUCCESS);
  }
  setenv("SWTEE_RUNTIME_DIR", old.c_str(), 1);
  d->signal(SIGTERM);
  (void)d->wait();
  std::filesystem::remove_all(dir);
}

// CVE-2021-44733's pattern: an shm id released while calls use it. Every
// call must either succeed or fail cleanly; the daemon survives.
TEST(Regression9000, X9009_ShmReleasedWhileInUse) {
  UapiClient c = connect_tee0();
  uint32_t session = 0, ret = 1;
  ASSERT_EQ(open_session_raw(c, kSingle, &session, &ret), 0);
  for (int round = 0; round < 50; ++round) {
    int32_t id = -1;
    ASSERT_EQ(shm_alloc_raw(c, 8192, &id), 0);
    std::thread t([&] {
      tee_ioctl_param p{};
      p.attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
      p.b = 8192;
      p.c = static_cast<uint64_t>(id);
      auto r = c.call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 1, &p));
      EXPECT_TRUE(r.ok());
      EXPECT_TRUE(r->rc == 0 || r->rc == -EINVAL);
    });
    swtee_ioctl_shm_release_arg rel{id};
    auto r = c.call(SWTEE_IOC_SHM_RELEASE, bytes_of(&rel, sizeof(rel)));
    EXPECT_EQ(r->rc, 0);
    t.join();
  }
  expect_alive(c);
}

// A client that speaks only the socket protocol (no request slot) is served
// as before.
TEST(Regression9000, X9010_SocketOnlyClient) {
  auto c = UapiClient::connect("tee0", "", {swtee::uapi::Transport::SocketOnly, {}});
  ASSERT_TRUE(c.ok());
  uint32_t session = 0, ret = 1;
  ASSERT_EQ(open_session_raw(*c, kSingle, &session, &ret), 0);
  ASSERT_EQ(ret, 0u);
  for (int i = 0; i < 20; ++i) {
    auto r = c->call(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_NULL, 0));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rc, 0);
  }
  EXPECT_FALSE(c->thread_has_slot());
  tee_ioctl_close_session_arg cl{session};
  EXPECT_EQ(c->call(TEE_IOC_CLOSE_SESSION, bytes_of(&cl, sizeof(cl)))->rc, 0);
}

// A client that rewrites its request slot right after ringing, while swteed
// reads it and while the call runs in the TA: swteed reads the request once,
// so the call is the one it read (at worst a mix of bytes this client wrote,
// which it could have rung itself); a frame that lies about its length or
// announces an fd is refused and the slot keeps serving. (The deterministic
// version, rewriting strictly after the read: core's SlotTest.)
TEST(Regression9000, X9011_SlotRewrittenDuringTheCall) {
  auto c = UapiClient::connect("tee0", "", {swtee::uapi::Transport::SocketOnly, {}});
  ASSERT_TRUE(c.ok());
  uint32_t session = 0, ret = 1;
  ASSERT_EQ(open_session_raw(*c, kMulti, &session, &ret), 0);
  auto opened = swtee::uapi::testing::RawSlot::open(*c);
  ASSERT_TRUE(opened.ok());
  auto& slot = *opened;
  for (int round = 0; round < 20; ++round) {
    tee_ioctl_param p{};
    p.attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT;
    p.a = 2;  // ms in TEE_Wait
    ASSERT_TRUE(slot.request(TEE_IOC_INVOKE, invoke_msg(session, XTEST_CMD_WAIT, 1, &p)).ok());
    // Scribble at once and again while the call runs: another session, a
    // lying length. (The wait stays short: a read torn between the two
    // versions is a call this client could have made, and must not make the
    // test slow.)
    for (int k = 0; k < 50; ++k) {
      tee_ioctl_param q = p;
      q.a = 3;
      auto evil = invoke_msg(session + 1 + k, XTEST_CMD_WAIT, 1, &q);
      std::memcpy(slot.arg().data(), evil.data(), evil.size());
      slot.pair()->to_server.words[swtee::uapi::kSlotWordLen].store(swtee::uapi::kSlotArgSize + 7);
    }
    // swteed read the frame either before the scribbling began (the call
    // rung, on its own session) or after (a lying length: refused), or its
    // copy mixes this client's own bytes: another session of nobody's is
    // refused too. Never a call on a session this context does not hold.
    auto rep = slot.reply();
    ASSERT_TRUE(rep.ok());
    if (rep->first != 0) {
      EXPECT_EQ(rep->first, -EINVAL);
      continue;
    }
    ASSERT_GE(rep->second.size(), sizeof(tee_ioctl_invoke_arg));
    auto* h = reinterpret_cast<const tee_ioctl_invoke_arg*>(rep->second.data());
    EXPECT_EQ(h->session, session);
    EXPECT_EQ(h->ret, 0u);
  }
  swtee::DoorbellFrame f{};
  f[swtee::uapi::kSlotWordCmd] = TEE_IOC_VERSION;
  f[swtee::uapi::kSlotWordLen] = swtee::uapi::kSlotArgSize + 1;
  slot.ring(f);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  f[swtee::uapi::kSlotWordLen] = 0;
  slot.ring(f, 1);
  EXPECT_EQ(slot.reply_rc(), -EINVAL);
  expect_alive(*c);
  ASSERT_TRUE(slot.request(TEE_IOC_VERSION, {}).ok());
  EXPECT_EQ(slot.reply_rc(), 0);
}

}  // namespace
}  // namespace xtest
