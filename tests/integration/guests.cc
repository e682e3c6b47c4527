// Guests (docs/remote.md) with real processes: a guest swteed (remote
// driver) connected to a host swteed. Run by ctest xtest_guests, whose host
// stack (swtee run --config) accepts this uid as guest 1 at
// $SWTEE_XTEST_GUEST_ADDR; the host-restart and TCP cases start their own
// host swteed (no supplicant: they use the invoke_tests PTA). The two-guest
// cases (TwoGuests, G04..) start their own host stack (swtee daemon, with a
// supplicant) that tells its guests apart by their TCP keys.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <thread>

#include "common/child_process.h"
#include "common/stream_socket.h"
#include "protocol/remote_auth.h"
#include "protocol/remote_codec.h"
#include "protocol/remote_stream.h"
#include "storage_client.h"
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

// A call of the xtest TA with a memref (XTEST_CMD_SUM of 64 bytes).
TEEC_Result invoke_with_memref(Session& s) {
  char buf[64] = "guest bytes";
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {buf, sizeof(buf)};
  return s.invoke(XTEST_CMD_SUM, &op);
}

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
    ASSERT_EQ(invoke_with_memref(s1), TEEC_SUCCESS);
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

// ---- Two guests of one host (G04..) ----

// A context of the stack whose sockets are in `runtime`.
std::unique_ptr<Context> context_in(const std::string& runtime) {
  RuntimeEnv env(runtime);
  return std::make_unique<Context>();
}

// A context of `runtime`'s stack with sessions `a` on TA `ua` and `b` on
// `ub` (declare the sessions after the context's owner: they close first).
std::unique_ptr<Context> context_with(const std::string& runtime, Session& a, const TEEC_UUID& ua, Session& b,
                                      const TEEC_UUID& ub) {
  auto c = context_in(runtime);
  EXPECT_EQ(c->result(), TEEC_SUCCESS);
  EXPECT_EQ(a.open(c->get(), ua), TEEC_SUCCESS);
  EXPECT_EQ(b.open(c->get(), ub), TEEC_SUCCESS);
  return c;
}

// The xtest TA instance behind `s` (XTEST_CMD_COUNTS).
struct InstanceCounts {
  uint32_t opened = 0, closed = 0, created = 0;
};
InstanceCounts instance_counts(Session& s) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  EXPECT_EQ(s.invoke(XTEST_CMD_COUNTS, &op), TEEC_SUCCESS);
  return {op.params[0].value.a, op.params[0].value.b, op.params[1].value.a};
}

// What one partition of swtee-os holds, as seen by a client of that
// partition through its own stats PTA (STATS_CMD_COUNTS, which counts the
// caller's partition only); the stats session itself is one of the sessions.
struct PartitionCounts {
  long sessions = -1, instances = -1, shms = -1;
};
PartitionCounts partition_counts(Context& ctx) {
  PartitionCounts c;
  Session st;
  if (st.open(ctx.get(), kStatsPta) != TEEC_SUCCESS) return c;
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  if (st.invoke(0, &op) != TEEC_SUCCESS) return c;
  c.sessions = op.params[0].value.a;
  c.instances = op.params[0].value.b;
  c.shms = op.params[1].value.a;
  return c;
}

// One host stack (swtee daemon: swteed accepting guests over TCP, and a
// supplicant that loads the TAs and keeps trusted storage) and two guest
// swteeds, A and B, connected to it at once. The host tells them apart by
// the key each answers its challenge with; C's key is for a guest that
// speaks the remote protocol itself (G06). Guest ids: A 21, B 22, C 23.
class TwoGuests : public ::testing::Test {
 protected:
  enum { kA = 0, kB = 1 };

