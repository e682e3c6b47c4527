// General-purpose, slot and token functions of libswtee-pkcs11.so.
#include <swtee/pkcs11_ta.h>

#include <cstring>
#include <mutex>

#include "pkcs11/api_state.h"

namespace swtee::pkcs11 {

std::shared_mutex& init_lock() {
  static std::shared_mutex m;
  return m;
}

bool& initialized() {
  static bool v = false;
  return v;
}

CK_RV call_ctrl(uint32_t cmd, Wire& ctrl) {
  TaCall c;
  c.cmd = cmd;
  return ta_invoke(ctrl.buf(), c);
}

CK_RV call_output(uint32_t cmd, Wire& ctrl, const void* in, size_t in_len, bool has_in, CK_BYTE_PTR out,
                  CK_ULONG_PTR out_len) {
  if (out_len == nullptr) return CKR_ARGUMENTS_BAD;
  TaCall c;
  c.cmd = cmd;
  c.has_in = has_in;
  if (has_in) {
    if (in == nullptr && in_len != 0) return CKR_ARGUMENTS_BAD;
    c.in = {static_cast<const uint8_t*>(in), in_len};
  }
  c.has_out = true;
  c.out = out;
  c.out_cap = out != nullptr ? *out_len : 0;
  CK_RV rv = ta_invoke(ctrl.buf(), c);
  if (rv == CKR_OK || rv == CKR_BUFFER_TOO_SMALL) *out_len = c.out_len;
  if (rv == CKR_BUFFER_TOO_SMALL && out == nullptr) rv = CKR_OK;
  return rv;
}

CK_RV call_handle(uint32_t cmd, Wire& ctrl, CK_OBJECT_HANDLE_PTR out, const void* in, size_t in_len) {
  if (out == nullptr) return CKR_ARGUMENTS_BAD;
  uint32_t h = 0;
  TaCall c;
  c.cmd = cmd;
  if (in != nullptr) {
    c.has_in = true;
    c.in = {static_cast<const uint8_t*>(in), in_len};
  }
  c.has_out = true;
  c.out = &h;
  c.out_cap = sizeof(h);
  CK_RV rv = ta_invoke(ctrl.buf(), c);
  if (rv == CKR_OK) *out = h;
  return rv;
}

namespace {

void pad(CK_UTF8CHAR* dst, size_t n, const char* s) {
  std::memset(dst, ' ', n);
  std::memcpy(dst, s, std::min(n, std::strlen(s)));
}

CK_ULONG widen(uint32_t v) { return v == PKCS11_CK_UNAVAILABLE_INFORMATION ? CK_UNAVAILABLE_INFORMATION : v; }

CK_RV slot_check(CK_SLOT_ID slot) { return slot == 0 ? CKR_OK : CKR_SLOT_ID_INVALID; }

// A slot-level query: control = slot id (+ extra), answer = a fixed struct.
CK_RV slot_query(uint32_t cmd, CK_SLOT_ID slot, void* out, CK_ULONG size, const uint32_t* extra = nullptr) {
  if (CK_RV rv = slot_check(slot); rv != CKR_OK) return rv;
  Wire w;
  w.u32(0);
  if (extra != nullptr) w.u32(*extra);
  CK_ULONG n = size;
  return call_output(cmd, w, nullptr, 0, false, static_cast<CK_BYTE_PTR>(out), &n);
}

}  // namespace
}  // namespace swtee::pkcs11

using namespace swtee::pkcs11;

extern "C" {

CK_RV C_Initialize(CK_VOID_PTR init_args) {
  if (init_args != nullptr) {
    const auto* a = static_cast<const CK_C_INITIALIZE_ARGS*>(init_args);
    if (a->pReserved != nullptr) return CKR_ARGUMENTS_BAD;
    const bool some = a->CreateMutex || a->DestroyMutex || a->LockMutex || a->UnlockMutex;
    const bool all = a->CreateMutex && a->DestroyMutex && a->LockMutex && a->UnlockMutex;
    if (some && !all) return CKR_ARGUMENTS_BAD;
    // The module always uses OS locking; application callbacks alone
    // (without CKF_OS_LOCKING_OK) cannot be honoured.
    if (all && !(a->flags & CKF_OS_LOCKING_OK)) return CKR_CANT_LOCK;
  }
  std::unique_lock lock(init_lock());
  if (initialized()) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
  CK_RV rv = ta_open();
  if (rv == CKR_OK) initialized() = true;
  return rv;
}

CK_RV C_Finalize(CK_VOID_PTR reserved) {
  if (reserved != nullptr) return CKR_ARGUMENTS_BAD;
  std::unique_lock lock(init_lock());
  if (!initialized()) return CKR_CRYPTOKI_NOT_INITIALIZED;
  ta_close();
  initialized() = false;
  return CKR_OK;
}

CK_RV C_GetInfo(CK_INFO_PTR info) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (info == nullptr) return CKR_ARGUMENTS_BAD;
  std::memset(info, 0, sizeof(*info));
  info->cryptokiVersion = {2, 40};
  pad(info->manufacturerID, sizeof(info->manufacturerID), "swtee");
  pad(info->libraryDescription, sizeof(info->libraryDescription), "swtee PKCS#11 module");
  info->libraryVersion = {PKCS11_TA_VERSION_MAJOR, PKCS11_TA_VERSION_MINOR};
  return CKR_OK;
}

