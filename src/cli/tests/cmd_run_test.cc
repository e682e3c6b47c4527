// `swtee run` end to end against a fake swteed/supplicant (shell scripts):
// exit-code propagation, environment, cleanup of the runtime directory and
// the stack, signal forwarding.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/runtime_dir.h"
#include "cli/tests/fake_stack.h"

namespace swtee::cli {
namespace {

class CmdRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto b = RuntimeDir::create("/tmp");
    ASSERT_TRUE(b.ok());
    tmp_ = std::move(*b);
    bindir_ = tmp_.path() + "/bin";
    fake_ = tmp_.path() + "/fake";
    xdg_ = tmp_.path() + "/xdg";
    for (const auto& d : {bindir_, fake_, xdg_, tmp_.path() + "/ta"}) ASSERT_EQ(::mkdir(d.c_str(), 0700), 0);
    ASSERT_TRUE(testing::write_fake_bindir(bindir_));
    ::setenv("FAKE_DIR", fake_.c_str(), 1);
    ::unsetenv("FAKE_SWTEED_MODE");
    const char* x = getenv("XDG_RUNTIME_DIR");
    saved_xdg_ = x ? x : "";
    ::setenv("XDG_RUNTIME_DIR", xdg_.c_str(), 1);
  }
  void TearDown() override {
    if (saved_xdg_.empty())
      ::unsetenv("XDG_RUNTIME_DIR");
    else
      ::setenv("XDG_RUNTIME_DIR", saved_xdg_.c_str(), 1);
  }
  int run(std::vector<std::string> cmd, std::string state = "") {
    RunOptions o;
    o.bindir = bindir_;
    o.state_dir = std::move(state);
    o.command = std::move(cmd);
    return cmd_run(o);
  }
  size_t xdg_entries() const {
    size_t n = 0;
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(xdg_.c_str()), ::closedir);
    while (const dirent* e = ::readdir(d.get())) n += e->d_name[0] != '.';
    return n;
  }

  RuntimeDir tmp_;
  std::string bindir_, fake_, xdg_, saved_xdg_;
};

TEST_F(CmdRunTest, PropagatesExitCodeAndCleansUp) {
  const std::string out = fake_ + "/cmd.out";
  EXPECT_EQ(run({"sh", "-c", "echo \"$SWTEE_RUNTIME_DIR\" > " + out + "; exit 5"}), 5);
  const std::string rd = testing::slurp(out);
  ASSERT_FALSE(rd.empty());
  EXPECT_EQ(rd.rfind(xdg_ + "/swtee-run-", 0), 0u);
  EXPECT_EQ(xdg_entries(), 0u);  // runtime dir (and the temporary state in it) removed
  EXPECT_EQ(testing::slurp(fake_ + "/swteed.stopped"), "stopped\n");
  EXPECT_EQ(testing::slurp(fake_ + "/swtee-supplicant.stopped"), "stopped\n");
  // Temporary state lives inside the runtime dir and uses fast storage.
  EXPECT_NE(testing::slurp(fake_ + "/swtee-supplicant.args").find("--fast-storage"), std::string::npos);
}

TEST_F(CmdRunTest, CommandKilledBySignalGives128PlusSignal) {
  EXPECT_EQ(run({"sh", "-c", "kill -KILL $$"}), 128 + SIGKILL);
  EXPECT_EQ(xdg_entries(), 0u);
}

TEST_F(CmdRunTest, MissingCommandIs127WithoutAStack) {
  EXPECT_EQ(run({"swtee-no-such-command-xyz"}), 127);
  EXPECT_FALSE(std::ifstream(fake_ + "/swteed.args").good());
  EXPECT_EQ(run({}), 2);
}

TEST_F(CmdRunTest, StackFailureIsAnErrorAndLeavesNothing) {
  ::setenv("FAKE_SWTEED_MODE", "exit", 1);
  EXPECT_EQ(run({"true"}), 1);
  EXPECT_EQ(xdg_entries(), 0u);
}

TEST_F(CmdRunTest, ExplicitStateDirIsKeptAndDurable) {
  const std::string state = tmp_.path() + "/persist";
  EXPECT_EQ(run({"true"}, state), 0);
  const std::string args = testing::slurp(fake_ + "/swtee-supplicant.args");
  EXPECT_NE(args.find("--state\n" + state + "\n"), std::string::npos);
  EXPECT_EQ(args.find("--fast-storage"), std::string::npos);
}

TEST_F(CmdRunTest, ForwardsSignalsSentToSwteeRun) {
  // The command signals its parent (the test process, acting as `swtee run`)
  // and expects the signal back.
  EXPECT_EQ(run({"sh", "-c", "trap 'exit 9' TERM; kill -TERM $PPID; while :; do sleep 0.01; done"}), 9);
  EXPECT_EQ(xdg_entries(), 0u);
}

}  // namespace
}  // namespace swtee::cli
