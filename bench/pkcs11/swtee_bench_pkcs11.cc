// swtee-bench-pkcs11: one PKCS#11 client that dlopen()s either module,
// libswtee-pkcs11.so (keys in the pkcs11 TA) or SoftHSM2, and measures the
// same operations through the PKCS#11 API in the same run. Each figure is
// printed next to SoftHSM2's with the ratio against the target.
// Run under `swtee run` (scripts/bench.sh). JSON to --out.
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/progress.h"
#include "latency.h"

namespace {

using swtee::bench::now_us;
using swtee::bench::summarize;
using swtee::bench::Summary;

const char kSo[] = "so-bench-1";
const char kUser[] = "user-bench";

CK_UTF8CHAR_PTR pin(const char* p) { return reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(p)); }

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) {
    std::fprintf(stderr, "%s failed: 0x%lx\n", what, rv);
    std::exit(1);
  }
}

struct Token {
  void* lib = nullptr;
  CK_FUNCTION_LIST* f = nullptr;
  CK_SLOT_ID slot = 0;
  CK_SESSION_HANDLE s = 0;

  explicit Token(const std::string& path) {
    lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      std::fprintf(stderr, "dlopen %s: %s\n", path.c_str(), dlerror());
      std::exit(1);
    }
    auto get = reinterpret_cast<CK_C_GetFunctionList>(dlsym(lib, "C_GetFunctionList"));
    check(get(&f), "C_GetFunctionList");
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    check(f->C_Initialize(&args), "C_Initialize");
    CK_SLOT_ID slots[8];
    CK_ULONG n = 8;
    check(f->C_GetSlotList(CK_FALSE, slots, &n), "C_GetSlotList");
    slot = slots[0];
    CK_UTF8CHAR label[32];
    std::memset(label, ' ', sizeof(label));
    std::memcpy(label, "bench", 5);
    check(f->C_InitToken(slot, pin(kSo), std::strlen(kSo), label), "C_InitToken");
    // SoftHSM2 moves a fresh token to a new slot: find it by label.
    n = 8;
    check(f->C_GetSlotList(CK_TRUE, slots, &n), "C_GetSlotList");
    for (CK_ULONG i = 0; i < n; ++i) {
      CK_TOKEN_INFO ti;
      if (f->C_GetTokenInfo(slots[i], &ti) == CKR_OK && std::memcmp(ti.label, label, 32) == 0)
        slot = slots[i];
    }
    check(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s), "C_OpenSession");
    check(f->C_Login(s, CKU_SO, pin(kSo), std::strlen(kSo)), "C_Login(SO)");
    check(f->C_InitPIN(s, pin(kUser), std::strlen(kUser)), "C_InitPIN");
    check(f->C_Logout(s), "C_Logout");
    check(f->C_Login(s, CKU_USER, pin(kUser), std::strlen(kUser)), "C_Login");
  }
  ~Token() {
    f->C_Finalize(nullptr);
    dlclose(lib);
  }
  Token(const Token&) = delete;
  Token& operator=(const Token&) = delete;

  void keypair(CK_MECHANISM_TYPE mt, bool rsa, CK_OBJECT_HANDLE* priv) {
    CK_MECHANISM m = {mt, nullptr, 0};
    CK_BBOOL t = CK_TRUE;
    CK_ULONG bits = 2048;
    CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    CK_ATTRIBUTE pub[] = {{CKA_VERIFY, &t, 1},
                          rsa ? CK_ATTRIBUTE{CKA_MODULUS_BITS, &bits, sizeof(bits)}
                              : CK_ATTRIBUTE{CKA_EC_PARAMS, p256, sizeof(p256)}};
    CK_ATTRIBUTE prv[] = {{CKA_SIGN, &t, 1}, {CKA_SENSITIVE, &t, 1}, {CKA_PRIVATE, &t, 1}};
    CK_OBJECT_HANDLE ph = 0;
    check(f->C_GenerateKeyPair(s, &m, pub, 2, prv, 3, &ph, priv), "C_GenerateKeyPair");
  }
};

