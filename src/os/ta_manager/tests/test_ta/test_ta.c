/* A tiny TA for the TA host tests. Counts its entry-point calls so tests
 * can see instance sharing, and exercises the runtime's GP functions. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#ifdef TEST_TA_HOSTILE_LOADING
#include <sys/prctl.h>
#endif

#include <tee_internal_api.h>
#include <user_ta_header.h>

#include "test_ta.h"

static uint32_t g_creates, g_opens, g_closes, g_live;
static uint32_t g_instance_value;

#ifdef TEST_TA_DIE_LOADING
/* Exits as its image is loaded, before the process's hello: what a TA
 * process killed while loading looks like to the OS. */
__attribute__((constructor)) static void die_while_loading(void) { _exit(3); }
#endif

#ifdef TEST_TA_HOSTILE_LOADING
/* Runs as its image is loaded, under the loader stage of the sandbox:
 * tries what a hostile TA's constructor would, and keeps each errno. */
static uint32_t g_load_tries[5];

static uint32_t errno_of(int rc) { return rc < 0 ? (uint32_t)errno : 0; }

static uint32_t open_errno(const char *path, int flags) {
  int fd = open(path, flags, 0600);
  if (fd < 0) return (uint32_t)errno;
  close(fd);
  return 0;
}

int unshare(int flags); /* <sched.h> declares it only with _GNU_SOURCE */

__attribute__((constructor)) static void try_while_loading(void) {
  g_load_tries[0] = open_errno("/etc/passwd", O_RDONLY | O_CLOEXEC);
  g_load_tries[1] = open_errno("/etc/passwd", O_RDONLY);
  g_load_tries[2] = open_errno("/tmp/swtee-hostile-loader", O_WRONLY | O_CREAT | O_CLOEXEC);
  g_load_tries[3] = errno_of(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
  g_load_tries[4] = errno_of(unshare(0x00020000 /* CLONE_NEWNS */));
}
#endif

TEE_Result TA_CreateEntryPoint(void) {
  g_creates++;
#ifdef TEST_TA_CREATE_FAIL
  return TEE_ERROR_ACCESS_DENIED;  /* any code: the open must carry it */
#else
  return TEE_SUCCESS;
#endif
}

void TA_DestroyEntryPoint(void) {}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types, TEE_Param params[4], void **ctx) {
  if (TEE_PARAM_TYPE_GET(types, 0) == TEE_PARAM_TYPE_VALUE_INPUT && params[0].value.a == TEST_TA_OPEN_REFUSE)
    return TEE_ERROR_ACCESS_DENIED;
  g_opens++;
  g_live++;
  *ctx = (void *)(uintptr_t)g_opens;
  return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *ctx) {
  (void)ctx;
  g_closes++;
  g_live--;
}

static uint32_t memory_checks(void) {
  uint32_t bad = 0;
  uint8_t *p = TEE_Malloc(64, TEE_MALLOC_FILL_ZERO);
  size_t i;
  if (!p) return 1;
  for (i = 0; i < 64; i++)
    if (p[i] != 0) bad |= 2;
  TEE_MemFill(p, 0xA5, 64);
  if (p[0] != 0xA5 || p[63] != 0xA5) bad |= 4;
  p = TEE_Realloc(p, 128);
  if (!p || p[10] != 0xA5) bad |= 8;
  {
    uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};
    if (TEE_MemCompare(a, b, 4) >= 0 || TEE_MemCompare(b, a, 4) <= 0 || TEE_MemCompare(a, a, 4) != 0)
      bad |= 16;
    TEE_MemMove(a + 1, a, 3);
    if (a[1] != 1 || a[3] != 3) bad |= 32;
  }
  if (TEE_Malloc(8, 0x1234) != NULL) bad |= 64;
  TEE_Free(p);
  TEE_Free(NULL);
  return bad;
}

