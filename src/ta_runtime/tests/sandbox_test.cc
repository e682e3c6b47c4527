// The TA seccomp sandbox, installed in a forked child: file system access
// fails with EPERM, process creation / sockets / exec kill the process,
// and what the runtime needs keeps working.
#include "ta_runtime/sandbox.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <functional>
#include <string>

namespace swtee::ta {
namespace {

enum class Stages { LoaderOnly, Both };

// Runs `body` in a forked child under the sandbox's loader stage, or both
// stages (channel = the child's end of a socketpair); returns the raw wait
// status. No Landlock: these check seccomp's part alone.
int run_in_sandbox(Stages stages, const std::function<int(int channel)>& body) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(sv[0]);
    // Both compiled first, as the zygote does: compiling needs calls
    // (a plain memfd, lseek) the loader stage refuses.
    auto programs = SandboxPrograms::build(sv[1]);
    if (!programs.ok() || !programs->apply_loader().ok()) ::_exit(100);
    if (stages == Stages::Both && !programs->apply_ta().ok()) ::_exit(101);
    ::_exit(body(sv[1]));
  }
  ::close(sv[1]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  ::close(sv[0]);  // kept open so the child's channel has a live peer
  return st;
}

// Under the final TA sandbox, both stages.
int run_sandboxed(const std::function<int(int channel)>& body) { return run_in_sandbox(Stages::Both, body); }

bool exited_with(int st, int code) { return WIFEXITED(st) && WEXITSTATUS(st) == code; }
bool killed(int st) { return WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS; }

TEST(TaSandbox, OpenFailsWithEperm) {
  int st = run_sandboxed([](int) {
    int fd = ::open("/etc/passwd", O_RDONLY);
    return fd < 0 && errno == EPERM ? 0 : 1;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

TEST(TaSandbox, OpenatFailsWithEperm) {
  int st = run_sandboxed([](int) {
    int fd = ::openat(AT_FDCWD, "/tmp", O_RDONLY | O_DIRECTORY);
    return fd < 0 && errno == EPERM ? 0 : 1;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

TEST(TaSandbox, SocketKills) {
  EXPECT_TRUE(killed(run_sandboxed([](int) {
    (void)::socket(AF_INET, SOCK_STREAM, 0);
    return 0;
  })));
}

TEST(TaSandbox, ForkKills) {
  EXPECT_TRUE(killed(run_sandboxed([](int) {
    pid_t p = ::fork();
    if (p == 0) ::_exit(0);
    return 0;
  })));
}

TEST(TaSandbox, ExecKills) {
  EXPECT_TRUE(killed(run_sandboxed([](int) {
    char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
    ::execv("/bin/true", argv);
    return 0;
  })));
}

TEST(TaSandbox, KillOfAnotherProcessKills) {
  EXPECT_TRUE(killed(run_sandboxed([](int) {
    (void)::kill(1, 0);
    return 0;
  })));
}

TEST(TaSandbox, NoNewExecutableMemory) {
  int st = run_sandboxed([](int) {
    void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED && errno == EPERM ? 0 : 1;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

TEST(TaSandbox, RuntimeNeedsStillWork) {
  int st = run_sandboxed([](int channel) {
    void* heap = std::malloc(1 << 20);  // mmap-backed
    if (heap == nullptr) return 1;
    std::free(heap);
    timespec ts{0, 1000};
    if (::nanosleep(&ts, nullptr) != 0) return 2;
    uint8_t rnd[16];
    if (::getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) return 3;
    if (::write(STDERR_FILENO, "", 0) != 0) return 4;
    char c = 'x';
    // send() is sendto(2), which the sandbox refuses: the runtime uses sendmsg.
    if (::send(channel, &c, 1, MSG_DONTWAIT) != -1 || errno != EPERM) return 5;
    return 0;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

TEST(TaSandbox, SendmsgOnlyOnTheChannel) {
  int st = run_sandboxed([](int channel) {
    char c = 'x';
    iovec iov{&c, 1};
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    if (::sendmsg(channel, &m, MSG_DONTWAIT) != 1) return 1;
    if (::sendmsg(channel + 100, &m, MSG_DONTWAIT) != -1 || errno != EPERM) return 2;
    return 0;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

// The TA may set its own CPU affinity (the OS's placement hint,
// cpu_affinity.h), and no other process's: pid 0 only.
TEST(TaSandbox, OwnAffinityOnly) {
  cpu_set_t mine;
  CPU_ZERO(&mine);
  ASSERT_EQ(::sched_getaffinity(0, sizeof(mine), &mine), 0);
  int st = run_sandboxed([mine](int) {
    cpu_set_t set = mine;
    if (::sched_setaffinity(0, sizeof(set), &set) != 0) return 1;
    if (::sched_setaffinity(::getppid(), sizeof(set), &set) != -1 || errno != EPERM) return 2;
    if (::sched_setaffinity(::getpid(), sizeof(set), &set) != -1 || errno != EPERM) return 3;
    // Reading it back is refused too: the runtime captured it before the sandbox.
    if (::sched_getaffinity(0, sizeof(set), &set) != -1 || errno != EPERM) return 4;
    return 0;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

// The loader stage lets the loader open its payload through /proc/self/fd
// (read-only, close-on-exec) and install the TA stage; nothing wider.
TEST(TaSandbox, LoaderStageAllowsOnlyTheLoadersForms) {
  int st = run_in_sandbox(Stages::LoaderOnly, [](int) {
    const int mem = ::memfd_create("payload", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (mem < 0) return 1;
    const std::string link = "/proc/self/fd/" + std::to_string(mem);
    const int fd = ::openat(AT_FDCWD, link.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 2;
    ::close(fd);
    if (::openat(AT_FDCWD, link.c_str(), O_RDONLY) != -1 || errno != EPERM) return 3;
    if (::openat(AT_FDCWD, link.c_str(), O_RDWR | O_CLOEXEC) != -1 || errno != EPERM) return 4;
    if (::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != -1 || errno != EPERM) return 5;
    // A filter with flags (here a listener fd) is refused; a plain one is not.
    sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    sock_fprog fp{1, &allow};
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &fp) != -1 ||
        errno != EPERM)
      return 6;
    if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp) != 0) return 7;
    return 0;
  });
  EXPECT_TRUE(exited_with(st, 0)) << st;
}

}  // namespace
}  // namespace swtee::ta
