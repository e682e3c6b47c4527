/* Compile-only check: an OP-TEE style TA against the swtee SDK headers, in
 * GP 1.3.1 mode and (with __OPTEE_CORE_API_COMPAT_1_1=1) GP 1.1 mode. */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>
#include <tee_api.h>
#include <tee_ta_api.h>
#include <user_ta_header.h>
#include <utee_defines.h>
#include <util.h>
#include <atomic.h>
#include <swtee_ta_info.h>
#include <string.h>
#include <types_ext.h>
#include <string_ext.h>
#include <pta_system.h>
#include <trace.h>

/* OP-TEE's include chains: these come without including <inttypes.h> or
 * <stdio.h> (tee_api_types.h and tee_internal_api_extensions.h bring them). */
const char *const check_pri = PRIu32 PRIx64 PRIxVA;
int (*const check_snprintf)(char *, size_t, const char *, ...) = snprintf;
const TEE_UUID check_system_pta = PTA_SYSTEM_UUID;

#if __OPTEE_CORE_API_COMPAT_1_1
typedef uint32_t size_type;
SWTEE_STATIC_ASSERT(sizeof(TEE_Param) == sizeof(__GP11_TEE_Param), "GP11 param in compat");
SWTEE_STATIC_ASSERT(sizeof(TEE_ObjectInfo) == 28, "GP11 object info in compat");
#else
typedef size_t size_type;
#endif

static uint32_t counter;

TEE_Result TA_CreateEntryPoint(void) {
  DMSG("has been called");
  return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void) { DMSG("has been called"); }

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types, TEE_Param params[4], void **sess_ctx) {
  uint32_t exp = TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
                                 TEE_PARAM_TYPE_NONE);
  (void)params;
  (void)sess_ctx;
  if (param_types != exp) return TEE_ERROR_BAD_PARAMETERS;
  IMSG("Hello World!\n");
  return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx) {
  (void)sess_ctx;
  IMSG("Goodbye!\n");
}

static TEE_Result digest(TEE_Param *p) {
  TEE_OperationHandle op = TEE_HANDLE_NULL;
  uint8_t out[TEE_MAX_HASH_SIZE];
  size_type out_len = sizeof(out);
  TEE_Result res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
  if (res != TEE_SUCCESS) return res;
  res = TEE_DigestDoFinal(op, p->memref.buffer, p->memref.size, out, &out_len);
  TEE_FreeOperation(op);
  DHEXDUMP(out, out_len);
  return res;
}

static TEE_Result storage(void) {
  TEE_ObjectHandle obj;
  TEE_ObjectInfo info;
  TEE_Attribute attr;
  size_type n = 0;
  char buf[16];
  TEE_Result res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE_REE, "id", 2,
                                              TEE_DATA_FLAG_ACCESS_WRITE | TEE_DATA_FLAG_ACCESS_READ,
                                              TEE_HANDLE_NULL, NULL, 0, &obj);
  if (res) return res;
  TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, buf, sizeof(buf));
  TEE_GetObjectInfo1(obj, &info);
  res = TEE_ReadObjectData(obj, buf, sizeof(buf), &n);
  (void)TEE_SeekObjectData(obj, -1, TEE_DATA_SEEK_END);
  TEE_CloseObject(obj);
  (void)TEE_CacheFlush(buf, sizeof(buf));
  return res;
}

static void bigint(void) {
  TEE_BigInt a[TEE_BigIntSizeInU32(256)];
  uint8_t o[32];
  size_type olen = sizeof(o);
  TEE_BigIntInit(a, TEE_BigIntSizeInU32(256));
  (void)TEE_BigIntConvertToOctetString(o, &olen, a);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id, uint32_t param_types,
                                      TEE_Param params[4]) {
  (void)sess_ctx;
  (void)param_types;
  switch (cmd_id) {
    case 0:
      params[0].value.a = atomic_inc32(&counter);
      return TEE_SUCCESS;
    case 1:
      return digest(&params[0]);
    case 2:
      bigint();
      return storage();
    default:
      EMSG("bad cmd %u", (unsigned)cmd_id);
      TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
  }
}

size_t header_check_use(void);
size_t header_check_use(void) {
  return ROUNDUP(MIN(3u, 5u), 4u) + ARRAY_SIZE(((int[3]){0})) + strlen("x");
}