static uint32_t property_checks(void) {
  uint32_t bad = 0, u32 = 0;
  bool flag = true;
  char text[64];
  size_t len = sizeof(text);
  uint8_t blob[8];
  size_t blen = sizeof(blob);
  TEE_UUID uuid;
  TEE_Identity id;
  TEE_PropSetHandle e = TEE_HANDLE_NULL;
  int n = 0;

  if (TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", &u32) || u32 != 32 * 1024) bad |= 1;
  if (TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.singleInstance", &flag) ||
      flag != ((TEST_TA_FLAGS & TA_FLAG_SINGLE_INSTANCE) != 0))
    bad |= 2;
  if (TEE_GetPropertyAsUUID(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID", &uuid) || uuid.clockSeqAndNode[7] != TEST_TA_ID)
    bad |= 4;
  if (TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.version", text, &len) || strcmp(text, "1.0") != 0 ||
      len != 4)
    bad |= 8;
  if (TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "test.u32", &u32) || u32 != 42) bad |= 16;
  if (TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA, "test.blob", blob, &blen) || blen != 5 ||
      memcmp(blob, "hello", 5) != 0)
    bad |= 32;
  len = 2;
  if (TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "test.string", text, &len) != TEE_ERROR_SHORT_BUFFER ||
      len != 6)
    bad |= 64;
  if (TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT, "gpd.client.identity", &id) ||
      id.login != TEE_LOGIN_PUBLIC)
    bad |= 128;
  if (TEE_GetPropertyAsU32(TEE_PROPSET_TEE_IMPLEMENTATION, "gpd.tee.internalCore.version", &u32) ||
      u32 != 0x01030100)
    bad |= 256;
  if (TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "no.such.property", &u32) != TEE_ERROR_ITEM_NOT_FOUND) bad |= 512;
  if (TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "gpd.ta.dataSize", &flag) != TEE_ERROR_BAD_FORMAT) bad |= 1024;
  if (TEE_AllocatePropertyEnumerator(&e)) return bad | 2048;
  TEE_StartPropertyEnumerator(e, TEE_PROPSET_CURRENT_CLIENT);
  do {
    len = sizeof(text);
    if (TEE_GetPropertyName(e, text, &len)) bad |= 4096;
    n++;
  } while (TEE_GetNextProperty(e) == TEE_SUCCESS);
  if (n != 2) bad |= 8192;
  TEE_FreePropertyEnumerator(e);
  return bad;
}

TEE_Result TA_InvokeCommandEntryPoint(void *ctx, uint32_t cmd, uint32_t types, TEE_Param params[4]) {
  (void)ctx;
  switch (cmd) {
    case TEST_CMD_INC:
      if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT, TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
                                   TEE_PARAM_TYPE_NONE))
        return TEE_ERROR_BAD_PARAMETERS;
      params[0].value.a++;
      return TEE_SUCCESS;
#ifdef TEST_TA_HOSTILE_LOADING
    case TEST_CMD_LOADING_TRIES:
      params[0].value.a = g_load_tries[0];
      params[0].value.b = g_load_tries[1];
      params[1].value.a = g_load_tries[2];
      params[1].value.b = g_load_tries[3];
      params[2].value.a = g_load_tries[4];
      return TEE_SUCCESS;
#endif
    case TEST_CMD_COUNTS:
      params[0].value.a = g_creates;
      params[0].value.b = g_opens;
      params[1].value.a = g_closes;
      params[1].value.b = g_live;
      return TEE_SUCCESS;
    case TEST_CMD_PANIC:
      TEE_Panic(TEST_TA_PANIC_CODE);
    case TEST_CMD_REVERSE: {
      size_t n = params[0].memref.size, i;
      const uint8_t *in = params[0].memref.buffer;
      uint8_t *out = params[1].memref.buffer;
      if (params[1].memref.size < n) {
        params[1].memref.size = n;
        return TEE_ERROR_SHORT_BUFFER;
      }
      for (i = 0; i < n; i++) out[i] = in[n - 1 - i];
      params[1].memref.size = n;
      return TEE_SUCCESS;
    }
    case TEST_CMD_WAIT:
      if (params[0].value.b)
        TEE_MaskCancellation();
      else
        TEE_UnmaskCancellation();
      return TEE_Wait(params[0].value.a);
    case TEST_CMD_OPEN_FILE: {
      int fd = open("/etc/passwd", O_RDONLY);
      params[0].value.a = fd >= 0;
      params[0].value.b = fd >= 0 ? 0 : (uint32_t)errno;
      if (fd >= 0) close(fd);
      return TEE_SUCCESS;
    }
    case TEST_CMD_MEMORY:
      params[0].value.a = memory_checks();
      return TEE_SUCCESS;
    case TEST_CMD_INSTANCE_DATA:
      if (params[0].value.a) {
        g_instance_value = params[0].value.a;
        TEE_SetInstanceData(&g_instance_value);
      }
      params[0].value.a = TEE_GetInstanceData() ? *(const uint32_t *)TEE_GetInstanceData() : 0;
      return TEE_SUCCESS;
    case TEST_CMD_FILL:
      TEE_MemFill(params[0].memref.buffer, params[1].value.a, params[0].memref.size);
      DMSG("filled %zu bytes", params[0].memref.size);
      return TEE_SUCCESS;
    case TEST_CMD_PROPERTIES:
      params[0].value.a = property_checks();
      return TEE_SUCCESS;
    default:
      return TEE_ERROR_NOT_SUPPORTED;
  }
}
