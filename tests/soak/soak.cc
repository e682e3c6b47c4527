// swtee-soak (make soak; docs/soak.md): a private `swtee daemon` under
// sustained load while parts of it are killed.
//
// P client processes keep S sessions each (by default 64 x 4 = 256) on two
// test TAs (one shared single-instance TA, and one process per session for
// some) and call them in a loop with inputs drawn at random, checking every
// result. Meanwhile the soak kill -9s random TA processes and random
// clients (a killed client is replaced), and, in the last part of the run,
// the supplicant: whatever the stack's policy on main is, the soak follows
// it — if `swtee daemon` exits (the stack stops when a part dies), the soak
// counts that and starts it again; if the supplicant comes back in place,
// it counts that.
//
// Phases: warm-up (pools reach their working size), then a quiet point
// where swteed, swtee-os and the supplicant are measured (fds, threads,
// RSS from /proc) with every client idle; the main phase (TA and client
// kills); a second quiet point, measured the same way; then the supplicant
// phase. Verdict: no wrong result, no lost call (one that did not return
// within --lost-after seconds, or a client that did not stop), no
// unexpected error code, fds and threads not above the baseline, RSS within
// a small margin of it. Exit 0 only if all hold.
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tee_client_api.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/child_process.h"
#include "xtest_ta.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const TEEC_UUID kSingle = XTEST_TA_SINGLE_UUID;
const TEEC_UUID kMulti = XTEST_TA_MULTI_UUID;

constexpr int kMaxProcs = 256;
// The stack's spare idle expiry (drivers.optee.spare_idle_ms), and how long
// a quiet point waits for the last TA process to go.
constexpr int kSpareIdleMs = 2000;
constexpr int kQuietTaWaitMs = 20000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}
void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// ---- shared counters (one anonymous shared mapping, made before fork) ----
struct Slot {
  std::atomic<uint64_t> ok, wrong, ta_dead, comm, reopen, reconnect, unexpected;
  std::atomic<int64_t> call_start_ms;  // 0 while not in a call
  std::atomic<int> idle;               // 1: acknowledged a pause, holds no context
  std::atomic<uint32_t> last_unexpected;
  std::atomic<uint32_t> last_unexpected_origin;
};
struct Shared {
  std::atomic<int> stop;
  std::atomic<int> pause;
  Slot slots[kMaxProcs];
};
Shared* g_shared = nullptr;

// ---- the client ----
struct ClientSession {
  TEEC_Session s{};
  bool open = false;
  TEEC_UUID uuid{};
};

bool is_expected_failure(TEEC_Result r) {
  // TA killed (or swtee-os going down with the stack); stack gone or
  // restarting (connection closed, supplicant down).
  return r == TEEC_ERROR_TARGET_DEAD || r == TEEC_ERROR_COMMUNICATION;
}

class Client {
 public:
  Client(int index, int sessions, uint64_t seed) : idx_(index), slot_(g_shared->slots[index]), rng_(seed) {
    sess_.resize(static_cast<size_t>(sessions));
    for (size_t j = 0; j < sess_.size(); ++j) {
      // Every other client keeps its last session on a TA with a process per
      // session; the rest share the single-instance TA.
      const bool multi = (index % 2 == 0) && j + 1 == sess_.size();
      sess_[j].uuid = multi ? kMulti : kSingle;
    }
  }

  int run() {
    size_t j = 0;
    while (g_shared->stop.load() == 0) {
      if (g_shared->pause.load() != 0) {
        drop_context();
        slot_.idle.store(1);
        sleep_ms(50);
        continue;
      }
      slot_.idle.store(0);
      if (!have_ctx_ && !connect()) {
        sleep_ms(100);
        continue;
      }
      ClientSession& cs = sess_[j];
      j = (j + 1) % sess_.size();
      if (!cs.open && !open(cs)) continue;
      call(cs);
    }
    drop_context();
    return 0;
  }

 private:
  bool connect() {
    const TEEC_Result r = TEEC_InitializeContext(nullptr, &ctx_);
    if (r != TEEC_SUCCESS) {
      // The stack is restarting: sockets missing or refusing.
      return false;
    }
    have_ctx_ = true;
    slot_.reconnect.fetch_add(1);
    return true;
  }

  void drop_context() {
    if (!have_ctx_) return;
    for (auto& cs : sess_) {
      if (cs.open) TEEC_CloseSession(&cs.s);
      cs.open = false;
    }
    TEEC_FinalizeContext(&ctx_);
    have_ctx_ = false;
  }

