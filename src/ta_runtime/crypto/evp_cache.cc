#include "ta_runtime/crypto/evp_cache.h"

#include <openssl/provider.h>

#include <map>
#include <string>

#include "common/thread_annotations.h"

namespace swtee::ta::crypto {
namespace {

struct Cache {
  Mutex mu;
  std::map<std::string, const EVP_MD*, std::less<>> mds GUARDED_BY(mu);
  std::map<std::string, const EVP_CIPHER*, std::less<>> ciphers GUARDED_BY(mu);
  std::map<std::string, EVP_MAC*, std::less<>> macs GUARDED_BY(mu);
  std::map<std::string, EVP_KDF*, std::less<>> kdfs GUARDED_BY(mu);
  bool providers_checked GUARDED_BY(mu) = false;
  // The providers this cache loaded, held for the life of the process like
  // everything fetched from them (kept here, not dropped: a dropped handle
  // is a leak to LeakSanitizer once OpenSSL's exit clean-up has run).
  OSSL_PROVIDER* default_provider GUARDED_BY(mu) = nullptr;
  OSSL_PROVIDER* legacy_provider GUARDED_BY(mu) = nullptr;
};

Cache& cache() {
  static Cache* c = new Cache;  // never destroyed: handed-out pointers stay valid at exit
  return *c;
}

void ensure_providers_locked(Cache& c) REQUIRES(c.mu) {
  if (c.providers_checked) return;
  c.providers_checked = true;
  if (OSSL_PROVIDER_available(nullptr, "default") == 0)
    c.default_provider = OSSL_PROVIDER_load(nullptr, "default");
  if (OSSL_PROVIDER_available(nullptr, "legacy") == 0)
    c.legacy_provider = OSSL_PROVIDER_load(nullptr, "legacy");
}

template <typename T, typename Fetch>
T* lookup(Cache& c, std::map<std::string, T*, std::less<>>& m, const char* name, Fetch fetch) REQUIRES(c.mu) {
  if (auto it = m.find(name); it != m.end()) return it->second;
  ensure_providers_locked(c);
  T* v = fetch(name);
  m.emplace(name, v);
  return v;
}

}  // namespace

void ensure_providers() noexcept {
  Cache& c = cache();
  MutexLock l(c.mu);
  ensure_providers_locked(c);
}

const EVP_MD* fetch_md(const char* name) noexcept {
  Cache& c = cache();
  MutexLock l(c.mu);
  return lookup(c, c.mds, name,
                [](const char* n) -> const EVP_MD* { return EVP_MD_fetch(nullptr, n, nullptr); });
}

const EVP_CIPHER* fetch_cipher(const char* name) noexcept {
  Cache& c = cache();
  MutexLock l(c.mu);
  return lookup(c, c.ciphers, name,
                [](const char* n) -> const EVP_CIPHER* { return EVP_CIPHER_fetch(nullptr, n, nullptr); });
}

EVP_MAC* fetch_mac(const char* name) noexcept {
  Cache& c = cache();
  MutexLock l(c.mu);
  return lookup(c, c.macs, name, [](const char* n) { return EVP_MAC_fetch(nullptr, n, nullptr); });
}

EVP_KDF* fetch_kdf(const char* name) noexcept {
  Cache& c = cache();
  MutexLock l(c.mu);
  return lookup(c, c.kdfs, name, [](const char* n) { return EVP_KDF_fetch(nullptr, n, nullptr); });
}

}  // namespace swtee::ta::crypto
