#include "cli/spawn.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/pidfd.h"

namespace swtee::cli {
namespace {

int run_sh(const std::string& script, std::vector<std::pair<std::string, std::string>> env = {}) {
  SpawnOptions o;
  o.argv = {"sh", "-c", script};
  o.env = std::move(env);
  auto c = spawn(o);
  EXPECT_TRUE(c.ok());
  if (!c.ok()) return -1;
  auto st = c->wait();
  return st.ok() ? exit_code_from_status(*st) : -1;
}

TEST(ExitCode, FromWaitStatus) {
  EXPECT_EQ(exit_code_from_status(0), 0);
  EXPECT_EQ(exit_code_from_status(7 << 8), 7);
  EXPECT_EQ(exit_code_from_status(SIGTERM), 128 + SIGTERM);
  EXPECT_EQ(exit_code_from_status(SIGSEGV | 0x80), 128 + SIGSEGV);  // core dumped
}

TEST(Spawn, PropagatesExitCodesAndSignals) {
  EXPECT_EQ(run_sh("exit 0"), 0);
  EXPECT_EQ(run_sh("exit 42"), 42);
  EXPECT_EQ(run_sh("kill -SEGV $$"), 128 + SIGSEGV);
}

TEST(Spawn, SetsEnvironmentOverridingInherited) {
  ::setenv("SWTEE_SPAWN_TEST", "old", 1);
  EXPECT_EQ(run_sh("test \"$SWTEE_SPAWN_TEST\" = new && test -n \"$PATH\"", {{"SWTEE_SPAWN_TEST", "new"}}),
            0);
  EXPECT_EQ(run_sh("test \"$SWTEE_SPAWN_TEST\" = old"), 0);
  ::unsetenv("SWTEE_SPAWN_TEST");
}

TEST(Spawn, ResolvesPathAndReportsMissingPrograms) {
  auto sh = resolve_program("sh");
  ASSERT_TRUE(sh.ok());
  EXPECT_EQ(sh->front(), '/');
  EXPECT_EQ(resolve_program("swtee-no-such-program-xyz").error().code, ENOENT);
  EXPECT_EQ(resolve_program("/nonexistent/prog").error().code, ENOENT);
  EXPECT_EQ(resolve_program("/etc/passwd").error().code, ENOENT);  // not executable
  SpawnOptions o;
  o.argv = {"swtee-no-such-program-xyz"};
  EXPECT_FALSE(spawn(o).ok());
}

TEST(Spawn, KeepsOnlyTheGivenFdsAtThree) {
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  UniqueFd r(p[0]), w(p[1]);
  int other = ::open("/dev/null", O_RDONLY);  // not CLOEXEC: must still be closed
  ASSERT_GE(other, 0);
  SpawnOptions o;
  ASSERT_GT(other, 3);
  o.argv = {"sh", "-c", "printf R >&3; test ! -e /proc/self/fd/" + std::to_string(other)};
  o.keep_fds = {w.get()};
  auto c = spawn(o);
  ASSERT_TRUE(c.ok());
  w.reset();
  char buf = 0;
  EXPECT_EQ(::read(r.get(), &buf, 1), 1);
  EXPECT_EQ(buf, 'R');
  EXPECT_EQ(::read(r.get(), &buf, 1), 0);  // child's copy closed: EOF
  auto st = c->wait();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(exit_code_from_status(*st), 0) << "an fd that was not kept leaked into the child";
  ::close(other);
}

TEST(Spawn, NewProcessGroup) {
  SpawnOptions o;
  o.argv = {"sleep", "100"};
  o.pgid = 0;
  auto c = spawn(o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(::getpgid(c->pid()), c->pid());
  SpawnOptions j;
  j.argv = {"sleep", "100"};
  j.pgid = c->pid();
  auto d = spawn(j);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(::getpgid(d->pid()), c->pid());
  ::kill(-c->pid(), SIGKILL);
  EXPECT_EQ(exit_code_from_status(*d->wait()), 128 + SIGKILL);
  EXPECT_EQ(exit_code_from_status(*c->wait()), 128 + SIGKILL);
}

TEST(Spawn, PidfdBecomesReadableOnExit) {
  SpawnOptions o;
  o.argv = {"sh", "-c", "exit 0"};
  auto c = spawn(o);
  ASSERT_TRUE(c.ok());
  auto fd = open_pidfd(c->pid());
  ASSERT_TRUE(fd.ok());
  pollfd p{fd->get(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, -1), 1);
  EXPECT_TRUE(c->wait().ok());
}

}  // namespace
}  // namespace swtee::cli

namespace swtee::cli {
namespace {

TEST(Spawn, NullStdin) {
  SpawnOptions o;
  o.argv = {"sh", "-c", "test \"$(readlink /proc/self/fd/0)\" = /dev/null"};
  o.null_stdin = true;
  auto c = spawn(o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(exit_code_from_status(*c->wait()), 0);
}

}  // namespace
}  // namespace swtee::cli
