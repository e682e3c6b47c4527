#include "scaling.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>
#include <vector>

#include "machine_counters.h"

extern "C" {
#include <xtest_ta.h>
}

namespace swtee::bench {
namespace {

constexpr double kWarmupS = 0.2;

struct ClientResult {
  std::vector<double> us;
  size_t errors = 0;
};

// One client: its own context and session (then it counts itself in
// `ready`); invokes from `go` until `stop`, keeping latencies while
// `measuring` is set.
ClientResult run_client(const TEEC_UUID& ta, std::atomic<unsigned>& ready, const std::atomic<bool>& go,
                        const std::atomic<bool>& measuring, const std::atomic<bool>& stop) {
  ClientResult r;
  TEEC_Context ctx;
  TEEC_Session s;
  uint32_t origin = 0;
  TEEC_UUID u = ta;
  if (TEEC_InitializeContext(nullptr, &ctx) != TEEC_SUCCESS) {
    r.errors = 1;
    ready.fetch_add(1);
    return r;
  }
  if (TEEC_OpenSession(&ctx, &s, &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin) != TEEC_SUCCESS) {
    TEEC_FinalizeContext(&ctx);
    r.errors = 1;
    ready.fetch_add(1);
    return r;
  }
  ready.fetch_add(1);
  while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
  r.us.reserve(1 << 16);
  while (!stop.load(std::memory_order_relaxed)) {
    const bool keep = measuring.load(std::memory_order_relaxed);
    const double t0 = now_us();
    const TEEC_Result res = TEEC_InvokeCommand(&s, XTEST_CMD_NULL, nullptr, &origin);
    const double t1 = now_us();
    if (res != TEEC_SUCCESS) ++r.errors;
    if (keep) r.us.push_back(t1 - t0);
  }
  TEEC_CloseSession(&s);
  TEEC_FinalizeContext(&ctx);
  return r;
}

// The measured window: its length and the machine's counters at both ends.
struct Window {
  double seconds = 0;
  std::optional<MachineCounters> before, after;
};

// Waits until `clients` have their session, then runs the warm-up and
// measurement windows.
Window drive(const std::atomic<unsigned>& ready, unsigned clients, std::atomic<bool>& go,
             std::atomic<bool>& measuring, std::atomic<bool>& stop, double seconds) {
  while (ready.load() < clients) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  go.store(true, std::memory_order_release);
  std::this_thread::sleep_for(std::chrono::duration<double>(kWarmupS));
  Window w;
  w.before = read_machine_counters();
  const double t0 = now_us();
  measuring.store(true);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  measuring.store(false);
  const double t1 = now_us();
  w.after = read_machine_counters();
  stop.store(true);
  w.seconds = (t1 - t0) / 1e6;
  return w;
}

ScalingRow finish(unsigned clients, bool processes, std::vector<double> all, size_t errors, const Window& w) {
  ScalingRow row;
  row.clients = clients;
  row.processes = processes;
  row.errors = errors;
  row.calls_per_s = w.seconds > 0 ? static_cast<double>(all.size()) / w.seconds : 0;
  if (auto pc = per_call(w.before, w.after, all.size())) {
    row.cpu_us_per_call = pc->cpu_us;
    row.switches_per_call = pc->switches;
  }
  row.s = summarize(std::move(all));
  return row;
}

}  // namespace

ScalingRow scale_threads(const TEEC_UUID& ta, unsigned threads, double seconds) {
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false}, measuring{false}, stop{false};
  std::vector<ClientResult> results(threads);
  std::vector<std::thread> ts;
  for (unsigned i = 0; i < threads; ++i)
    ts.emplace_back([&, i] { results[i] = run_client(ta, ready, go, measuring, stop); });
  const Window w = drive(ready, threads, go, measuring, stop, seconds);
  for (auto& t : ts) t.join();
  std::vector<double> all;
  size_t errors = 0;
  for (auto& r : results) {
    all.insert(all.end(), r.us.begin(), r.us.end());
    errors += r.errors;
  }
  return finish(threads, false, std::move(all), errors, w);
}

ScalingRow scale_processes(const TEEC_UUID& ta, unsigned processes, double seconds) {
  // Each child opens its session and says so, then measures its own window
  // of the same length, started together through a pipe, and sends back its
  // error count and latencies.
  std::vector<pid_t> kids;
  std::vector<int> from_kid;
  int start_pipe[2];
  if (pipe(start_pipe) != 0) return {};
  for (unsigned i = 0; i < processes; ++i) {
    int p[2];
    if (pipe(p) != 0) break;
    pid_t pid = fork();
    if (pid == 0) {
      close(p[0]);
      close(start_pipe[1]);
      std::atomic<unsigned> ready{0};
      std::atomic<bool> go{false}, measuring{false}, stop{false};
      ClientResult r;
      std::thread t([&] { r = run_client(ta, ready, go, measuring, stop); });
      while (ready.load() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      char c = 'r';
      (void)!write(p[1], &c, 1);  // session open
      (void)!read(start_pipe[0], &c, 1);
      (void)drive(ready, 1, go, measuring, stop, seconds);
      t.join();
      const uint64_t n = r.us.size(), e = r.errors;
      (void)!write(p[1], &e, sizeof(e));
      (void)!write(p[1], &n, sizeof(n));
      size_t off = 0;
      const auto* bytes = reinterpret_cast<const char*>(r.us.data());
      while (off < n * sizeof(double)) {
        ssize_t w = write(p[1], bytes + off, n * sizeof(double) - off);
        if (w <= 0) break;
        off += static_cast<size_t>(w);
      }
      _exit(0);
    }
    close(p[1]);
    if (pid < 0) {
      close(p[0]);
      break;
    }
    kids.push_back(pid);
    from_kid.push_back(p[0]);
  }
  close(start_pipe[0]);
  for (int fd : from_kid) {  // every child has its session
    char c;
    (void)!read(fd, &c, 1);
  }
  close(start_pipe[1]);  // EOF: all start at once
  // The machine's counters over the children's measured window (each
  // child warms up for kWarmupS, then measures `seconds`).
  Window w;
  w.seconds = seconds;
  std::this_thread::sleep_for(std::chrono::duration<double>(kWarmupS));
  w.before = read_machine_counters();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  w.after = read_machine_counters();
  std::vector<double> all;
  size_t errors = 0;
  for (int fd : from_kid) {
    uint64_t e = 1, n = 0;
    if (read(fd, &e, sizeof(e)) != sizeof(e) || read(fd, &n, sizeof(n)) != sizeof(n)) n = 0;
    errors += e;
    std::vector<double> us(n);
    size_t off = 0;
    auto* bytes = reinterpret_cast<char*>(us.data());
    while (off < n * sizeof(double)) {
      ssize_t r = read(fd, bytes + off, n * sizeof(double) - off);
      if (r <= 0) break;
      off += static_cast<size_t>(r);
    }
    us.resize(off / sizeof(double));
    all.insert(all.end(), us.begin(), us.end());
    close(fd);
  }
  for (pid_t k : kids) waitpid(k, nullptr, 0);
  // Every child measured `seconds` over the same window.
  return finish(processes, true, std::move(all), errors, w);
}

}  // namespace swtee::bench