CK_RV C_GetSlotList(CK_BBOOL, CK_SLOT_ID_PTR list, CK_ULONG_PTR count) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (count == nullptr) return CKR_ARGUMENTS_BAD;
  if (list == nullptr) {
    *count = 1;
    return CKR_OK;
  }
  if (*count < 1) {
    *count = 1;
    return CKR_BUFFER_TOO_SMALL;
  }
  list[0] = 0;
  *count = 1;
  return CKR_OK;
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slot, CK_SLOT_INFO_PTR info) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (info == nullptr) return CKR_ARGUMENTS_BAD;
  pkcs11_slot_info si{};
  if (CK_RV rv = slot_query(PKCS11_CMD_SLOT_INFO, slot, &si, sizeof(si)); rv != CKR_OK) return rv;
  static_assert(sizeof(info->slotDescription) == sizeof(si.slot_description));
  std::memcpy(info->slotDescription, si.slot_description, sizeof(si.slot_description));
  std::memcpy(info->manufacturerID, si.manufacturer_id, sizeof(si.manufacturer_id));
  info->flags = si.flags;
  info->hardwareVersion = {si.hardware_version[0], si.hardware_version[1]};
  info->firmwareVersion = {si.firmware_version[0], si.firmware_version[1]};
  return CKR_OK;
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (info == nullptr) return CKR_ARGUMENTS_BAD;
  pkcs11_token_info ti{};
  if (CK_RV rv = slot_query(PKCS11_CMD_TOKEN_INFO, slot, &ti, sizeof(ti)); rv != CKR_OK) return rv;
  static_assert(sizeof(info->label) == sizeof(ti.label));
  std::memcpy(info->label, ti.label, sizeof(ti.label));
  std::memcpy(info->manufacturerID, ti.manufacturer_id, sizeof(ti.manufacturer_id));
  std::memcpy(info->model, ti.model, sizeof(ti.model));
  std::memcpy(info->serialNumber, ti.serial_number, sizeof(ti.serial_number));
  info->flags = ti.flags;
  info->ulMaxSessionCount = widen(ti.max_session_count);
  info->ulSessionCount = widen(ti.session_count);
  info->ulMaxRwSessionCount = widen(ti.max_rw_session_count);
  info->ulRwSessionCount = widen(ti.rw_session_count);
  info->ulMaxPinLen = ti.max_pin_len;
  info->ulMinPinLen = ti.min_pin_len;
  info->ulTotalPublicMemory = widen(ti.total_public_memory);
  info->ulFreePublicMemory = widen(ti.free_public_memory);
  info->ulTotalPrivateMemory = widen(ti.total_private_memory);
  info->ulFreePrivateMemory = widen(ti.free_private_memory);
  info->hardwareVersion = {ti.hardware_version[0], ti.hardware_version[1]};
  info->firmwareVersion = {ti.firmware_version[0], ti.firmware_version[1]};
  std::memset(info->utcTime, ' ', sizeof(info->utcTime));
  return CKR_OK;
}

CK_RV C_GetMechanismList(CK_SLOT_ID slot, CK_MECHANISM_TYPE_PTR list, CK_ULONG_PTR count) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (count == nullptr) return CKR_ARGUMENTS_BAD;
  if (CK_RV rv = slot_check(slot); rv != CKR_OK) return rv;
  Wire w;
  w.u32(0);
  uint32_t ids[128];
  CK_ULONG n = sizeof(ids);
  if (CK_RV rv =
          call_output(PKCS11_CMD_MECHANISM_IDS, w, nullptr, 0, false, reinterpret_cast<CK_BYTE_PTR>(ids), &n);
      rv != CKR_OK)
    return rv;
  const CK_ULONG have = n / sizeof(uint32_t);
  if (list == nullptr) {
    *count = have;
    return CKR_OK;
  }
  if (*count < have) {
    *count = have;
    return CKR_BUFFER_TOO_SMALL;
  }
  for (CK_ULONG i = 0; i < have; ++i) list[i] = ids[i];
  *count = have;
  return CKR_OK;
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR info) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (info == nullptr) return CKR_ARGUMENTS_BAD;
  if (type > 0xffffffffUL) return CKR_MECHANISM_INVALID;
  const uint32_t mech = static_cast<uint32_t>(type);
  pkcs11_mechanism_info mi{};
  if (CK_RV rv = slot_query(PKCS11_CMD_MECHANISM_INFO, slot, &mi, sizeof(mi), &mech); rv != CKR_OK) return rv;
  info->ulMinKeySize = mi.min_key_size;
  info->ulMaxKeySize = mi.max_key_size;
  info->flags = mi.flags;
  return CKR_OK;
}

CK_RV C_InitToken(CK_SLOT_ID slot, CK_UTF8CHAR_PTR pin, CK_ULONG pin_len, CK_UTF8CHAR_PTR label) {
  Entry e;
  if (CK_RV rv = e.check(); rv != CKR_OK) return rv;
  if (CK_RV rv = slot_check(slot); rv != CKR_OK) return rv;
  if (label == nullptr || (pin == nullptr && pin_len != 0)) return CKR_ARGUMENTS_BAD;
  Wire w;
  w.u32(0);
  if (!w.ulong(pin_len)) return CKR_PIN_LEN_RANGE;
  w.bytes(label, 32);
  w.bytes(pin, pin_len);
  return call_ctrl(PKCS11_CMD_INIT_TOKEN, w);
}

CK_RV C_WaitForSlotEvent(CK_FLAGS, CK_SLOT_ID_PTR, CK_VOID_PTR) { return not_supported(); }

}  // extern "C"
