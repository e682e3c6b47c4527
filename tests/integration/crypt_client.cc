#include "crypt_client.h"

#include <algorithm>

namespace xtest::crypt {

Bytes hex(std::string_view s) {
  Bytes out;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i + 1 < s.size(); i += 2)
    out.push_back(static_cast<uint8_t>(nib(s[i]) << 4 | nib(s[i + 1])));
  return out;
}

std::string to_hex(const Bytes& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) {
    s.push_back(d[c >> 4]);
    s.push_back(d[c & 15]);
  }
  return s;
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void put32(Bytes& o, uint32_t v) {
  for (int i = 0; i < 4; ++i) o.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

Bytes attr_blob(const std::vector<Attr>& attrs) {
  Bytes o;
  if (attrs.empty()) return o;
  put32(o, static_cast<uint32_t>(attrs.size()));
  for (const Attr& at : attrs) {
    put32(o, at.id);
    if (at.id & TEE_ATTR_FLAG_VALUE) {
      put32(o, at.a);
      put32(o, at.b);
      continue;
    }
    put32(o, static_cast<uint32_t>(at.ref.size()));
    put32(o, 0);
    o.insert(o.end(), at.ref.begin(), at.ref.end());
    o.resize((o.size() + 3) / 4 * 4, 0);
  }
  return o;
}
TEEC_Result Crypt::open() {
  s_.close();
  ctx_ = std::make_unique<Context>();
  if (ctx_->result() != TEEC_SUCCESS) return ctx_->result();
  return s_.open(ctx_->get(), kCrypt);
}

TEEC_Result Crypt::alloc_op(uint32_t alg, uint32_t mode, uint32_t max_key, uint32_t* id) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
  op.params[0].value = {alg, mode};
  op.params[1].value.a = max_key;
  const TEEC_Result r = s_.invoke(CRYPT_CMD_ALLOCATE_OPERATION, &op);
  *id = op.params[2].value.a;
  return r;
}

TEEC_Result Crypt::vcall(uint32_t cmd, uint32_t a, uint32_t b) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {a, b};
  return s_.invoke(cmd, &op);
}

TEEC_Result Crypt::supported(uint32_t alg, uint32_t element) {
  return vcall(CRYPT_CMD_IS_ALGORITHM_SUPPORTED, alg, element);
}

TEEC_Result Crypt::set_key2(uint32_t op_id, uint32_t k1, uint32_t k2) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value.a = op_id;
  op.params[1].value = {k1, k2};
  return s_.invoke(CRYPT_CMD_SET_OPERATION_KEY2, &op);
}

TEEC_Result Crypt::op_info(uint32_t id, OperationInfo* info) {
  size_t len = sizeof(*info);
  return out_call(CRYPT_CMD_GET_OPERATION_INFO, id, 0, info, &len);
}

TEEC_Result Crypt::op_info_multiple(uint32_t id, Bytes* out) {
  return out_bytes(CRYPT_CMD_GET_OPERATION_INFO_MULTIPLE, id, 0, out);
}

TEEC_Result Crypt::alloc_obj(uint32_t type, uint32_t max_bits, uint32_t* id) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {type, max_bits};
  const TEEC_Result r = s_.invoke(CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT, &op);
  *id = op.params[1].value.a;
  return r;
}

TEEC_Result Crypt::restrict_usage(uint32_t id, uint32_t usage) {
  return vcall(CRYPT_CMD_RESTRICT_OBJECT_USAGE1, id, usage);
}

TEEC_Result Crypt::populate(uint32_t id, const Bytes& attrs) {
  return in_call(CRYPT_CMD_POPULATE_TRANSIENT_OBJECT, id, 0, attrs);
}

TEEC_Result Crypt::generate(uint32_t id, uint32_t bits, const Bytes& attrs) {
  return in_call(CRYPT_CMD_GENERATE_KEY, id, bits, attrs, /*optional=*/true);
}

TEEC_Result Crypt::key(uint32_t type, uint32_t bits, const Bytes& attrs, uint32_t* id) {
  TEEC_Result r = alloc_obj(type, bits, id);
  return r != TEEC_SUCCESS ? r : populate(*id, attrs);
}

TEEC_Result Crypt::obj_info(uint32_t id, ObjectInfo* info) {
  size_t len = sizeof(*info);
  return out_call(CRYPT_CMD_GET_OBJECT_INFO1, id, 0, info, &len);
}

TEEC_Result Crypt::buffer_attr(uint32_t id, uint32_t attr, Bytes* out) {
  return out_bytes(CRYPT_CMD_GET_OBJECT_BUFFER_ATTRIBUTE, id, attr, out);
}

TEEC_Result Crypt::copy_attrs(uint32_t dst, uint32_t src) {
  return vcall(CRYPT_CMD_COPY_OBJECT_ATTRIBUTES1, dst, src);
}