  void note(TEEC_Result r, uint32_t origin) {
    if (is_expected_failure(r)) {
      if (r == TEEC_ERROR_TARGET_DEAD) {
        slot_.ta_dead.fetch_add(1);
      } else {
        slot_.comm.fetch_add(1);
      }
      return;
    }
    slot_.unexpected.fetch_add(1);
    slot_.last_unexpected.store(r);
    slot_.last_unexpected_origin.store(origin);
  }

  // After a COMMUNICATION error the connection is gone for good (stack
  // restart): start over with a new context.
  void after_failure(TEEC_Result r) {
    if (r == TEEC_ERROR_COMMUNICATION) {
      drop_context();
      sleep_ms(50);
    }
  }

  bool open(ClientSession& cs) {
    uint32_t origin = 0;
    slot_.call_start_ms.store(now_ms());
    const TEEC_Result r =
        TEEC_OpenSession(&ctx_, &cs.s, &cs.uuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
    slot_.call_start_ms.store(0);
    if (r == TEEC_SUCCESS) {
      cs.open = true;
      slot_.reopen.fetch_add(1);
      return true;
    }
    note(r, origin);
    after_failure(r);
    if (r != TEEC_ERROR_COMMUNICATION) sleep_ms(20);
    return false;
  }

  void call(ClientSession& cs) {
    TEEC_Operation op{};
    uint32_t origin = 0;
    const int kind = static_cast<int>(rng_() % 3);
    std::vector<uint8_t> in, out;
    uint32_t a = static_cast<uint32_t>(rng_()), b = static_cast<uint32_t>(rng_());
    uint32_t cmd = 0;
    if (kind == 0) {
      cmd = XTEST_CMD_VALUES;
      op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
      op.params[0].value.a = a;
      op.params[0].value.b = b;
    } else {
      in.resize(1 + rng_() % 2048);
      for (auto& c : in) c = static_cast<uint8_t>(rng_());
      op.params[0].tmpref.buffer = in.data();
      op.params[0].tmpref.size = in.size();
      if (kind == 1) {
        cmd = XTEST_CMD_REVERSE;
        out.assign(in.size(), 0);
        op.params[1].tmpref.buffer = out.data();
        op.params[1].tmpref.size = out.size();
        op.paramTypes =
            TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE);
      } else {
        cmd = XTEST_CMD_SUM;
        op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
      }
    }
    slot_.call_start_ms.store(now_ms());
    const TEEC_Result r = TEEC_InvokeCommand(&cs.s, cmd, &op, &origin);
    slot_.call_start_ms.store(0);
    if (r != TEEC_SUCCESS) {
      note(r, origin);
      TEEC_CloseSession(&cs.s);
      cs.open = false;
      after_failure(r);
      return;
    }
    bool right = false;
    if (kind == 0) {
      right = op.params[0].value.a == a + 1 && op.params[0].value.b == b + 2;
    } else if (kind == 1) {
      right = op.params[1].tmpref.size == in.size() && std::equal(in.rbegin(), in.rend(), out.begin());
    } else {
      uint32_t sum = 0;
      for (uint8_t c : in) sum += c;
      right = op.params[1].value.a == sum && op.params[1].value.b == in.size();
    }
    if (right) {
      slot_.ok.fetch_add(1);
    } else {
      slot_.wrong.fetch_add(1);
      std::fprintf(stderr, "soak: client %d: WRONG result for command %u\n", idx_, cmd);
    }
  }

  int idx_;
  Slot& slot_;
  std::mt19937_64 rng_;
  TEEC_Context ctx_{};
  bool have_ctx_ = false;
  std::vector<ClientSession> sess_;
};

// ---- /proc helpers ----
struct ProcInfo {
  pid_t pid;
  pid_t ppid;
  std::string comm;
};

std::vector<ProcInfo> list_procs() {
  std::vector<ProcInfo> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f(e.path() / "stat");
    std::string st;
    std::getline(f, st);
    const size_t open = st.find('('), close = st.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 4 >= st.size()) continue;
    out.push_back({static_cast<pid_t>(std::stol(name)),
                   static_cast<pid_t>(std::strtol(st.c_str() + close + 4, nullptr, 10)),
                   st.substr(open + 1, close - open - 1)});
  }
  return out;
}

