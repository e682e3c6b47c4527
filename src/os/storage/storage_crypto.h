// The primitives trusted storage uses, on OpenSSL 3: HKDF-SHA256,
// HMAC-SHA256, AES-256-GCM (96-bit nonce, 128-bit tag) and the CSPRNG.
// Key material lives in SecretKey, which wipes itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "common/result.h"

namespace swtee::os::storage {

inline constexpr size_t kKeySize = 32;
inline constexpr size_t kNonceSize = 12;
inline constexpr size_t kTagSize = 16;
inline constexpr size_t kMacSize = 32;

using Bytes = std::span<const uint8_t>;
using Nonce = std::array<uint8_t, kNonceSize>;
using Tag = std::array<uint8_t, kTagSize>;
using Mac = std::array<uint8_t, kMacSize>;

class SecretKey {
 public:
  SecretKey() = default;
  explicit SecretKey(Bytes b);
  ~SecretKey();
  SecretKey(const SecretKey& o) : k_(o.k_) {}
  SecretKey& operator=(const SecretKey& o) = default;

  Bytes bytes() const { return k_; }
  std::span<uint8_t> mut() { return k_; }

 private:
  std::array<uint8_t, kKeySize> k_{};
};

// HKDF-SHA256 (RFC 5869) into a 32-byte key; `info` is the concatenation of
// the given parts (labels first, so distinct uses never collide).
Result<SecretKey> hkdf(const SecretKey& ikm, Bytes salt, std::initializer_list<Bytes> info);
// HMAC-SHA256 over the concatenation of `parts`.
Result<Mac> hmac(const SecretKey& key, std::initializer_list<Bytes> parts);
bool equal_ct(Bytes a, Bytes b);
// SHA-256 of `in`.
Result<Mac> sha256(Bytes in);

// AES-256-GCM. `out` must be as long as `in`.
Status gcm_seal(const SecretKey& key, const Nonce& nonce, Bytes aad, Bytes in, std::span<uint8_t> out,
                Tag* tag);
// kErrCorrupt when the tag does not verify (out is then wiped).
Status gcm_open(const SecretKey& key, const Nonce& nonce, Bytes aad, Bytes in, const Tag& tag,
                std::span<uint8_t> out);

Status random_bytes(std::span<uint8_t> out);

inline Bytes as_bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

}  // namespace swtee::os::storage