  static void SetUpTestSuite() {
    dir_ = make_dir();
    host_ = dir_ + "/host";
    mkdir(host_.c_str(), 0700);
    const int port = free_port();
    ASSERT_GT(port, 0);
    addr_ = "tcp:127.0.0.1:" + std::to_string(port);
    std::string toml = "[guests]\nlisten = [\"" + addr_ + "\"]\n";
    const char* keys[3] = {"a-guest-key-0123456789abcdef\n", "b-guest-key-0123456789abcdef\n",
                           "c-guest-key-0123456789abcdef\n"};
    for (int i = 0; i < 3; ++i) {
      write_file(key_path(i), keys[i]);
      toml += "[[guests.guest]]\nid = " + std::to_string(21 + i) + "\nname = \"" + name(i) +
              "\"\nkey_file = \"" + key_path(i) + "\"\n";
    }
    write_file(dir_ + "/host.toml", toml);
    auto p = swtee::ChildProcess::spawn(
        swtee_binary(), {"swtee", "daemon", "--config", dir_ + "/host.toml", "--runtime-dir", host_,
                         "--state", dir_ + "/state", "--ta-dir", ta_dir()});
    ASSERT_TRUE(p.ok());
    host_proc_ = std::move(*p);
    ASSERT_TRUE(eventually([] { return host_counts(host_).guests == 0; }))
        << "the host stack did not come up";
    for (int g : {kA, kB}) start_guest(g);
  }
  static void TearDownTestSuite() {
    for (Daemon& g : guest_) g.stop(SIGTERM);
    if (host_proc_) {
      host_proc_->signal(SIGTERM);
      (void)host_proc_->wait();
      host_proc_.reset();
    }
    std::filesystem::remove_all(dir_);
  }
  void SetUp() override {
    if (!host_proc_ || guest_[kA].ready != 'G' || guest_[kB].ready != 'G')
      GTEST_FAIL() << "no host or guests";
  }

  static std::string name(int g) { return std::string(1, static_cast<char>('a' + g)); }
  static std::string key_path(int g) { return dir_ + "/" + name(g) + ".key"; }
  static const std::string& runtime(int g) { return gdir_[g]; }
  static void start_guest(int g) {
    gdir_[g] = dir_ + "/guest-" + name(g);
    mkdir(gdir_[g].c_str(), 0700);
    const std::string cfg = dir_ + "/" + name(g) + ".toml";
    write_file(cfg, "[drivers.remote]\naddress = \"" + addr_ + "\"\nname = \"" + name(g) +
                        "\"\nkey_file = \"" + key_path(g) + "\"\n");
    start_swteed(guest_[g], {"--config", cfg, "--runtime-dir", gdir_[g]});
    ASSERT_EQ(guest_[g].ready, 'G') << "guest " << name(g);
  }

  static inline std::string dir_, host_, addr_;
  static inline std::string gdir_[2];
  static inline Daemon guest_[2];
  static inline std::optional<swtee::ChildProcess> host_proc_;
};

TEST_F(TwoGuests, G04_ASingleInstanceTaHasAnInstancePerGuest) {
  auto a = context_in(runtime(kA));
  auto b = context_in(runtime(kB));
  auto h = context_in(host_);
  ASSERT_EQ(a->result(), TEEC_SUCCESS);
  ASSERT_EQ(b->result(), TEEC_SUCCESS);
  ASSERT_EQ(h->result(), TEEC_SUCCESS);
  // kSingle: SINGLE_INSTANCE | MULTI_SESSION. Guest A opens two sessions,
  // guest B one, a client of the host itself one; each instance has seen
  // only the sessions of its own guest.
  Session a1, a2, b1, h1;
  ASSERT_EQ(a1.open(a->get(), kSingle), TEEC_SUCCESS);
  ASSERT_EQ(a2.open(a->get(), kSingle), TEEC_SUCCESS);
  ASSERT_EQ(b1.open(b->get(), kSingle), TEEC_SUCCESS);
  ASSERT_EQ(h1.open(h->get(), kSingle), TEEC_SUCCESS);
  const InstanceCounts ca = instance_counts(a2), cb = instance_counts(b1), ch = instance_counts(h1);
  EXPECT_EQ(ca.opened, 2u) << "guest A's instance";
  EXPECT_EQ(cb.opened, 1u) << "guest B's instance saw another guest's sessions";
  EXPECT_EQ(ch.opened, 1u) << "the host's instance saw a guest's sessions";
  EXPECT_EQ(ca.created, 1u);
  EXPECT_EQ(cb.created, 1u);
  // Each partition counts one instance (and its own sessions: the TA's and
  // the stats PTA's).
  const PartitionCounts pa = partition_counts(*a), pb = partition_counts(*b);
  EXPECT_EQ(pa.instances, 1);
  EXPECT_EQ(pa.sessions, 3);
  EXPECT_EQ(pb.instances, 1);
  EXPECT_EQ(pb.sessions, 2);
  // The host sees two guests and what they hold together.
  const Counts hc = host_counts(host_);
  EXPECT_EQ(hc.guests, 2);
  EXPECT_EQ(hc.guest_sessions, 3);
  EXPECT_EQ(hc.guest_instances, 2);
}

