/* debug_client UUID CMD VALUE: opens a session to the TA, invokes CMD with a
 * VALUE_INOUT parameter {VALUE, 0} and prints "result 0x<r> origin <o>
 * value <a>" (the debugging recipes, docs/debugging.md).
 * debug_client hold UUID N [UUID N]...: opens N sessions to each TA on one
 * context, prints "ready" and holds them until it is killed (swtee status). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_client_api.h>
#include <unistd.h>

#define MAX_HELD 16

static int parse_uuid(const char *s, TEEC_UUID *u) {
  unsigned int b[8];
  if (sscanf(s, "%8x-%4hx-%4hx-%2x%2x-%2x%2x%2x%2x%2x%2x", &u->timeLow, &u->timeMid, &u->timeHiAndVersion, &b[0],
             &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]) != 11)
    return -1;
  for (int i = 0; i < 8; i++) u->clockSeqAndNode[i] = (uint8_t)b[i];
  return 0;
}

static int hold(int argc, char **argv) {
  static TEEC_Session sess[MAX_HELD];
  TEEC_Context ctx;
  int n = 0;
  if (argc < 2 || argc % 2 != 0) return 2;
  if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS) return 2;
  for (int a = 0; a + 1 < argc; a += 2) {
    TEEC_UUID uuid;
    if (parse_uuid(argv[a], &uuid) != 0) return 2;
    for (long k = strtol(argv[a + 1], NULL, 0); k > 0; k--) {
      uint32_t origin = 0;
      if (n == MAX_HELD) return 2;
      TEEC_Result r = TEEC_OpenSession(&ctx, &sess[n], &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
      if (r != TEEC_SUCCESS) {
        printf("open %s: 0x%08x origin %u\n", argv[a], r, origin);
        return 1;
      }
      n++;
    }
  }
  printf("ready\n");
  fflush(stdout);
  for (;;) pause();
}

int main(int argc, char **argv) {
  TEEC_UUID uuid;
  if (argc > 1 && strcmp(argv[1], "hold") == 0) return hold(argc - 2, argv + 2);
  if (argc != 4 || parse_uuid(argv[1], &uuid) != 0) {
    fprintf(stderr, "usage: %s UUID CMD VALUE\n", argv[0]);
    return 2;
  }
  TEEC_Context ctx;
  TEEC_Session sess;
  uint32_t origin = 0;
  if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS) return 2;
  TEEC_Result r = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
  if (r != TEEC_SUCCESS) {
    printf("open 0x%08x origin %u\n", r, origin);
    TEEC_FinalizeContext(&ctx);
    return 1;
  }
  TEEC_Operation op = {0};
  op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
  op.params[0].value.a = (uint32_t)strtoul(argv[3], NULL, 0);
  r = TEEC_InvokeCommand(&sess, (uint32_t)strtoul(argv[2], NULL, 0), &op, &origin);
  printf("result 0x%08x origin %u value %u\n", r, origin, op.params[0].value.a);
  TEEC_CloseSession(&sess);
  TEEC_FinalizeContext(&ctx);
  return r == TEEC_SUCCESS ? 0 : 1;
}