std::vector<pid_t> children(const std::vector<ProcInfo>& ps, pid_t parent, const char* comm = nullptr) {
  std::vector<pid_t> out;
  for (const auto& p : ps)
    if (p.ppid == parent && (comm == nullptr || p.comm == comm)) out.push_back(p.pid);
  return out;
}

// The title a TA process gives itself: "swtee-ta <uuid> ...".
constexpr const char* kSingleUuidText = "93b32775-3c1c-4fb9-8c43-4e94d205e203";  // XTEST_TA_SINGLE_UUID

std::string cmdline(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/cmdline");
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

struct Usage {
  long fds = -1, threads = -1, rss_kb = -1;
  // fds by kind: the link target with its inode or number dropped
  // ("socket", "anon_inode:[eventfd]", "/memfd:NAME", a path), so a count
  // that grew can be named.
  std::map<std::string, long> fd_kinds;
};

// "socket:[123]" -> "socket", "pipe:[9]" -> "pipe", "/memfd:x (deleted)" ->
// "/memfd:x"; anything else as it is.
std::string fd_kind(std::string target) {
  for (const char* prefix : {"socket:[", "pipe:["})
    if (target.rfind(prefix, 0) == 0) return target.substr(0, std::strlen(prefix) - 2);
  const std::string deleted = " (deleted)";
  if (target.size() > deleted.size() && target.ends_with(deleted))
    target.resize(target.size() - deleted.size());
  return target;
}

Usage usage(pid_t pid) {
  Usage u;
  if (pid <= 0) return u;
  std::error_code ec;
  long n = 0;
  for (auto it = fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    ++n;
    std::error_code lec;
    const fs::path target = fs::read_symlink(it->path(), lec);
    ++u.fd_kinds[lec ? std::string("?") : fd_kind(target.string())];
  }
  if (ec) return u;
  u.fds = n;
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("Threads:", 0) == 0) u.threads = std::strtol(line.c_str() + 8, nullptr, 10);
    if (line.rfind("VmRSS:", 0) == 0) u.rss_kb = std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return u;
}

// ---- the stack ----
struct Options {
  std::string swtee, ta_dir;
  int duration_s = 600;
  int procs = 64;
  int sessions = 4;
  int lost_after_s = 60;
  int supplicant_kills = -1;  // -1: by duration
  int uids = 4;               // clients run as this many uids (when root)
  uint64_t seed = 1;
};

class Stack {
 public:
  Stack(const Options& o, const std::string& base) : o_(o), base_(base) {}
  bool start() {
    const std::string runtime = base_ + "/run";
    // Spares not taken go after kSpareIdleMs (30 s by default), so that at
    // each quiet point the stack holds no TA process at all and the fd
    // counts compare like with like.
    const std::string config = base_ + "/swteed.toml";
    {
      std::ofstream f(config);
      f << "[drivers.optee]\nspare_idle_ms = " << kSpareIdleMs << "\n";
      if (!f) return false;
    }
    std::vector<std::string> argv = {"swtee",          "daemon",   "--runtime-dir", runtime,    "--state",
                                     base_ + "/state", "--ta-dir", o_.ta_dir,       "--config", config};
    auto d = swtee::ChildProcess::spawn(o_.swtee, argv, {});
    if (!d.ok()) return false;
    proc_ = std::move(*d);
    for (int i = 0; i < 600; ++i) {  // up to 60 s on a loaded machine
      struct stat st {};
      if (stat((runtime + "/tee0").c_str(), &st) == 0 && supplicant() > 0 && os() > 0) return true;
      int status = 0;
      if (proc_.try_wait(&status)) return false;
      sleep_ms(100);
    }
    return false;
  }
  // True (and reaped) if `swtee daemon` has exited.
  bool exited(int* status) { return proc_.valid() && proc_.try_wait(status); }
  void stop() {
    if (!proc_.valid()) return;
    proc_.signal(SIGTERM);
    (void)proc_.wait();
  }
  pid_t daemon() const { return proc_.pid(); }
  pid_t swteed() const { return first(children(list_procs(), proc_.pid(), "swteed")); }
  pid_t supplicant() const { return first(children(list_procs(), proc_.pid(), "swtee-supplican")); }
  pid_t os() const {
    auto ps = list_procs();
    auto d = children(ps, proc_.pid(), "swteed");
    return d.empty() ? -1 : first(children(ps, d[0], "swtee-os"));
  }
  // TA processes: the children of the TA host zygote under swtee-os.
  std::vector<pid_t> tas() const {
    auto ps = list_procs();
    auto d = children(ps, proc_.pid(), "swteed");
    if (d.empty()) return {};
    auto os = children(ps, d[0], "swtee-os");
    if (os.empty()) return {};
    auto zy = children(ps, os[0], "swtee-ta-host");
    if (zy.empty()) return {};
    return children(ps, zy[0]);
  }

