// Object management functions of libswtee-pkcs11.so.
#include <swtee/pkcs11_ta.h>

#include "pkcs11/api_state.h"

using namespace swtee::pkcs11;

extern "C" {

CK_RV C_CreateObject(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR t, CK_ULONG n, CK_OBJECT_HANDLE_PTR out) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_handle(PKCS11_CMD_CREATE_OBJECT, w, out);
}

CK_RV C_CopyObject(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n,
                   CK_OBJECT_HANDLE_PTR out) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, o); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_handle(PKCS11_CMD_COPY_OBJECT, w, out);
}

CK_RV C_DestroyObject(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, o); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_DESTROY_OBJECT, w);
}

CK_RV C_GetObjectSize(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ULONG_PTR size) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (size == nullptr) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, o); rv != CKR_OK) return rv;
  uint32_t v = 0;
  CK_ULONG n = sizeof(v);
  CK_RV rv =
      call_output(PKCS11_CMD_GET_OBJECT_SIZE, w, nullptr, 0, false, reinterpret_cast<CK_BYTE_PTR>(&v), &n);
  if (rv == CKR_OK) *size = v;
  return rv;
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (t == nullptr && n != 0) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, o); rv != CKR_OK) return rv;
  const size_t head = w.buf().size();
  if (CK_RV rv = put_template(w, t, n, true); rv != CKR_OK) return rv;
  // The answer has the request's layout, so it needs the same room.
  std::vector<uint8_t> answer(w.buf().size() - head);
  TaCall c;
  c.cmd = PKCS11_CMD_GET_ATTRIBUTE_VALUE;
  c.has_out = true;
  c.out = answer.data();
  c.out_cap = answer.size();
  CK_RV rv = ta_invoke(w.buf(), c);
  if (rv != CKR_OK && rv != CKR_ATTRIBUTE_SENSITIVE && rv != CKR_ATTRIBUTE_TYPE_INVALID &&
      rv != CKR_BUFFER_TOO_SMALL)
    return rv;
  CK_RV local = take_attribute_values(answer, t, n);
  if (local == CKR_DEVICE_ERROR) return local;
  return rv != CKR_OK ? rv : local;
}

CK_RV C_SetAttributeValue(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE o, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = object_wire(w, o); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_SET_ATTRIBUTE_VALUE, w);
}

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR t, CK_ULONG n) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (CK_RV rv = put_template(w, t, n, false); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_FIND_OBJECTS_INIT, w);
}

CK_RV C_FindObjects(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE_PTR out, CK_ULONG max, CK_ULONG_PTR count) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (count == nullptr || (out == nullptr && max != 0)) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  const CK_ULONG want = std::min<CK_ULONG>(max, 4096);
  std::vector<uint32_t> h(want ? want : 1);
  CK_ULONG bytes = want * sizeof(uint32_t);
  CK_RV rv = call_output(PKCS11_CMD_FIND_OBJECTS, w, nullptr, 0, false,
                         reinterpret_cast<CK_BYTE_PTR>(h.data()), &bytes);
  if (rv != CKR_OK) return rv;
  const CK_ULONG got = bytes / sizeof(uint32_t);
  for (CK_ULONG i = 0; i < got && i < want; ++i) out[i] = h[i];
  *count = std::min(got, want);
  return CKR_OK;
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE s) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_FIND_OBJECTS_FINAL, w);
}

}  // extern "C"
