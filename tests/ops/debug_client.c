/* debug_client UUID CMD VALUE: opens a session to the TA, invokes CMD with a
 * VALUE_INOUT parameter {VALUE, 0} and prints "result 0x<r> origin <o>
 * value <a>" (the debugging recipes, docs/debugging.md). */
#include <stdio.h>
#include <stdlib.h>
#include <tee_client_api.h>

static int parse_uuid(const char *s, TEEC_UUID *u) {
  unsigned int b[8];
  if (sscanf(s, "%8x-%4hx-%4hx-%2x%2x-%2x%2x%2x%2x%2x%2x", &u->timeLow, &u->timeMid, &u->timeHiAndVersion, &b[0],
             &b[1], &b[2], &b[3], &b[4], &b[5], &b[6], &b[7]) != 11)
    return -1;
  for (int i = 0; i < 8; i++) u->clockSeqAndNode[i] = (uint8_t)b[i];
  return 0;
}

int main(int argc, char **argv) {
  TEEC_UUID uuid;
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
