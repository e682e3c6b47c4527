// xtest 4540 helpers: "keys never leave". One process imports private key
// material of known value (sensitive, unextractable) and exits; another
// uses the key and then searches the state directory, the runtime
// directory (daemon and supplicant files) and its own memory for that
// material. The known bytes are kept XOR-masked in this binary, and the
// searching process compares masked bytes, so the search itself never
// holds them in clear.
#include "keys_stay.h"

#include <dirent.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "p11_client.h"

namespace swtee::p11test {
namespace {

constexpr uint8_t kMask = 0x5a;
// A P-256 private scalar and an AES-256 key, each XOR kMask.
const uint8_t kMaskedD[32] = {0x8b, 0x1e, 0x33, 0xc4, 0x71, 0x02, 0xe9, 0x5f, 0x4d, 0xa6, 0x90,
                              0x17, 0x3b, 0xcc, 0x58, 0x21, 0x6e, 0xf4, 0x0a, 0x93, 0x2d, 0xb7,
                              0x46, 0xe1, 0x7c, 0x05, 0x9a, 0x63, 0xd8, 0x12, 0xae, 0x37};
const uint8_t kMaskedAes[32] = {0x14, 0xe2, 0x7b, 0x99, 0x3c, 0xd5, 0x60, 0x0f, 0xa3, 0x4e, 0xb1,
                                0x28, 0x87, 0x5d, 0xf6, 0x31, 0x0c, 0xca, 0x45, 0x9e, 0x72, 0x1b,
                                0xe8, 0x53, 0x3f, 0xa4, 0x66, 0xdd, 0x09, 0x92, 0x7e, 0xc1};
const char kUserPin[] = "123456";
const char kSoPin[] = "87654321";

CK_UTF8CHAR_PTR pin(const char* p) { return reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(p)); }

// Where `masked` occurs (unmasked) in buf, or -1.
long find_masked(const uint8_t* buf, size_t n, const uint8_t* masked, size_t m) {
  for (size_t i = 0; i + m <= n; ++i) {
    size_t j = 0;
    while (j < m && static_cast<uint8_t>(buf[i + j] ^ kMask) == masked[j]) ++j;
    if (j == m) return static_cast<long>(i);
  }
  return -1;
}

bool file_has(const std::string& path, const uint8_t* masked, size_t m) {
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return find_masked(b.data(), b.size(), masked, m) >= 0;
}

// Regular files under dir, recursively.
void walk(const std::string& dir, std::vector<std::string>& out) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string p = dir + "/" + name;
    struct stat st {};
    if (lstat(p.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode))
      walk(p, out);
    else if (S_ISREG(st.st_mode))
      out.push_back(p);
  }
  closedir(d);
}

// Searches this process's readable mappings, in 16 MiB pieces that overlap
// by m - 1 bytes. Mappings over 64 GiB are skipped: only a sanitizer's
// shadow or reserved ranges are that large (ASan's is terabytes), and they
// hold no data of ours.
bool memory_has(const uint8_t* masked, size_t m) {
  constexpr unsigned long kPiece = 16ul << 20;
  constexpr unsigned long kSkipAbove = 64ul << 30;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  std::vector<uint8_t> chunk;
  while (std::getline(maps, line)) {
    unsigned long lo = 0;
    unsigned long hi = 0;
    char perms[5] = {};
    if (std::sscanf(line.c_str(), "%lx-%lx %4s", &lo, &hi, perms) != 3 || perms[0] != 'r') continue;
    if (line.find("[vvar]") != std::string::npos || line.find("[vsyscall]") != std::string::npos) continue;
    if (hi - lo > kSkipAbove) continue;
    for (unsigned long at = lo; at < hi;) {
      const unsigned long len = std::min(hi - at, kPiece + m);
      chunk.resize(len);
      iovec local{chunk.data(), len};
      iovec remote{reinterpret_cast<void*>(at), len};
      ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
      if (got > 0 && find_masked(chunk.data(), static_cast<size_t>(got), masked, m) >= 0) return true;
      if (hi - at <= kPiece + m) break;
      at += kPiece;
    }
  }
  return false;
}

