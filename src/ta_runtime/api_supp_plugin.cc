// tee_invoke_supp_plugin() (tee_internal_api_extensions.h), as OP-TEE's
// libutee does it: through the system PTA's PTA_SYSTEM_SUPP_PLUGIN_INVOKE,
// which swtee-os turns into OPTEE_RPC_CMD_SUPP_PLUGIN for the supplicant.
#include <cstring>

#include "pta_system.h"
#include "tee_internal_api.h"
#include "tee_internal_api_extensions.h"

extern "C" TEE_Result tee_invoke_supp_plugin(const TEE_UUID* uuid, uint32_t cmd, uint32_t sub_cmd, void* buf,
                                             size_t len, size_t* outlen) {
  if (uuid == nullptr || (len != 0 && buf == nullptr) || (len == 0 && buf != nullptr))
    return TEE_ERROR_BAD_PARAMETERS;
  const TEE_UUID system = PTA_SYSTEM_UUID;
  TEE_TASessionHandle s = TEE_HANDLE_NULL;
  uint32_t origin = 0;
  TEE_Result res = TEE_OpenTASession(&system, TEE_TIMEOUT_INFINITE, 0, nullptr, &s, &origin);
  if (res != TEE_SUCCESS) return res;
  TEE_UUID u = *uuid;  // TA-private, whatever memory the caller's UUID is in
  TEE_Param p[TEE_NUM_PARAMS] = {};
  p[0].memref.buffer = &u;
  p[0].memref.size = sizeof(u);
  p[1].value.a = cmd;
  p[1].value.b = sub_cmd;
  p[2].memref.buffer = buf;
  p[2].memref.size = len;
  const uint32_t types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_VALUE_INPUT,
                                         TEE_PARAM_TYPE_MEMREF_INOUT, TEE_PARAM_TYPE_VALUE_OUTPUT);
  res = TEE_InvokeTACommand(s, TEE_TIMEOUT_INFINITE, PTA_SYSTEM_SUPP_PLUGIN_INVOKE, types, p, &origin);
  TEE_CloseTASession(s);
  if (outlen != nullptr) *outlen = p[3].value.a;
  return res;
}
