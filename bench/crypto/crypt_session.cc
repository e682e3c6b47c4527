#include "crypto/crypt_session.h"

#include <cstring>

extern "C" {
#include <crypt_ta.h>
}

namespace swtee::bench {
namespace {

const TEEC_UUID kCrypt = CRYPT_TA_UUID;

TEEC_Operation make_op(uint32_t types) {
  TEEC_Operation op;
  std::memset(&op, 0, sizeof(op));
  op.paramTypes = types;
  return op;
}

void put32(std::vector<uint8_t>& o, uint32_t v) {
  for (int i = 0; i < 4; ++i) o.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

std::vector<uint8_t> value_attr_blob(uint32_t id, uint32_t a, uint32_t b) {
  std::vector<uint8_t> o;
  put32(o, 1);
  put32(o, id);
  put32(o, a);
  put32(o, b);
  return o;
}

CryptSession::~CryptSession() {
  if (sess_open_) TEEC_CloseSession(&sess_);
  if (ctx_open_) TEEC_FinalizeContext(&ctx_);
}

TEEC_Result CryptSession::open() {
  TEEC_Result r = TEEC_InitializeContext(nullptr, &ctx_);
  if (r != TEEC_SUCCESS) return r;
  ctx_open_ = true;
  TEEC_UUID uuid = kCrypt;
  uint32_t origin = 0;
  r = TEEC_OpenSession(&ctx_, &sess_, &uuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
  sess_open_ = r == TEEC_SUCCESS;
  return r;
}

TEEC_Result CryptSession::invoke(uint32_t cmd, TEEC_Operation* op) {
  uint32_t origin = 0;
  return TEEC_InvokeCommand(&sess_, cmd, op, &origin);
}

TEEC_Result CryptSession::is_supported(uint32_t alg) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {alg, 0};
  return invoke(CRYPT_CMD_IS_ALGORITHM_SUPPORTED, &op);
}

TEEC_Result CryptSession::alloc_op(uint32_t alg, uint32_t mode, uint32_t max_key_bits, uint32_t* id) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE));
  op.params[0].value = {alg, mode};
  op.params[1].value.a = max_key_bits;
  const TEEC_Result r = invoke(CRYPT_CMD_ALLOCATE_OPERATION, &op);
  *id = op.params[2].value.a;
  return r;
}

TEEC_Result CryptSession::object(uint32_t type, uint32_t bits, const std::vector<uint8_t>& attrs,
                                 uint32_t* obj) {
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {type, bits};
  TEEC_Result r = invoke(CRYPT_CMD_ALLOCATE_TRANSIENT_OBJECT, &op);
  if (r != TEEC_SUCCESS) return r;
  *obj = op.params[1].value.a;
  TEEC_Operation gen = make_op(TEEC_PARAM_TYPES(
      TEEC_VALUE_INPUT, attrs.empty() ? TEEC_NONE : TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE));
  gen.params[0].value = {*obj, bits};
  gen.params[1].tmpref = {const_cast<uint8_t*>(attrs.data()), attrs.size()};
  return invoke(CRYPT_CMD_GENERATE_KEY, &gen);
}

TEEC_Result CryptSession::generate_and_set(uint32_t op_id, uint32_t type, uint32_t bits,
                                           const std::vector<uint8_t>& attrs) {
  uint32_t obj = 0;
  TEEC_Result r = object(type, bits, attrs, &obj);
  if (r != TEEC_SUCCESS) return r;
  TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
  op.params[0].value = {op_id, obj};
  return invoke(CRYPT_CMD_SET_OPERATION_KEY, &op);
}

TEEC_Result CryptSession::generate_and_set2(uint32_t op_a, uint32_t op_b, uint32_t type, uint32_t bits,
                                            const std::vector<uint8_t>& attrs) {
  uint32_t obj = 0;
  TEEC_Result r = object(type, bits, attrs, &obj);
  for (uint32_t id : {op_a, op_b}) {
    if (r != TEEC_SUCCESS) return r;
    TEEC_Operation op = make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE));
    op.params[0].value = {id, obj};
    r = invoke(CRYPT_CMD_SET_OPERATION_KEY, &op);
  }
  return r;
}

TEEC_Result CryptSession::bulk(uint32_t op_id, TEEC_SharedMemory* in, size_t len, TEEC_SharedMemory* out,
                               size_t out_len, TEEC_SharedMemory* iv_tag, uint32_t nonce_len) {
  TEEC_Operation op =
      make_op(TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_OUTPUT,
                               iv_tag ? TEEC_MEMREF_PARTIAL_INOUT : TEEC_NONE));
  op.params[0].value = {op_id, nonce_len};
  op.params[1].memref = {in, len, 0};
  op.params[2].memref = {out, out_len, 0};
  if (iv_tag) op.params[3].memref = {iv_tag, iv_tag->size, 0};
  return invoke(CRYPT_CMD_BULK, &op);
}

TEEC_Result CryptSession::sign(uint32_t op_id, TEEC_SharedMemory* digest, size_t digest_len,
                               TEEC_SharedMemory* sig, size_t* sig_len) {
  TEEC_Operation op = make_op(
      TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_OUTPUT));
  op.params[0].value.a = op_id;
  op.params[2].memref = {digest, digest_len, 0};
  op.params[3].memref = {sig, *sig_len, 0};
  const TEEC_Result r = invoke(CRYPT_CMD_ASYMMETRIC_SIGN_DIGEST, &op);
  *sig_len = op.params[3].memref.size;
  return r;
}

TEEC_Result CryptSession::verify(uint32_t op_id, TEEC_SharedMemory* digest, size_t digest_len,
                                 TEEC_SharedMemory* sig, size_t sig_len) {
  TEEC_Operation op = make_op(
      TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_INPUT));
  op.params[0].value.a = op_id;
  op.params[2].memref = {digest, digest_len, 0};
  op.params[3].memref = {sig, sig_len, 0};
  return invoke(CRYPT_CMD_ASYMMETRIC_VERIFY_DIGEST, &op);
}

}  // namespace swtee::bench
