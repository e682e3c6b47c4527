#include "common/uuid.h"

#include <openssl/sha.h>

#include <cstring>

namespace swtee {

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Uuid> Uuid::parse(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  Uuid u;
  size_t o = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = hexval(s[i]), lo = hexval(s[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    u.octets[o++] = static_cast<uint8_t>(hi << 4 | lo);
    i += 2;
  }
  return u;
}

Uuid Uuid::from_fields(uint32_t tl, uint16_t tm, uint16_t th, const uint8_t csn[8]) {
  Uuid u;
  u.octets[0] = static_cast<uint8_t>(tl >> 24);
  u.octets[1] = static_cast<uint8_t>(tl >> 16);
  u.octets[2] = static_cast<uint8_t>(tl >> 8);
  u.octets[3] = static_cast<uint8_t>(tl);
  u.octets[4] = static_cast<uint8_t>(tm >> 8);
  u.octets[5] = static_cast<uint8_t>(tm);
  u.octets[6] = static_cast<uint8_t>(th >> 8);
  u.octets[7] = static_cast<uint8_t>(th);
  std::memcpy(&u.octets[8], csn, 8);
  return u;
}

void Uuid::to_fields(uint32_t* tl, uint16_t* tm, uint16_t* th, uint8_t csn[8]) const {
  const auto& b = octets;
  *tl = uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 | b[3];
  *tm = static_cast<uint16_t>(b[4] << 8 | b[5]);
  *th = static_cast<uint16_t>(b[6] << 8 | b[7]);
  std::memcpy(csn, &b[8], 8);
}

std::string Uuid::to_string() const {
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
    s.push_back(hex[octets[i] >> 4]);
    s.push_back(hex[octets[i] & 0xf]);
  }
  return s;
}

bool Uuid::is_nil() const {
  for (auto b : octets)
    if (b) return false;
  return true;
}

Uuid uuid_v5(const Uuid& ns, std::string_view name) {
  SHA_CTX ctx;
  uint8_t h[SHA_DIGEST_LENGTH];
  // SHA1_* is deprecated in OpenSSL 3 but exact and allocation-free here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, ns.octets.data(), ns.octets.size());
  SHA1_Update(&ctx, name.data(), name.size());
  SHA1_Final(h, &ctx);
#pragma GCC diagnostic pop
  Uuid u;
  std::memcpy(u.octets.data(), h, 16);
  u.octets[6] = static_cast<uint8_t>((u.octets[6] & 0x0f) | 0x50);
  u.octets[8] = static_cast<uint8_t>((u.octets[8] & 0x3f) | 0x80);
  return u;
}

size_t UuidHash::operator()(const Uuid& u) const noexcept {
  uint64_t a, b;
  std::memcpy(&a, u.octets.data(), 8);
  std::memcpy(&b, u.octets.data() + 8, 8);
  return static_cast<size_t>(a * 0x9e3779b97f4a7c15ULL ^ b);
}

}  // namespace swtee