 private:
  static pid_t first(const std::vector<pid_t>& v) { return v.empty() ? -1 : v[0]; }
  const Options& o_;
  std::string base_;
  swtee::ChildProcess proc_;
};

// ---- the orchestrator ----
struct Totals {
  uint64_t ok = 0, wrong = 0, ta_dead = 0, comm = 0, reopen = 0, reconnect = 0, unexpected = 0;
};
Totals totals(int procs) {
  Totals t;
  for (int i = 0; i < procs; ++i) {
    Slot& s = g_shared->slots[i];
    t.ok += s.ok;
    t.wrong += s.wrong;
    t.ta_dead += s.ta_dead;
    t.comm += s.comm;
    t.reopen += s.reopen;
    t.reconnect += s.reconnect;
    t.unexpected += s.unexpected;
  }
  return t;
}

pid_t spawn_client(int index, const Options& o, uint64_t seed) {
  g_shared->slots[index].call_start_ms.store(0);
  g_shared->slots[index].idle.store(0);
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Tenants: the clients are spread over several uids, as on a real
    // system, so each stays well inside the per-uid shares of swteed and
    // swtee-os. Pairs of clients share a uid: every other client holds a
    // TA process of its own (Client), so `index % uids` would put all 32
    // of those on half of the uids, 16 each: exactly swtee-os's share of
    // TA instances (25 % of 64), with no room for the single-instance TA
    // or for a killed instance not yet reaped.
    if (geteuid() == 0 && o.uids > 0) {
      const gid_t id = static_cast<gid_t>(60000 + (index / 2) % o.uids);
      if (setgroups(0, nullptr) != 0 || setgid(id) != 0 || setuid(id) != 0) _exit(3);
    }
    Client c(index, o.sessions, seed);
    _exit(c.run());
  }
  return pid;
}

void print_usage(const char* what, pid_t pid, const Usage& u) {
  std::printf("  %-17s pid %-7d fds %4ld  threads %3ld  rss %7ld KiB\n", what, pid, u.fds, u.threads,
              u.rss_kb);
  std::string kinds;
  for (const auto& [kind, n] : u.fd_kinds)
    kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  std::printf("    fds: %s\n", kinds.c_str());
}

