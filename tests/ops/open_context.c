/* Opens and closes a TEE context on $SWTEE_RUNTIME_DIR's tee0; exit 0 on
 * success (ops tests: is this daemon serving clients?). */
#include <stdio.h>
#include <tee_client_api.h>

int main(void) {
  TEEC_Context ctx;
  TEEC_Result r = TEEC_InitializeContext(NULL, &ctx);
  if (r != TEEC_SUCCESS) {
    fprintf(stderr, "TEEC_InitializeContext: 0x%08x\n", r);
    return 1;
  }
  TEEC_FinalizeContext(&ctx);
  printf("context OK\n");
  return 0;
}