TEST_F(TwoGuests, G05_TrustedStorageIsSeparatePerGuest) {
  const std::string id = "guests-same-object-id", only_a = "guests-only-in-a";
  std::unique_ptr<Store> a, b, h;
  {
    RuntimeEnv env(runtime(kA));
    a = std::make_unique<Store>();
  }
  {
    RuntimeEnv env(runtime(kB));
    b = std::make_unique<Store>();
  }
  {
    RuntimeEnv env(host_);
    h = std::make_unique<Store>();
  }
  // The same id, created in both guests without OVERWRITE: neither sees
  // the other's object, each reads its own data.
  uint32_t ha = 0, hb = 0, x = 0;
  ASSERT_EQ(a->create(id, kAll, "written by guest A", &ha), TEEC_SUCCESS);
  ASSERT_EQ(b->create(id, kAll, "written by guest B", &hb), TEEC_SUCCESS)
      << "guest B found guest A's object under the same id";
  EXPECT_EQ(a->read_all(ha), "written by guest A");
  EXPECT_EQ(b->read_all(hb), "written by guest B");
  EXPECT_EQ(a->close(ha), TEEC_SUCCESS);
  EXPECT_EQ(b->close(hb), TEEC_SUCCESS);
  // Nor does the host's own client.
  EXPECT_EQ(h->open(id, kRead, &x), TEEC_ERROR_ITEM_NOT_FOUND);
  // An object only A has: B can neither open, enumerate nor delete it.
  ASSERT_EQ(a->create(only_a, kAll, "A alone", &ha), TEEC_SUCCESS);
  EXPECT_EQ(a->close(ha), TEEC_SUCCESS);
  EXPECT_EQ(b->open(only_a, kRead, &x), TEEC_ERROR_ITEM_NOT_FOUND);
  std::vector<std::string> seen;
  EXPECT_EQ(b->list(&seen), TEEC_SUCCESS);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), only_a), 0) << "guest B enumerated guest A's object";
  b->remove(only_a);
  // B deletes its object of the shared id; A's stays.
  ASSERT_EQ(b->open(id, kAll, &hb), TEEC_SUCCESS);
  EXPECT_EQ(b->unlink(hb), TEEC_SUCCESS);
  EXPECT_EQ(b->open(id, kRead, &x), TEEC_ERROR_ITEM_NOT_FOUND);
  ASSERT_EQ(a->open(id, kRead, &ha), TEEC_SUCCESS) << "guest B's delete removed guest A's object";
  EXPECT_EQ(a->read_all(ha), "written by guest A");
  EXPECT_EQ(a->close(ha), TEEC_SUCCESS);
  ASSERT_EQ(a->open(only_a, kRead, &ha), TEEC_SUCCESS) << "guest B's delete removed guest A's object";
  EXPECT_EQ(a->close(ha), TEEC_SUCCESS);
  a->remove(id);
  a->remove(only_a);
}

