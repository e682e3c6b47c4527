// swtee-bench-storage: trusted storage latency through the whole stack
// (client → swteed → swtee-os → storage TA → Storage syscall → supplicant
// REE FS), with the raw durable-write floor measured in the same run and
// the same directory: write 4 KiB to a new file, fdatasync, rename over the
// old one, fsync the directory. Median and p99 of each.
//
//   swtee-bench-storage --dir STATE_DIR [--iters N] [--out results.json]
//
// STATE_DIR is the stack's --state directory (the floor runs in a scratch
// file there, so both hit the same file system). Under --fast-storage the
// "durable" rows are not durable; scripts/bench.sh runs without it.
#include <fcntl.h>
#include <tee_client_api.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "latency.h"

extern "C" {
#include <storage_ta.h>
#include <storage_ta_host.h>
}

namespace {

using swtee::bench::now_us;
using swtee::bench::summarize;
using swtee::bench::Summary;

constexpr uint32_t kAll =
    ST_DATA_FLAG_ACCESS_READ | ST_DATA_FLAG_ACCESS_WRITE | ST_DATA_FLAG_ACCESS_WRITE_META;

struct Row {
  std::string name;
  Summary s;
};

TEEC_Context g_ctx;
TEEC_Session g_s;

TEEC_Result invoke(uint32_t cmd, TEEC_Operation* op) {
  uint32_t origin = 0;
  return TEEC_InvokeCommand(&g_s, cmd, op, &origin);
}

TEEC_Result create(const std::string& id, const std::string& data, uint32_t* h) {
  TEEC_Operation op{};
  op.paramTypes =
      TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INOUT);
  op.params[0].tmpref = {const_cast<char*>(id.data()), id.size()};
  op.params[1].value.a = kAll | ST_DATA_FLAG_OVERWRITE;
  op.params[1].value.b = ST_STORAGE_PRIVATE;
  op.params[2].tmpref = {const_cast<char*>(data.data()), data.size()};
  TEEC_Result r = invoke(STORAGE_CMD_CREATE, &op);
  *h = op.params[3].value.a;
  return r;
}

TEEC_Result open_obj(const std::string& id, uint32_t* h,
                     uint32_t flags = ST_DATA_FLAG_ACCESS_READ | ST_DATA_FLAG_SHARE_READ) {
  TEEC_Operation op{};
  op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_VALUE_OUTPUT);
  op.params[0].tmpref = {const_cast<char*>(id.data()), id.size()};
  op.params[1].value.a = flags;
  op.params[1].value.b = ST_STORAGE_PRIVATE;
  TEEC_Result r = invoke(STORAGE_CMD_OPEN, &op);
  *h = op.params[3].value.a;
  return r;
}

TEEC_Result close_obj(uint32_t h) {
  TEEC_Operation op{};
  op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
  op.params[0].value.a = h;
  return invoke(STORAGE_CMD_CLOSE, &op);
}

TEEC_Result repeat(uint32_t cmd, uint32_t h, std::string& buf, uint32_t count) {
  TEEC_Operation op{};
  op.paramTypes = TEEC_PARAM_TYPES(
      TEEC_VALUE_INPUT, cmd == STORAGE_CMD_READ_REPEAT ? TEEC_MEMREF_TEMP_OUTPUT : TEEC_MEMREF_TEMP_INPUT,
      TEEC_VALUE_INPUT, TEEC_NONE);
  op.params[0].value.a = h;
  op.params[1].tmpref = {buf.data(), buf.size()};
  op.params[2].value.a = count;
  return invoke(cmd, &op);
}

bool check(TEEC_Result r, const char* what) {
  if (r == TEEC_SUCCESS) return true;
  std::fprintf(stderr, "swtee-bench-storage: %s failed: %#x\n", what, r);
  return false;
}

// The floor: one durable replace of a 4 KiB file, as a careful application does it.
bool floor_once(const std::string& dir, const std::string& data, int dirfd) {
  const std::string tmp = dir + "/.bench-floor.tmp", dst = dir + "/.bench-floor";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok =
      ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) && ::fdatasync(fd) == 0;
  ::close(fd);
  ok = ok && ::rename(tmp.c_str(), dst.c_str()) == 0 && ::fsync(dirfd) == 0;
  return ok;
}

