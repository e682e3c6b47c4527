// Session and login functions of libswtee-pkcs11.so.
#include <swtee/pkcs11_ta.h>

#include "pkcs11/api_state.h"

using namespace swtee::pkcs11;

extern "C" {

CK_RV C_OpenSession(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR, CK_NOTIFY, CK_SESSION_HANDLE_PTR out) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (out == nullptr) return CKR_ARGUMENTS_BAD;
  if (slot != 0) return CKR_SLOT_ID_INVALID;
  if (!(flags & CKF_SERIAL_SESSION)) return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
  Wire w;
  w.u32(0);
  if (!w.ulong(flags)) return CKR_ARGUMENTS_BAD;
  return call_handle(PKCS11_CMD_OPEN_SESSION, w, out);
}

CK_RV C_CloseSession(CK_SESSION_HANDLE s) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_CLOSE_SESSION, w);
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slot) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (slot != 0) return CKR_SLOT_ID_INVALID;
  Wire w;
  w.u32(0);
  return call_ctrl(PKCS11_CMD_CLOSE_ALL_SESSIONS, w);
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE s, CK_SESSION_INFO_PTR info) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (info == nullptr) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  pkcs11_session_info si{};
  CK_ULONG n = sizeof(si);
  if (CK_RV rv =
          call_output(PKCS11_CMD_SESSION_INFO, w, nullptr, 0, false, reinterpret_cast<CK_BYTE_PTR>(&si), &n);
      rv != CKR_OK)
    return rv;
  info->slotID = si.slot_id;
  info->state = si.state;
  info->flags = si.flags;
  info->ulDeviceError = si.device_error;
  return CKR_OK;
}

CK_RV C_GetOperationState(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG_PTR) { return not_supported(); }

CK_RV C_SetOperationState(CK_SESSION_HANDLE, CK_BYTE_PTR, CK_ULONG, CK_OBJECT_HANDLE, CK_OBJECT_HANDLE) {
  return not_supported();
}

CK_RV C_Login(CK_SESSION_HANDLE s, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (pin == nullptr && pin_len != 0) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (!w.ulong(user)) return CKR_USER_TYPE_INVALID;
  if (!w.ulong(pin_len)) return CKR_PIN_LEN_RANGE;
  w.bytes(pin, pin_len);
  return call_ctrl(PKCS11_CMD_LOGIN, w);
}

CK_RV C_Logout(CK_SESSION_HANDLE s) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  return call_ctrl(PKCS11_CMD_LOGOUT, w);
}

CK_RV C_InitPIN(CK_SESSION_HANDLE s, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (pin == nullptr && pin_len != 0) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (!w.ulong(pin_len)) return CKR_PIN_LEN_RANGE;
  w.bytes(pin, pin_len);
  return call_ctrl(PKCS11_CMD_INIT_PIN, w);
}

CK_RV C_SetPIN(CK_SESSION_HANDLE s, CK_UTF8CHAR_PTR old_pin, CK_ULONG old_len, CK_UTF8CHAR_PTR new_pin,
               CK_ULONG new_len) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if ((old_pin == nullptr && old_len != 0) || (new_pin == nullptr && new_len != 0)) return CKR_ARGUMENTS_BAD;
  Wire w;
  if (CK_RV rv = session_wire(w, s); rv != CKR_OK) return rv;
  if (!w.ulong(old_len) || !w.ulong(new_len)) return CKR_PIN_LEN_RANGE;
  w.bytes(old_pin, old_len);
  w.bytes(new_pin, new_len);
  return call_ctrl(PKCS11_CMD_SET_PIN, w);
}

}  // extern "C"
