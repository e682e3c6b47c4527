// 9100s: hostile tenants. A TA that never returns, a TA that probes the
// file system, writes into the stack's stdio or hoards memory: each is
// contained, and every other client keeps being served.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/child_process.h"
#include "xtest_common.h"

namespace xtest {
namespace {

uint32_t stat_from_ta(Session& s, const std::string& path) {
  std::string buf = path;
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref.buffer = buf.data();
  op.params[0].tmpref.size = buf.size() + 1;
  EXPECT_EQ(s.invoke(XTEST_CMD_STAT_PATH, &op), TEEC_SUCCESS);
  return op.params[1].value.a;
}

// Item 5: path-based system calls are refused, whatever form they take.
TEST(Regression9100, X9103_TaCannotStatPaths) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  EXPECT_EQ(stat_from_ta(s, "/etc/passwd"), 0u) << "a TA could stat /etc/passwd";
  EXPECT_EQ(stat_from_ta(s, "/proc/self/status"), 0u);
  EXPECT_EQ(stat_from_ta(s, "/"), 0u);
}

// Item 5: a TA's stdout/stderr are pipes the OS reads; it cannot close,
// truncate or replace them.
TEST(Regression9100, X9104_TaCannotTamperWithStdio) {
  Context ctx;
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kMulti), TEEC_SUCCESS);
  std::string line = "swteed: forged log line\n";
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref.buffer = line.data();
  op.params[0].tmpref.size = line.size();
  ASSERT_EQ(s.invoke(XTEST_CMD_STDIO, &op), TEEC_SUCCESS);
  const uint32_t done = op.params[1].value.a;
  EXPECT_NE(done & 1u, 0u) << "write to stderr should still work (it is logged, prefixed)";
  EXPECT_EQ(done & 2u, 0u) << "ftruncate(2) succeeded";
  EXPECT_EQ(done & 4u, 0u) << "ftruncate(1) succeeded";
  EXPECT_EQ(done & 8u, 0u) << "close(2) succeeded";
  // Still writing after the attempts: the TA is alive and served.
  EXPECT_EQ(s.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
}

// A fresh directory under /tmp (0700, ours); removed by the caller.
std::string make_temp_dir() {
  char tmpl[] = "/tmp/swtee-xtest-XXXXXX";
  return mkdtemp(tmpl) != nullptr ? std::string(tmpl) : std::string();
}

// Starts swteed on `runtime`; true when it became ready (then it is stopped).
bool swteed_accepts_runtime_dir(const std::string& runtime) {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) return false;
  auto d = swtee::ChildProcess::spawn(swteed_binary(),
                                      {"swteed", "--runtime-dir", runtime, "--ready-fd", "3"}, {ready[1]});
  close(ready[1]);
  if (!d.ok()) {
    close(ready[0]);
    return false;
  }
  char byte = 0;
  const bool became_ready = read(ready[0], &byte, 1) == 1;
  close(ready[0]);
  if (became_ready) d->signal(SIGTERM);
  (void)d->wait();
  return became_ready;
}

// Item 6: a runtime dir owned by another user, or writable by others, is
// refused (StrictModes); a good one is accepted.
TEST(Regression9100, X9106_UntrustedRuntimeDirIsRefused) {
  const std::string base = make_temp_dir();
  ASSERT_FALSE(base.empty());
  const std::string good = base + "/good", open_dir = base + "/open", foreign = base + "/foreign";
  ASSERT_EQ(mkdir(good.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(open_dir.c_str(), 0755), 0);
  ASSERT_EQ(chmod(open_dir.c_str(), 0777), 0);
  EXPECT_TRUE(swteed_accepts_runtime_dir(good));
  EXPECT_FALSE(swteed_accepts_runtime_dir(open_dir)) << "a world-writable runtime dir was used";
  if (geteuid() == 0) {
    ASSERT_EQ(mkdir(foreign.c_str(), 0755), 0);
    ASSERT_EQ(chown(foreign.c_str(), 65534, 65534), 0);
    EXPECT_FALSE(swteed_accepts_runtime_dir(foreign)) << "another user's runtime dir was used";
    struct stat st {};
    EXPECT_NE(stat((foreign + "/tee0").c_str(), &st), 0) << "a socket was made in another user's dir";
  }
  std::filesystem::remove_all(base);
  if (geteuid() != 0) GTEST_SKIP() << "not root: the other-owner case needs chown (counted skip)";
}

// Item 6: the same for the state dir, through `swtee run --state`.
TEST(Regression9100, X9107_UntrustedStateDirIsRefused) {
  if (geteuid() != 0) GTEST_SKIP() << "not root: needs chown to another uid (counted skip)";
  const std::string base = make_temp_dir();
  ASSERT_FALSE(base.empty());
  const std::string foreign = base + "/state";
  ASSERT_EQ(mkdir(foreign.c_str(), 0700), 0);
  ASSERT_EQ(chown(foreign.c_str(), 65534, 65534), 0);
  auto run =
      swtee::ChildProcess::spawn(swtee_binary(), {"swtee", "run", "--state", foreign, "--", "/bin/true"}, {});
  ASSERT_TRUE(run.ok());
  auto st = run->wait();
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(WIFEXITED(*st) && WEXITSTATUS(*st) == 0) << "swtee run accepted another user's state dir";
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace xtest
