/* The SDK smoke TA, written as an OP-TEE GP 1.1 TA would be. */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include "smoke_ta.h"

TEE_Result TA_CreateEntryPoint(void) { return TEE_SUCCESS; }

void TA_DestroyEntryPoint(void) {}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx) {
  (void)params;
  if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
                                     TEE_PARAM_TYPE_NONE)) {
    return TEE_ERROR_BAD_PARAMETERS;
  }
  *sess_ctx = (void *)0x5a;
  IMSG("smoke session opened");
  return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx) { (void)sess_ctx; }

static TEE_Result copy(uint32_t param_types, TEE_Param params[4]) {
  /* In GP 1.1 mode memref.size is a uint32_t. */
  uint32_t need;
  if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, TEE_PARAM_TYPE_MEMREF_OUTPUT,
                                     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
    return TEE_ERROR_BAD_PARAMETERS;
  }
  need = params[0].memref.size;
  if (params[1].memref.size < need) {
    params[1].memref.size = need;
    return TEE_ERROR_SHORT_BUFFER;
  }
  TEE_MemMove(params[1].memref.buffer, params[0].memref.buffer, need);
  params[1].memref.size = need;
  return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
                                      TEE_Param params[4]) {
  if (sess_ctx != (void *)0x5a) return TEE_ERROR_BAD_STATE;
  switch (cmd_id) {
    case SMOKE_CMD_INC:
      if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE,
                                         TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE)) {
        return TEE_ERROR_BAD_PARAMETERS;
      }
      params[0].value.a++;
      return TEE_SUCCESS;
    case SMOKE_CMD_COPY:
      return copy(param_types, params);
    default:
      EMSG("unknown command %u", (unsigned)cmd_id);
      return TEE_ERROR_NOT_SUPPORTED;
  }
}
