// Explicitly fetched OpenSSL algorithm objects, cached for the life of the
// process (fetch once, never per operation: implicit fetches cost a lock and
// a lookup on every call in OpenSSL 3.0). A failed fetch is cached too, so
// an unavailable algorithm is reported consistently and cheaply.
#pragma once

#include <openssl/evp.h>
#include <openssl/kdf.h>

namespace swtee::ta::crypto {

// Names are OpenSSL algorithm names ("SHA2-256", "AES-128-CBC", "HMAC").
// nullptr when no loaded provider implements it.
const EVP_MD* fetch_md(const char* name) noexcept;
const EVP_CIPHER* fetch_cipher(const char* name) noexcept;
EVP_MAC* fetch_mac(const char* name) noexcept;
EVP_KDF* fetch_kdf(const char* name) noexcept;

// Makes sure the default and legacy providers are loaded in the default
// library context (the zygote already did this before the sandbox; unit
// tests rely on this). Idempotent.
void ensure_providers() noexcept;

}  // namespace swtee::ta::crypto
