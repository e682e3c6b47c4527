// swtee-bench: call-path latency through the whole stack, next to this
// machine's floors measured in the same run. Runs under `swtee run`.
//
//   null_invoke        TEEC_InvokeCommand with no parameters, TA instance up
//   open_session_warm  TEEC_OpenSession to a single-instance TA whose
//                      instance already exists
//   open_session_cold  TEEC_OpenSession that starts a new TA process (a
//                      TA with an instance per session) with a spare
//                      process ready: a pause after each close lets the
//                      pool rebuild the spare, as between real cold opens
//   open_session_cold_b2b  the same, back to back: the next open comes
//                      while the spare is still being rebuilt
//   close_session_cold, close_session_cold_b2b
//                      TEEC_CloseSession of the sessions those two rows
//                      opened: each close destroys its instance, and it
//                      comes while the pool launches the spare that
//                      replaces the one the open took (docs/performance.md,
//                      "Closing the last session")
//   close_session_idle TEEC_CloseSession of a cold-opened session that sat
//                      idle for the pause first (the pool's launch is over
//                      and the TA asleep): a client's usual close
//   memref_1mib_sum    XTEST_CMD_SUM over 1 MiB of allocated shared memory
//                      (the TA reads every byte); its floor is this
//                      process summing the same 1 MiB the same way, plus
//                      the null invoke's p50
//   memref_4kib_temp   XTEST_CMD_SUM over a 4 KiB temporary memref; its
//                      floor is the null invoke's p50
//
// The floor of each figure is the best 3-hop hand-off this machine gives in
// the same run: a chain of four processes (client, swteed, swtee-os, TA)
// over the product's own doorbell (common/doorbell.h), measured at several
// spin budgets, keeping the lowest p50. The socket chains are printed too,
// as the cost the doorbell avoids. `--floors-only` measures the floors
// without the stack (it needs no `swtee run`); `--cold-only` and
// `--scaling-only` measure the floors and then only the cold-open rows or
// only the scaling table; `--no-cold-no-scaling` leaves both out.
//
// Writes a JSON array of {"name","unit","p50","p99","floor_p50"} to --out.
#include <tee_client_api.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/doorbell.h"
#include "common/progress.h"
#include "common/seqpacket.h"
#include "floors.h"
#include "latency.h"
#include "scaling.h"

extern "C" {
#include <xtest_ta.h>
}

using swtee::bench::now_us;
using swtee::bench::summarize;
using swtee::bench::Summary;

