/* Opens a session to the hello_world TA and, while it is open, finds the TA
 * process in /proc: prints "pid <pid>", "comm <comm>" and "cmdline <cmdline>"
 * of the process whose command line names the TA. Exit 0 when one was found.
 *
 * With --wait-for FILE (the gdb recipe, tests/ops/debug_gdb_test.sh) it then
 * waits until FILE exists, invokes command 0 (increment 42) and prints
 * "value <v>" before closing. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>
#include <unistd.h>

static const TEEC_UUID kHello = {0x8aaaf200, 0x2450, 0x11e4, {0xab, 0xe2, 0x00, 0x02, 0xa5, 0xd5, 0xc5, 0x1b}};

static int read_file(const char *path, char *buf, size_t len) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, len - 1, f);
  fclose(f);
  for (size_t i = 0; i < n; i++)
    if (buf[i] == '\0') buf[i] = ' ';
  while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\n')) n--;
  buf[n] = '\0';
  return (int)n;
}

int main(int argc, char **argv) {
  const char *wait_for = argc == 3 && strcmp(argv[1], "--wait-for") == 0 ? argv[2] : NULL;
  TEEC_Context ctx;
  TEEC_Session sess;
  uint32_t origin = 0;
  if (TEEC_InitializeContext(NULL, &ctx) != TEEC_SUCCESS) return 2;
  TEEC_Result r = TEEC_OpenSession(&ctx, &sess, &kHello, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
  if (r != TEEC_SUCCESS) {
    fprintf(stderr, "open session: 0x%08x\n", r);
    return 2;
  }
  int found = 0;
  DIR *d = opendir("/proc");
  struct dirent *e;
  while (d && (e = readdir(d)) != NULL) {
    char path[300], cmd[512], comm[64];
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof(path), "/proc/%s/cmdline", e->d_name);
    if (read_file(path, cmd, sizeof(cmd)) <= 0) continue;
    if (strncmp(cmd, "swtee-ta 8aaaf200-2450-11e4-abe2-0002a5d5c51b", 45) != 0) continue;
    snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
    if (read_file(path, comm, sizeof(comm)) < 0) continue;
    printf("pid %s\ncomm %s\ncmdline %s\n", e->d_name, comm, cmd);
    found = 1;
  }
  if (d) closedir(d);
  fflush(stdout);
  if (found && wait_for) {
    while (access(wait_for, F_OK) != 0) usleep(20000);
    TEEC_Operation op = {0};
    op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
    op.params[0].value.a = 42;
    r = TEEC_InvokeCommand(&sess, 0, &op, &origin);
    printf("invoke 0x%08x value %u\n", r, op.params[0].value.a);
  }
  TEEC_CloseSession(&sess);
  TEEC_FinalizeContext(&ctx);
  return found ? 0 : 1;
}