CK_SESSION_HANDLE login(const Module& mod) {
  CK_SESSION_HANDLE s = 0;
  if (mod->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s) != CKR_OK) return 0;
  if (mod->C_Login(s, CKU_USER, pin(kUserPin), 6) != CKR_OK) return 0;
  return s;
}

}  // namespace

int import_known_keys(const char* module, const char* control_file, const char* pub_file) {
  Module mod(module);
  if (init_threaded(mod) != CKR_OK) return 10;
  CK_UTF8CHAR label[32];
  std::memset(label, ' ', sizeof(label));
  std::memcpy(label, "xtest-4540", 10);
  if (mod->C_InitToken(0, pin(kSoPin), 8, label) != CKR_OK) return 11;
  CK_SESSION_HANDLE s = 0;
  if (mod->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s) != CKR_OK ||
      mod->C_Login(s, CKU_SO, pin(kSoPin), 8) != CKR_OK || mod->C_InitPIN(s, pin(kUserPin), 6) != CKR_OK ||
      mod->C_Logout(s) != CKR_OK || mod->C_Login(s, CKU_USER, pin(kUserPin), 6) != CKR_OK)
    return 12;
  uint8_t d[32];
  uint8_t aes[32];
  for (int i = 0; i < 32; ++i) {
    d[i] = kMaskedD[i] ^ kMask;
    aes[i] = kMaskedAes[i] ^ kMask;
  }
  // The public point, for the token (GP keys carry it) and the checker.
  EC_GROUP* g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  BIGNUM* bd = BN_bin2bn(d, 32, nullptr);
  EC_POINT* q = EC_POINT_new(g);
  EC_POINT_mul(g, q, bd, nullptr, nullptr, nullptr);
  uint8_t point[2 + 65] = {0x04, 65};
  EC_POINT_point2oct(g, q, POINT_CONVERSION_UNCOMPRESSED, point + 2, 65, nullptr);
  EC_POINT_free(q);
  BN_clear_free(bd);
  EC_GROUP_free(g);
  uint8_t params[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_OBJECT_CLASS priv = CKO_PRIVATE_KEY;
  CK_OBJECT_CLASS sec = CKO_SECRET_KEY;
  CK_KEY_TYPE ec = CKK_EC;
  CK_KEY_TYPE aes_t = CKK_AES;
  CK_BBOOL t = CK_TRUE;
  CK_BBOOL f = CK_FALSE;
  char l1[] = "known-ec";
  char l2[] = "known-aes";
  CK_ATTRIBUTE a1[] = {{CKA_CLASS, &priv, sizeof(priv)},
                       {CKA_KEY_TYPE, &ec, sizeof(ec)},
                       {CKA_TOKEN, &t, 1},
                       {CKA_SENSITIVE, &t, 1},
                       {CKA_EXTRACTABLE, &f, 1},
                       {CKA_SIGN, &t, 1},
                       {CKA_LABEL, l1, 8},
                       {CKA_EC_PARAMS, params, sizeof(params)},
                       {CKA_EC_POINT, point, sizeof(point)},
                       {CKA_VALUE, d, 32}};
  CK_ATTRIBUTE a2[] = {{CKA_CLASS, &sec, sizeof(sec)},
                       {CKA_KEY_TYPE, &aes_t, sizeof(aes_t)},
                       {CKA_TOKEN, &t, 1},
                       {CKA_SENSITIVE, &t, 1},
                       {CKA_EXTRACTABLE, &f, 1},
                       {CKA_ENCRYPT, &t, 1},
                       {CKA_LABEL, l2, 9},
                       {CKA_VALUE, aes, 32}};
  CK_OBJECT_HANDLE h = 0;
  if (mod->C_CreateObject(s, a1, 10, &h) != CKR_OK || mod->C_CreateObject(s, a2, 8, &h) != CKR_OK) return 13;
  // Positive control for the scanner: the clear bytes, outside the stack.
  std::ofstream(control_file, std::ios::binary).write(reinterpret_cast<char*>(d), 32);
  std::ofstream(pub_file, std::ios::binary).write(reinterpret_cast<char*>(point), sizeof(point));
  mod->C_Finalize(nullptr);
  return 0;
}

