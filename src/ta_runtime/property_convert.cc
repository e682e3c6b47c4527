#include "ta_runtime/property_convert.h"

#include <openssl/evp.h>

#include <climits>
#include <cstring>

#include "common/uuid.h"

namespace swtee::ta {
namespace {

std::string uuid_text(const TEE_UUID& u) { return uuid_from_gp(u).to_string(); }

constexpr std::string_view kBase64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string property_to_string(const Property& p) {
  switch (p.type) {
    case PropType::Bool:
      return p.b ? "true" : "false";
    case PropType::U32:
    case PropType::U64:
      return std::to_string(p.u);
    case PropType::Uuid:
      return uuid_text(p.uuid);
    case PropType::Identity:
      return std::to_string(p.identity.login) + ":" + uuid_text(p.identity.uuid);
    case PropType::String:
      return p.text;
    case PropType::BinaryBlock:  // as OP-TEE: the decoded bytes, re-encoded
      return base64_encode(base64_decode_lenient(p.text));
  }
  return {};
}

std::optional<bool> parse_bool(std::string_view s) {
  auto eq = [](std::string_view a, const char* lower) {
    const size_t n = std::strlen(lower);
    if (a.size() != n) return false;
    for (size_t i = 0; i < n; ++i) {
      char c = a[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  };
  if (eq(s, "true")) return true;
  if (eq(s, "false")) return false;
  return std::nullopt;
}

std::optional<uint64_t> parse_integer(std::string_view s) {
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
    base = 2;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    const int d = hex_digit(c);
    if (d < 0 || static_cast<unsigned>(d) >= base) return std::nullopt;
    if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, static_cast<uint64_t>(d), &v))
      return std::nullopt;
  }
  return v;
}

std::optional<TEE_UUID> parse_uuid(std::string_view s) {
  const auto u = Uuid::parse(s);
  if (!u) return std::nullopt;
  return uuid_to_gp<TEE_UUID>(*u);
}

std::optional<TEE_Identity> parse_identity(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto login = parse_integer(s.substr(0, colon));
  const auto uuid = parse_uuid(s.substr(colon + 1));
  if (!login || *login > UINT32_MAX || !uuid) return std::nullopt;
  TEE_Identity id{};
  id.login = static_cast<uint32_t>(*login);
  id.uuid = *uuid;
  return id;
}

std::optional<bool> property_as_bool(const Property& p) {
  if (p.type == PropType::Bool) return p.b;
  if (p.type == PropType::String) return parse_bool(p.text);
  return std::nullopt;
}

std::optional<uint64_t> property_as_u64(const Property& p) {
  if (p.type == PropType::U32 || p.type == PropType::U64) return p.u;
  if (p.type == PropType::String) return parse_integer(p.text);
  return std::nullopt;
}

std::optional<uint32_t> property_as_u32(const Property& p) {
  if (p.type != PropType::U32 && p.type != PropType::U64 && p.type != PropType::String) return std::nullopt;
  const auto v = property_as_u64(p);
  if (!v || *v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

std::optional<TEE_UUID> property_as_uuid(const Property& p) {
  if (p.type == PropType::Uuid) return p.uuid;
  if (p.type == PropType::String) return parse_uuid(p.text);
  return std::nullopt;
}

std::optional<TEE_Identity> property_as_identity(const Property& p) {
  if (p.type == PropType::Identity) return p.identity;
  if (p.type == PropType::String) return parse_identity(p.text);
  return std::nullopt;
}

std::optional<std::vector<uint8_t>> property_as_binary(const Property& p) {
  if (p.type == PropType::BinaryBlock) return base64_decode_lenient(p.text);
  if (p.type == PropType::String) return base64_decode(p.text);  // GP conversion
  return std::nullopt;
}

std::vector<uint8_t> base64_decode_lenient(std::string_view in) {
  std::vector<uint8_t> out;
  out.reserve(in.size() / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  for (const char c : in) {
    if (c == '\0' || c == '=') break;
    const size_t v = kBase64Alphabet.find(c);
    if (v == std::string_view::npos) continue;
    acc = ((acc << 6) | static_cast<uint32_t>(v)) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  return out;
}

std::string base64_encode(const std::vector<uint8_t>& bytes) {
  if (bytes.empty() || bytes.size() > INT_MAX / 2) return {};
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                static_cast<int>(bytes.size()));
  out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return out;
}

std::optional<std::vector<uint8_t>> base64_decode(const std::string& in) {
  const std::string_view kAlphabet = kBase64Alphabet;
  if (in.size() % 4 != 0 || in.size() > INT_MAX) return std::nullopt;
  // OpenSSL skips white space and accepts '=' only as padding; GP's literal
  // allows neither white space nor a missing pad, which this checks first.
  const size_t data = in.find_first_not_of(kAlphabet);
  if (data != std::string::npos &&
      (in.find_first_not_of('=', data) != std::string::npos || in.size() - data > 2))
    return std::nullopt;
  std::vector<uint8_t> out(in.size() / 4 * 3);
  EVP_ENCODE_CTX* ctx = EVP_ENCODE_CTX_new();
  if (ctx == nullptr) return std::nullopt;
  EVP_DecodeInit(ctx);
  int n = 0, tail = 0;
  const bool ok = EVP_DecodeUpdate(ctx, out.data(), &n, reinterpret_cast<const unsigned char*>(in.data()),
                                   static_cast<int>(in.size())) >= 0 &&
                  EVP_DecodeFinal(ctx, out.data() + n, &tail) == 1;
  EVP_ENCODE_CTX_free(ctx);
  if (!ok) return std::nullopt;
  out.resize(static_cast<size_t>(n + tail));
  return out;
}

}  // namespace swtee::ta