TEEC_Result Crypt::in_out(uint32_t cmd, uint32_t op_id, const Bytes& in, Bytes* out) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
  op.params[0].value.a = op_id;
  op.params[1].tmpref = {const_cast<uint8_t*>(in.data()), in.size()};
  op.params[2].tmpref = {out->data(), out->size()};
  const TEEC_Result r = s_.invoke(cmd, &op);
  out->resize(op.params[2].tmpref.size);
  return r;
}

TEEC_Result Crypt::extract(uint32_t op_id, Bytes* out) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE));
  op.params[0].value.a = op_id;
  op.params[2].tmpref = {out->data(), out->size()};
  const TEEC_Result r = s_.invoke(CRYPT_CMD_DIGEST_EXTRACT, &op);
  out->resize(op.params[2].tmpref.size);
  return r;
}

TEEC_Result Crypt::mac_compare(uint32_t op_id, const Bytes& in, const Bytes& mac) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE));
  op.params[0].value.a = op_id;
  op.params[1].tmpref = {const_cast<uint8_t*>(in.data()), in.size()};
  op.params[2].tmpref = {const_cast<uint8_t*>(mac.data()), mac.size()};
  return s_.invoke(CRYPT_CMD_MAC_COMPARE_FINAL, &op);
}

TEEC_Result Crypt::ae_init(uint32_t op_id, const Bytes& nonce, uint32_t tag_bits, size_t aad_len,
                           size_t len) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE));
  op.params[0].value = {op_id, tag_bits};
  op.params[1].tmpref = {const_cast<uint8_t*>(nonce.data()), nonce.size()};
  op.params[2].value = {static_cast<uint32_t>(aad_len), static_cast<uint32_t>(len)};
  return s_.invoke(CRYPT_CMD_AE_INIT, &op);
}

TEEC_Result Crypt::ae_final(bool encrypt, uint32_t op_id, const Bytes& in, Bytes* out, Bytes* tag) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
                               encrypt ? TEEC_MEMREF_TEMP_OUTPUT : TEEC_MEMREF_TEMP_INPUT));
  op.params[0].value.a = op_id;
  op.params[1].tmpref = {const_cast<uint8_t*>(in.data()), in.size()};
  op.params[2].tmpref = {out->data(), out->size()};
  op.params[3].tmpref = {tag->data(), tag->size()};
  const TEEC_Result r = s_.invoke(encrypt ? CRYPT_CMD_AE_ENCRYPT_FINAL : CRYPT_CMD_AE_DECRYPT_FINAL, &op);
  out->resize(op.params[2].tmpref.size);
  if (encrypt) tag->resize(op.params[3].tmpref.size);
  return r;
}

TEEC_Result Crypt::derive(uint32_t op_id, uint32_t obj, const Bytes& attrs) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(
      TEEC_VALUE_INPUT, attrs.empty() ? TEEC_NONE : TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {op_id, obj};
  op.params[1].tmpref = {const_cast<uint8_t*>(attrs.data()), attrs.size()};
  return s_.invoke(CRYPT_CMD_DERIVE_KEY, &op);
}

TEEC_Result Crypt::random(Bytes* out) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].tmpref = {out->data(), out->size()};
  return s_.invoke(CRYPT_CMD_RANDOM_NUMBER_GENERATE, &op);
}

TEEC_Result Crypt::asym(uint32_t cmd, uint32_t op_id, const Bytes& attrs, const Bytes& in, Bytes* out) {
  const bool verify = cmd == CRYPT_CMD_ASYMMETRIC_VERIFY_DIGEST;
  TEEC_Operation op = make_op(
      TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, attrs.empty() ? TEEC_NONE : TEEC_MEMREF_TEMP_INPUT,
                       TEEC_MEMREF_TEMP_INPUT, verify ? TEEC_MEMREF_TEMP_INPUT : TEEC_MEMREF_TEMP_OUTPUT));
  op.params[0].value.a = op_id;
  op.params[1].tmpref = {const_cast<uint8_t*>(attrs.data()), attrs.size()};
  op.params[2].tmpref = {const_cast<uint8_t*>(in.data()), in.size()};
  op.params[3].tmpref = {out->data(), out->size()};
  const TEEC_Result r = s_.invoke(cmd, &op);
  if (!verify) out->resize(op.params[3].tmpref.size);
  return r;
}

OneShotResult Crypt::oneshot(const OneShot& req, size_t out_cap, size_t out2_cap) {
  const Bytes enc = req.encode();
  OneShotResult r;
  r.out.resize(std::max<size_t>(out_cap, 1));
  r.out2.resize(std::max<size_t>(out2_cap, 1));
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
                               out2_cap ? TEEC_MEMREF_TEMP_OUTPUT : TEEC_NONE, TEEC_VALUE_OUTPUT));
  op.params[0].tmpref = {const_cast<uint8_t*>(enc.data()), enc.size()};
  op.params[1].tmpref = {r.out.data(), out_cap};
  op.params[2].tmpref = {r.out2.data(), out2_cap};
  r.invoke = s_.invoke(CRYPT_CMD_ONESHOT, &op);
  r.res = op.params[3].value.a;
  r.stage = op.params[3].value.b;
  r.out.resize(r.invoke == TEEC_SUCCESS ? op.params[1].tmpref.size : 0);
  r.out2.resize(r.invoke == TEEC_SUCCESS && out2_cap ? op.params[2].tmpref.size : 0);
  return r;
}