namespace {

const TEEC_UUID kMulti = XTEST_TA_MULTI_UUID;
const TEEC_UUID kSingle = XTEST_TA_SINGLE_UUID;

struct Entry {
  std::string name;
  Summary s;
  double floor_p50;
};

// A floor row passes floor = 0 and gets no ratio column.
void print(const char* name, const Summary& s, double floor) {
  std::printf("%-22s p50 %9.2f us  p99 %9.2f us  min %8.2f us  n=%zu", name, s.p50_us, s.p99_us, s.min_us,
              s.n);
  if (floor > 0) std::printf("  floor p50 %.2f us  (x%.1f)", floor, s.p50_us / floor);
  std::printf("\n");
}

// The issue #11 targets, as ratios of this run's figures.
void print_targets(const std::vector<Entry>& entries, const Summary& floor) {
  auto find = [&](const char* n) -> const Summary* {
    for (const auto& e : entries)
      if (e.name == n) return &e.s;
    return nullptr;
  };
  const Summary* null_inv = find("null_invoke");
  const Summary* warm = find("open_session_warm");
  const Summary* cold = find("open_session_cold");
  std::printf("\ntargets (ratios of this run):\n");
  auto row = [](const char* what, double ratio, double limit) {
    std::printf("  %-40s x%-6.2f (target <= x%.1f) %s\n", what, ratio, limit,
                ratio <= limit ? "met" : "MISSED");
  };
  if (floor.p50_us > 0 && null_inv)
    row("null invoke p50 / best 3-hop floor", null_inv->p50_us / floor.p50_us, 1.5);
  if (floor.p50_us > 0 && warm) row("warm open p50 / best 3-hop floor", warm->p50_us / floor.p50_us, 1.5);
  if (null_inv && null_inv->p50_us > 0)
    row("null invoke p99 / its p50", null_inv->p99_us / null_inv->p50_us, 4.0);
  if (cold) row("cold open (spare ready) p50 / 1 ms", cold->p50_us / 1000.0, 1.0);
  const Summary* b2b = find("open_session_cold_b2b");
  if (b2b) row("cold open (back to back) p50 / 1 ms", b2b->p50_us / 1000.0, 1.0);
  for (const auto& e : entries) {
    if (e.name == "memref_1mib_sum" && e.s.p50_us > 0)
      std::printf("  %-40s %5.0f %%  (target >= 70 %%) %s\n", "1 MiB shm summed by the TA, speed vs floor",
                  100.0 * e.floor_p50 / e.s.p50_us, e.floor_p50 / e.s.p50_us >= 0.70 ? "met" : "MISSED");
    if (e.name == "memref_4kib_temp" && e.floor_p50 > 0)
      row("4 KiB temp memref p50 / null invoke p50", e.s.p50_us / e.floor_p50, 1.3);
  }
  if (cold && warm && warm->p50_us > 0)
    std::printf("  %-40s x%-6.2f (no target: the cost of starting a process)\n",
                "cold open (spare ready) / warm open", cold->p50_us / warm->p50_us);
}

// The TA's XTEST_CMD_SUM loop, in this process: the floor of reading 1 MiB.
__attribute__((noinline)) uint32_t byte_sum(const uint8_t* b, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += b[i];
  return sum;
}

bool check(TEEC_Result r, const char* what) {
  if (r != TEEC_SUCCESS) std::fprintf(stderr, "swtee-bench: %s failed: 0x%x\n", what, r);
  return r == TEEC_SUCCESS;
}

// XTEST_CMD_SUM with `op` (p0 the memref, p1 VALUE_OUTPUT) n + warmup
// times; the latencies of the last n, or nothing when a call failed or
// summed other than `want`.
std::vector<double> time_sums(TEEC_Session* s, TEEC_Operation* op, const char* what, size_t n, size_t warmup,
                              uint32_t want) {
  std::vector<double> us;
  us.reserve(n);
  uint32_t origin = 0;
  swtee::Progress progress(what, n + warmup, STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
  for (size_t i = 0; i < n + warmup; ++i) {
    double t0 = now_us();
    TEEC_Result r = TEEC_InvokeCommand(s, XTEST_CMD_SUM, op, &origin);
    double t1 = now_us();
    if (!check(r, what) || op->params[1].value.a != want) return {};
    if (i >= warmup) us.push_back(t1 - t0);
    progress.update(i + 1);
  }
  return us;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = "build/bench/results.json";
  size_t iters = 20000;
  bool floors_only = false;
  bool cold_only = false;           // only the cold-open rows (after the floors)
  bool no_cold_no_scaling = false;  // the warm rows only (quick A/B runs)
  bool scaling_only = false;        // only the scaling table (after the floors)
  size_t cold_iters = 300;
  unsigned cold_pause_ms = 30;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    if (!std::strcmp(argv[i], "--iterations") && i + 1 < argc) iters = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--floors-only")) floors_only = true;
    if (!std::strcmp(argv[i], "--cold-only")) cold_only = true;
    if (!std::strcmp(argv[i], "--no-cold-no-scaling")) no_cold_no_scaling = true;
    if (!std::strcmp(argv[i], "--scaling-only")) scaling_only = true;
    if (!std::strcmp(argv[i], "--cold-iterations") && i + 1 < argc) cold_iters = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--cold-pause-ms") && i + 1 < argc) cold_pause_ms = std::stoul(argv[++i]);
  }
  const unsigned spin = swtee::call_path_spin_us();

  std::printf("floors (same run, %zu round trips each):\n", iters);
  Summary f_block = swtee::bench::socket_pingpong(0, iters);
  print("socket 1-hop blocking", f_block, 0);
  Summary f_spin = swtee::bench::socket_pingpong(spin, iters);
  print("socket 1-hop yieldspin", f_spin, 0);
  Summary f_chain = swtee::bench::socket_chain(3, spin, iters);
  print("socket 3-hop chain", f_chain, 0);
  const unsigned bell_spin = swtee::doorbell_spin_us();
  char name[64];
  std::snprintf(name, sizeof(name), "futex 1-hop spin %u", bell_spin);
  print(name, swtee::bench::futex_chain(1, bell_spin, iters), 0);
  std::vector<unsigned> budgets{20, 50, 100, 200};
  if (std::find(budgets.begin(), budgets.end(), bell_spin) == budgets.end()) budgets.push_back(bell_spin);
  const auto chains = swtee::bench::best_futex_chain(3, budgets, iters);
  for (const auto& r : chains.runs) {
    std::snprintf(name, sizeof(name), "futex 3-hop spin %u", r.spin_us);
    print(name, r.s, 0);
  }
  const Summary floor = chains.best.s;
  std::printf("best 3-hop hand-off (floor): futex spin %u us, p50 %.2f us, p99 %.2f us\n",
              chains.best.spin_us, floor.p50_us, floor.p99_us);
  if (floors_only) return 0;

  TEEC_Context ctx;
  if (!check(TEEC_InitializeContext(nullptr, &ctx), "InitializeContext")) return 1;
  TEEC_Session keep, s;
  uint32_t origin;
  TEEC_UUID single = kSingle, multi = kMulti;
  if (!check(TEEC_OpenSession(&ctx, &keep, &single, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin), "open"))
    return 1;

  std::vector<Entry> entries;
  std::printf("\nswtee (client -> swteed -> swtee-os -> TA and back):\n");
  std::fflush(stdout);  // before the progress lines, which bypass stdio
  if (!cold_only && !scaling_only) {
    {
      std::vector<double> us;
      us.reserve(iters);
      swtee::Progress progress("null invoke", iters + 1000, STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
      for (size_t i = 0; i < iters + 1000; ++i) {
        double t0 = now_us();
        TEEC_Result r = TEEC_InvokeCommand(&keep, XTEST_CMD_NULL, nullptr, &origin);
        double t1 = now_us();
        if (!check(r, "invoke")) return 1;
        if (i >= 1000) us.push_back(t1 - t0);
        progress.update(i + 1);
      }
      entries.push_back({"null_invoke", summarize(us), floor.p50_us});
    }
    {
      std::vector<double> us;
      swtee::Progress progress("open session, warm", 2000 + 100, STDOUT_FILENO,
                               swtee::Progress::AtEnd::Erase);
      for (size_t i = 0; i < 2000 + 100; ++i) {
        double t0 = now_us();
        TEEC_Result r = TEEC_OpenSession(&ctx, &s, &single, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
        double t1 = now_us();
        if (!check(r, "open warm")) return 1;
        TEEC_CloseSession(&s);
        if (i >= 100) us.push_back(t1 - t0);
        progress.update(i + 1);
      }
      entries.push_back({"open_session_warm", summarize(us), floor.p50_us});
    }
    // Memrefs: 1 MiB of allocated shm the TA reads in full, and a 4 KiB
    // temporary memref (libteec bounces it through its per-session pool).
    {
      constexpr size_t kMiB = size_t{1} << 20;
      TEEC_SharedMemory shm{};
      shm.size = kMiB;
      shm.flags = TEEC_MEM_INPUT;
      if (!check(TEEC_AllocateSharedMemory(&ctx, &shm), "allocate 1 MiB")) return 1;
      std::memset(shm.buffer, 0x5a, kMiB);
      const size_t n = std::max<size_t>(iters / 10, 200);
      std::vector<double> floor_us, us;
      volatile uint32_t sink = 0;
      for (size_t i = 0; i < n + 20; ++i) {
        double t0 = now_us();
        sink = byte_sum(static_cast<const uint8_t*>(shm.buffer), kMiB);
        double t1 = now_us();
        if (i >= 20) floor_us.push_back(t1 - t0);
      }
      (void)sink;
      const Summary sum_floor = summarize(floor_us);
      print("sum 1 MiB in-process", sum_floor, 0);
      std::fflush(stdout);
      TEEC_Operation op{};
      op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
      op.params[0].memref = {&shm, kMiB, 0};
      us = time_sums(&keep, &op, "1 MiB shm summed by the TA", n, 20, 0x5au * kMiB);
      TEEC_ReleaseSharedMemory(&shm);
      if (us.empty()) return 1;
      const double null_p50 = entries.front().s.p50_us;
      entries.push_back({"memref_1mib_sum", summarize(us), sum_floor.p50_us + null_p50});
    }
    {
      std::vector<uint8_t> buf(4096, 1);
      TEEC_Operation op{};
      op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
      op.params[0].tmpref = {buf.data(), buf.size()};
      const auto us =
          time_sums(&keep, &op, "4 KiB temporary memref", std::max<size_t>(iters / 2, 1000), 200, 4096);
      if (us.empty()) return 1;
      entries.push_back({"memref_4kib_temp", summarize(us), entries.front().s.p50_us});
    }
  }
  // Cold opens: each open starts a new process of the multi-instance TA.
  // With a pause after each close (the spare pool rebuilds its spare in the
  // background), then back to back.
  // key: the open's row (none: only the close's); pause_ms before each
  // open, hold_ms between it and the close.
  auto cold_row = [&](const char* label, const char* key, const char* close_key, unsigned pause_ms,
                      unsigned hold_ms) -> bool {
    std::vector<double> us, close_us;
    const size_t warmup = 10;
    swtee::Progress progress(label, cold_iters + warmup, STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
    for (size_t i = 0; i < cold_iters + warmup; ++i) {
      if (pause_ms > 0) ::usleep(pause_ms * 1000u);
      double t0 = now_us();
      TEEC_Result r = TEEC_OpenSession(&ctx, &s, &multi, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
      double t1 = now_us();
      if (!check(r, label)) return false;
      if (hold_ms > 0) ::usleep(hold_ms * 1000u);
      double t2 = now_us();
      TEEC_CloseSession(&s);
      double t3 = now_us();
      if (i >= warmup) {
        us.push_back(t1 - t0);
        close_us.push_back(t3 - t2);
      }
      progress.update(i + 1);
    }
    if (key != nullptr) entries.push_back({key, summarize(us), floor.p50_us});
    entries.push_back({close_key, summarize(close_us), floor.p50_us});
    return true;
  };
  if (!no_cold_no_scaling && !scaling_only) {
    if (!cold_row("open session, cold (spare ready)", "open_session_cold", "close_session_cold",
                  cold_pause_ms, 0))
      return 1;
    if (!cold_row("open session, cold (back to back)", "open_session_cold_b2b", "close_session_cold_b2b", 0,
                  0))
      return 1;
    if (!cold_row("close session, idle", nullptr, "close_session_idle", 0, cold_pause_ms)) return 1;
  }
  TEEC_CloseSession(&keep);
  TEEC_FinalizeContext(&ctx);

  std::printf(
      "\nscaling: aggregate null invokes, each client its own context and session (single-instance TA)\n");
  std::fflush(stdout);
  std::vector<swtee::bench::ScalingRow> scaling;
  if ((!cold_only && !no_cold_no_scaling) || scaling_only) {
    for (unsigned n : {1u, 2u, 4u, 16u, 64u}) scaling.push_back(swtee::bench::scale_threads(kSingle, n, 1.0));
    scaling.push_back(swtee::bench::scale_processes(kSingle, 8, 1.0));
  }
  if (!scaling.empty())
    std::printf("  (cpu/call and switches/call: the whole machine over the window, /proc/stat)\n");
  for (const auto& r : scaling)
    std::printf(
        "  %2u %-9s %9.0f invokes/s  p50 %8.2f us  p99 %9.2f us  cpu/call %6.1f us  switches/call %5.2f"
        "  errors %zu\n",
        r.clients, r.processes ? "processes" : "threads", r.calls_per_s, r.s.p50_us, r.s.p99_us,
        r.cpu_us_per_call, r.switches_per_call, r.errors);

  std::printf("\n");
  for (const auto& e : entries) print(e.name.c_str(), e.s, e.floor_p50);
  print_targets(entries, floor);
  if (scaling.size() >= 5 && scaling[1].calls_per_s > 0) {
    std::printf("  %-40s x%-6.2f (target >= x1.0) %s\n", "64 threads / 2 threads, invokes/s",
                scaling[4].calls_per_s / scaling[1].calls_per_s,
                scaling[4].calls_per_s >= scaling[1].calls_per_s ? "met" : "MISSED");
    std::printf("  %-40s x%-6.2f (target > x1.0 on 2 vCPUs) %s\n", "2 threads / 1 thread, invokes/s",
                scaling[1].calls_per_s / scaling[0].calls_per_s,
                scaling[1].calls_per_s > scaling[0].calls_per_s ? "met" : "MISSED");
  }

  std::ofstream f(out);
  f << "[\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    f << "  {\"name\": \"" << e.name << "\", \"unit\": \"us\", \"p50\": " << e.s.p50_us
      << ", \"p99\": " << e.s.p99_us << ", \"floor_p50\": " << e.floor_p50 << "}"
      << (i + 1 < entries.size() ? "," : "") << "\n";
  }
  f << "]\n";
  // Scaling rows go to a sibling file, one object per row.
  std::ofstream sf(out + ".scaling");
  for (const auto& r : scaling)
    sf << "{\"clients\": " << r.clients << ", \"processes\": " << (r.processes ? "true" : "false")
       << ", \"per_s\": " << r.calls_per_s << ", \"p50\": " << r.s.p50_us << ", \"p99\": " << r.s.p99_us
       << ", \"cpu_us_per_call\": " << r.cpu_us_per_call << ", \"switches_per_call\": " << r.switches_per_call
       << ", \"errors\": " << r.errors << "}\n";
  std::printf("\nwrote %s\n", out.c_str());
  return 0;
}
