/*
 * TA entry points (swtee TA SDK). A TA defines these five functions; the TA
 * runtime finds them by symbol name when it loads the TA.
 *
 * In GP 1.1 mode (tee_api_compat.h) the TA's TA_OpenSessionEntryPoint and
 * TA_InvokeCommandEntryPoint become __GP11_TA_OpenSessionEntryPoint and
 * __GP11_TA_InvokeCommandEntryPoint; sdk/user_ta_header.c then provides the
 * v1.3.1 entry points, which convert the parameters and call them.
 */
#ifndef SWTEE_TEE_TA_API_H
#define SWTEE_TEE_TA_API_H

#include "tee_api_defines.h"
#include "tee_api_types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SWTEE_TA_EXPORT __attribute__((visibility("default")))

SWTEE_TA_EXPORT TEE_Result TA_CreateEntryPoint(void);
SWTEE_TA_EXPORT void TA_DestroyEntryPoint(void);
SWTEE_TA_EXPORT TEE_Result TA_OpenSessionEntryPoint(uint32_t paramTypes,
                                                    TEE_Param params[TEE_NUM_PARAMS],
                                                    void **sessionContext);
SWTEE_TA_EXPORT void TA_CloseSessionEntryPoint(void *sessionContext);
SWTEE_TA_EXPORT TEE_Result TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID,
                                                      uint32_t paramTypes,
                                                      TEE_Param params[TEE_NUM_PARAMS]);

SWTEE_TA_EXPORT TEE_Result __GP11_TA_OpenSessionEntryPoint(uint32_t paramTypes,
                                                           __GP11_TEE_Param params[TEE_NUM_PARAMS],
                                                           void **sessionContext);
SWTEE_TA_EXPORT TEE_Result __GP11_TA_InvokeCommandEntryPoint(void *sessionContext, uint32_t commandID,
                                                             uint32_t paramTypes,
                                                             __GP11_TEE_Param params[TEE_NUM_PARAMS]);

#ifdef __cplusplus
}
#endif

#endif /* SWTEE_TEE_TA_API_H */

/* Outside the guard on purpose: whichever SDK header a TA includes first, the
 * full API (and, in GP 1.1 mode, the name mapping) follows every prototype. */
#include "tee_internal_api.h"
