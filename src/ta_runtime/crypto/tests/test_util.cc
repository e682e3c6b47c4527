#include "ta_runtime/crypto/tests/test_util.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace swtee::ta::crypto::testing {

Bytes hex(const std::string& s) {
  Bytes out;
  for (size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  return out;
}

std::string to_hex(const Bytes& b) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) {
    s += k[c >> 4];
    s += k[c & 15];
  }
  return s;
}

Bytes random_bytes(size_t n, std::mt19937& rng) {
  Bytes b(n);
  for (auto& c : b) c = static_cast<uint8_t>(rng());
  return b;
}

TEE_ObjectHandle make_key(uint32_t type, const Bytes& key) {
  TEE_ObjectHandle h = TEE_HANDLE_NULL;
  const uint32_t bits = static_cast<uint32_t>(key.size() * 8);
  EXPECT_EQ(TEE_AllocateTransientObject(type, bits, &h), TEE_SUCCESS);
  TEE_Attribute a;
  TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key.data(), key.size());
  EXPECT_EQ(TEE_PopulateTransientObject(h, &a, 1), TEE_SUCCESS);
  return h;
}

std::vector<size_t> random_split(size_t n, std::mt19937& rng) {
  std::vector<size_t> cuts;
  const size_t k = rng() % 6;
  for (size_t i = 0; i < k; ++i) cuts.push_back(n == 0 ? 0 : rng() % (n + 1));
  std::sort(cuts.begin(), cuts.end());
  return cuts;
}

Bytes cipher_run(TEE_OperationHandle op, const Bytes& iv, const Bytes& in, const std::vector<size_t>& cuts) {
  TEE_CipherInit(op, iv.empty() ? nullptr : iv.data(), iv.size());
  Bytes out(in.size() + 64);
  size_t pos = 0, opos = 0;
  for (size_t c : cuts) {
    size_t len = out.size() - opos;
    EXPECT_EQ(TEE_CipherUpdate(op, in.data() + pos, c - pos, out.data() + opos, &len), TEE_SUCCESS);
    opos += len;
    pos = c;
  }
  size_t len = out.size() - opos;
  EXPECT_EQ(TEE_CipherDoFinal(op, in.data() + pos, in.size() - pos, out.data() + opos, &len), TEE_SUCCESS);
  out.resize(opos + len);
  return out;
}

TEE_OperationHandle make_op(uint32_t alg, uint32_t mode, uint32_t key_type, const Bytes& key) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateOperation(&op, alg, mode, static_cast<uint32_t>(key.size() * 8)), TEE_SUCCESS);
  TEE_ObjectHandle k = make_key(key_type, key);
  EXPECT_EQ(TEE_SetOperationKey(op, k), TEE_SUCCESS);
  TEE_FreeTransientObject(k);
  return op;
}

Bytes digest(uint32_t alg, const Bytes& msg, size_t out_len) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  EXPECT_EQ(TEE_AllocateOperation(&op, alg, TEE_MODE_DIGEST, 0), TEE_SUCCESS);
  Bytes out(out_len);
  size_t n = out.size();
  EXPECT_EQ(TEE_DigestDoFinal(op, msg.data(), msg.size(), out.data(), &n), TEE_SUCCESS);
  out.resize(n);
  TEE_FreeOperation(op);
  return out;
}

}  // namespace swtee::ta::crypto::testing
