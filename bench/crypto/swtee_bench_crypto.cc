// swtee-bench-crypto: GP crypto in a TA against raw OpenSSL in this process.
// Runs under `swtee run` (scripts/bench.sh).
//
//   aes128gcm_<size>  TEE_AEInit + TEE_AEEncryptFinal in the crypt TA, one
//                     invoke per buffer (CRYPT_CMD_BULK), input and output in
//                     TEEC_AllocateSharedMemory buffers (swtee-os copies them
//                     into and out of the TA's windows)
//   sha256_<size>     TEE_DigestDoFinal, likewise
//   ecdsa_p256_sign / _verify, rsa2048_pkcs1_sha256_sign: one invoke each,
//                     on a 32-byte digest
// Each is printed beside the same work done by OpenSSL EVP on the same
// buffers in this process (the floor), as p50/p99 per call, MB/s from the
// p50, and the ratio TA/floor throughput. The bulk rows also print the
// copy floor (crypto/copy_floor.h): the same copies and work with one
// cross-process hand-off, and the TA's throughput as a share of it.
// JSON array to --out.
#include <tee_client_api.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "crypto/copy_floor.h"
#include "crypto/crypt_session.h"
#include "crypto/openssl_floor.h"
#include "latency.h"

extern "C" {
#include <crypt_ta.h>
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wmacro-redefined"
#include <tee_api_defines.h>
#pragma clang diagnostic pop
}

using swtee::bench::CryptSession;
using swtee::bench::now_us;
using swtee::bench::summarize;
using swtee::bench::Summary;

namespace {

struct Row {
  std::string name;
  size_t bytes;  // 0: an operation count, not a throughput
  Summary ta, floor;
  Summary copy;  // the copy floor (bulk rows; n == 0 elsewhere)
};

// Times fn() `iters` times after `warm` untimed calls; false if fn failed.
// On a terminal a progress line shows the calls made; it is erased before
// the row is printed.
bool measure(size_t warm, size_t iters, const std::function<bool()>& fn, Summary* out) {
  std::vector<double> us;
  us.reserve(iters);
  swtee::Progress progress("measuring", warm + iters, STDOUT_FILENO, swtee::Progress::AtEnd::Erase);
  for (size_t i = 0; i < warm + iters; ++i) {
    const double t0 = now_us();
    if (!fn()) return false;
    const double t1 = now_us();
    if (i >= warm) us.push_back(t1 - t0);
    progress.update(i + 1);
  }
  *out = summarize(std::move(us));
  return true;
}

double mbps(size_t bytes, double us) { return us > 0 ? static_cast<double>(bytes) / us : 0; }  // B/us = MB/s

void print(const Row& r) {
  if (r.bytes) {
    const double t = mbps(r.bytes, r.ta.p50_us), f = mbps(r.bytes, r.floor.p50_us);
    std::printf(
        "%-30s TA %8.1f MB/s (p50 %8.1f us, p99 %8.1f us)   OpenSSL %8.1f MB/s (p50 %8.1f us, p99 %8.1f us)"
        "   ratio %5.1f%%  (+%.1f us/call)\n",
        r.name.c_str(), t, r.ta.p50_us, r.ta.p99_us, f, r.floor.p50_us, r.floor.p99_us,
        f > 0 ? 100.0 * t / f : 0, r.ta.p50_us - r.floor.p50_us);
    if (r.copy.n != 0) {
      const double c = mbps(r.bytes, r.copy.p50_us);
      std::printf("%-30s copy floor %8.1f MB/s (p50 %8.1f us, p99 %8.1f us)   TA at %5.1f%% of it\n", "", c,
                  r.copy.p50_us, r.copy.p99_us, c > 0 ? 100.0 * t / c : 0);
    }
  } else {
    std::printf(
        "%-30s TA p50 %8.1f us p99 %8.1f us   OpenSSL p50 %8.1f us p99 %8.1f us   ratio %5.1f%%"
        "  (+%.1f us/call)\n",
        r.name.c_str(), r.ta.p50_us, r.ta.p99_us, r.floor.p50_us, r.floor.p99_us,
        r.ta.p50_us > 0 ? 100.0 * r.floor.p50_us / r.ta.p50_us : 0, r.ta.p50_us - r.floor.p50_us);
  }
}

// The targets for the bulk rows (#11): the TA's throughput as a
// share of OpenSSL's in this process, >= 50 % at 16 KiB and >= 90 % from
// 256 KiB up; beside each, the share the copy floor reaches, which bounds
// what the TA can reach while memrefs are copied.
void print_targets(const std::vector<Row>& rows) {
  std::printf("\ntargets (ratios of this run):\n");
  for (const Row& r : rows) {
    if (r.bytes == 0 || r.copy.n == 0 || r.ta.p50_us <= 0 || r.copy.p50_us <= 0) continue;
    double target = 0;
    if (r.bytes == (16 << 10)) target = 50;
    if (r.bytes >= (256 << 10)) target = 90;
    if (target == 0) continue;
    const double got = 100.0 * r.floor.p50_us / r.ta.p50_us;
    const double bound = 100.0 * r.floor.p50_us / r.copy.p50_us;
    std::printf("  %-28s TA / OpenSSL %5.1f %%  (target >= %.0f %%) %-6s  copy floor / OpenSSL %5.1f %%\n",
                r.name.c_str(), got, target, got >= target ? "met" : "MISSED", bound);
  }
}

// Allocated shared memory, released on scope exit.
class Shm {
 public:
  Shm(TEEC_Context* ctx, size_t size, uint32_t flags) {
    shm_.size = size;
    shm_.flags = flags;
    ok_ = TEEC_AllocateSharedMemory(ctx, &shm_) == TEEC_SUCCESS;
  }
  ~Shm() {
    if (ok_) TEEC_ReleaseSharedMemory(&shm_);
  }
  Shm(const Shm&) = delete;
  Shm& operator=(const Shm&) = delete;
  bool ok() const { return ok_; }
  TEEC_SharedMemory* get() { return &shm_; }
  uint8_t* data() { return static_cast<uint8_t*>(shm_.buffer); }

