// The host side of the crypt TA (ta/crypt, include/crypt_ta.h) for the
// 4000s: the attribute/ONESHOT encodings, a typed client with one wrapper per
// command, and the fixture (one open session plus keyed helpers) shared by
// regression_4000.cc and regression_4100_wycheproof.cc.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xtest_common.h"

extern "C" {
#include <crypt_ta.h>
// The TA SDK's constants (algorithm, type, attribute ids). tee_client_api.h
// spells a few shared error codes differently; the values are identical.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wmacro-redefined"
#include <tee_api_defines.h>
#include <tee_api_defines_extensions.h>
#pragma clang diagnostic pop
}

namespace xtest::crypt {

using Bytes = std::vector<uint8_t>;

inline const TEEC_UUID kCrypt = CRYPT_TA_UUID;

// The GP 1.3.1 info structs as the (LP64) TA writes them into our memrefs.
struct ObjectInfo {
  uint32_t objectType, objectSize, maxObjectSize, objectUsage;
  uint64_t dataSize, dataPosition;
  uint32_t handleFlags, pad;
};
static_assert(sizeof(ObjectInfo) == 40 && offsetof(ObjectInfo, handleFlags) == 32);
struct OperationInfo {
  uint32_t algorithm, operationClass, mode, digestLength, maxKeySize, keySize, requiredKeyUsage, handleState;
};
static_assert(sizeof(OperationInfo) == 32);
struct OperationInfoMultiple {  // followed by numberOfKeys OperationInfoKey
  uint32_t algorithm, operationClass, mode, digestLength, maxKeySize, handleState, operationState,
      numberOfKeys;
};
static_assert(sizeof(OperationInfoMultiple) == 32);
struct OperationInfoKey {
  uint32_t keySize, requiredKeyUsage;
};
static_assert(sizeof(OperationInfoKey) == 8);
inline constexpr uint32_t kMacInvalid = TEE_ERROR_MAC_INVALID;
inline constexpr uint32_t kSignatureInvalid = TEE_ERROR_SIGNATURE_INVALID;

// ---------------------------------------------------------------- encoding

Bytes hex(std::string_view s);

inline Bytes str(std::string_view s) { return Bytes(s.begin(), s.end()); }

std::string to_hex(const Bytes& b);

Bytes cat(Bytes a, const Bytes& b);

// An attribute for the serialized lists of crypt_ta.h.
struct Attr {
  uint32_t id;
  Bytes ref;
  uint32_t a = 0, b = 0;
};
inline Attr ref_attr(uint32_t id, Bytes v) { return Attr{id, std::move(v)}; }
inline Attr val_attr(uint32_t id, uint32_t a, uint32_t b = 0) { return Attr{id, {}, a, b}; }

void put32(Bytes& o, uint32_t v);

Bytes attr_blob(const std::vector<Attr>& attrs);

inline Bytes secret(const Bytes& key) { return attr_blob({ref_attr(TEE_ATTR_SECRET_VALUE, key)}); }

// A CRYPT_CMD_ONESHOT request.
struct OneShot {
  crypt_oneshot h{};
  Bytes blob;
  // A request for alg/mode keyed by a key_type object of key_bits bits,
  // populated from key_attrs (an attr_blob).
  static OneShot keyed(uint32_t alg, uint32_t mode, uint32_t key_type, uint32_t key_bits,
                       const Bytes& key_attrs) {
    OneShot o;
    o.h.algorithm = alg;
    o.h.mode = mode;
    o.h.key_type = key_type;
    o.h.key_bits = key_bits;
    o.h.key = o.add(key_attrs);
    return o;
  }
  crypt_span add(const Bytes& b) {
    crypt_span s{static_cast<uint32_t>(blob.size()), static_cast<uint32_t>(b.size())};
    blob.insert(blob.end(), b.begin(), b.end());
    return s;
  }
  Bytes encode() const {
    Bytes r(sizeof(h));
    std::memcpy(r.data(), &h, sizeof(h));
    return cat(r, blob);
  }
};

struct OneShotResult {
  TEEC_Result invoke = TEEC_ERROR_GENERIC;  // the command (transport / TA death)
  uint32_t res = 0;                         // the GP call's result
  uint32_t stage = 0;
  Bytes out, out2;
  bool ok() const { return invoke == TEEC_SUCCESS && res == TEEC_SUCCESS; }
};

// ---------------------------------------------------------------- client

// A session to the crypt TA plus typed wrappers, one per command.
class Crypt {
 public:
  TEEC_Result open();
  uint32_t origin() const { return s_.origin(); }

