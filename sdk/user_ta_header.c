/*
 * Compiled into every TA by add_trusted_application(), with the TA's
 * user_ta_header_defines.h on the include path.
 *
 * Provides:
 *  - `swtee_ta_info` (swtee_ta_info.h): the TA's identity, flags, sizes and
 *    extra properties, read by `swtee sign` from the ELF symbol table and by
 *    the TA runtime after loading;
 *  - in GP 1.1 mode, the v1.3.1 TA_OpenSessionEntryPoint and
 *    TA_InvokeCommandEntryPoint the runtime calls, which convert parameters
 *    to the v1.1 layout, call the TA's __GP11_ entry points and convert the
 *    results back.
 */
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <swtee_ta_info.h>
#include <user_ta_header.h>

#include "user_ta_header_defines.h"

#ifndef TA_UUID
#error "user_ta_header_defines.h must define TA_UUID"
#endif
#ifndef TA_FLAGS
#error "user_ta_header_defines.h must define TA_FLAGS"
#endif
#ifndef TA_STACK_SIZE
#error "user_ta_header_defines.h must define TA_STACK_SIZE"
#endif
#ifndef TA_DATA_SIZE
#error "user_ta_header_defines.h must define TA_DATA_SIZE"
#endif
#ifndef TA_VERSION
#define TA_VERSION "Undefined version"
#endif
#ifndef TA_DESCRIPTION
#define TA_DESCRIPTION "Undefined description"
#endif

SWTEE_STATIC_ASSERT(((TA_FLAGS) & ~TA_FLAGS_MASK) == 0, "TA_FLAGS has bits outside TA_FLAGS_MASK");
SWTEE_STATIC_ASSERT(!((TA_FLAGS) & TA_FLAG_INSTANCE_KEEP_ALIVE) || ((TA_FLAGS) & TA_FLAG_SINGLE_INSTANCE),
                    "TA_FLAG_INSTANCE_KEEP_ALIVE needs TA_FLAG_SINGLE_INSTANCE");
SWTEE_STATIC_ASSERT((TA_STACK_SIZE) > 0 && (uint64_t)(TA_STACK_SIZE) <= UINT32_MAX, "TA_STACK_SIZE range");
SWTEE_STATIC_ASSERT((uint64_t)(TA_DATA_SIZE) <= UINT32_MAX, "TA_DATA_SIZE range");

#ifdef TA_CURRENT_TA_EXT_PROPERTIES
static const struct swtee_ta_property swtee_ta_ext_props[] = {TA_CURRENT_TA_EXT_PROPERTIES};
#define SWTEE_TA_PROPS swtee_ta_ext_props
#define SWTEE_TA_NUM_PROPS (sizeof(swtee_ta_ext_props) / sizeof(swtee_ta_ext_props[0]))
#else
#define SWTEE_TA_PROPS NULL
#define SWTEE_TA_NUM_PROPS 0
#endif

__attribute__((visibility("default"), used)) const struct swtee_ta_info swtee_ta_info = {
    .abi_version = SWTEE_TA_INFO_ABI_VERSION,
    .uuid = TA_UUID,
    .flags = (uint32_t)(TA_FLAGS),
    .stack_size = (uint32_t)(TA_STACK_SIZE),
    .data_size = (uint32_t)(TA_DATA_SIZE),
    .version = TA_VERSION,
    .description = TA_DESCRIPTION,
    .props = SWTEE_TA_PROPS,
    .num_props = SWTEE_TA_NUM_PROPS,
};

#if __OPTEE_CORE_API_COMPAT_1_1
/* Here the GP names must mean the v1.3.1 ABI the runtime calls. */
#undef TEE_Param
#undef TA_OpenSessionEntryPoint
#undef TA_InvokeCommandEntryPoint

/* v1.3.1 -> v1.1. A memref larger than 4 GiB - 1 cannot be expressed. */
static TEE_Result swtee_params_to_gp11(uint32_t param_types, const TEE_Param in[TEE_NUM_PARAMS],
                                       __GP11_TEE_Param out[TEE_NUM_PARAMS]) {
  size_t n;
  for (n = 0; n < TEE_NUM_PARAMS; n++) {
    switch (TEE_PARAM_TYPE_GET(param_types, n)) {
      case TEE_PARAM_TYPE_VALUE_INPUT:
      case TEE_PARAM_TYPE_VALUE_OUTPUT:
      case TEE_PARAM_TYPE_VALUE_INOUT:
        out[n].value.a = in[n].value.a;
        out[n].value.b = in[n].value.b;
        break;
      case TEE_PARAM_TYPE_MEMREF_INPUT:
      case TEE_PARAM_TYPE_MEMREF_OUTPUT:
      case TEE_PARAM_TYPE_MEMREF_INOUT:
        if (in[n].memref.size > UINT32_MAX) return TEE_ERROR_BAD_PARAMETERS;
        out[n].memref.buffer = in[n].memref.buffer;
        out[n].memref.size = (uint32_t)in[n].memref.size;
        break;
      default:
        out[n].memref.buffer = NULL;
        out[n].memref.size = 0;
        break;
    }
  }
  return TEE_SUCCESS;
}

/* v1.1 -> v1.3.1, outputs only (the TA may report a required size). */
static void swtee_params_from_gp11(uint32_t param_types, const __GP11_TEE_Param in[TEE_NUM_PARAMS],
                                   TEE_Param out[TEE_NUM_PARAMS]) {
  size_t n;
  for (n = 0; n < TEE_NUM_PARAMS; n++) {
    switch (TEE_PARAM_TYPE_GET(param_types, n)) {
      case TEE_PARAM_TYPE_VALUE_OUTPUT:
      case TEE_PARAM_TYPE_VALUE_INOUT:
        out[n].value.a = in[n].value.a;
        out[n].value.b = in[n].value.b;
        break;
      case TEE_PARAM_TYPE_MEMREF_OUTPUT:
      case TEE_PARAM_TYPE_MEMREF_INOUT:
        out[n].memref.size = in[n].memref.size;
        break;
      default:
        break;
    }
  }
}

__attribute__((visibility("default"))) TEE_Result TA_OpenSessionEntryPoint(
    uint32_t param_types, TEE_Param params[TEE_NUM_PARAMS], void **session_context) {
  __GP11_TEE_Param gp11[TEE_NUM_PARAMS];
  TEE_Result res = swtee_params_to_gp11(param_types, params, gp11);
  if (res != TEE_SUCCESS) return res;
  res = __GP11_TA_OpenSessionEntryPoint(param_types, gp11, session_context);
  swtee_params_from_gp11(param_types, gp11, params);
  return res;
}

__attribute__((visibility("default"))) TEE_Result TA_InvokeCommandEntryPoint(
    void *session_context, uint32_t command_id, uint32_t param_types,
    TEE_Param params[TEE_NUM_PARAMS]) {
  __GP11_TEE_Param gp11[TEE_NUM_PARAMS];
  TEE_Result res = swtee_params_to_gp11(param_types, params, gp11);
  if (res != TEE_SUCCESS) return res;
  res = __GP11_TA_InvokeCommandEntryPoint(session_context, command_id, param_types, gp11);
  swtee_params_from_gp11(param_types, gp11, params);
  return res;
}
#endif /* __OPTEE_CORE_API_COMPAT_1_1 */