int keys_stay(const char* module, const std::vector<std::string>& dirs, const char* control_file,
              const char* pub_file) {
  Module mod(module);
  if (init_threaded(mod) != CKR_OK) return 20;
  CK_SESSION_HANDLE s = login(mod);
  if (s == 0) return 21;
  // Use both keys, so the TA loads them.
  char l1[] = "known-ec";
  CK_ATTRIBUTE q1 = {CKA_LABEL, l1, 8};
  auto ec = find_all(mod, s, &q1, 1);
  char l2[] = "known-aes";
  CK_ATTRIBUTE q2 = {CKA_LABEL, l2, 9};
  auto aes = find_all(mod, s, &q2, 1);
  if (ec.size() != 1 || aes.size() != 1) return 22;
  CK_MECHANISM m = {CKM_ECDSA_SHA256, nullptr, 0};
  uint8_t msg[16] = {1};
  uint8_t sig[64];
  CK_ULONG n = sizeof(sig);
  if (mod->C_SignInit(s, &m, ec[0]) != CKR_OK || mod->C_Sign(s, msg, sizeof(msg), sig, &n) != CKR_OK)
    return 23;
  // The signature verifies with the known public key: the token holds d.
  std::ifstream pf(pub_file, std::ios::binary);
  std::vector<uint8_t> point((std::istreambuf_iterator<char>(pf)), std::istreambuf_iterator<char>());
  uint8_t params[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_OBJECT_CLASS pub = CKO_PUBLIC_KEY;
  CK_KEY_TYPE kt = CKK_EC;
  CK_BBOOL t = CK_TRUE;
  CK_ATTRIBUTE pa[] = {{CKA_CLASS, &pub, sizeof(pub)},
                       {CKA_KEY_TYPE, &kt, sizeof(kt)},
                       {CKA_VERIFY, &t, 1},
                       {CKA_EC_PARAMS, params, sizeof(params)},
                       {CKA_EC_POINT, point.data(), point.size()}};
  CK_OBJECT_HANDLE ph = 0;
  if (mod->C_CreateObject(s, pa, 5, &ph) != CKR_OK || mod->C_VerifyInit(s, &m, ph) != CKR_OK ||
      mod->C_Verify(s, msg, sizeof(msg), sig, n) != CKR_OK)
    return 24;
  CK_MECHANISM ecb = {CKM_AES_ECB, nullptr, 0};
  uint8_t block[16] = {};
  uint8_t out[16];
  CK_ULONG on = sizeof(out);
  if (mod->C_EncryptInit(s, &ecb, aes[0]) != CKR_OK || mod->C_Encrypt(s, block, 16, out, &on) != CKR_OK)
    return 25;

  // The scanner can fail: it finds the bytes in the control file.
  if (!file_has(control_file, kMaskedD, 32)) return 30;
  int bad = 0;
  std::vector<std::string> files;
  for (const auto& d : dirs) walk(d, files);
  if (files.empty()) return 31;
  for (const auto& f : files) {
    if (file_has(f, kMaskedD, 32) || file_has(f, kMaskedAes, 32)) {
      std::fprintf(stderr, "key bytes in clear in %s\n", f.c_str());
      bad = 1;
    }
  }
  std::printf("scanned %zu files\n", files.size());
  if (memory_has(kMaskedD, 32) || memory_has(kMaskedAes, 32)) {
    std::fprintf(stderr, "key bytes in clear in the client's memory\n");
    bad = 1;
  }
  mod->C_Finalize(nullptr);
  return bad ? 40 : 0;
}

}  // namespace swtee::p11test