  TEEC_Result alloc_op(uint32_t alg, uint32_t mode, uint32_t max_key, uint32_t* id);
  TEEC_Result vcall(uint32_t cmd, uint32_t a, uint32_t b = 0);
  TEEC_Result free_op(uint32_t id) { return vcall(CRYPT_CMD_FREE_OPERATION, id); }
  TEEC_Result reset_op(uint32_t id) { return vcall(CRYPT_CMD_RESET_OPERATION, id); }
  TEEC_Result set_key(uint32_t op_id, uint32_t key) { return vcall(CRYPT_CMD_SET_OPERATION_KEY, op_id, key); }
  TEEC_Result copy_op(uint32_t dst, uint32_t src) { return vcall(CRYPT_CMD_COPY_OPERATION, dst, src); }
  TEEC_Result supported(uint32_t alg, uint32_t element = 0);
  TEEC_Result set_key2(uint32_t op_id, uint32_t k1, uint32_t k2);
  TEEC_Result op_info(uint32_t id, OperationInfo* info);
  TEEC_Result op_info_multiple(uint32_t id, Bytes* out);

  TEEC_Result alloc_obj(uint32_t type, uint32_t max_bits, uint32_t* id);
  TEEC_Result free_obj(uint32_t id) { return vcall(CRYPT_CMD_FREE_TRANSIENT_OBJECT, id); }
  TEEC_Result restrict_usage(uint32_t id, uint32_t usage);
  TEEC_Result populate(uint32_t id, const Bytes& attrs);
  TEEC_Result generate(uint32_t id, uint32_t bits, const Bytes& attrs = {});
  // Allocates and populates a key object.
  TEEC_Result key(uint32_t type, uint32_t bits, const Bytes& attrs, uint32_t* id);
  TEEC_Result obj_info(uint32_t id, ObjectInfo* info);
  TEEC_Result buffer_attr(uint32_t id, uint32_t attr, Bytes* out);
  TEEC_Result copy_attrs(uint32_t dst, uint32_t src);

  // op + optional input: INIT-style commands (CIPHER_INIT, MAC_INIT).
  TEEC_Result init(uint32_t cmd, uint32_t op_id, const Bytes& iv) { return in_call(cmd, op_id, 0, iv, true); }
  // op + input: UPDATE-style commands without output.
  TEEC_Result update(uint32_t cmd, uint32_t op_id, const Bytes& in) { return in_call(cmd, op_id, 0, in); }
  // op + optional input + output (DIGEST_DO_FINAL, CIPHER_*, MAC_COMPUTE_FINAL, AE_UPDATE).
  TEEC_Result in_out(uint32_t cmd, uint32_t op_id, const Bytes& in, Bytes* out);
  TEEC_Result extract(uint32_t op_id, Bytes* out);
  TEEC_Result mac_compare(uint32_t op_id, const Bytes& in, const Bytes& mac);
  TEEC_Result ae_init(uint32_t op_id, const Bytes& nonce, uint32_t tag_bits, size_t aad_len, size_t len);
  TEEC_Result ae_final(bool encrypt, uint32_t op_id, const Bytes& in, Bytes* out, Bytes* tag);
  TEEC_Result derive(uint32_t op_id, uint32_t obj, const Bytes& attrs);
  TEEC_Result random(Bytes* out);
  // Asymmetric commands: p1 attrs, p2 input, p3 output (or signature in).
  TEEC_Result asym(uint32_t cmd, uint32_t op_id, const Bytes& attrs, const Bytes& in, Bytes* out);

  OneShotResult oneshot(const OneShot& req, size_t out_cap, size_t out2_cap = 0);

 private:
  // p0 = (a, b), p1 = an input memref (NONE when optional and empty).
  TEEC_Result in_call(uint32_t cmd, uint32_t a, uint32_t b, const Bytes& in, bool optional = false);
  // p0 = (a, b), p1 = an output memref of *len bytes; *len becomes the TA's size.
  TEEC_Result out_call(uint32_t cmd, uint32_t a, uint32_t b, void* buf, size_t* len);
  // out_call into *out, resized to the TA's size.
  TEEC_Result out_bytes(uint32_t cmd, uint32_t a, uint32_t b, Bytes* out);

  std::unique_ptr<Context> ctx_;
  Session s_;
};

// A fixture with one open session to the crypt TA.
class Regression4000 : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(c.open(), TEEC_SUCCESS) << std::hex << c.origin(); }
  Crypt c;

  // Keyed operation (key object freed after SetOperationKey).
  uint32_t keyed_op(uint32_t alg, uint32_t mode, uint32_t type, const Bytes& key);
  Bytes digest(uint32_t alg, const Bytes& msg, size_t out_len = 64);
  Bytes cipher(uint32_t alg, uint32_t mode, uint32_t type, const Bytes& key, const Bytes& iv,
               const Bytes& in);
  Bytes mac(uint32_t alg, uint32_t type, const Bytes& key, const Bytes& msg, const Bytes& iv = {});
  // Derives out_len bytes with an OP-TEE KDF through DERIVE_KEY + GET_OBJECT_BUFFER_ATTRIBUTE.
  Bytes kdf(uint32_t alg, uint32_t type, uint32_t attr, const Bytes& secret_in,
            const std::vector<Attr>& params, size_t out_len);
};

}  // namespace xtest::crypt
