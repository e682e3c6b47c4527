#include "cli/stack.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "cli/runtime_dir.h"
#include "cli/tests/fake_stack.h"

namespace swtee::cli {
namespace {

// Dead = gone or a zombie waiting for its (new) parent to reap it.
bool dead(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  if (!f) return true;
  std::string line;
  std::getline(f, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

// SIGKILL is delivered asynchronously; wait (bounded, not timed) for death.
bool becomes_dead(pid_t pid) {
  for (int i = 0; i < 2000; ++i) {
    if (dead(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

class StackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = RuntimeDir::create("/tmp");
    ASSERT_TRUE(b.ok());
    tmp_ = std::move(*b);
    bindir_ = tmp_.path() + "/bin";
    fake_ = tmp_.path() + "/fake";
    runtime_ = tmp_.path() + "/run";
    for (const auto& d : {bindir_, fake_, runtime_}) ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
    ASSERT_TRUE(testing::write_fake_bindir(bindir_));
    ::setenv("FAKE_DIR", fake_.c_str(), 1);
    ::unsetenv("FAKE_SWTEED_MODE");
  }
  StackConfig config() const {
    StackConfig c;
    c.bindir = bindir_;
    c.runtime_dir = runtime_;
    c.state_dir = tmp_.path() + "/state";
    c.ta_dirs = {"/ta/a", "/ta/b"};
    c.ta_pubkeys = {"/keys/k.pem"};
    c.threads = 2;
    c.fast_storage = true;
    c.ready_timeout_ms = 10000;
    c.grace_ms = 2000;
    return c;
  }

  RuntimeDir tmp_;
  std::string bindir_, fake_, runtime_;
};

TEST_F(StackTest, StartsBothWithTheirArgumentsAndStopsThem) {
  auto st = Stack::start(config());
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->running());
  EXPECT_EQ(testing::slurp(fake_ + "/swteed.args"),
            "--runtime-dir\n" + runtime_ + "\n--ready-fd\n3\n--threads\n2\n--huk-file\n" + tmp_.path() +
                "/state/huk\n--\n--ta-pubkey\n/keys/k.pem\n");
  EXPECT_EQ(testing::slurp(fake_ + "/swtee-supplicant.args"), "--runtime-dir\n" + runtime_ + "\n--state\n" +
                                                                  tmp_.path() +
                                                                  "/state\n--ready-fd\n3\n--ta-dir\n/ta/a\n"
                                                                  "--ta-dir\n/ta/b\n--fast-storage\n");
  const pid_t pgid = st->pgid();
  EXPECT_EQ(::getpgid(pgid), pgid);  // swteed leads its own group
  st->stop();
  EXPECT_FALSE(st->running());
  // Both got SIGTERM and ran their handlers (graceful, not the SIGKILL sweep).
  EXPECT_EQ(testing::slurp(fake_ + "/swteed.stopped"), "stopped\n");
  EXPECT_EQ(testing::slurp(fake_ + "/swtee-supplicant.stopped"), "stopped\n");
  EXPECT_TRUE(becomes_dead(pgid));
}

TEST_F(StackTest, DaemonExitingBeforeReadyFailsStart) {
  ::setenv("FAKE_SWTEED_MODE", "exit", 1);
  auto st = Stack::start(config());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ECHILD);
  EXPECT_FALSE(std::ifstream(fake_ + "/swtee-supplicant.args").good());  // never started
}

TEST_F(StackTest, DaemonNeverReadyTimesOut) {
  ::setenv("FAKE_SWTEED_MODE", "silent", 1);
  StackConfig c = config();
  c.ready_timeout_ms = 200;
  auto st = Stack::start(c);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ETIMEDOUT);
}

TEST_F(StackTest, StubbornGroupIsKilledAfterGrace) {
  ::setenv("FAKE_SWTEED_MODE", "stubborn", 1);
  StackConfig c = config();
  c.grace_ms = 100;
  auto st = Stack::start(c);
  ASSERT_TRUE(st.ok());
  const pid_t grandchild = std::stoi(testing::slurp(fake_ + "/grandchild.pid"));
  const pid_t daemon = st->pgid();
  EXPECT_EQ(::getpgid(grandchild), daemon);
  st->stop();
  EXPECT_TRUE(becomes_dead(daemon));
  EXPECT_TRUE(becomes_dead(grandchild));
}

TEST_F(StackTest, DestructorTearsDown) {
  pid_t pgid = -1;
  {
    auto st = Stack::start(config());
    ASSERT_TRUE(st.ok());
    pgid = st->pgid();
  }
  EXPECT_TRUE(becomes_dead(pgid));
}

TEST(WaitReady, WrongByteIsAProtocolError) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  ASSERT_EQ(::write(w.get(), "X", 1), 1);
  auto s = wait_ready(r.get(), -1, 1000);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, EPROTO);
}

}  // namespace
}  // namespace swtee::cli
