// Guests (docs/remote.md) with real processes: a guest swteed (remote
// driver) connected to a host swteed. Run by ctest xtest_guests, whose host
// stack (swtee run --config) accepts this uid as guest 1 at
// $SWTEE_XTEST_GUEST_ADDR; the host-restart and TCP cases start their own
// host swteed (no supplicant: they use the invoke_tests PTA).
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <thread>

#include "common/child_process.h"
#include "xtest_common.h"

namespace {

using namespace xtest;

// Bounded waits for liveness only; nothing is asserted about time.
template <typename F>
bool eventually(F f) {
  for (int i = 0; i < 1500; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return f();
}

std::string make_dir() {
  char tmpl[] = "/tmp/swtee-guests-XXXXXX";
  EXPECT_NE(mkdtemp(tmpl), nullptr);
  return tmpl;
}

// A swteed started for the test; `ready` is the byte it wrote, 0 if it
// exited first.
struct Daemon {
  std::optional<swtee::ChildProcess> proc;
  char ready = 0;
  ~Daemon() { stop(SIGTERM); }
  void stop(int sig) {
    if (!proc) return;
    proc->signal(sig);
    (void)proc->wait();
    proc.reset();
  }
  // The exit status once it exited on its own (waits).
  int exit_status() {
    auto st = proc->wait();
    proc.reset();
    return st.ok() && WIFEXITED(*st) ? WEXITSTATUS(*st) : -1;
  }
};

void start_swteed(Daemon& d, const std::vector<std::string>& args) {
  int ready[2];
  ASSERT_EQ(pipe2(ready, O_CLOEXEC), 0);
  std::vector<std::string> argv = {"swteed", "--ready-fd", "3"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto p = swtee::ChildProcess::spawn(swteed_binary(), argv, {ready[1]});
  close(ready[1]);
  ASSERT_TRUE(p.ok());
  d.proc = std::move(*p);
  char b = 0;
  if (read(ready[0], &b, 1) == 1) d.ready = b;
  close(ready[0]);
}

void write_file(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
}

// Points libteec at `dir` while it lives.
class RuntimeEnv {
 public:
  explicit RuntimeEnv(const std::string& dir) {
    const char* o = getenv("SWTEE_RUNTIME_DIR");
    old_ = o != nullptr ? o : "";
    setenv("SWTEE_RUNTIME_DIR", dir.c_str(), 1);
  }
  ~RuntimeEnv() { setenv("SWTEE_RUNTIME_DIR", old_.c_str(), 1); }

 private:
  std::string old_;
};

// tee0's counts and swtee-os's session count on a host, from
// `swtee status --json`.
struct Counts {
  long contexts = -1, sessions = -1, shms = -1;
  // swtee-os's guest partitions (host stats PTA, STATS_CMD_GUESTS = 12):
  // live guests and the sessions, TA instances, shm their partitions hold.
  long guests = -1, guest_sessions = -1, guest_instances = -1, guest_shms = -1;
};
Counts host_counts(const std::string& runtime) {
  std::string cmd = swtee_binary() + " status --json --runtime-dir " + runtime;
  Counts c;
  FILE* f = popen(cmd.c_str(), "r");
  if (f == nullptr) return c;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  pclose(f);
  std::smatch m;
  if (std::regex_search(
          out, m, std::regex(R"re("name":"tee0"[^}]*"contexts":(\d+),"sessions":(\d+),"shms":(\d+))re"))) {
    c.contexts = std::stol(m[1]);
    c.sessions = std::stol(m[2]);
    c.shms = std::stol(m[3]);
  }
  // The stats PTA, opened by a client of the host itself.
  RuntimeEnv env(runtime);
  Context ctx;
  Session st;
  if (ctx.result() != TEEC_SUCCESS || st.open(ctx.get(), kStatsPta) != TEEC_SUCCESS) return c;
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
  if (st.invoke(12, &op) != TEEC_SUCCESS) return c;
  c.guests = op.params[0].value.a;
  c.guest_sessions = op.params[0].value.b;
  c.guest_instances = op.params[1].value.a;
  c.guest_shms = op.params[1].value.b;
  return c;
}

TEST(Guest, G01_KillingAGuestDaemonFreesEverythingItHeldOnTheHost) {
  const char* addr = getenv("SWTEE_XTEST_GUEST_ADDR");
  if (addr == nullptr) GTEST_SKIP() << "needs a host accepting guests: run by ctest xtest_guests";
  const std::string host = getenv("SWTEE_RUNTIME_DIR");
  const Counts before = host_counts(host);
  ASSERT_GE(before.contexts, 0) << "no status from the host";
  const std::string gdir = make_dir();
  Daemon guest;
  start_swteed(guest, {"--remote", addr, "--runtime-dir", gdir});
  ASSERT_EQ(guest.ready, 'G');
  {
    RuntimeEnv env(gdir);
    Context a, b;
    ASSERT_EQ(a.result(), TEEC_SUCCESS);
    ASSERT_EQ(b.result(), TEEC_SUCCESS);
    Session s1, s2, s3;
    ASSERT_EQ(s1.open(a.get(), kSingle), TEEC_SUCCESS);
    ASSERT_EQ(s2.open(a.get(), kMulti), TEEC_SUCCESS);
    ASSERT_EQ(s3.open(b.get(), kSingle), TEEC_SUCCESS);
    // A memref makes the host hold shm for the guest's context.
    char buf[64] = "guest";
    TEEC_Operation op =
        make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
    op.params[0].tmpref = {buf, sizeof(buf)};
    ASSERT_EQ(s1.invoke(XTEST_CMD_SUM, &op), TEEC_SUCCESS);
    const Counts during = host_counts(host);
    EXPECT_EQ(during.contexts, before.contexts + 2);
    EXPECT_EQ(during.sessions, before.sessions + 3);
    EXPECT_GT(during.shms, before.shms);
    EXPECT_EQ(during.guests, 1);
    EXPECT_EQ(during.guest_sessions, 3);
    EXPECT_GE(during.guest_instances, 1);
    // The guest's daemon dies with its sessions open.
    guest.stop(SIGKILL);
  }
  EXPECT_TRUE(eventually([&] {
    Counts c = host_counts(host);
    return c.contexts == before.contexts && c.sessions == before.sessions && c.shms == before.shms &&
           c.guests == 0 && c.guest_sessions == 0 && c.guest_instances == 0 && c.guest_shms == 0;
  })) << "the host still holds what the killed guest had";
  std::filesystem::remove_all(gdir);
}

TEST(Guest, G02_HostRestartEndsCallsCleanlyAndTheGuestReconnects) {
  const std::string dir = make_dir();
  const std::string hdir = dir + "/host", gdir = dir + "/guest", sock = "unix:" + dir + "/guests.sock";
  mkdir(hdir.c_str(), 0700);
  mkdir(gdir.c_str(), 0700);
  write_file(dir + "/host.toml", "[guests]\nlisten = [\"" + sock +
                                     "\"]\n[[guests.guest]]\nid = 3\nunix_uid = " + std::to_string(getuid()) +
                                     "\n");
  Daemon host, guest;
  start_swteed(host, {"--config", dir + "/host.toml", "--runtime-dir", hdir});
  ASSERT_EQ(host.ready, 'R');
  start_swteed(guest, {"--remote", sock, "--runtime-dir", gdir});
  ASSERT_EQ(guest.ready, 'G');
  RuntimeEnv env(gdir);
  Context ctx;
  ASSERT_EQ(ctx.result(), TEEC_SUCCESS);
  Session s;
  ASSERT_EQ(s.open(ctx.get(), kInvokeTestsPta), TEEC_SUCCESS);
  host.stop(SIGKILL);  // the host's swteed (and with it swtee-os) goes
  EXPECT_EQ(s.invoke(0), TEEC_ERROR_TARGET_DEAD);
  EXPECT_EQ(s.origin(), static_cast<uint32_t>(TEEC_ORIGIN_COMMS));
  Session again;
  EXPECT_EQ(again.open(ctx.get(), kInvokeTestsPta), TEEC_ERROR_COMMUNICATION);
  EXPECT_EQ(again.origin(), static_cast<uint32_t>(TEEC_ORIGIN_COMMS));
  // The host comes back; the guest reconnects by itself.
  start_swteed(host, {"--config", dir + "/host.toml", "--runtime-dir", hdir});
  ASSERT_EQ(host.ready, 'R');
  EXPECT_TRUE(eventually([&] { return again.open(ctx.get(), kInvokeTestsPta) == TEEC_SUCCESS; }));
  EXPECT_EQ(s.invoke(0), TEEC_ERROR_TARGET_DEAD);  // a session of the old host stays dead
  s.close();
  again.close();
  guest.stop(SIGTERM);
  host.stop(SIGTERM);
  std::filesystem::remove_all(dir);
}

// A free loopback TCP port (bound, then released for the host).
int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(sin);
  int port = 0;
  if (bind(s, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&sin), &len) == 0)
    port = ntohs(sin.sin_port);
  close(s);
  return port;
}

TEST(Guest, G03_TcpGuestWithABadKeyIsRefused) {
  const std::string dir = make_dir();
  const std::string hdir = dir + "/host", gdir = dir + "/guest";
  mkdir(hdir.c_str(), 0700);
  mkdir(gdir.c_str(), 0700);
  const int port = free_port();
  ASSERT_GT(port, 0);
  const std::string addr = "tcp:127.0.0.1:" + std::to_string(port);
  write_file(dir + "/good.key", "0123456789abcdef0123456789abcdef\n");
  write_file(dir + "/bad.key", "fedcba9876543210fedcba9876543210\n");
  write_file(dir + "/host.toml", "[guests]\nlisten = [\"" + addr +
                                     "\"]\n[[guests.guest]]\nid = 4\nkey_file = \"" + dir + "/good.key\"\n");
  Daemon host;
  start_swteed(host, {"--config", dir + "/host.toml", "--runtime-dir", hdir});
  ASSERT_EQ(host.ready, 'R');
  write_file(dir + "/bad.toml", "[drivers.remote]\naddress = \"" + addr + "\"\nkey_file = \"" + dir +
                                    "/bad.key\"\nconnect_timeout_ms = 2000\n");
  Daemon bad;
  start_swteed(bad, {"--config", dir + "/bad.toml", "--runtime-dir", gdir});
  EXPECT_EQ(bad.ready, 0) << "a guest with a wrong key became ready";
  EXPECT_EQ(bad.exit_status(), 1);
  write_file(dir + "/good.toml",
             "[drivers.remote]\naddress = \"" + addr + "\"\nkey_file = \"" + dir + "/good.key\"\n");
  Daemon good;
  start_swteed(good, {"--config", dir + "/good.toml", "--runtime-dir", gdir});
  ASSERT_EQ(good.ready, 'G');
  {
    RuntimeEnv env(gdir);
    Context ctx;
    Session s;
    EXPECT_EQ(s.open(ctx.get(), kInvokeTestsPta), TEEC_SUCCESS);
  }
  good.stop(SIGTERM);
  host.stop(SIGTERM);
  std::filesystem::remove_all(dir);
}

}  // namespace