// A guest that speaks the remote protocol itself (protocol/remote_wire.h),
// as a hostile guest could: every frame it likes, one call at a time.
class RawGuest {
 public:
  // Connects and answers the host's challenge with the key in `key_file`.
  bool connect(const std::string& addr, const std::string& key_file, const std::string& name) {
    auto a = swtee::parse_stream_address(addr);
    auto key = swtee::remote::read_key_file(key_file);
    if (!a.ok() || !key.ok()) return false;
    auto fd = swtee::stream_connect(*a);
    if (!fd.ok()) return false;
    fd_ = std::move(fd).value();
    if (!swtee::remote::write_frame(fd_.get(), swtee::remote::encode_hello(name)).ok()) return false;
    auto c = read(swtee::remote::MsgType::Challenge);
    if (!c) return false;
    auto body = swtee::remote::decode_challenge(c->body);
    if (!body.ok()) return false;
    swtee::remote::Nonce n;
    std::memcpy(n.data(), body->nonce, n.size());
    auto mac = swtee::remote::auth_mac(*key, n, name);
    if (!mac.ok()) return false;
    swtee::remote::AuthBody auth{};
    std::memcpy(auth.mac, mac->data(), mac->size());
    if (!send(swtee::remote::MsgType::Auth, auth)) return false;
    return read(swtee::remote::MsgType::Welcome).has_value();
  }
  // The reply to a call (rc, ret); rc -1 if no reply came.
  swtee::remote::CallReplyBody open_session(uint64_t context, const TEEC_UUID& uuid) {
    swtee::remote::OpenSessionBody b{};
    b.context = context;
    // TEEC_UUID in the UAPI's byte order (big-endian fields).
    const uint8_t u[16] = {
        static_cast<uint8_t>(uuid.timeLow >> 24),         static_cast<uint8_t>(uuid.timeLow >> 16),
        static_cast<uint8_t>(uuid.timeLow >> 8),          static_cast<uint8_t>(uuid.timeLow),
        static_cast<uint8_t>(uuid.timeMid >> 8),          static_cast<uint8_t>(uuid.timeMid),
        static_cast<uint8_t>(uuid.timeHiAndVersion >> 8), static_cast<uint8_t>(uuid.timeHiAndVersion)};
    std::memcpy(b.uuid, u, 8);
    std::memcpy(b.uuid + 8, uuid.clockSeqAndNode, 8);
    b.clnt_login = TEEC_LOGIN_PUBLIC;
    return call(swtee::remote::MsgType::OpenSession, b);
  }
  swtee::remote::CallReplyBody invoke(uint64_t context, uint32_t session, uint32_t func) {
    swtee::remote::InvokeBody b{};
    b.context = context;
    b.session = session;
    b.func = func;
    return call(swtee::remote::MsgType::Invoke, b);
  }
  // CloseReply's rc (-1: no reply).
  int close_session(uint64_t context, uint32_t session) {
    if (!send(swtee::remote::MsgType::CloseSession, swtee::remote::CloseSessionBody{context, session, 0}))
      return -1;
    auto r = read(swtee::remote::MsgType::CloseReply);
    if (!r) return -1;
    auto b = swtee::remote::decode_close_reply(r->body);
    return b.ok() ? b->rc : -1;
  }
  // No replies to these.
  bool cancel(uint64_t context, uint32_t session) {
    return send(swtee::remote::MsgType::Cancel, swtee::remote::CancelBody{context, session, 0});
  }
  bool close_context(uint64_t context) {
    return send(swtee::remote::MsgType::CloseContext, swtee::remote::CloseContextBody{context});
  }

 private:
  template <typename T>
  bool send(swtee::remote::MsgType t, const T& body) {
    return swtee::remote::write_frame(fd_.get(), swtee::remote::encode_fixed(t, ++tag_, body)).ok();
  }
  std::optional<swtee::remote::Frame> read(swtee::remote::MsgType want) {
    auto f = swtee::remote::read_frame(fd_.get());
    if (!f.ok() || f->type() != want) return std::nullopt;
    return std::move(f).value();
  }
  template <typename T>
  swtee::remote::CallReplyBody call(swtee::remote::MsgType t, const T& body) {
    swtee::remote::CallReplyBody none{};
    none.rc = -1;
    if (!send(t, body)) return none;
    auto r = read(swtee::remote::MsgType::CallReply);
    if (!r) return none;
    auto m = swtee::remote::decode_call_reply(r->body);
    return m.ok() ? m->fixed : none;
  }

  swtee::UniqueFd fd_;
  uint64_t tag_ = 0;
};

