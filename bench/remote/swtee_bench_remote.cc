// swtee-bench-remote: calls through a guest (docs/remote.md) next to the
// same calls on the host's own stack, in the same run, and this machine's
// floors measured in the same run. scripts/bench.sh starts a host stack that
// accepts guests and one guest stack per transport inside it, and names
// each stack's runtime directory:
//
//   swtee-bench-remote --stack local=DIR --stack guest-unix=DIR [--stack guest-tcp=DIR]
//                      [--rounds R] [--iterations N] [--memref-iterations M] [--out FILE]
//                      [--only FIGURE]   (one figure, e.g. memref_1mib_input: for profiling)
//
// The first stack is the baseline every guest figure is divided by. Each
// figure runs in R rounds; in each round every stack makes its calls in
// turn (the order rotates), so all stacks see the same load. Figures:
//
//   null invoke            XTEST_CMD_NULL, no params
//   memref 4 B / 1 MiB     XTEST_CMD_MEMREF_INFO on a partial memref of
//   input / inout          allocated shared memory; the TA reads no byte,
//                          so what differs between stacks is carrying them
//
// Floors: the best 3-hop hand-off (floors.h, as swtee-bench) and an
// in-process memcpy of 1 MiB. The copy a guest makes per call is its 1 MiB
// figure minus its 4 B figure (same type, same path), printed as a multiple
// of the memcpy floor (one memcpy per direction the bytes travel).
//
// Writes a JSON array of {"name","unit","p50","p99","floor_p50"} to --out.
#include <tee_client_api.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/doorbell.h"
#include "common/progress.h"
#include "floors.h"
#include "latency.h"
#include "target.h"

using swtee::bench::now_us;
using swtee::bench::summarize;
using swtee::bench::Summary;
using swtee::bench::Target;

namespace {

constexpr size_t kMiB = size_t{1} << 20;

// The memref figures, in the order the summary reads them.
struct MemrefRow {
  const char* key;
  const char* label;
  uint32_t type;
  size_t bytes;
};
constexpr MemrefRow kMemrefs[] = {
    {"memref_4b_input", "memref 4 B input", TEEC_MEMREF_PARTIAL_INPUT, 4},
    {"memref_1mib_input", "memref 1 MiB input", TEEC_MEMREF_PARTIAL_INPUT, kMiB},
    {"memref_4b_inout", "memref 4 B inout", TEEC_MEMREF_PARTIAL_INOUT, 4},
    {"memref_1mib_inout", "memref 1 MiB inout", TEEC_MEMREF_PARTIAL_INOUT, kMiB},
};

struct Figure {
  std::string key;                          // for the JSON
  std::string label;                        // for the table
  std::vector<Summary> s;                   // per stack, all rounds pooled
  std::vector<std::vector<double>> rounds;  // per stack, each round's p50
};

// Runs `call` on every target, `n` timed calls (after `n / 10` untimed) per
// target per round, the targets' order rotating with the round.
Figure measure(const char* key, const char* label, std::vector<std::unique_ptr<Target>>& targets,
               unsigned rounds, size_t n, const std::function<TEEC_Result(Target&)>& call, bool* failed) {
  Figure f{key, label, {}, std::vector<std::vector<double>>(targets.size())};
  std::vector<std::vector<double>> pooled(targets.size());
  const size_t warm = std::max<size_t>(n / 10, 1);
  swtee::Progress progress(label, uint64_t{rounds} * targets.size() * (n + warm), STDOUT_FILENO,
                           swtee::Progress::AtEnd::Erase);
  uint64_t done = 0;
  for (unsigned r = 0; r < rounds && !*failed; ++r) {
    for (size_t k = 0; k < targets.size() && !*failed; ++k) {
      const size_t t = (r + k) % targets.size();
      std::vector<double> us;
      us.reserve(n);
      for (size_t i = 0; i < n + warm; ++i) {
        double t0 = now_us();
        TEEC_Result res = call(*targets[t]);
        double t1 = now_us();
        if (res != TEEC_SUCCESS) {
          std::fprintf(stderr, "swtee-bench-remote: %s on %s failed: 0x%x\n", label,
                       targets[t]->name().c_str(), res);
          *failed = true;
          break;
        }
        if (i >= warm) us.push_back(t1 - t0);
        progress.update(++done);
      }
      f.rounds[t].push_back(summarize(us).p50_us);
      pooled[t].insert(pooled[t].end(), us.begin(), us.end());
    }
  }
  for (auto& p : pooled) f.s.push_back(summarize(std::move(p)));
  return f;
}

void print_figure(const Figure& f, const std::vector<std::unique_ptr<Target>>& targets, double floor,
                  const char* floor_name) {
  std::printf("%s:\n", f.label.c_str());
  for (size_t t = 0; t < targets.size(); ++t) {
    const Summary& s = f.s[t];
    std::printf("  %-11s p50 %9.2f us  p99 %9.2f us  n=%-6zu", targets[t]->name().c_str(), s.p50_us, s.p99_us,
                s.n);
    if (t == 0 && floor > 0) std::printf("  x%.2f %s", s.p50_us / floor, floor_name);
    if (t > 0 && f.s[0].p50_us > 0)
      std::printf("  x%.2f %s", s.p50_us / f.s[0].p50_us, targets[0]->name().c_str());
    std::printf("  rounds p50:");
    for (double v : f.rounds[t]) std::printf(" %.0f", v);
    std::printf("\n");
  }
}

struct JsonRow {
  std::string name;
  double p50, p99, floor_p50;
};

}  // namespace

