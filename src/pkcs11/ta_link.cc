#include "pkcs11/ta_link.h"

#include <swtee/pkcs11_ta.h>
#include <tee_client_api.h>

#include <cstring>
#include <mutex>

namespace swtee::pkcs11 {
namespace {

struct Link {
  TEEC_Context ctx{};
  TEEC_Session session{};
  bool open = false;
};
Link g_link;  // guarded by the module's init lock (api_state.h)

// The pkcs11 TA is a single instance that runs one command at a time, so
// concurrent calls from this process gain nothing in the TA; queueing
// them here, on a sleeping lock, keeps waiting threads off the CPU that
// the TA and the call path need (8 threads signing: 2.5x the rate).
std::mutex g_call_lock;

CK_RV teec_to_ck(TEEC_Result r) {
  switch (r) {
    case TEEC_SUCCESS:
      return CKR_OK;
    case TEEC_ERROR_OUT_OF_MEMORY:
      return CKR_DEVICE_MEMORY;
    case TEEC_ERROR_SHORT_BUFFER:
      return CKR_BUFFER_TOO_SMALL;
    case TEEC_ERROR_BAD_PARAMETERS:
      return CKR_ARGUMENTS_BAD;
    case TEEC_ERROR_TARGET_DEAD:
      return CKR_DEVICE_REMOVED;
    default:
      return CKR_DEVICE_ERROR;
  }
}

uint8_t g_empty[1];

}  // namespace

CK_RV ta_open() {
  if (g_link.open) return CKR_OK;
  if (TEEC_InitializeContext(nullptr, &g_link.ctx) != TEEC_SUCCESS) return CKR_DEVICE_ERROR;
  TEEC_UUID uuid = PKCS11_TA_UUID;
  uint32_t origin = 0;
  TEEC_Result r =
      TEEC_OpenSession(&g_link.ctx, &g_link.session, &uuid, TEEC_LOGIN_PUBLIC, nullptr, nullptr, &origin);
  if (r != TEEC_SUCCESS) {
    TEEC_FinalizeContext(&g_link.ctx);
    return r == TEEC_ERROR_BUSY ? CKR_DEVICE_MEMORY : CKR_DEVICE_ERROR;
  }
  g_link.open = true;
  // The TA must answer a ping with a compatible version.
  std::vector<uint8_t> ctrl(4, 0);
  uint32_t ver[3] = {};
  TaCall c;
  c.cmd = PKCS11_CMD_PING;
  c.out = ver;
  c.out_cap = sizeof(ver);
  c.has_out = true;
  CK_RV rv = ta_invoke(ctrl, c);
  if (rv != CKR_OK || ver[0] != PKCS11_TA_VERSION_MAJOR) {
    ta_close();
    return CKR_DEVICE_ERROR;
  }
  return CKR_OK;
}

void ta_close() {
  if (!g_link.open) return;
  TEEC_CloseSession(&g_link.session);
  TEEC_FinalizeContext(&g_link.ctx);
  g_link.open = false;
}

CK_RV ta_invoke(std::vector<uint8_t>& ctrl, TaCall& call) {
  if (!g_link.open) return CKR_CRYPTOKI_NOT_INITIALIZED;
  if (ctrl.size() < sizeof(uint32_t)) ctrl.resize(sizeof(uint32_t), 0);
  TEEC_Operation op{};
  uint32_t t1 = TEEC_NONE;
  uint32_t t2 = TEEC_NONE;
  op.params[0].tmpref.buffer = ctrl.data();
  op.params[0].tmpref.size = ctrl.size();
  if (call.has_in) {
    t1 = TEEC_MEMREF_TEMP_INPUT;
    op.params[1].tmpref.buffer = call.in.empty() ? g_empty : const_cast<uint8_t*>(call.in.data());
    op.params[1].tmpref.size = call.in.size();
  }
  if (call.has_out) {
    t2 = call.out_is_input ? TEEC_MEMREF_TEMP_INPUT : TEEC_MEMREF_TEMP_OUTPUT;
    op.params[2].tmpref.buffer = call.out != nullptr ? call.out : g_empty;
    op.params[2].tmpref.size = call.out != nullptr ? call.out_cap : 0;
  }
  op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, t1, t2, TEEC_NONE);
  uint32_t origin = 0;
  TEEC_Result r = TEEC_ERROR_GENERIC;
  {
    std::lock_guard<std::mutex> serial(g_call_lock);
    r = TEEC_InvokeCommand(&g_link.session, call.cmd, &op, &origin);
  }
  if (call.has_out && !call.out_is_input) call.out_len = op.params[2].tmpref.size;
  if (r == TEEC_ERROR_SHORT_BUFFER) return CKR_BUFFER_TOO_SMALL;
  if (r != TEEC_SUCCESS) return teec_to_ck(r);
  if (op.params[0].tmpref.size < sizeof(uint32_t)) return CKR_DEVICE_ERROR;
  uint32_t rc = 0;
  std::memcpy(&rc, ctrl.data(), sizeof(rc));
  // Internal codes never reach the application.
  if (rc == PKCS11_RV_NOT_FOUND || rc == PKCS11_RV_NOT_IMPLEMENTED) return CKR_GENERAL_ERROR;
  return rc;
}

}  // namespace swtee::pkcs11