TEST_F(TwoGuests, G06_NoGuestCanNameAnotherGuestsContextsOrSessions) {
  // Guest A holds sessions (and, after a memref call, shm) on the host.
  std::unique_ptr<Context> a;
  Session a1, a2;
  a = context_with(runtime(kA), a1, kSingle, a2, kSingle);
  ASSERT_EQ(invoke_with_memref(a1), TEEC_SUCCESS);
  const InstanceCounts before = instance_counts(a1);
  ASSERT_EQ(before.opened, 2u) << "could not open guest A's sessions";
  // Guest C speaks the protocol itself. It opens one session in its own
  // context 1, then names every other (context, session) pair a guest's
  // core can have made here: guests' context ids and swtee-os's session
  // ids are small numbers counted from 1 (within a guest, a partition).
  RawGuest c;
  ASSERT_TRUE(c.connect(addr_, key_path(2), "c"));
  const swtee::remote::CallReplyBody own = c.open_session(1, kInvokeTestsPta);
  ASSERT_EQ(own.rc, 0);
  ASSERT_EQ(own.ret, TEEC_SUCCESS);
  ASSERT_NE(own.session, 0u);
  constexpr uint64_t kContexts = 8;
  constexpr uint32_t kSessions = 32;
  int reached = 0;
  for (uint64_t ctx = 1; ctx <= kContexts; ++ctx) {
    for (uint32_t s = 1; s <= kSessions; ++s) {
      if (ctx == 1 && s == own.session) continue;
      const swtee::remote::CallReplyBody r = c.invoke(ctx, s, XTEST_CMD_NULL);
      ASSERT_NE(r.rc, -1) << "no reply from the host";
      if (r.rc == 0 && r.ret == TEEC_SUCCESS) {
        ++reached;
        ADD_FAILURE() << "guest C invoked session " << s << " of context " << ctx;
      }
      c.cancel(ctx, s);
      EXPECT_NE(c.close_session(ctx, s), 0) << "guest C closed session " << s << " of context " << ctx;
    }
    if (ctx != 1) ASSERT_TRUE(c.close_context(ctx));
  }
  EXPECT_EQ(reached, 0);
  // Its own session still answers (the host served it all along).
  EXPECT_EQ(c.invoke(1, own.session, 0).rc, 0);
  // Guest A's sessions are untouched: none was closed, none added.
  const InstanceCounts after = instance_counts(a1);
  EXPECT_EQ(after.opened, before.opened);
  EXPECT_EQ(after.closed, before.closed);
  EXPECT_EQ(a2.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
  EXPECT_EQ(invoke_with_memref(a1), TEEC_SUCCESS);
}

TEST_F(TwoGuests, G07_AGuestThatDiesLosesOnlyWhatItHeld) {
  // A and B both hold an instance of the keep-alive counter TA (its
  // instance lives on without sessions) and sessions of kSingle.
  std::unique_ptr<Context> a;
  Session a1, a2;
  a = context_with(runtime(kA), a1, kSingle, a2, kCounter);
  ASSERT_FALSE(HasFailure());
  const InstanceCounts a_counter = instance_counts(a2);
  const PartitionCounts pa = partition_counts(*a);
  {
    std::unique_ptr<Context> b;
    Session b1, b2;
    b = context_with(runtime(kB), b1, kSingle, b2, kCounter);
    ASSERT_EQ(host_counts(host_).guests, 2);
    // B's daemon dies with all of it open.
    guest_[kB].stop(SIGKILL);
  }
  EXPECT_TRUE(eventually([&] {
    const Counts c = host_counts(host_);
    return c.guests == 1 && c.guest_sessions == pa.sessions - 1 && c.guest_instances == pa.instances;
  })) << "the host still holds B's partition or lost A's";
  // A's sessions and instances are as they were: the same counter
  // instance, nothing closed under it.
  EXPECT_EQ(a1.invoke(XTEST_CMD_NULL), TEEC_SUCCESS);
  const InstanceCounts now = instance_counts(a2);
  EXPECT_EQ(now.created, a_counter.created);
  EXPECT_EQ(now.opened, a_counter.opened);
  EXPECT_EQ(now.closed, a_counter.closed);
  const PartitionCounts pa_now = partition_counts(*a);
  EXPECT_EQ(pa_now.sessions, pa.sessions);
  EXPECT_EQ(pa_now.instances, pa.instances);
  // B comes back as a fresh guest: its counter instance is a new one.
  start_guest(kB);
  auto b = context_in(runtime(kB));
  Session b2;
  ASSERT_EQ(b2.open(b->get(), kCounter), TEEC_SUCCESS);
  EXPECT_EQ(instance_counts(b2).opened, 1u);
}

}  // namespace