TEEC_Result Crypt::out_call(uint32_t cmd, uint32_t a, uint32_t b, void* buf, size_t* len) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {a, b};
  op.params[1].tmpref = {buf, *len};
  const TEEC_Result r = s_.invoke(cmd, &op);
  *len = op.params[1].tmpref.size;
  return r;
}

TEEC_Result Crypt::out_bytes(uint32_t cmd, uint32_t a, uint32_t b, Bytes* out) {
  size_t len = out->size();
  const TEEC_Result r = out_call(cmd, a, b, out->data(), &len);
  out->resize(len);
  return r;
}

TEEC_Result Crypt::in_call(uint32_t cmd, uint32_t a, uint32_t b, const Bytes& in, bool optional) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(
      TEEC_VALUE_INPUT, optional && in.empty() ? TEEC_NONE : TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {a, b};
  op.params[1].tmpref = {const_cast<uint8_t*>(in.data()), in.size()};
  return s_.invoke(cmd, &op);
}
uint32_t Regression4000::keyed_op(uint32_t alg, uint32_t mode, uint32_t type, const Bytes& key) {
  uint32_t op = 0, k = 0;
  const uint32_t bits = static_cast<uint32_t>(key.size() * 8);
  EXPECT_EQ(c.alloc_op(alg, mode, bits, &op), TEEC_SUCCESS) << std::hex << alg;
  EXPECT_EQ(c.key(type, bits, secret(key), &k), TEEC_SUCCESS) << std::hex << type;
  EXPECT_EQ(c.set_key(op, k), TEEC_SUCCESS);
  EXPECT_EQ(c.free_obj(k), TEEC_SUCCESS);
  return op;
}

Bytes Regression4000::digest(uint32_t alg, const Bytes& msg, size_t out_len) {
  uint32_t op = 0;
  EXPECT_EQ(c.alloc_op(alg, TEE_MODE_DIGEST, 0, &op), TEEC_SUCCESS) << std::hex << alg;
  Bytes out(out_len);
  EXPECT_EQ(c.in_out(CRYPT_CMD_DIGEST_DO_FINAL, op, msg, &out), TEEC_SUCCESS) << std::hex << alg;
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
  return out;
}

Bytes Regression4000::cipher(uint32_t alg, uint32_t mode, uint32_t type, const Bytes& key, const Bytes& iv,
                             const Bytes& in) {
  const uint32_t op = keyed_op(alg, mode, type, key);
  EXPECT_EQ(c.init(CRYPT_CMD_CIPHER_INIT, op, iv), TEEC_SUCCESS);
  Bytes out(in.size() + 32);
  EXPECT_EQ(c.in_out(CRYPT_CMD_CIPHER_DO_FINAL, op, in, &out), TEEC_SUCCESS) << std::hex << alg;
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
  return out;
}

Bytes Regression4000::mac(uint32_t alg, uint32_t type, const Bytes& key, const Bytes& msg, const Bytes& iv) {
  const uint32_t op = keyed_op(alg, TEE_MODE_MAC, type, key);
  EXPECT_EQ(c.init(CRYPT_CMD_MAC_INIT, op, iv), TEEC_SUCCESS);
  Bytes out(64);
  EXPECT_EQ(c.in_out(CRYPT_CMD_MAC_COMPUTE_FINAL, op, msg, &out), TEEC_SUCCESS) << std::hex << alg;
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
  return out;
}

Bytes Regression4000::kdf(uint32_t alg, uint32_t type, uint32_t attr, const Bytes& secret_in,
                          const std::vector<Attr>& params, size_t out_len) {
  uint32_t op = 0, k = 0, out_obj = 0;
  const uint32_t bits = static_cast<uint32_t>(secret_in.size() * 8);
  EXPECT_EQ(c.alloc_op(alg, TEE_MODE_DERIVE, bits, &op), TEEC_SUCCESS) << std::hex << alg;
  EXPECT_EQ(c.key(type, bits, attr_blob({ref_attr(attr, secret_in)}), &k), TEEC_SUCCESS);
  EXPECT_EQ(c.set_key(op, k), TEEC_SUCCESS);
  EXPECT_EQ(c.alloc_obj(TEE_TYPE_GENERIC_SECRET, static_cast<uint32_t>(out_len * 8), &out_obj), TEEC_SUCCESS);
  EXPECT_EQ(c.derive(op, out_obj, attr_blob(params)), TEEC_SUCCESS);
  Bytes out(out_len);
  EXPECT_EQ(c.buffer_attr(out_obj, TEE_ATTR_SECRET_VALUE, &out), TEEC_SUCCESS);
  EXPECT_EQ(c.free_obj(out_obj), TEEC_SUCCESS);
  EXPECT_EQ(c.free_obj(k), TEEC_SUCCESS);
  EXPECT_EQ(c.free_op(op), TEEC_SUCCESS);
  return out;
}
}  // namespace xtest::crypt