struct Figure {
  std::string name;
  std::string unit;
  bool higher_better = true;
  double target = 1.0;       // required ratio swtee/softhsm (rates) or softhsm/swtee (times)
  double value[2] = {0, 0};  // swtee, softhsm: median over the rounds
  Summary lat[2];
  std::vector<double> rounds[2];
  std::vector<double> samples[2];
};

constexpr int kRounds = 3;
constexpr double kSpanUs = 0.6e6;  // per round and module
constexpr int kThreads = 8;

// Signs for kSpanUs in one session; returns ops/s and per-op latencies.
double sign_loop(Token& t, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, CK_MECHANISM_TYPE mt,
                 std::vector<double>* lat) {
  CK_MECHANISM m = {mt, nullptr, 0};
  CK_BYTE data[32];
  std::memset(data, 0x5c, sizeof(data));
  CK_BYTE sig[512];
  double start = now_us();
  double end = start + kSpanUs;
  size_t ops = 0;
  double now = start;
  while (now < end) {
    double t0 = now;
    CK_ULONG n = sizeof(sig);
    check(t.f->C_SignInit(s, &m, key), "C_SignInit");
    check(t.f->C_Sign(s, data, sizeof(data), sig, &n), "C_Sign");
    now = now_us();
    if (lat) lat->push_back(now - t0);
    ++ops;
  }
  return static_cast<double>(ops) / ((now - start) / 1e6);
}

// What each token holds for the measurements.
struct Keys {
  CK_OBJECT_HANDLE ec = 0;
  CK_OBJECT_HANDLE rsa = 0;
  CK_OBJECT_HANDLE aes = 0;
};

Keys prepare(Token& t) {
  Keys k;
  t.keypair(CKM_EC_KEY_PAIR_GEN, false, &k.ec);
  t.keypair(CKM_RSA_PKCS_KEY_PAIR_GEN, true, &k.rsa);
  CK_MECHANISM gen = {CKM_AES_KEY_GEN, nullptr, 0};
  CK_ULONG len = 32;
  CK_BBOOL tr = CK_TRUE;
  CK_ATTRIBUTE ka[] = {{CKA_VALUE_LEN, &len, sizeof(len)}, {CKA_ENCRYPT, &tr, 1}, {CKA_SENSITIVE, &tr, 1}};
  check(t.f->C_GenerateKey(t.s, &gen, ka, 3, &k.aes), "C_GenerateKey");
  CK_OBJECT_CLASS cls = CKO_DATA;
  CK_BYTE v[16] = {};
  char label[32];
  for (int i = 0; i < 1000; ++i) {
    int n = std::snprintf(label, sizeof(label), "obj-%04d", i);
    CK_ATTRIBUTE a[] = {{CKA_CLASS, &cls, sizeof(cls)},
                        {CKA_LABEL, label, static_cast<CK_ULONG>(n)},
                        {CKA_VALUE, v, sizeof(v)}};
    CK_OBJECT_HANDLE h = 0;
    check(t.f->C_CreateObject(t.s, a, 3, &h), "C_CreateObject");
  }
  return k;
}