// The kinds of fd whose count differs between two readings, e.g.
// "socket 10 -> 16": what a grown fd count is made of.
void print_fd_kinds_changed(const Usage& a, const Usage& b) {
  std::map<std::string, std::pair<long, long>> both;
  for (const auto& [kind, n] : a.fd_kinds) both[kind].first = n;
  for (const auto& [kind, n] : b.fd_kinds) both[kind].second = n;
  for (const auto& [kind, n] : both)
    if (n.first != n.second) std::printf("    fds of kind %s: %ld -> %ld\n", kind.c_str(), n.first, n.second);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--swtee")
      o.swtee = val();
    else if (a == "--ta-dir")
      o.ta_dir = val();
    else if (a == "--duration")
      o.duration_s = std::atoi(val().c_str());
    else if (a == "--procs")
      o.procs = std::atoi(val().c_str());
    else if (a == "--sessions")
      o.sessions = std::atoi(val().c_str());
    else if (a == "--lost-after")
      o.lost_after_s = std::atoi(val().c_str());
    else if (a == "--supplicant-kills")
      o.supplicant_kills = std::atoi(val().c_str());
    else if (a == "--uids")
      o.uids = std::atoi(val().c_str());
    else if (a == "--seed")
      o.seed = std::strtoull(val().c_str(), nullptr, 0);
    else {
      std::fprintf(stderr,
                   "usage: swtee-soak --swtee PATH --ta-dir DIR [--duration S] [--procs N] [--sessions N]\n"
                   "                  [--lost-after S] [--supplicant-kills N] [--uids N] [--seed N]\n");
      return 2;
    }
  }
  if (o.swtee.empty() || o.ta_dir.empty() || o.procs < 1 || o.procs > kMaxProcs || o.sessions < 1 ||
      o.duration_s < 20)
    return 2;
  if (o.supplicant_kills < 0) o.supplicant_kills = o.duration_s >= 300 ? 3 : 1;

  void* m = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return 1;
  g_shared = new (m) Shared();

  char tmpl[] = "/tmp/swtee-soak-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  const std::string base = tmpl;
  // Clients of other uids must reach the sockets (swteed checks the
  // directories' owner and that only it may write them).
  if (chmod(base.c_str(), 0755) != 0) return 1;
  const std::string runtime = base + "/run";
  setenv("SWTEE_RUNTIME_DIR", runtime.c_str(), 1);

  Stack stack(o, base);
  if (!stack.start()) {
    std::fprintf(stderr, "soak: the stack did not start\n");
    return 1;
  }
  std::mt19937_64 rng(o.seed);
  std::vector<pid_t> clients(static_cast<size_t>(o.procs), -1);
  for (int i = 0; i < o.procs; ++i) clients[static_cast<size_t>(i)] = spawn_client(i, o, rng());

  const int64_t t0 = now_ms();
  const int64_t total_ms = int64_t{o.duration_s} * 1000;
  const int64_t warmup_end = t0 + std::max<int64_t>(10'000, total_ms / 10);
  const int64_t main_end = t0 + total_ms * 8 / 10;
  const int64_t end = t0 + total_ms;
  uint64_t ta_kills = 0, client_kills = 0, supp_kills = 0, stack_restarts = 0, supp_restarts_in_place = 0;
  uint64_t lost = 0, stray_exits = 0;
  std::vector<int64_t> lost_marked(static_cast<size_t>(o.procs), 0);
  int64_t next_ta_kill = warmup_end + 2000, next_client_kill = warmup_end + 3000;
  std::vector<int64_t> supp_kill_at;
  for (int k = 0; k < o.supplicant_kills; ++k)
    supp_kill_at.push_back(main_end + (end - main_end) * k / o.supplicant_kills + 2000);
  size_t next_supp = 0;
  bool failed_start = false;

  struct Snap {
    pid_t swteed, os, supp;
    Usage u_swteed, u_os, u_supp;
  };
  auto quiet_point = [&](const char* label) {
    g_shared->pause.store(1);
    for (int w = 0; w < 600; ++w) {  // clients drop their contexts
      int idle = 0;
      for (int i = 0; i < o.procs; ++i) idle += g_shared->slots[i].idle.load();
      if (idle == o.procs) break;
      sleep_ms(100);
    }
    sleep_ms(2000);  // calls and closes drain inside the stack
    // No session is open, so every instance goes; the spares go after the
    // idle expiry. Measured with no TA process, swtee-os's fds are its own.
    size_t tas = stack.tas().size();
    for (int w = 0; tas != 0 && w < kQuietTaWaitMs / 100; ++w) {
      sleep_ms(100);
      tas = stack.tas().size();
    }
    if (tas != 0) std::printf("soak: %zu TA processes still there at the quiet point\n", tas);
    Snap s{stack.swteed(), stack.os(), stack.supplicant(), {}, {}, {}};
    s.u_swteed = usage(s.swteed);
    s.u_os = usage(s.os);
    s.u_supp = usage(s.supp);
    std::printf("soak: %s (%.0f s), every client idle:\n", label, (now_ms() - t0) / 1000.0);
    print_usage("swteed", s.swteed, s.u_swteed);
    print_usage("swtee-os", s.os, s.u_os);
    print_usage("swtee-supplicant", s.supp, s.u_supp);
    std::fflush(stdout);
    g_shared->pause.store(0);
    return s;
  };

  auto reap_and_replace = [&](int64_t now) {
    for (int i = 0; i < o.procs; ++i) {
      pid_t& c = clients[static_cast<size_t>(i)];
      if (c <= 0) continue;
      int st = 0;
      if (waitpid(c, &st, WNOHANG) == c) {
        if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)) {
          ++stray_exits;  // a client that died on its own: a crash in libteec or a wrong path
          std::fprintf(stderr, "soak: client %d exited on its own (status 0x%x)\n", i, st);
        }
        c = spawn_client(i, o, rng());
      }
      const int64_t started = g_shared->slots[i].call_start_ms.load();
      if (started != 0 && now - started > int64_t{o.lost_after_s} * 1000 &&
          lost_marked[static_cast<size_t>(i)] != started) {
        lost_marked[static_cast<size_t>(i)] = started;
        ++lost;
        std::fprintf(stderr, "soak: client %d: a call has not returned for %d s (lost)\n", i, o.lost_after_s);
      }
    }
  };

  auto check_stack = [&]() {
    int st = 0;
    if (!stack.exited(&st)) return;
    // The stack's policy: a dead part stops it (non-zero). Start it again.
    ++stack_restarts;
    std::printf("soak: swtee daemon exited (status 0x%x); restarting the stack (%" PRIu64 ")\n", st,
                stack_restarts);
    std::fflush(stdout);
    if (!stack.start()) {
      std::fprintf(stderr, "soak: the stack did not restart\n");
      failed_start = true;
    }
  };

  // Warm-up, then the baseline.
  while (now_ms() < warmup_end && !failed_start) {
    reap_and_replace(now_ms());
    check_stack();
    sleep_ms(100);
  }
  const Snap base_snap = quiet_point("baseline after warm-up");

  // Main phase: TA and client kills; then the supplicant phase.
  Snap main_snap{};
  bool main_measured = false;
  while (!failed_start) {
    const int64_t now = now_ms();
    if (now >= end) break;
    reap_and_replace(now);
    check_stack();
    if (now >= next_ta_kill) {
      // Every other kill hits the single-instance TA (all its sessions die
      // at once); the rest pick any TA process (per-session ones, spares).
      auto tas = stack.tas();
      if (ta_kills % 2 == 0) {
        std::vector<pid_t> single;
        for (pid_t p : tas)
          if (cmdline(p).find(kSingleUuidText) != std::string::npos) single.push_back(p);
        if (!single.empty()) tas = single;
      }
      if (!tas.empty() && kill(tas[rng() % tas.size()], SIGKILL) == 0) ++ta_kills;
      next_ta_kill = now + 1000 + static_cast<int64_t>(rng() % 4000);
    }
    if (now >= next_client_kill) {
      pid_t& c = clients[rng() % clients.size()];
      if (c > 0 && kill(c, SIGKILL) == 0) ++client_kills;
      next_client_kill = now + 1000 + static_cast<int64_t>(rng() % 4000);
    }
    if (!main_measured && now >= main_end) {
      main_snap = quiet_point("end of the main phase");
      main_measured = true;
    }
    if (main_measured && next_supp < supp_kill_at.size() && now >= supp_kill_at[next_supp]) {
      ++next_supp;
      const pid_t supp = stack.supplicant();
      if (supp > 0 && kill(supp, SIGKILL) == 0) {
        ++supp_kills;
        // Which policy: the daemon stops (restart the stack), or the
        // supplicant comes back under the same daemon.
        for (int w = 0; w < 100; ++w) {
          sleep_ms(100);
          int st = 0;
          if (stack.exited(&st)) {
            ++stack_restarts;
            std::printf("soak: supplicant killed; swtee daemon exited (status 0x%x): restarting the stack\n",
                        st);
            std::fflush(stdout);
            if (!stack.start()) failed_start = true;
            break;
          }
          const pid_t again = stack.supplicant();
          if (again > 0 && again != supp) {
            ++supp_restarts_in_place;
            std::printf("soak: supplicant killed; restarted in place (pid %d)\n", again);
            std::fflush(stdout);
            break;
          }
        }
      }
    }
    sleep_ms(50);
  }

  // Stop: every client must finish its call and exit.
  g_shared->stop.store(1);
  const int64_t stop_deadline = now_ms() + int64_t{o.lost_after_s} * 1000;
  for (int i = 0; i < o.procs; ++i) {
    pid_t c = clients[static_cast<size_t>(i)];
    if (c <= 0) continue;
    int st = 0;
    for (;;) {
      if (waitpid(c, &st, WNOHANG) == c) break;
      if (now_ms() > stop_deadline) {
        ++lost;
        std::fprintf(stderr, "soak: client %d did not stop (a call never returned)\n", i);
        kill(c, SIGKILL);
        waitpid(c, &st, 0);
        break;
      }
      sleep_ms(20);
    }
  }
  sleep_ms(2000);
  const pid_t end_swteed = stack.swteed(), end_os = stack.os(), end_supp = stack.supplicant();
  const Usage e_swteed = usage(end_swteed), e_os = usage(end_os), e_supp = usage(end_supp);
  std::printf("soak: end (%.0f s), every client gone:\n", (now_ms() - t0) / 1000.0);
  print_usage("swteed", end_swteed, e_swteed);
  print_usage("swtee-os", end_os, e_os);
  print_usage("swtee-supplicant", end_supp, e_supp);
  stack.stop();
  std::error_code ec;
  fs::remove_all(base, ec);

  // Flatness: the main phase against the baseline (same processes, every
  // client idle at both points): no more fds, at most 2 more threads, RSS
  // within allocator noise (10 % + 4 MiB).
  bool flat = main_measured && !failed_start;
  auto cmp = [&](const char* what, pid_t pa, const Usage& a, pid_t pb, const Usage& b) {
    if (pa != pb) {
      std::printf("  %-17s restarted between the two points (pid %d -> %d): not compared\n", what, pa, pb);
      return;
    }
    // Threads: +2 is the idle-thread allowance of a context that stays open
    // across both points (the supplicant's; max_idle_threads_per_context),
    // whose parked followers depend on timing, not on a leak.
    const bool ok =
        b.fds >= 0 && b.fds <= a.fds && b.threads <= a.threads + 2 && b.rss_kb <= a.rss_kb * 11 / 10 + 4096;
    std::printf("  %-17s fds %ld -> %ld, threads %ld -> %ld, rss %ld -> %ld KiB: %s\n", what, a.fds, b.fds,
                a.threads, b.threads, a.rss_kb, b.rss_kb, ok ? "flat" : "GREW");
    if (a.fds != b.fds) print_fd_kinds_changed(a, b);
    if (!ok) flat = false;
  };
  std::printf("soak: resources, baseline -> end of the main phase:\n");
  if (main_measured) {
    cmp("swteed", base_snap.swteed, base_snap.u_swteed, main_snap.swteed, main_snap.u_swteed);
    cmp("swtee-os", base_snap.os, base_snap.u_os, main_snap.os, main_snap.u_os);
    cmp("swtee-supplicant", base_snap.supp, base_snap.u_supp, main_snap.supp, main_snap.u_supp);
    if (base_snap.swteed != main_snap.swteed || base_snap.os != main_snap.os ||
        base_snap.supp != main_snap.supp)
      flat = false;  // nothing in the main phase may restart the stack
  }
  std::printf(
      "soak: resources, baseline -> end (compared where the process survived the supplicant phase):\n");
  cmp("swteed", base_snap.swteed, base_snap.u_swteed, end_swteed, e_swteed);
  cmp("swtee-os", base_snap.os, base_snap.u_os, end_os, e_os);
  cmp("swtee-supplicant", base_snap.supp, base_snap.u_supp, end_supp, e_supp);

  const Totals t = totals(o.procs);
  std::printf("soak: %d s, %d processes x %d sessions: %" PRIu64 " calls right, %" PRIu64 " wrong, %" PRIu64
              " lost, %" PRIu64 " unexpected errors, %" PRIu64 " clients that died on their own\n",
              o.duration_s, o.procs, o.sessions, t.ok, t.wrong, lost, t.unexpected, stray_exits);
  std::printf("soak: kills: %" PRIu64 " TA processes, %" PRIu64 " clients, %" PRIu64
              " supplicant; stack restarts %" PRIu64 ", supplicant restarts in place %" PRIu64 "\n",
              ta_kills, client_kills, supp_kills, stack_restarts, supp_restarts_in_place);
  std::printf("soak: expected failures: %" PRIu64 " TARGET_DEAD, %" PRIu64 " COMMUNICATION; %" PRIu64
              " session opens, %" PRIu64 " context opens\n",
              t.ta_dead, t.comm, t.reopen, t.reconnect);
  for (int i = 0; i < o.procs; ++i) {
    if (g_shared->slots[i].unexpected.load() != 0)
      std::printf("soak: client %d: last unexpected result 0x%08x origin %u\n", i,
                  g_shared->slots[i].last_unexpected.load(),
                  g_shared->slots[i].last_unexpected_origin.load());
  }
  const bool pass = !failed_start && flat && t.wrong == 0 && lost == 0 && t.unexpected == 0 &&
                    stray_exits == 0 && t.ok > 0 && ta_kills > 0 && client_kills > 0 &&
                    supp_kills == static_cast<uint64_t>(o.supplicant_kills);
  std::printf("soak: %s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
