// Cryptographic functions of libswtee-pkcs11.so: every operation runs in
// the TA; this layer only serializes arguments and applies PKCS#11's
// output-length conventions.
#include <swtee/pkcs11_ta.h>

#include "pkcs11/api_state.h"

using namespace swtee::pkcs11;

namespace {

CK_RV op_init(uint32_t cmd, CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE key) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, key, CKR_KEY_HANDLE_INVALID); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  return call_ctrl(cmd, w);
}

// Data in, result out (one-shot, update or final steps).
CK_RV op_data(uint32_t cmd, CK_SESSION_HANDLE s, const void* in, CK_ULONG in_len, bool has_in,
              CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  return call_output(cmd, w, in, in_len, has_in, out, out_len);
}

// Data in, nothing out (sign/verify/digest update).
CK_RV op_feed(uint32_t cmd, CK_SESSION_HANDLE s, const void* in, CK_ULONG in_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (in == nullptr && in_len != 0) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  TaCall c;
  c.cmd = cmd;
  c.has_in = true;
  c.in = {static_cast<const uint8_t*>(in), in_len};
  return ta_invoke(w.buf(), c);
}

// Verify: data in param 1 (unless final), signature in param 2.
CK_RV op_verify(uint32_t cmd, CK_SESSION_HANDLE s, const void* in, CK_ULONG in_len, bool has_in,
                CK_BYTE_PTR sig, CK_ULONG sig_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if ((in == nullptr && in_len != 0) || sig == nullptr) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  TaCall c;
  c.cmd = cmd;
  c.has_in = has_in;
  c.in = {static_cast<const uint8_t*>(in), in_len};
  c.has_out = true;
  c.out_is_input = true;
  c.out = sig;
  c.out_cap = sig_len;
  return ta_invoke(w.buf(), c);
}

}  // namespace

extern "C" {

CK_RV C_EncryptInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  return op_init(PKCS11_CMD_ENCRYPT_INIT, s, m, k);
}
CK_RV C_Encrypt(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_ENCRYPT_ONESHOT, s, in, n, true, out, out_len);
}
CK_RV C_EncryptUpdate(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out,
                      CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_ENCRYPT_UPDATE, s, in, n, true, out, out_len);
}
CK_RV C_EncryptFinal(CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_ENCRYPT_FINAL, s, nullptr, 0, false, out, out_len);
}
CK_RV C_DecryptInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  return op_init(PKCS11_CMD_DECRYPT_INIT, s, m, k);
}
CK_RV C_Decrypt(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_DECRYPT_ONESHOT, s, in, n, true, out, out_len);
}
CK_RV C_DecryptUpdate(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out,
                      CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_DECRYPT_UPDATE, s, in, n, true, out, out_len);
}
CK_RV C_DecryptFinal(CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_DECRYPT_FINAL, s, nullptr, 0, false, out, out_len);
}

CK_RV C_DigestInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_DIGEST_INIT, w);
}
CK_RV C_Digest(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_DIGEST_ONESHOT, s, in, n, true, out, out_len);
}
CK_RV C_DigestUpdate(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n) {
  return op_feed(PKCS11_CMD_DIGEST_UPDATE, s, in, n);
}
CK_RV C_DigestKey(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE k) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, k, CKR_KEY_HANDLE_INVALID); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_DIGEST_KEY, w);
}
CK_RV C_DigestFinal(CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return op_data(PKCS11_CMD_DIGEST_FINAL, s, nullptr, 0, false, out, out_len);
}

CK_RV C_SignInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  return op_init(PKCS11_CMD_SIGN_INIT, s, m, k);
}
CK_RV C_Sign(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len) {
  return op_data(PKCS11_CMD_SIGN_ONESHOT, s, in, n, true, sig, sig_len);
}
CK_RV C_SignUpdate(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n) {
  return op_feed(PKCS11_CMD_SIGN_UPDATE, s, in, n);
}
CK_RV C_SignFinal(CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len) {
  return op_data(PKCS11_CMD_SIGN_FINAL, s, nullptr, 0, false, sig, sig_len);
}
CK_RV C_SignRecoverInit(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE) { return not_supported(); }
CK_RV C_SignRecover(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}

