// Module-wide state of libswtee-pkcs11.so: whether C_Initialize has run.
// Every entry point holds the lock shared for its whole call; C_Initialize
// and C_Finalize hold it exclusively, so Finalize waits for calls in flight
// (PKCS#11 locking rules with CKF_OS_LOCKING_OK: the module uses OS locks).
#pragma once

#include <p11-kit/pkcs11.h>

#include <shared_mutex>
#include <vector>

#include "pkcs11/ta_link.h"
#include "pkcs11/wire.h"

namespace swtee::pkcs11 {

std::shared_mutex& init_lock();
bool& initialized();  // guarded by init_lock()

// Holds the shared lock and checks initialisation.
class Entry {
 public:
  Entry() : lock_(init_lock()) {}
  CK_RV check() const { return initialized() ? CKR_OK : CKR_CRYPTOKI_NOT_INITIALIZED; }

 private:
  std::shared_lock<std::shared_mutex> lock_;
};

// Entry points the token does not offer.
inline CK_RV initialized_or(CK_RV rv) {
  Entry e;
  CK_RV init = e.check();
  return init != CKR_OK ? init : rv;
}
inline CK_RV not_supported() { return initialized_or(CKR_FUNCTION_NOT_SUPPORTED); }

// Session-handle sized check: handles are 32-bit on the wire.
inline bool fits32(CK_ULONG v) { return v <= 0xffffffffUL; }

// The control buffer of most commands starts with the session handle.
inline CK_RV session_wire(Wire& w, CK_SESSION_HANDLE s) {
  if (!fits32(s)) return CKR_SESSION_HANDLE_INVALID;
  w.u32(static_cast<uint32_t>(s));
  return CKR_OK;
}

// Appends a 32-bit object handle.
inline CK_RV object_wire(Wire& w, CK_OBJECT_HANDLE o, CK_RV invalid = CKR_OBJECT_HANDLE_INVALID) {
  if (!fits32(o)) return invalid;
  w.u32(static_cast<uint32_t>(o));
  return CKR_OK;
}

// One command with a control buffer and optional data in/out.
CK_RV call_ctrl(uint32_t cmd, Wire& ctrl);
// A command whose result goes to (out, *out_len) with PKCS#11 length
// semantics: out == NULL asks for the length (CKR_OK).
CK_RV call_output(uint32_t cmd, Wire& ctrl, const void* in, size_t in_len, bool has_in, CK_BYTE_PTR out,
                  CK_ULONG_PTR out_len);
// A command answering a 32-bit handle.
CK_RV call_handle(uint32_t cmd, Wire& ctrl, CK_OBJECT_HANDLE_PTR out, const void* in = nullptr,
                  size_t in_len = 0);

}  // namespace swtee::pkcs11
