#include "ta_runtime/crypto/ccm_stream.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstring>

#include "ta_runtime/crypto/evp_cache.h"

namespace swtee::ta::crypto {
namespace {

constexpr size_t kBlock = 16;

bool encrypt_block(Operation& op, const uint8_t in[kBlock], uint8_t out[kBlock]) noexcept {
  int w = 0;
  return EVP_EncryptUpdate(op.cctx, out, &w, in, static_cast<int>(kBlock)) == 1 &&
         w == static_cast<int>(kBlock);
}

// X = E(X ^ block): one CBC-MAC step.
bool mac_block(Operation& op, const uint8_t block[kBlock]) noexcept {
  for (size_t i = 0; i < kBlock; ++i) op.chain[i] ^= block[i];
  return encrypt_block(op, op.chain, op.chain);
}

// Counter block A_i = flags(L-1) ‖ nonce ‖ i (L bytes, big-endian).
void counter_block(const Operation& op, uint64_t i, uint8_t a[kBlock]) noexcept {
  const size_t n = op.ccm_nonce.size();
  const size_t l = 15 - n;
  std::memset(a, 0, kBlock);
  a[0] = static_cast<uint8_t>(l - 1);
  std::memcpy(a + 1, op.ccm_nonce.data(), n);
  for (size_t k = 0; k < l && k < 8; ++k) a[15 - k] = static_cast<uint8_t>(i >> (8 * k));
}

// MACs B0 and the encoded AAD (once, before the first payload byte).
bool mac_header(Operation& op) noexcept {
  const size_t n = op.ccm_nonce.size();
  const size_t l = 15 - n;
  uint8_t b[kBlock] = {};
  const size_t a = op.ccm_aad.size();
  b[0] = static_cast<uint8_t>((a != 0 ? 0x40 : 0) | (((op.tag_len - 2) / 2) << 3) | (l - 1));
  std::memcpy(b + 1, op.ccm_nonce.data(), n);
  const uint64_t p = op.payload_decl;
  for (size_t k = 0; k < l && k < 8; ++k) b[15 - k] = static_cast<uint8_t>(p >> (8 * k));
  std::memset(op.chain, 0, sizeof(op.chain));
  if (!mac_block(op, b)) return false;
  if (a == 0) return true;
  // The AAD length prefix (SP 800-38C A.2.2), then the AAD, zero-padded.
  uint8_t prefix[10];
  size_t plen = 0;
  if (a < 0xFF00) {
    prefix[0] = static_cast<uint8_t>(a >> 8);
    prefix[1] = static_cast<uint8_t>(a);
    plen = 2;
  } else if (a <= 0xFFFFFFFFu) {
    prefix[0] = 0xFF;
    prefix[1] = 0xFE;
    for (int k = 0; k < 4; ++k) prefix[2 + k] = static_cast<uint8_t>(a >> (8 * (3 - k)));
    plen = 6;
  } else {
    prefix[0] = 0xFF;
    prefix[1] = 0xFF;
    for (int k = 0; k < 8; ++k)
      prefix[2 + k] = static_cast<uint8_t>(static_cast<uint64_t>(a) >> (8 * (7 - k)));
    plen = 10;
  }
  size_t fill = 0;
  uint8_t blk[kBlock] = {};
  auto feed = [&](const uint8_t* src, size_t len) {
    while (len != 0) {
      const size_t take = std::min(len, kBlock - fill);
      std::memcpy(blk + fill, src, take);
      fill += take;
      src += take;
      len -= take;
      if (fill == kBlock) {
        if (!mac_block(op, blk)) return false;
        fill = 0;
      }
    }
    return true;
  };
  if (!feed(prefix, plen) || !feed(op.ccm_aad.data(), a)) return false;
  if (fill != 0) {
    std::memset(blk + fill, 0, kBlock - fill);
    if (!mac_block(op, blk)) return false;
  }
  OPENSSL_cleanse(blk, sizeof(blk));
  return true;
}

// One payload block (full, or the final partial one of `len` bytes).
bool payload_block(Operation& op, const uint8_t* in, size_t len, uint8_t* out) noexcept {
  uint8_t a[kBlock], s[kBlock], p[kBlock] = {};
  counter_block(op, 1 + op.total / kBlock, a);
  if (!encrypt_block(op, a, s)) return false;
  if (op.encrypting()) {
    std::memcpy(p, in, len);
    for (size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(in[i] ^ s[i]);
  } else {
    for (size_t i = 0; i < len; ++i) p[i] = static_cast<uint8_t>(in[i] ^ s[i]);
    std::memcpy(out, p, len);
  }
  const bool ok = mac_block(op, p);  // the plaintext, zero-padded
  op.total += len;
  OPENSSL_cleanse(s, sizeof(s));
  OPENSSL_cleanse(p, sizeof(p));
  return ok;
}

bool ensure_header(Operation& op) noexcept {
  if (op.ccm_started) return true;
  op.ccm_started = true;
  return mac_header(op);
}

}  // namespace

bool ccm_start(Operation& op) noexcept {
  char name[24];
  std::snprintf(name, sizeof(name), "AES-%u-ECB", op.key_size);
  const EVP_CIPHER* c = fetch_cipher(name);
  if (c == nullptr || EVP_CipherInit_ex2(op.cctx, c, op.key1.data(), nullptr, 1, nullptr) != 1) return false;
  EVP_CIPHER_CTX_set_padding(op.cctx, 0);
  op.ccm_started = false;
  op.total = 0;
  std::memset(op.chain, 0, sizeof(op.chain));
  op.ccm_data.clear();
  return true;
}

size_t ccm_update_size(const Operation& op, size_t len) noexcept {
  return (op.ccm_data.size() + len) / kBlock * kBlock;
}

bool ccm_update(Operation& op, const uint8_t* in, size_t len, uint8_t* out) noexcept {
  if (len == 0) return true;
  if (!ensure_header(op)) return false;
  // Top up the held partial block first.
  if (!op.ccm_data.empty()) {
    const size_t take = std::min(len, kBlock - op.ccm_data.size());
    if (!op.ccm_data.append(in, take)) return false;
    in += take;
    len -= take;
    if (op.ccm_data.size() < kBlock) return true;
    if (!payload_block(op, op.ccm_data.data(), kBlock, out)) return false;
    out += kBlock;
    op.ccm_data.clear();
  }
  while (len >= kBlock) {
    if (!payload_block(op, in, kBlock, out)) return false;
    in += kBlock;
    out += kBlock;
    len -= kBlock;
  }
  return len == 0 || op.ccm_data.assign(in, len);
}

bool ccm_finish(Operation& op, uint8_t* out, uint8_t* tag) noexcept {
  if (!ensure_header(op)) return false;
  if (!op.ccm_data.empty() && !payload_block(op, op.ccm_data.data(), op.ccm_data.size(), out)) return false;
  uint8_t a0[kBlock], s0[kBlock];
  counter_block(op, 0, a0);
  if (!encrypt_block(op, a0, s0)) return false;
  for (size_t i = 0; i < op.tag_len; ++i) tag[i] = static_cast<uint8_t>(op.chain[i] ^ s0[i]);
  OPENSSL_cleanse(s0, sizeof(s0));
  op.ccm_data.clear();
  return true;
}

}  // namespace swtee::ta::crypto