CK_RV C_VerifyInit(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k) {
  return op_init(PKCS11_CMD_VERIFY_INIT, s, m, k);
}
CK_RV C_Verify(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n, CK_BYTE_PTR sig, CK_ULONG sig_len) {
  return op_verify(PKCS11_CMD_VERIFY_ONESHOT, s, in, n, true, sig, sig_len);
}
CK_RV C_VerifyUpdate(CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG n) {
  return op_feed(PKCS11_CMD_VERIFY_UPDATE, s, in, n);
}
CK_RV C_VerifyFinal(CK_SESSION_HANDLE s, CK_BYTE_PTR sig, CK_ULONG sig_len) {
  return op_verify(PKCS11_CMD_VERIFY_FINAL, s, nullptr, 0, false, sig, sig_len);
}
CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE) { return not_supported(); }
CK_RV C_VerifyRecover(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}

// Dual-function operations: not offered (no CKF_DUAL_CRYPTO_OPERATIONS).
CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}

CK_RV C_GenerateKey(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR t, CK_ULONG n,
                    CK_OBJECT_HANDLE_PTR out) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_handle(PKCS11_CMD_GENERATE_KEY, w, out);
}

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_ATTRIBUTE_PTR pub_t, CK_ULONG pub_n,
                        CK_ATTRIBUTE_PTR priv_t, CK_ULONG priv_n, CK_OBJECT_HANDLE_PTR pub,
                        CK_OBJECT_HANDLE_PTR priv) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (pub == nullptr || priv == nullptr) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, pub_t, pub_n, false); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, priv_t, priv_n, false); rv != CKR_OK) return rv;
  uint32_t h[2] = {};
  TaCall c;
  c.cmd = PKCS11_CMD_GENERATE_KEY_PAIR;
  c.has_out = true;
  c.out = h;
  c.out_cap = sizeof(h);
  CK_RV rv = ta_invoke(w.buf(), c);
  if (rv == CKR_OK) {
    *pub = h[0];
    *priv = h[1];
  }
  return rv;
}

CK_RV C_WrapKey(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE wrapping, CK_OBJECT_HANDLE key,
                CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, wrapping, CKR_WRAPPING_KEY_HANDLE_INVALID); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, key, CKR_KEY_HANDLE_INVALID); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  return call_output(PKCS11_CMD_WRAP_KEY, w, nullptr, 0, false, out, out_len);
}

CK_RV C_UnwrapKey(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE unwrapping, CK_BYTE_PTR wrapped,
                  CK_ULONG wrapped_len, CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR out) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (wrapped == nullptr) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, unwrapping, CKR_UNWRAPPING_KEY_HANDLE_INVALID); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_handle(PKCS11_CMD_UNWRAP_KEY, w, out, wrapped, wrapped_len);
}

CK_RV C_DeriveKey(CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE base, CK_ATTRIBUTE_PTR t,
                  CK_ULONG n, CK_OBJECT_HANDLE_PTR out) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, base, CKR_KEY_HANDLE_INVALID); rv != CKR_OK) return rv;
  if (CK_RV rv = put_mechanism(w, m); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_handle(PKCS11_CMD_DERIVE_KEY, w, out);
}

CK_RV C_SeedRandom(CK_SESSION_HANDLE s, CK_BYTE_PTR seed, CK_ULONG n) {
  return op_feed(PKCS11_CMD_SEED_RANDOM, s, seed, n);
}

CK_RV C_GenerateRandom(CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG n) {
  if (out == nullptr && n != 0) return CKR_ARGUMENTS_BAD;
  // Large requests go in pieces the TA accepts (1 MiB each).
  CK_ULONG done = 0;
  do {
    CK_ULONG chunk = std::min<CK_ULONG>(n - done, 1024 * 1024);
    CK_ULONG got = chunk;
    uint8_t none = 0;
    CK_RV rv = op_data(PKCS11_CMD_GENERATE_RANDOM, s, nullptr, 0, false, chunk ? out + done : &none, &got);
    if (rv != CKR_OK) return rv;
    done += chunk;
  } while (done < n);
  return CKR_OK;
}

CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE) { return initialized_or(CKR_FUNCTION_NOT_PARALLEL); }

CK_RV C_CancelFunction(CK_SESSION_HANDLE) { return initialized_or(CKR_FUNCTION_NOT_PARALLEL); }

}  // extern "C"