// Times `n` runs of `op` (false: stop, nullopt); each sample is the run's
// time divided by `per` (operations per run). On a terminal a progress line
// named `label` shows the runs made (erased at the end).
template <typename Op>
std::optional<Summary> measure(const char* label, int n, int per, Op op) {
  std::vector<double> t;
  t.reserve(static_cast<size_t>(n));
  swtee::Progress progress(label, static_cast<uint64_t>(n), STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
  for (int i = 0; i < n; ++i) {
    const double t0 = now_us();
    if (!op()) return std::nullopt;
    t.push_back((now_us() - t0) / per);
    progress.update(static_cast<uint64_t>(i) + 1);
  }
  return summarize(t);
}

template <typename Op>
bool add_row(std::vector<Row>& rows, const char* name, int n, int per, Op op) {
  auto s = measure(name, n, per, op);
  if (s) rows.push_back({name, *s});
  return s.has_value();
}

void print(const Row& r, double floor_p50) {
  std::printf("  %-48s p50 %9.1f us  p99 %9.1f us", r.name.c_str(), r.s.p50_us, r.s.p99_us);
  if (floor_p50 > 0) std::printf("  (%5.1f%% of the floor's speed)", 100.0 * floor_p50 / r.s.p50_us);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir, out;
  int iters = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--dir"))
      dir = argv[i + 1];
    else if (!std::strcmp(argv[i], "--iters"))
      iters = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--out"))
      out = argv[i + 1];
  }
  if (dir.empty() || iters <= 0) {
    std::fprintf(stderr, "usage: swtee-bench-storage --dir STATE_DIR [--iters N] [--out FILE]\n");
    return 2;
  }
  if (TEEC_InitializeContext(nullptr, &g_ctx) != TEEC_SUCCESS) return 1;
  TEEC_UUID u = STORAGE_TA_UUID;
  uint32_t origin = 0;
  if (!check(TEEC_OpenSession(&g_ctx, &g_s, &u, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin),
             "open session"))
    return 1;

  const std::string data(4096, 'x');
  std::string buf = data;
  std::vector<Row> rows;
  uint32_t h = 0;
  constexpr int kBatch = 1000;  // reads per call for the in-TA rows

  // Raw floor, same directory.
  const int dirfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  auto floor_s = measure("floor", iters, 1, [&] { return floor_once(dir, data, dirfd); });
  ::unlink((dir + "/.bench-floor").c_str());
  ::close(dirfd);
  if (!floor_s) {
    std::fprintf(stderr, "floor failed in %s\n", dir.c_str());
    return 1;
  }
  const Row floor{"floor: write+fdatasync+rename+fsync(dir) 4K", *floor_s};

  // Durable create (OVERWRITE) of a 4 KiB object, handle closed.
  if (!add_row(rows, "durable create+write 4 KiB (+close)", iters, 1,
               [&] { return check(create("bench-4k", data, &h), "create") && check(close_obj(h), "close"); }))
    return 1;

  // Durable rewrite of 4 KiB on an open handle (seek 0 + write, one invoke).
  if (!check(create("bench-4k", data, &h), "create")) return 1;
  if (!add_row(rows, "durable write 4 KiB (open handle)", iters, 1,
               [&] { return check(repeat(STORAGE_CMD_WRITE_REPEAT, h, buf, 1), "write"); }))
    return 1;
  if (!check(close_obj(h), "close")) return 1;

  // Cached 4 KiB reads: per client call, and inside the TA (no client round trip).
  auto reads = [&](uint32_t count) { return check(repeat(STORAGE_CMD_READ_REPEAT, h, buf, count), "read"); };
  if (!check(open_obj("bench-4k", &h), "open")) return 1;
  if (!add_row(rows, "read 4 KiB (client call: seek+read)", iters * 5, 1, [&] { return reads(1); }) ||
      !add_row(rows, "read 4 KiB (in the TA, per read; handle cache)", 20, kBatch,
               [&] { return reads(kBatch); }))
    return 1;
  if (!check(close_obj(h), "close")) return 1;
  // A handle with SHARE_WRITE may see other handles' writes: no handle
  // cache, every read is a syscall served from swtee-os's plaintext cache.
  if (!check(open_obj("bench-4k", &h,
                      ST_DATA_FLAG_ACCESS_READ | ST_DATA_FLAG_SHARE_READ | ST_DATA_FLAG_SHARE_WRITE),
             "open shared"))
    return 1;
  if (!add_row(rows, "read 4 KiB (in the TA, per read; OS cache)", 20, kBatch, [&] { return reads(kBatch); }))
    return 1;
  if (!check(close_obj(h), "close")) return 1;

  // open + close (object cached).
  if (!add_row(rows, "open+close (2 client calls)", iters * 2, 1,
               [&] { return check(open_obj("bench-4k", &h), "open") && check(close_obj(h), "close"); }))
    return 1;

  std::printf("trusted storage (%d iterations, state dir %s)\n", iters, dir.c_str());
  print(floor, 0);
  print(rows[0], floor.s.p50_us);
  print(rows[1], floor.s.p50_us);
  for (size_t i = 2; i < rows.size(); ++i) print(rows[i], 0);
  std::printf("  cached reads/s: %.0f per client call; inside the TA %.0f (handle cache), %.0f (OS cache)\n",
              1e6 / rows[2].s.p50_us, 1e6 / rows[3].s.p50_us, 1e6 / rows[4].s.p50_us);

  if (!out.empty()) {
    FILE* f = std::fopen(out.c_str(), "w");
    if (f != nullptr) {
      std::fprintf(f, "{\n  \"floor\": {\"p50_us\": %.1f, \"p99_us\": %.1f}", floor.s.p50_us, floor.s.p99_us);
      for (const auto& r : rows)
        std::fprintf(f, ",\n  \"%s\": {\"p50_us\": %.1f, \"p99_us\": %.1f}", r.name.c_str(), r.s.p50_us,
                     r.s.p99_us);
      std::fprintf(f, "\n}\n");
      std::fclose(f);
    }
  }
  TEEC_CloseSession(&g_s);
  TEEC_FinalizeContext(&g_ctx);
  return 0;
}