 private:
  TEEC_SharedMemory shm_{};
  bool ok_ = false;
};

struct Sizes {
  size_t bytes, iters;
};
const Sizes kSizes[] = {{16 << 10, 2000}, {64 << 10, 800}, {256 << 10, 200}, {1 << 20, 60}};

std::string size_name(size_t b) {
  return b >= (1 << 20) ? std::to_string(b >> 20) + "MiB" : std::to_string(b >> 10) + "KiB";
}

bool bulk_rows(CryptSession& cs, swtee::bench::CopyFloor& copy, std::vector<Row>* rows) {
  TEEC_Context* ctx = cs.context();
  const size_t max = 1 << 20;
  Shm in(ctx, max, TEEC_MEM_INPUT), out(ctx, max + 64, TEEC_MEM_OUTPUT),
      iv(ctx, 16, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
  if (!in.ok() || !out.ok() || !iv.ok()) {
    std::fprintf(stderr, "swtee-bench-crypto: TEEC_AllocateSharedMemory failed\n");
    return false;
  }
  for (size_t i = 0; i < max; ++i) in.data()[i] = static_cast<uint8_t>(i * 31 + 7);
  std::memset(iv.data(), 0x5a, 16);

  uint32_t gcm = 0, sha = 0;
  TEEC_Result r = cs.alloc_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT, 128, &gcm);
  if (r == TEEC_SUCCESS) r = cs.generate_and_set(gcm, TEE_TYPE_AES, 128, {});
  if (r == TEEC_SUCCESS) r = cs.alloc_op(TEE_ALG_SHA256, TEE_MODE_DIGEST, 0, &sha);
  if (r != TEEC_SUCCESS) {
    std::fprintf(stderr, "swtee-bench-crypto: set-up in the TA failed: 0x%x\n", r);
    return false;
  }
  swtee::bench::OsslGcm ogcm;
  swtee::bench::OsslSha256 osha;
  if (!ogcm.ok() || !osha.ok()) {
    std::fprintf(stderr, "swtee-bench-crypto: OpenSSL set-up failed\n");
    return false;
  }
  uint8_t nonce[16], tag[16], md[32];
  // Warm the whole path (TA instance, shm mappings in every process, the
  // call path's adaptive spinning) before the first timed row.
  Summary warm;
  if (!measure(
          0, 1000,
          [&] { return cs.bulk(sha, in.get(), 16 << 10, out.get(), 32, nullptr, 0) == TEEC_SUCCESS; },
          &warm)) {
    std::fprintf(stderr, "swtee-bench-crypto: warm-up failed\n");
    return false;
  }
  for (const Sizes& s : kSizes) {
    Row g{"aes128gcm_encrypt_" + size_name(s.bytes), s.bytes, {}, {}, {}};
    const bool ok =
        measure(
            s.iters / 10, s.iters,
            [&] { return cs.bulk(gcm, in.get(), s.bytes, out.get(), s.bytes, iv.get(), 12) == TEEC_SUCCESS; },
            &g.ta) &&
        measure(
            s.iters / 10, s.iters,
            [&] {
              std::memcpy(nonce, iv.data(), 12);
              return ogcm.encrypt(nonce, in.data(), s.bytes, out.data(), tag);
            },
            &g.floor) &&
        measure(
            s.iters / 10, s.iters, [&] { return copy.gcm(in.data(), s.bytes, out.data()); }, &g.copy);
    Row h{"sha256_" + size_name(s.bytes), s.bytes, {}, {}, {}};
    const bool ok2 =
        ok &&
        measure(
            s.iters / 10, s.iters,
            [&] { return cs.bulk(sha, in.get(), s.bytes, out.get(), 32, nullptr, 0) == TEEC_SUCCESS; },
            &h.ta) &&
        measure(
            s.iters / 10, s.iters, [&] { return osha.digest(in.data(), s.bytes, md); }, &h.floor) &&
        measure(
            s.iters / 10, s.iters, [&] { return copy.sha256(in.data(), s.bytes, md); }, &h.copy);
    if (!ok2) {
      std::fprintf(stderr, "swtee-bench-crypto: a bulk call failed at %zu bytes\n", s.bytes);
      return false;
    }
    print(g);
    print(h);
    rows->push_back(g);
    rows->push_back(h);
  }
  return true;
}

// Sign (and verify) rows for one key kind; a NOT_SUPPORTED TA skips them.
void asym_rows(CryptSession& cs, const char* name, uint32_t alg, uint32_t type, uint32_t bits,
               const std::vector<uint8_t>& gen_attrs, swtee::bench::OsslSigner::Kind kind, bool with_verify,
               size_t iters, std::vector<Row>* rows) {
  uint32_t s = 0, v = 0;
  TEEC_Result r = cs.alloc_op(alg, TEE_MODE_SIGN, bits, &s);
  if (r == TEEC_SUCCESS) r = cs.alloc_op(alg, TEE_MODE_VERIFY, bits, &v);
  if (r == TEEC_SUCCESS) r = cs.generate_and_set2(s, v, type, bits, gen_attrs);
  if (r != TEEC_SUCCESS) {
    std::printf("%-30s skipped: the TA answered 0x%x%s\n", name, r,
                r == TEEC_ERROR_NOT_SUPPORTED ? " (NOT_SUPPORTED)" : "");
    return;
  }
  swtee::bench::OsslSigner ossl(kind);
  if (!ossl.ok()) {
    std::printf("%-30s skipped: OpenSSL key set-up failed\n", name);
    return;
  }
  Shm dshm(cs.context(), 32, TEEC_MEM_INPUT), sshm(cs.context(), 512, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
  if (!dshm.ok() || !sshm.ok()) {
    std::printf("%-30s skipped: TEEC_AllocateSharedMemory failed\n", name);
    return;
  }
  std::memset(dshm.data(), 0xa5, 32);
  const std::vector<uint8_t> digest(dshm.data(), dshm.data() + 32);
  std::vector<uint8_t> os_sig(512);
  size_t ta_sig_len = 0;
  Row sign{std::string(name) + "_sign", 0, {}, {}, {}};
  bool ok = measure(
                iters / 10, iters,
                [&] {
                  ta_sig_len = 512;
                  return cs.sign(s, dshm.get(), 32, sshm.get(), &ta_sig_len) == TEEC_SUCCESS;
                },
                &sign.ta) &&
            measure(
                iters / 10, iters,
                [&] {
                  os_sig.resize(512);
                  return ossl.sign(digest, &os_sig);
                },
                &sign.floor);
  if (!ok) {
    std::printf("%-30s failed\n", sign.name.c_str());
    return;
  }
  print(sign);
  rows->push_back(sign);
  if (!with_verify) return;
  Row ver{std::string(name) + "_verify", 0, {}, {}, {}};
  ok = measure(
           iters / 10, iters,
           [&] { return cs.verify(v, dshm.get(), 32, sshm.get(), ta_sig_len) == TEEC_SUCCESS; }, &ver.ta) &&
       measure(
           iters / 10, iters, [&] { return ossl.verify(digest, os_sig); }, &ver.floor);
  if (!ok) {
    std::printf("%-30s failed\n", ver.name.c_str());
    return;
  }
  print(ver);
  rows->push_back(ver);
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = "build/bench/results-crypto.json";
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];

  // Forked before the first TEEC call starts any thread.
  auto copy = swtee::bench::CopyFloor::start(1 << 20);
  if (!copy) {
    std::fprintf(stderr, "swtee-bench-crypto: cannot start the copy floor's process\n");
    return 1;
  }
  CryptSession cs;
  if (TEEC_Result r = cs.open(); r != TEEC_SUCCESS) {
    std::fprintf(stderr, "swtee-bench-crypto: cannot open the crypt TA: 0x%x\n", r);
    return 1;
  }
  std::printf(
      "crypto: crypt TA (client -> swteed -> swtee-os -> TA, allocated shared memory) vs OpenSSL EVP "
      "in this process\n");
  std::vector<Row> rows;
  // The call path alone (a value-only command that does no crypto): what
  // every row below pays once per call on top of the crypto itself.
  {
    Summary call;
    if (!measure(
            500, 5000, [&] { return cs.is_supported(TEE_ALG_SHA256) == TEEC_SUCCESS; }, &call)) {
      std::fprintf(stderr, "swtee-bench-crypto: the call-path probe failed\n");
      return 1;
    }
    std::printf("%-30s p50 %8.1f us p99 %8.1f us  (TEE_IsAlgorithmSupported: no crypto, no memref)\n",
                "call path", call.p50_us, call.p99_us);
    rows.push_back(Row{"call_path_is_algorithm_supported", 0, call, Summary{}, Summary{}});
  }
  if (!bulk_rows(cs, *copy, &rows)) return 1;
  asym_rows(cs, "ecdsa_p256", TEE_ALG_ECDSA_SHA256, TEE_TYPE_ECDSA_KEYPAIR, 256,
            swtee::bench::value_attr_blob(TEE_ATTR_ECC_CURVE, TEE_ECC_CURVE_NIST_P256, 0),
            swtee::bench::OsslSigner::Kind::kEcdsaP256, true, 500, &rows);
  asym_rows(cs, "rsa2048_pkcs1_sha256", TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_TYPE_RSA_KEYPAIR, 2048, {},
            swtee::bench::OsslSigner::Kind::kRsa2048Pkcs1, false, 100, &rows);
  print_targets(rows);

  std::ofstream f(out);
  f << "[\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    f << "  {\"name\": \"" << r.name << "\", \"unit\": \"us\", \"p50\": " << r.ta.p50_us
      << ", \"p99\": " << r.ta.p99_us << ", \"floor_p50\": " << r.floor.p50_us
      << ", \"floor_p99\": " << r.floor.p99_us;
    if (r.bytes)
      f << ", \"bytes\": " << r.bytes << ", \"mbps\": " << mbps(r.bytes, r.ta.p50_us)
        << ", \"floor_mbps\": " << mbps(r.bytes, r.floor.p50_us);
    if (r.copy.n != 0)
      f << ", \"copy_floor_p50\": " << r.copy.p50_us << ", \"copy_floor_p99\": " << r.copy.p99_us;
    f << "}" << (i + 1 < rows.size() ? "," : "") << "\n";
  }
  f << "]\n";
  std::printf("\nwrote %s\n", out.c_str());
  return 0;
}
