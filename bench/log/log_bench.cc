// swtee's logger against spdlog (issue #13: use spdlog unless ours is
// measurably better). Both write one line per call to /dev/null through a
// file descriptor; the disabled case is the one on the call path.
//   build/bench/log/swtee-bench-log [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <memory>

#include "common/log.h"

namespace {

// stderr goes to /dev/null for the enabled cases (our logger writes fd 2).
struct NullStderr {
  NullStderr() : saved(::dup(STDERR_FILENO)) {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    ::dup2(fd, STDERR_FILENO);
    ::close(fd);
  }
  ~NullStderr() {
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
  }
  int saved;
};

std::shared_ptr<spdlog::logger> spd() {
  static auto l = [] {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_st>("/dev/null");
    auto lg = std::make_shared<spdlog::logger>("swtee", sink);
    lg->set_pattern("%n[%P] %L: %v");
    lg->set_level(spdlog::level::warn);
    return lg;
  }();
  return l;
}

void BM_Swtee_Disabled(benchmark::State& s) {
  swtee::log::set_level(swtee::log::Level::Warn);
  for (auto _ : s) swtee::log::debug("call {} on session {} took {} us", 42, 7, 12.5);
}
void BM_Spdlog_Disabled(benchmark::State& s) {
  auto l = spd();
  for (auto _ : s) l->debug("call {} on session {} took {} us", 42, 7, 12.5);
}
void BM_Swtee_Enabled(benchmark::State& s) {
  NullStderr n;
  swtee::log::set_level(swtee::log::Level::Warn);
  for (auto _ : s) swtee::log::warn("call {} on session {} took {} us", 42, 7, 12.5);
}
void BM_Spdlog_Enabled(benchmark::State& s) {
  auto l = spd();
  for (auto _ : s) {
    l->warn("call {} on session {} took {} us", 42, 7, 12.5);
    l->flush();  // one write per line, as ours (lines of several processes must not interleave)
  }
}

BENCHMARK(BM_Swtee_Disabled);
BENCHMARK(BM_Spdlog_Disabled);
BENCHMARK(BM_Swtee_Enabled);
BENCHMARK(BM_Spdlog_Enabled);

}  // namespace

BENCHMARK_MAIN();