// One round of one figure on one token: a rate or a median time, and
// per-operation samples.
double measure(int fig, Token& t, const Keys& k, std::vector<double>& lat) {
  switch (fig) {
    case 0:
      return sign_loop(t, t.s, k.ec, CKM_ECDSA, &lat);
    case 1:
      return sign_loop(t, t.s, k.rsa, CKM_SHA256_RSA_PKCS, &lat);
    case 2: {
      std::vector<CK_BYTE> in(1 << 20, 0x11);
      std::vector<CK_BYTE> out(in.size() + 16);
      CK_BYTE iv[12] = {};
      CK_GCM_PARAMS g{};
      g.pIv = iv;
      g.ulIvLen = 12;
      g.ulIvBits = 96;
      g.ulTagBits = 128;
      CK_MECHANISM m = {CKM_AES_GCM, &g, sizeof(g)};
      double start = now_us();
      double now = start;
      size_t bytes = 0;
      while (now < start + kSpanUs) {
        double t0 = now;
        CK_ULONG n = out.size();
        ++iv[11];  // a fresh IV per message
        check(t.f->C_EncryptInit(t.s, &m, k.aes), "C_EncryptInit(GCM)");
        check(t.f->C_Encrypt(t.s, in.data(), in.size(), out.data(), &n), "C_Encrypt(GCM)");
        now = now_us();
        lat.push_back(now - t0);
        bytes += in.size();
      }
      return static_cast<double>(bytes) / (1 << 20) / ((now - start) / 1e6);
    }
    case 3: {
      CK_OBJECT_CLASS cls = CKO_DATA;
      char label[32];
      std::vector<double> mine;
      for (int r = 0; r < 100; ++r) {
        int n = std::snprintf(label, sizeof(label), "obj-%04d", (r * 37) % 1000);
        CK_ATTRIBUTE q[] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_LABEL, label, static_cast<CK_ULONG>(n)}};
        CK_OBJECT_HANDLE found[4];
        CK_ULONG got = 0;
        double t0 = now_us();
        check(t.f->C_FindObjectsInit(t.s, q, 2), "C_FindObjectsInit");
        check(t.f->C_FindObjects(t.s, found, 4, &got), "C_FindObjects");
        check(t.f->C_FindObjectsFinal(t.s), "C_FindObjectsFinal");
        mine.push_back(now_us() - t0);
        if (got != 1) check(CKR_GENERAL_ERROR, "C_FindObjects count");
      }
      lat.insert(lat.end(), mine.begin(), mine.end());
      return summarize(mine).p50_us;
    }
    case 4: {
      std::vector<std::thread> ts;
      std::vector<double> rate(kThreads, 0);
      std::atomic<int> ready{0};
      for (int i = 0; i < kThreads; ++i) {
        ts.emplace_back([&, i] {
          CK_SESSION_HANDLE s = 0;
          check(t.f->C_OpenSession(t.slot, CKF_SERIAL_SESSION, nullptr, nullptr, &s), "C_OpenSession");
          ready.fetch_add(1);
          while (ready.load() < kThreads) std::this_thread::yield();
          rate[static_cast<size_t>(i)] = sign_loop(t, s, k.ec, CKM_ECDSA, nullptr);
          t.f->C_CloseSession(s);
        });
      }
      for (auto& th : ts) th.join();
      double sum = 0;
      for (double r : rate) sum += r;
      return sum;
    }
    default: {
      // Last: SoftHSM2 drops private session objects when the user logs out.
      CK_SESSION_HANDLE s2 = 0;
      std::vector<double> mine;
      check(t.f->C_OpenSession(t.slot, CKF_SERIAL_SESSION, nullptr, nullptr, &s2), "C_OpenSession");
      t.f->C_Logout(t.s);
      for (int r = 0; r < 40; ++r) {
        double t0 = now_us();
        check(t.f->C_Login(s2, CKU_USER, pin(kUser), std::strlen(kUser)), "C_Login");
        mine.push_back(now_us() - t0);
        check(t.f->C_Logout(s2), "C_Logout");
      }
      check(t.f->C_Login(t.s, CKU_USER, pin(kUser), std::strlen(kUser)), "C_Login");
      t.f->C_CloseSession(s2);
      lat.insert(lat.end(), mine.begin(), mine.end());
      return summarize(mine).p50_us;
    }
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string swtee_mod = SWTEE_PKCS11_MODULE;
  std::string softhsm_mod = "/usr/lib/softhsm/libsofthsm2.so";
  std::string out = "pkcs11-bench.json";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
    if (!std::strcmp(argv[i], "--softhsm") && i + 1 < argc) softhsm_mod = argv[++i];
    if (!std::strcmp(argv[i], "--module") && i + 1 < argc) swtee_mod = argv[++i];
  }
  // SoftHSM2 in a private token directory, as a user would run it.
  char dir[] = "/tmp/swtee-bench-softhsm-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 1;
  std::string conf = std::string(dir) + "/softhsm2.conf";
  std::string tokens = std::string(dir) + "/tokens";
  std::string mk = "mkdir -p " + tokens;
  if (std::system(mk.c_str()) != 0) return 1;
  std::ofstream(conf) << "directories.tokendir = " << tokens
                      << "\nobjectstore.backend = file\nlog.level = ERROR\n";
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);

  std::vector<Figure> figs = {
      {"ECDSA P-256 sign", "ops/s", true, 0.80, {}, {}, {}, {}},
      {"RSA-2048 sign (SHA256-RSA-PKCS)", "ops/s", true, 0.95, {}, {}, {}, {}},
      {"AES-256-GCM encrypt, 1 MiB", "MiB/s", true, 0.90, {}, {}, {}, {}},
      {"C_FindObjects, 1 of 1000 objects", "us", false, 1.0, {}, {}, {}, {}},
      {"8 threads ECDSA P-256 sign", "ops/s", true, 1.0, {}, {}, {}, {}},
      {"C_Login (user)", "us", false, 1.0, {}, {}, {}, {}},
  };
  std::printf("PKCS#11 through one client: swtee (pkcs11 TA) vs SoftHSM2, same run, %u vCPU\n",
              std::thread::hardware_concurrency());
  {
    // Both tokens side by side; each figure alternates between them for
    // kRounds rounds and keeps the median, so a noisy moment on a shared
    // machine does not decide a ratio.
    Token sw(swtee_mod);
    Token hsm(softhsm_mod);
    Token* tok[2] = {&sw, &hsm};
    Keys keys[2] = {prepare(sw), prepare(hsm)};
    swtee::Progress progress("measuring rounds", figs.size() * kRounds * 2, STDOUT_FILENO,
                             swtee::Progress::AtEnd::Erase);
    for (size_t fi = 0; fi < figs.size(); ++fi) {
      Figure& f = figs[fi];
      for (int r = 0; r < kRounds; ++r)
        for (int m = 0; m < 2; ++m) {
          f.rounds[m].push_back(measure(static_cast<int>(fi), *tok[m], keys[m], f.samples[m]));
          progress.update((fi * kRounds + static_cast<size_t>(r)) * 2 + static_cast<size_t>(m) + 1);
        }
      for (int m = 0; m < 2; ++m) {
        f.value[m] = median(f.rounds[m]);
        f.lat[m] = summarize(f.samples[m]);
      }
    }
    progress.finish();
  }
  std::string rm = std::string("rm -rf ") + dir;
  (void)std::system(rm.c_str());

  std::printf("%-36s %12s %12s %8s %8s  %s\n", "figure", "swtee", "SoftHSM2", "ratio", "target",
              "p50/p99 us (swtee | SoftHSM2)");
  std::ofstream j(out);
  j << "[\n";
  bool first = true;
  for (const Figure& f : figs) {
    // Ratio: how swtee compares, >= 1 is as good as SoftHSM2.
    double ratio = f.higher_better ? f.value[0] / f.value[1] : f.value[1] / f.value[0];
    bool met = ratio >= f.target;
    char lat[96] = "";
    if (f.lat[0].n)
      std::snprintf(lat, sizeof(lat), "%.1f/%.1f | %.1f/%.1f", f.lat[0].p50_us, f.lat[0].p99_us,
                    f.lat[1].p50_us, f.lat[1].p99_us);
    std::printf("%-36s %10.1f %-2s %9.1f %-2s %7.2f %7.2f%s %s\n", f.name.c_str(), f.value[0],
                f.unit == "us" ? "us" : "", f.value[1], f.unit == "us" ? "us" : "", ratio, f.target,
                met ? " " : "!", lat);
    j << (first ? "" : ",\n") << "  {\"figure\": \"" << f.name << "\", \"unit\": \"" << f.unit
      << "\", \"swtee\": " << f.value[0] << ", \"softhsm2\": " << f.value[1] << ", \"ratio\": " << ratio
      << ", \"target\": " << f.target << ", \"met\": " << (met ? "true" : "false") << "}";
    first = false;
  }
  j << "\n]\n";
  std::printf(
      "ratio: swtee/SoftHSM2 for rates, SoftHSM2/swtee for times (>= target meets the issue); ! = missed\n");
  return 0;
}