int main(int argc, char** argv) {
  std::string out = "build/bench/results-remote.json";
  std::vector<std::pair<std::string, std::string>> stacks;  // name, runtime dir
  unsigned rounds = 5;
  size_t iters = 2000, mem_iters = 200, floor_iters = 20000;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const bool more = i + 1 < argc;
    if (!std::strcmp(argv[i], "--out") && more) out = argv[++i];
    if (!std::strcmp(argv[i], "--rounds") && more) rounds = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--iterations") && more) iters = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--memref-iterations") && more) mem_iters = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--floor-iterations") && more) floor_iters = std::stoul(argv[++i]);
    if (!std::strcmp(argv[i], "--only") && more) only = argv[++i];
    if (!std::strcmp(argv[i], "--stack") && more) {
      std::string s = argv[++i];
      const size_t eq = s.find('=');
      if (eq == std::string::npos || eq == 0) {
        std::fprintf(stderr, "swtee-bench-remote: --stack NAME=RUNTIME_DIR\n");
        return 2;
      }
      stacks.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    }
  }
  if ((stacks.size() < 2 && only.empty()) || stacks.empty() || rounds == 0 || iters == 0 || mem_iters == 0) {
    std::fprintf(stderr, "swtee-bench-remote: needs a local stack and at least one guest (--stack ...)\n");
    return 2;
  }

  std::printf("floors (same run):\n");
  std::vector<unsigned> budgets{20, 50, 100, 200};
  if (const unsigned b = swtee::doorbell_spin_us();
      std::find(budgets.begin(), budgets.end(), b) == budgets.end())
    budgets.push_back(b);
  const auto chains = swtee::bench::best_futex_chain(3, budgets, floor_iters);
  const Summary hop3 = chains.best.s;
  std::printf("  best 3-hop hand-off    p50 %9.2f us  p99 %9.2f us  (futex spin %u us, %zu round trips)\n",
              hop3.p50_us, hop3.p99_us, chains.best.spin_us, hop3.n);
  const Summary copy = swtee::bench::memcpy_floor(kMiB, 2000);
  std::printf(
      "  memcpy 1 MiB           p50 %9.2f us  p99 %9.2f us  (in-process, warm buffers; %.0f MiB/s)\n\n",
      copy.p50_us, copy.p99_us, copy.p50_us > 0 ? 1e6 / copy.p50_us : 0.0);

  std::vector<std::unique_ptr<Target>> targets;
  for (const auto& [name, dir] : stacks) {
    targets.push_back(std::make_unique<Target>(name, dir, kMiB));
    if (!targets.back()->ok()) return 1;
  }
  std::printf("%u rounds, stacks alternating; \"rounds p50\" is each round's median (us)\n", rounds);
  std::fflush(stdout);  // before the progress lines, which bypass stdio

  bool failed = false;
  if (!only.empty()) {
    std::function<TEEC_Result(Target&)> call;
    size_t n = iters;
    if (only == "null_invoke") call = [](Target& t) { return t.null_invoke(); };
    for (const MemrefRow& m : kMemrefs)
      if (only == m.key) {
        call = [&m](Target& t) { return t.memref_info(m.type, m.bytes); };
        n = m.bytes > 4 ? mem_iters : iters;
      }
    if (!call) {
      std::fprintf(stderr, "swtee-bench-remote: no figure %s\n", only.c_str());
      return 2;
    }
    print_figure(measure(only.c_str(), only.c_str(), targets, rounds, n, call, &failed), targets, hop3.p50_us,
                 "3-hop floor");
    return failed ? 1 : 0;
  }
  std::vector<Figure> figs;
  figs.push_back(measure(
      "null_invoke", "null invoke", targets, rounds, iters, [](Target& t) { return t.null_invoke(); },
      &failed));
  for (const MemrefRow& m : kMemrefs)
    figs.push_back(measure(
        m.key, m.label, targets, rounds, m.bytes > 4 ? mem_iters : iters,
        [&m](Target& t) { return t.memref_info(m.type, m.bytes); }, &failed));
  if (failed) return 1;

  for (const Figure& f : figs) print_figure(f, targets, hop3.p50_us, "3-hop floor");

  // Ratios of this run. figs: 0 null, 1 4 B in, 2 1 MiB in, 3 4 B inout, 4 1 MiB inout.
  std::vector<JsonRow> json;
  const std::string base = targets[0]->name();
  // The baseline's floors: the 3-hop hand-off for its null invoke, its own
  // null invoke for its memref calls.
  for (size_t i = 0; i < figs.size(); ++i)
    json.push_back({base + "." + figs[i].key, figs[i].s[0].p50_us, figs[i].s[0].p99_us,
                    i == 0 ? hop3.p50_us : figs[0].s[0].p50_us});
  std::printf("\nguests, ratios of this run (p50):\n");
  for (size_t t = 1; t < targets.size(); ++t) {
    const std::string& g = targets[t]->name();
    const Summary& null_g = figs[0].s[t];
    const Summary& null_l = figs[0].s[0];
    std::printf("  %s\n", g.c_str());
    std::printf("    null invoke / %s null invoke        x%.2f  (%.2f / %.2f us)\n", base.c_str(),
                null_g.p50_us / null_l.p50_us, null_g.p50_us, null_l.p50_us);
    std::printf("    null invoke / best 3-hop floor          x%.2f  (floor %.2f us)\n",
                null_g.p50_us / hop3.p50_us, hop3.p50_us);
    std::printf("    null invoke p99 / its p50               x%.2f\n", null_g.p99_us / null_g.p50_us);
    json.push_back({g + ".null_invoke", null_g.p50_us, null_g.p99_us, null_l.p50_us});
    for (size_t i = 1; i < figs.size(); ++i)
      json.push_back({g + "." + figs[i].key, figs[i].s[t].p50_us, figs[i].s[t].p99_us, figs[i].s[0].p50_us});
    // 1 MiB: throughput, and the size-dependent part as memcpys.
    struct Pair {
      const char* what;
      size_t small, big;
      unsigned directions;
    };
    for (const Pair& p : {Pair{"input", 1, 2, 1}, Pair{"inout", 3, 4, 2}}) {
      const double big = figs[p.big].s[t].p50_us, big_l = figs[p.big].s[0].p50_us;
      const double cost = big - figs[p.small].s[t].p50_us;
      const double floor = copy.p50_us * p.directions;
      std::printf(
          "    1 MiB %-5s  %7.0f MiB/s (%s %.0f MiB/s, x%.2f); copy per call %.0f us = x%.1f memcpy floor "
          "(%u x %.0f us)\n",
          p.what, 1e6 / big, base.c_str(), 1e6 / big_l, big / big_l, cost, cost / floor, p.directions,
          copy.p50_us);
      json.push_back({g + ".copy_1mib_" + p.what, cost, 0, floor});
    }
  }

  std::ofstream f(out);
  f << "[\n";
  for (size_t i = 0; i < json.size(); ++i)
    f << "  {\"name\": \"" << json[i].name << "\", \"unit\": \"us\", \"p50\": " << json[i].p50
      << ", \"p99\": " << json[i].p99 << ", \"floor_p50\": " << json[i].floor_p50 << "}"
      << (i + 1 < json.size() ? "," : "") << "\n";
  f << "]\n";
  std::printf("\nwrote %s\n", out.c_str());
  return 0;
}
