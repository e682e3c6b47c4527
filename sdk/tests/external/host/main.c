/* Host side of the external SDK check: opens a session to external_ta. */
#include <stdio.h>
#include <tee_client_api.h>

int main(void) {
  TEEC_Context ctx;
  TEEC_Session sess;
  TEEC_UUID uuid = {0x2d6b3c1e, 0x7f40, 0x4a8e, {0x9c, 0x55, 0x0b, 0x1e, 0x2f, 0x3a, 0x4d, 0x5c}};
  TEEC_Operation op = {0};
  uint32_t origin = 0;
  TEEC_Result res = TEEC_InitializeContext(NULL, &ctx);
  if (res != TEEC_SUCCESS) {
    fprintf(stderr, "TEEC_InitializeContext: 0x%x\n", res);
    return 1;
  }
  res = TEEC_OpenSession(&ctx, &sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
  if (res == TEEC_SUCCESS) {
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    op.params[0].value.a = 21;
    res = TEEC_InvokeCommand(&sess, 0, &op, &origin);
    printf("result 0x%x value %u\n", res, op.params[0].value.a);
    TEEC_CloseSession(&sess);
  } else {
    fprintf(stderr, "TEEC_OpenSession: 0x%x origin %u\n", res, origin);
  }
  TEEC_FinalizeContext(&ctx);
  return res == TEEC_SUCCESS ? 0 : 1;
}
