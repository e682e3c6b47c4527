// 1000s: basic sessions, TA lifecycle, panics and crashes, cancellation,
// login identities, image verification, concurrency.
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "client_identity.h"
#include "common/uuid.h"
#include "proc_tree.h"
#include "xtest_common.h"

namespace xtest {
namespace {

namespace fs = std::filesystem;

TEST(Regression1000, X1001_OpenInvokeClose) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS) << std::hex << s.origin();
  EXPECT_EQ(s.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = 41;
  op.params[0].value.b = 7;
  ASSERT_EQ(s.invoke(XTEST_CMD_VALUES, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, 42u);
  EXPECT_EQ(op.params[0].value.b, 9u);
}

TEST(Regression1000, X1002_EveryValueDirectionAndTypesWord) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kSingle), TEEC_SUCCESS);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_VALUE_INOUT, TEEC_VALUE_OUTPUT));
  op.params[0].value = {100, 200};
  op.params[1].value = {0xdead, 0xbeef};  // output: the TA must not see these
  op.params[2].value = {10, 20};
  ASSERT_EQ(s.invoke(XTEST_CMD_VALUES, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, 100u);  // input: not written back
  EXPECT_EQ(op.params[0].value.b, 200u);
  EXPECT_EQ(op.params[1].value.a, 2u);
  EXPECT_EQ(op.params[1].value.b, 3u);
  EXPECT_EQ(op.params[2].value.a, 13u);
  EXPECT_EQ(op.params[2].value.b, 24u);
  EXPECT_EQ(op.params[3].value.a, 4u);

  TEEC_Operation t =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_VALUE_OUTPUT));
  uint8_t buf[4] = {1, 2, 3, 4};
  t.params[1].tmpref = {buf, sizeof(buf)};
  ASSERT_EQ(s.invoke(XTEST_CMD_PARAM_TYPES, &t), TEEC_SUCCESS);
  EXPECT_EQ(t.params[3].value.a, (uint32_t)TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_MEMREF_TEMP_INPUT,
                                                            TEEC_NONE, TEEC_VALUE_OUTPUT));
}

TEST(Regression1000, X1003_OpenSessionRefusedByTa) {
  Context ctx;
  Session s;
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = XTEST_OPEN_REFUSE;
  EXPECT_EQ(s.open(ctx.get(), kSingle, TEEC_LOGIN_PUBLIC, nullptr, &op), TEEC_ERROR_ACCESS_DENIED);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_EQ(s.open(ctx.get(), kSingle), TEEC_SUCCESS);
}

TEST(Regression1000, X1004_UnknownTaIsItemNotFound) {
  Context ctx;
  Session s;
  const TEEC_UUID none = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
  EXPECT_EQ(s.open(ctx.get(), none), TEEC_ERROR_ITEM_NOT_FOUND);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE);
}

