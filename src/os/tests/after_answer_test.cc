// AfterAnswer on real child processes: nothing is killed before run(), each
// pidfd taken is killed by it (or by the destructor), and at most kMaxKills
// wait.
#include "os/after_answer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "common/pidfd.h"

namespace swtee::os {
namespace {

// A child that waits for its end; reaped by the destructor.
struct Child {
  Child() {
    pid = ::fork();
    if (pid == 0) {
      for (;;) ::pause();
    }
    pidfd = watch();
  }
  ~Child() {
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // A pidfd of our own, for polling: the one given away is closed by run().
  UniqueFd watch() const { return open_pidfd(pid).value(); }
  pid_t pid = -1;
  UniqueFd pidfd;
};

// An event that must not happen gets a window, not a deadline: a kill sent
// at once ends the child within microseconds.
constexpr int kQuietMs = 200;
// Bounded wait for a death that must come.
constexpr int kDeathMs = 10000;

TEST(AfterAnswerTest, KillsOnlyAtRun) {
  Child c;
  ASSERT_TRUE(c.pidfd);
  UniqueFd watch = c.watch();
  AfterAnswer after;
  ASSERT_TRUE(after.kill_later(c.pidfd));
  EXPECT_FALSE(c.pidfd);  // taken
  EXPECT_EQ(after.pending(), 1u);
  EXPECT_FALSE(wait_exit(watch.get(), kQuietMs));
  after.run();
  EXPECT_EQ(after.pending(), 0u);
  EXPECT_TRUE(wait_exit(watch.get(), kDeathMs));
  int status = 0;
  ASSERT_EQ(::waitpid(c.pid, &status, 0), c.pid);
  c.pid = -1;
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

TEST(AfterAnswerTest, DestructorKillsWhatWaits) {
  Child c;
  UniqueFd watch = c.watch();
  {
    AfterAnswer after;
    ASSERT_TRUE(after.kill_later(c.pidfd));
  }
  EXPECT_TRUE(wait_exit(watch.get(), kDeathMs));
}

TEST(AfterAnswerTest, RefusesBeyondItsBoundAndLeavesTheFd) {
  std::vector<Child> children(AfterAnswer::kMaxKills + 1);
  AfterAnswer after;
  for (size_t i = 0; i < AfterAnswer::kMaxKills; ++i) EXPECT_TRUE(after.kill_later(children[i].pidfd));
  Child& extra = children.back();
  const int fd = extra.pidfd.get();
  EXPECT_FALSE(after.kill_later(extra.pidfd));
  EXPECT_EQ(extra.pidfd.get(), fd);  // still the caller's
  EXPECT_EQ(after.pending(), AfterAnswer::kMaxKills);
  UniqueFd watch = extra.watch();
  after.run();
  EXPECT_FALSE(wait_exit(watch.get(), kQuietMs));  // not one of the killed
}

TEST(AfterAnswerTest, RefusesAnEmptyFd) {
  AfterAnswer after;
  UniqueFd none;
  EXPECT_FALSE(after.kill_later(none));
  EXPECT_EQ(after.pending(), 0u);
}

}  // namespace
}  // namespace swtee::os
