// swtee-bench: call-path latency through the whole stack, next to this
// machine's floors measured in the same run. Runs under `swtee run`.
//
//   null_invoke        TEEC_InvokeCommand with no parameters, TA instance up
//   open_session_warm  TEEC_OpenSession to a single-instance TA whose
//                      instance already exists
//   open_session_cold  TEEC_OpenSession that starts a new TA process
//                      (zygote fork + dlopen + sandbox + create entry)
//
// Writes a JSON array of {"name","unit","p50","p99","floor_p50"} to --out;
// floor_p50 is the socket 3-hop chain. The futex (doorbell) floors, 1-hop
// and 3-hop at spin budgets 20/100/200 us and at the configured one
// ($SWTEE_DOORBELL_SPIN_US), are printed beside it.
#include <tee_client_api.h>

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

bool check(TEEC_Result r, const char* what) {
  if (r != TEEC_SUCCESS) std::fprintf(stderr, "swtee-bench: %s failed: 0x%x\n", what, r);
  return r == TEEC_SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = "build/bench/results.json";
  size_t iters = 20000;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    if (!std::strcmp(argv[i], "--iterations") && i + 1 < argc) iters = std::stoul(argv[++i]);
  }
  const unsigned spin = swtee::call_path_spin_us();

  std::printf("floors (same run):\n");
  Summary f_block = swtee::bench::socket_pingpong(0, iters);
  print("socket 1-hop blocking", f_block, 0);
  Summary f_spin = swtee::bench::socket_pingpong(spin, iters);
  print("socket 1-hop yieldspin", f_spin, 0);
  Summary f_chain = swtee::bench::socket_chain(3, spin, iters);
  print("socket 3-hop chain", f_chain, 0);
  const unsigned bell_spin = swtee::doorbell_spin_us();
  Summary f_futex = swtee::bench::futex_chain(1, bell_spin, iters);
  print("futex 1-hop yieldspin", f_futex, 0);
  for (unsigned budget : {20u, 100u, 200u}) {
    if (budget == bell_spin) continue;
    char name[64];
    std::snprintf(name, sizeof(name), "futex 3-hop spin %u", budget);
    print(name, swtee::bench::futex_chain(3, budget, iters), 0);
  }
  Summary f_futex_chain = swtee::bench::futex_chain(3, bell_spin, iters);
  char chain_name[64];
  std::snprintf(chain_name, sizeof(chain_name), "futex 3-hop chain %u", bell_spin);
  print(chain_name, f_futex_chain, 0);

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
    entries.push_back({"null_invoke", summarize(us), f_chain.p50_us});
  }
  {
    std::vector<double> us;
    swtee::Progress progress("open session, warm", 2000 + 100, STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
    for (size_t i = 0; i < 2000 + 100; ++i) {
      double t0 = now_us();
      TEEC_Result r = TEEC_OpenSession(&ctx, &s, &single, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
      double t1 = now_us();
      if (!check(r, "open warm")) return 1;
      TEEC_CloseSession(&s);
      if (i >= 100) us.push_back(t1 - t0);
      progress.update(i + 1);
    }
    entries.push_back({"open_session_warm", summarize(us), f_chain.p50_us});
  }
  {
    std::vector<double> us;
    swtee::Progress progress("open session, cold", 300 + 20, STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
    for (size_t i = 0; i < 300 + 20; ++i) {
      double t0 = now_us();
      TEEC_Result r = TEEC_OpenSession(&ctx, &s, &multi, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
      double t1 = now_us();
      if (!check(r, "open cold")) return 1;
      TEEC_CloseSession(&s);
      if (i >= 20) us.push_back(t1 - t0);
      progress.update(i + 1);
    }
    entries.push_back({"open_session_cold", summarize(us), f_chain.p50_us});
  }
  TEEC_CloseSession(&keep);
  TEEC_FinalizeContext(&ctx);

  for (const auto& e : entries) print(e.name.c_str(), e.s, e.floor_p50);

  std::ofstream f(out);
  f << "[\n";
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    f << "  {\"name\": \"" << e.name << "\", \"unit\": \"us\", \"p50\": " << e.s.p50_us
      << ", \"p99\": " << e.s.p99_us << ", \"floor_p50\": " << e.floor_p50 << "}"
      << (i + 1 < entries.size() ? "," : "") << "\n";
  }
  f << "]\n";
  std::printf("\nwrote %s\n", out.c_str());
  return 0;
}