TEST(Regression1000, X1005_PanicKillsOnlyThatInstance) {
  Context ctx;
  Session a, b, other;
  ASSERT_EQ(a.open(ctx.get(), kMulti), TEEC_SUCCESS);
  ASSERT_EQ(b.open(ctx.get(), kMulti), TEEC_SUCCESS);  // its own instance
  ASSERT_EQ(other.open(ctx.get(), kSingle), TEEC_SUCCESS);
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = 0x1234;
  EXPECT_EQ(a.invoke(XTEST_CMD_PANIC, &op), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(a.origin(), (uint32_t)TEEC_ORIGIN_TEE);
  EXPECT_EQ(a.invoke(XTEST_CMD_NULL), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(a.origin(), (uint32_t)TEEC_ORIGIN_TEE);
  EXPECT_EQ(b.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
  EXPECT_EQ(other.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
  a.close();  // closing a dead session succeeds
  Session again;
  EXPECT_EQ(again.open(ctx.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(again.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
}

TEST(Regression1000, X1006_PanicInSingleInstanceTaKillsItsSessionsOnly) {
  Context ctx;
  Session a, b, other;
  ASSERT_EQ(a.open(ctx.get(), kSingle), TEEC_SUCCESS);
  ASSERT_EQ(b.open(ctx.get(), kSingle), TEEC_SUCCESS);  // same instance
  ASSERT_EQ(other.open(ctx.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(a.invoke(XTEST_CMD_PANIC), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(b.invoke(XTEST_CMD_NULL), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(b.origin(), (uint32_t)TEEC_ORIGIN_TEE);
  EXPECT_EQ(other.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
  a.close();
  b.close();
  Session fresh;
  ASSERT_EQ(fresh.open(ctx.get(), kSingle), TEEC_SUCCESS);  // a new instance
  EXPECT_EQ(fresh.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
}

TEST(Regression1000, X1007_CrashIsTargetDead) {
  Context ctx;
  Session a, b;
  ASSERT_EQ(a.open(ctx.get(), kMulti), TEEC_SUCCESS);
  ASSERT_EQ(b.open(ctx.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(a.invoke(XTEST_CMD_CRASH), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(a.origin(), (uint32_t)TEEC_ORIGIN_TEE);
  EXPECT_EQ(b.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
}

// As on OP-TEE, the open ends with what TA_CreateEntryPoint returned (this
// TA: OUT_OF_MEMORY), origin TRUSTED_APP.
TEST(Regression1000, X1008_FailingCreateEntryPointIsItsResult) {
  Context ctx;
  Session s;
  EXPECT_EQ(s.open(ctx.get(), kCreateFail), TEEC_ERROR_OUT_OF_MEMORY);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  EXPECT_EQ(s.open(ctx.get(), kCreateFail), TEEC_ERROR_OUT_OF_MEMORY);  // and again, cleanly
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
}

TEST(Regression1000, X1009_SingleSessionTaIsBusy) {
  Context ctx;
  Session a, b;
  ASSERT_EQ(a.open(ctx.get(), kSingleSession), TEEC_SUCCESS);
  EXPECT_EQ(b.open(ctx.get(), kSingleSession), TEEC_ERROR_BUSY);
  a.close();
  EXPECT_EQ(b.open(ctx.get(), kSingleSession), TEEC_SUCCESS);
}

static void counts(Session& s, uint32_t* opened, uint32_t* closed, uint32_t* created = nullptr) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  ASSERT_EQ(s.invoke(XTEST_CMD_COUNTS, &op), TEEC_SUCCESS);
  *opened = op.params[0].value.a;
  *closed = op.params[0].value.b;
  if (created) *created = op.params[1].value.a;
}

TEST(Regression1000, X1010_KeepAliveInstanceOutlivesItsSessions) {
  Context ctx;
  uint32_t o1, c1, cr1, o2, c2, cr2;
  {
    Session s;
    ASSERT_EQ(s.open(ctx.get(), kCounter), TEEC_SUCCESS);
    counts(s, &o1, &c1, &cr1);
  }
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kCounter), TEEC_SUCCESS);
  counts(s, &o2, &c2, &cr2);
  EXPECT_EQ(cr2, cr1) << "instance was recreated";
  EXPECT_EQ(cr2, 1u);
  EXPECT_EQ(o2, o1 + 1);
  EXPECT_EQ(c2, c1 + 1);

  // Without KEEP_ALIVE the instance goes with its last session.
  uint32_t o, c, cr;
  {
    Session t;
    ASSERT_EQ(t.open(ctx.get(), kSingle), TEEC_SUCCESS);
  }
  Session t;
  ASSERT_EQ(t.open(ctx.get(), kSingle), TEEC_SUCCESS);
  counts(t, &o, &c, &cr);
  EXPECT_EQ(o, 1u);
  EXPECT_EQ(c, 0u);
}

// A client killed while one of its sessions is inside the TA: its sessions
// are closed in the TA (TA_CloseSessionEntryPoint runs).
TEST(Regression1000, X1011_KilledClientGetsItsSessionsClosed) {
  Context ctx;
  Session watcher;
  ASSERT_EQ(watcher.open(ctx.get(), kCounter), TEEC_SUCCESS);
  uint32_t o0, c0;
  counts(watcher, &o0, &c0);

  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(ready[0]);
    TEEC_Context cctx;
    TEEC_Session s1, s2;
    TEEC_UUID u = kCounter;
    uint32_t origin;
    if (TEEC_InitializeContext(nullptr, &cctx) != TEEC_SUCCESS) _exit(2);
    if (TEEC_OpenSession(&cctx, &s1, &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin)) _exit(3);
    if (TEEC_OpenSession(&cctx, &s2, &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin)) _exit(4);
    (void)!write(ready[1], "r", 1);
    // Stay inside the TA until killed.
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = 30000;
    TEEC_InvokeCommand(&s1, XTEST_CMD_WAIT, &op, &origin);
    _exit(5);
  }
  close(ready[1]);
  char c;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let it enter TEE_Wait
  kill(pid, SIGKILL);
  int st;
  ASSERT_EQ(waitpid(pid, &st, 0), pid);

  uint32_t o = 0, cl = 0;
  // Wait (bounded) for the daemon to notice and close both sessions.
  for (int i = 0; i < 200; ++i) {
    counts(watcher, &o, &cl);
    if (cl >= c0 + 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(o, o0 + 2);
  EXPECT_EQ(cl, c0 + 2);
}

TEST(Regression1000, X1012_CancelReachesTheRunningOperation) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  for (uint32_t cmd : {(uint32_t)XTEST_CMD_BUSY_UNTIL_CANCEL, (uint32_t)XTEST_CMD_WAIT}) {
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value.a = 20000;
    TEEC_Result res = 0;
    uint32_t origin = 0;
    std::thread t([&] { res = TEEC_InvokeCommand(s.get(), cmd, &op, &origin); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    TEEC_RequestCancellation(&op);
    t.join();
    EXPECT_EQ(res, TEEC_ERROR_CANCEL) << "cmd " << cmd;
    EXPECT_EQ(origin, (uint32_t)TEEC_ORIGIN_TRUSTED_APP);
  }
  EXPECT_EQ(s.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);  // the session is fine afterwards
}

TEST(Regression1000, X1013_ManySessionsFromProcessesAndThreads) {
  constexpr int kProcs = 4, kThreads = 4, kSessions = 8;  // 128 sessions in all
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      TEEC_Context cctx;
      if (TEEC_InitializeContext(nullptr, &cctx) != TEEC_SUCCESS) _exit(2);
      std::atomic<int> failures{0};
      std::vector<std::thread> ts;
      for (int t = 0; t < kThreads; ++t) {
        ts.emplace_back([&, t] {
          TEEC_Session ss[kSessions];
          uint32_t origin;
          for (int i = 0; i < kSessions; ++i) {
            // Three instances per process, 12 in all: one uid may hold 16
            // of swtee-os's 64 (X9114); the rest share kSingle's instance.
            TEEC_UUID u = i == 0 && t < 3 ? kMulti : kSingle;
            if (TEEC_OpenSession(&cctx, &ss[i], &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin)) {
              failures++;
              return;
            }
          }
          for (int i = 0; i < kSessions; ++i) {
            TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
            op.params[0].value.a = (uint32_t)i;
            if (TEEC_InvokeCommand(&ss[i], XTEST_CMD_VALUES, &op, &origin) ||
                op.params[0].value.a != (uint32_t)i + 1)
              failures++;
          }
          for (int i = 0; i < kSessions; ++i) TEEC_CloseSession(&ss[i]);
        });
      }
      for (auto& th : ts) th.join();
      TEEC_FinalizeContext(&cctx);
      _exit(failures.load() == 0 ? 0 : 1);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int st;
    ASSERT_EQ(waitpid(pid, &st, 0), pid);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "child status " << st;
  }
}

static std::vector<uint8_t> read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

static void write_file(const fs::path& p, const std::vector<uint8_t>& d) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
}

// Tampered images are refused with TEEC_ERROR_SECURITY; the untouched image
// (same place, same name) loads, which shows the test can tell them apart.
TEST(Regression1000, X1014_TamperedImagesAreRefused) {
  const std::string name = "50111687-1ddd-4a00-8c06-8c06d032bc94.ta";
  fs::path src = fs::path(tamper_source_dir()) / name;
  fs::path dst = fs::path(writable_ta_dir()) / name;
  std::vector<uint8_t> good = read_file(src);
  ASSERT_GT(good.size(), 1024u) << src;
  Context ctx;

  struct Case {
    const char* what;
    size_t offset;
  };
  const Case cases[] = {
      {"magic", 0},
      {"uuid", 8},
      {"flags", 24},
      {"payload hash", 50},
      {"signature", 100},
      {"payload start", 600},
      {"payload middle", good.size() / 2},
      {"payload end", good.size() - 1},
  };
  for (const Case& c : cases) {
    std::vector<uint8_t> bad = good;
    bad[c.offset] ^= 0x01;
    write_file(dst, bad);
    Session s;
    EXPECT_EQ(s.open(ctx.get(), kTamper), TEEC_ERROR_SECURITY) << c.what;
    EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_TEE) << c.what;
  }
  // Truncated.
  write_file(dst, std::vector<uint8_t>(good.begin(), good.begin() + 300));
  {
    Session s;
    EXPECT_EQ(s.open(ctx.get(), kTamper), TEEC_ERROR_SECURITY) << "truncated";
  }
  // A valid image stored under another TA's name: wrong UUID.
  const std::string other = "0badc0de-0000-4000-8000-000000000001.ta";
  write_file(fs::path(writable_ta_dir()) / other, good);
  {
    Session s;
    const TEEC_UUID u = {0x0badc0de, 0x0000, 0x4000, {0x80, 0, 0, 0, 0, 0, 0, 0x01}};
    EXPECT_EQ(s.open(ctx.get(), u), TEEC_ERROR_SECURITY) << "wrong uuid";
  }
  fs::remove(fs::path(writable_ta_dir()) / other);
  // The good image, same path: accepted.
  write_file(dst, good);
  {
    Session s;
    EXPECT_EQ(s.open(ctx.get(), kTamper), TEEC_SUCCESS);
  }
  fs::remove(dst);
}

// Login identities: computed by the core from SO_PEERCRED with the kernel's
// UUIDv5 formula; the invoke_tests PTA reports what the secure world got.
static void expect_identity(TEEC_Context* ctx, uint32_t login, const void* data, const swtee::Uuid& want) {
  Session s;
  ASSERT_EQ(s.open(ctx, kInvokeTestsPta, login, data), TEEC_SUCCESS) << "login " << login;
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  uint8_t uuid[16] = {};
  op.params[1].tmpref = {uuid, sizeof(uuid)};
  ASSERT_EQ(s.invoke(2 /* PTA_INVOKE_TESTS_CMD_CLIENT_IDENTITY */, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, login);
  swtee::Uuid got;
  std::memcpy(got.octets.data(), uuid, 16);
  EXPECT_EQ(got.to_string(), identity_seen_by_ta(login, want).to_string()) << "login " << login;
}

// A session's cancellation mask is set (masked) when it opens and changed
// only by TEE_Mask/UnmaskCancellation: it carries from one entry point of
// the session to the next (OP-TEE's tee_ta_session.cancel_mask), and each
// session has its own.
static uint32_t set_cancel_mask(Session& s, uint32_t unmask) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = unmask;
  op.params[1].value.a = 99;
  EXPECT_EQ(s.invoke(XTEST_CMD_CANCEL_MASK, &op), TEEC_SUCCESS);
  return op.params[1].value.a;  // 1: it was masked
}

TEST(Regression1000, X1018_CancellationMaskIsTheSessions) {
  Context ctx;
  Session a, b;
  ASSERT_EQ(a.open(ctx.get(), kSingle), TEEC_SUCCESS);  // one instance, two sessions
  ASSERT_EQ(b.open(ctx.get(), kSingle), TEEC_SUCCESS);
  EXPECT_EQ(set_cancel_mask(a, 1), 1u);  // masked when the session opened
  EXPECT_EQ(set_cancel_mask(a, 1), 0u);  // still unmasked in the next call
  EXPECT_EQ(set_cancel_mask(b, 1), 1u);  // the other session kept its own
  EXPECT_EQ(set_cancel_mask(a, 0), 0u);
  EXPECT_EQ(set_cancel_mask(a, 0), 1u);  // masked again, and it stays so
  EXPECT_EQ(set_cancel_mask(b, 0), 0u);
}

TEST(Regression1000, X1015_LoginIdentitiesFollowTheKernelFormula) {
  Context ctx;
  const swtee::Uuid ns = *swtee::Uuid::parse("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6");
  expect_identity(ctx.get(), TEEC_LOGIN_PUBLIC, nullptr, swtee::Uuid::nil());
  char name[32];
  snprintf(name, sizeof(name), "uid=%x", (unsigned)geteuid());
  expect_identity(ctx.get(), TEEC_LOGIN_USER, nullptr, swtee::uuid_v5(ns, name));
  gid_t gid = getegid();
  snprintf(name, sizeof(name), "gid=%x", (unsigned)gid);
  expect_identity(ctx.get(), TEEC_LOGIN_GROUP, &gid, swtee::uuid_v5(ns, name));

  // Application logins are refused as the kernel refuses them.
  Session s;
  EXPECT_NE(s.open(ctx.get(), kInvokeTestsPta, TEEC_LOGIN_APPLICATION), TEEC_SUCCESS);
  // A group the caller is not in.
  gid_t foreign = 4242;
  EXPECT_NE(s.open(ctx.get(), kInvokeTestsPta, TEEC_LOGIN_GROUP, &foreign), TEEC_SUCCESS);
  // Methods the kernel does not know, and its REE kernel range: the driver
  // refuses them (EINVAL, EPERM), so the origin is COMMS, as with OP-TEE.
  EXPECT_EQ(s.open(ctx.get(), kInvokeTestsPta, 3), TEEC_ERROR_BAD_PARAMETERS);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_COMMS);
  EXPECT_EQ(s.open(ctx.get(), kInvokeTestsPta, 0x80000000u), TEEC_ERROR_GENERIC);
  EXPECT_EQ(s.origin(), (uint32_t)TEEC_ORIGIN_COMMS);
}

// swtee-os runs with guests on (OP-TEE's virtualization, os/partition.h):
// the host's stats PTA reports the guests' share, empty without guests; a
// guest's own stats PTA does not answer it.
TEST(Regression1000, X1016_GuestsAreServedAndNoneHoldsAnything) {
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kStatsPta), TEEC_SUCCESS);
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
  op.params[0].value.a = op.params[1].value.a = op.params[2].value.a = 99;
  if (getenv("SWTEE_XTEST_GUEST_ID") != nullptr) {
    // Through a guest (remote/guest_suite.sh) this is the guest's stats
    // PTA: the host's guests are none of its business.
    EXPECT_EQ(s.invoke(12 /* STATS_CMD_GUESTS */, &op), TEEC_ERROR_NOT_SUPPORTED);
    return;
  }
  ASSERT_EQ(s.invoke(12 /* STATS_CMD_GUESTS */, &op), TEEC_SUCCESS);
  EXPECT_EQ(op.params[0].value.a, 0u);  // live guests
  EXPECT_EQ(op.params[0].value.b, 0u);  // their sessions
  EXPECT_EQ(op.params[1].value.a, 0u);  // their TA instances
  EXPECT_EQ(op.params[1].value.b, 0u);  // their shm
  EXPECT_EQ(op.params[2].value.a, 0u);  // their calls
}

// The `swtee run` processes above this test: one under ctest, two through
// a guest (the guest's, then the host's, whose stack runs the TAs).
std::vector<pid_t> swtee_run_ancestors() {
  std::vector<pid_t> out;
  for (pid_t p : ancestors(getpid())) {
    auto st = proc_stat(p);
    if (st && st->comm == "swtee") out.push_back(p);
  }
  return out;
}

// The allowed-CPU count of each live process of the TA `uuid` (its title
// starts "swtee-ta <uuid>") in this test's stack: its instances and its
// spares. ctest runs other stacks at the same time, with processes of the
// same TA that follow their own callers (or do not).
std::vector<int> ta_process_cpu_counts(const std::string& uuid) {
  std::vector<int> out;
  const std::string title = "swtee-ta " + uuid;
  const std::vector<pid_t> roots = swtee_run_ancestors();
  for (pid_t pid : all_pids()) {
    const fs::path dir = "/proc/" + std::to_string(pid);
    std::ifstream cmd(dir / "cmdline");
    std::string argv0;
    std::getline(cmd, argv0, '\0');
    if (argv0.rfind(title, 0) != 0) continue;
    const std::vector<pid_t> up = ancestors(pid);
    if (std::find_first_of(up.begin(), up.end(), roots.begin(), roots.end()) == up.end()) continue;
    std::ifstream status(dir / "status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("Cpus_allowed_list:", 0) != 0) continue;
      cpu_set_t set;
      CPU_ZERO(&set);
      // "0-1", "1", "0,2-3": ranges separated by commas.
      std::istringstream list(line.substr(line.find(':') + 1));
      for (std::string range; std::getline(list, range, ',');) {
        const int lo = std::stoi(range);
        const size_t dash = range.find('-');
        const int hi = dash == std::string::npos ? lo : std::stoi(range.substr(dash + 1));
        for (int c = lo; c <= hi && c < CPU_SETSIZE; ++c) CPU_SET(c, &set);
      }
      out.push_back(CPU_COUNT(&set));
    }
  }
  return out;
}

// A TA process runs on the CPU of the swtee-os thread that calls it when
// following is on (os/ta_manager/cpu_follow.h): "auto" (the default) on
// machines of 2 or 3 CPUs, "on", or "off" ($SWTEE_XTEST_TA_FOLLOW_CPU says
// which one the stack under test was started with). Two sessions of the
// multi-instance TA: two processes, each pinned to one CPU after its calls
// when following, none when not. The spares are never pinned.
TEST(Regression1000, X1017_TaProcessesRunBesideTheirCaller) {
  const char* m = std::getenv("SWTEE_XTEST_TA_FOLLOW_CPU");
  const std::string mode = m != nullptr ? m : "auto";
  cpu_set_t mine;
  CPU_ZERO(&mine);
  ASSERT_EQ(sched_getaffinity(0, sizeof(mine), &mine), 0);
  const int cpus = CPU_COUNT(&mine);
  const bool follow = mode == "on" || (mode == "auto" && cpus > 0 && cpus < 4);
  const std::string uuid = swtee::uuid_from_gp(kMulti).to_string();
  Context ctx;
  Session a, b;
  ASSERT_EQ(a.open(ctx.get(), kMulti), TEEC_SUCCESS);
  ASSERT_EQ(b.open(ctx.get(), kMulti), TEEC_SUCCESS);
  auto pinned = [&] {
    auto counts = ta_process_cpu_counts(uuid);
    return std::count(counts.begin(), counts.end(), 1);
  };
  // Two calls in a row from one CPU pin a TA; the OS's thread may move
  // between calls, so call until both are pinned (following) or a fixed
  // number of times (not following).
  for (int i = 0; i < 400; ++i) {
    ASSERT_EQ(a.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
    ASSERT_EQ(b.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
    if (follow && i % 10 == 9 && pinned() >= 2) break;
  }
  const auto counts = ta_process_cpu_counts(uuid);
  ASSERT_GE(counts.size(), 2u) << "the two instances' processes were not found";
  if (cpus == 1) {
    // One CPU: pinned and free look the same; each process has that CPU.
    EXPECT_EQ(pinned(), static_cast<long>(counts.size()));
    return;
  }
  EXPECT_EQ(pinned(), follow ? 2 : 0)
      << "mode " << mode << ", " << cpus << " CPUs, " << counts.size() << " processes of the TA";
}

}  // namespace
}  // namespace xtest
