#include "ta_runtime/crypto/block_modes.h"

#include <algorithm>
#include <cstring>

namespace swtee::ta::crypto {
namespace {

constexpr size_t kBs = 16;
constexpr size_t kChunkBlocks = 256;  // XTS tweak batch: 4 KiB on the stack

bool ecb(EVP_CIPHER_CTX* ctx, const uint8_t* in, uint8_t* out, size_t len) noexcept {
  int n = 0;
  return EVP_CipherUpdate(ctx, out, &n, in, static_cast<int>(len)) == 1 && static_cast<size_t>(n) == len;
}

void xor_block(uint8_t* dst, const uint8_t* a, const uint8_t* b) noexcept {
  for (size_t i = 0; i < kBs; ++i) dst[i] = a[i] ^ b[i];
}

// Multiplies the tweak by x in GF(2^128), little-endian byte order (IEEE 1619).
void gf_double(uint8_t t[16]) noexcept {
  const uint8_t carry = t[15] >> 7;
  for (size_t i = 15; i > 0; --i) t[i] = static_cast<uint8_t>((t[i] << 1) | (t[i - 1] >> 7));
  t[0] = static_cast<uint8_t>((t[0] << 1) ^ (carry * 0x87));
}

// XTS over `n` whole blocks (in may equal out), advancing the tweak.
bool xts_blocks(Operation& op, const uint8_t* in, uint8_t* out, size_t n) noexcept {
  uint8_t tw[kChunkBlocks * kBs];
  while (n != 0) {
    const size_t k = std::min(n, kChunkBlocks);
    for (size_t i = 0; i < k; ++i) {
      std::memcpy(tw + i * kBs, op.tweak, kBs);
      gf_double(op.tweak);
    }
    for (size_t i = 0; i < k * kBs; ++i) out[i] = in[i] ^ tw[i];
    if (!ecb(op.cctx, out, out, k * kBs)) return false;
    for (size_t i = 0; i < k * kBs; ++i) out[i] ^= tw[i];
    in += k * kBs;
    out += k * kBs;
    n -= k;
  }
  return true;
}

// One XTS block with an explicit tweak (for the stealing step).
bool xts_one(Operation& op, const uint8_t* in, uint8_t* out, const uint8_t* t) noexcept {
  uint8_t b[kBs];
  xor_block(b, in, t);
  if (!ecb(op.cctx, b, b, kBs)) return false;
  xor_block(out, b, t);
  return true;
}

// CTS bulk: plain CBC over whole blocks, tracking the chaining value.
bool cts_blocks(Operation& op, const uint8_t* in, uint8_t* out, size_t n) noexcept {
  if (n == 0) return true;
  uint8_t last_in[kBs];
  std::memcpy(last_in, in + (n - 1) * kBs, kBs);
  if (!ecb(op.cctx, in, out, n * kBs)) return false;  // cctx is the CBC context
  std::memcpy(op.chain, op.encrypting() ? out + (n - 1) * kBs : last_in, kBs);
  return true;
}

bool blocks(Operation& op, const uint8_t* in, uint8_t* out, size_t n) noexcept {
  return op.alg->engine == Engine::kXts ? xts_blocks(op, in, out, n) : cts_blocks(op, in, out, n);
}

}  // namespace

size_t holdback_update_size(const Operation& op, size_t in) noexcept {
  const size_t total = op.hold_len + in;
  if (total <= 2 * kBs) return 0;
  return ((total - kBs - 1) / kBs) * kBs;
}

bool cts_xts_init(Operation& op, const uint8_t iv[16]) noexcept {
  op.hold_len = 0;
  if (op.alg->engine == Engine::kXts) {
    return ecb(op.cctx2, iv, op.tweak, kBs);
  }
  std::memcpy(op.chain, iv, kBs);
  return EVP_CipherInit_ex2(op.cctx, nullptr, nullptr, iv, -1, nullptr) == 1;
}

bool cts_xts_update(Operation& op, const uint8_t* in, size_t in_len, uint8_t* out) noexcept {
  size_t nblocks = holdback_update_size(op, in_len) / kBs;
  // Blocks that start in the hold-back buffer go one at a time (at most 2).
  while (nblocks != 0 && op.hold_len != 0) {
    uint8_t b[kBs];
    const size_t from_hold = std::min(op.hold_len, kBs);
    std::memcpy(b, op.hold, from_hold);
    const size_t from_in = kBs - from_hold;
    std::memcpy(b + from_hold, in, from_in);
    std::memmove(op.hold, op.hold + from_hold, op.hold_len - from_hold);
    op.hold_len -= from_hold;
    in += from_in;
    in_len -= from_in;
    if (!blocks(op, b, out, 1)) return false;
    out += kBs;
    --nblocks;
  }
  if (nblocks != 0) {
    if (!blocks(op, in, out, nblocks)) return false;
    in += nblocks * kBs;
    in_len -= nblocks * kBs;
  }
  if (in_len != 0) std::memcpy(op.hold + op.hold_len, in, in_len);  // in may be null when in_len is 0
  op.hold_len += in_len;
  return true;
}

bool cts_xts_final(Operation& op, uint8_t* out, size_t* out_len, bool* bad_length) noexcept {
  *bad_length = false;
  const size_t n = op.hold_len;
  *out_len = n;
  if (n == 0) return true;
  if (n < kBs) {
    *bad_length = true;
    return true;
  }
  const uint8_t* h = op.hold;
  bool ok = true;
  if (op.alg->engine == Engine::kXts) {
    if (n % kBs == 0) return xts_blocks(op, h, out, n / kBs);
    const size_t d = n - kBs;
    uint8_t t1[kBs], t2[kBs];
    std::memcpy(t1, op.tweak, kBs);
    std::memcpy(t2, op.tweak, kBs);
    gf_double(t2);
    uint8_t cc[kBs], pp[kBs];
    if (op.encrypting()) {
      ok = xts_one(op, h, cc, t1);
      std::memcpy(pp, h + kBs, d);
      std::memcpy(pp + d, cc + d, kBs - d);
      ok = ok && xts_one(op, pp, out, t2);
      std::memcpy(out + kBs, cc, d);
    } else {
      ok = xts_one(op, h, pp, t2);
      std::memcpy(cc, h + kBs, d);
      std::memcpy(cc + d, pp + d, kBs - d);
      ok = ok && xts_one(op, cc, out, t1);
      std::memcpy(out + kBs, pp, d);
    }
    return ok;
  }
  // CTS (CS3): a single block is plain CBC; otherwise the last two swap.
  if (n == kBs) return cts_blocks(op, h, out, 1);
  const size_t d = n - kBs;
  uint8_t e[kBs], x[kBs];
  if (op.encrypting()) {
    xor_block(x, h, op.chain);
    ok = ecb(op.cctx2, x, e, kBs);  // E = Enc(P1 ^ chain)
    uint8_t p2[kBs] = {};
    std::memcpy(p2, h + kBs, d);
    xor_block(x, p2, e);
    ok = ok && ecb(op.cctx2, x, out, kBs);  // Cn = Enc(P2|0 ^ E)
    std::memcpy(out + kBs, e, d);
  } else {
    uint8_t dd[kBs];
    ok = ecb(op.cctx2, h, dd, kBs);  // D = P2|0 ^ E
    std::memcpy(e, h + kBs, d);
    std::memcpy(e + d, dd + d, kBs - d);
    uint8_t p1[kBs];
    ok = ok && ecb(op.cctx2, e, p1, kBs);
    xor_block(out, p1, op.chain);
    for (size_t i = 0; i < d; ++i) out[kBs + i] = dd[i] ^ h[kBs + i];
  }
  return ok;
}

}  // namespace swtee::ta::crypto
