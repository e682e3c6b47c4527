/* without_landlock CMD [ARGS...]: runs CMD as on a kernel without Landlock.
 * A seccomp filter makes the three Landlock system calls fail with ENOSYS,
 * which is what a kernel built without Landlock answers; every process CMD
 * starts inherits it. Everything else is allowed. */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s CMD [ARGS...]\n", argv[0]);
    return 2;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  const int calls[] = {SYS_landlock_create_ruleset, SYS_landlock_add_rule, SYS_landlock_restrict_self};
  int rc = ctx == NULL ? -ENOMEM : 0;
  for (size_t i = 0; rc == 0 && i < sizeof(calls) / sizeof(calls[0]); ++i)
    rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), calls[i], 0);
  if (rc == 0) rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc != 0) {
    fprintf(stderr, "without_landlock: seccomp: %s\n", strerror(-rc));
    return 1;
  }
  execvp(argv[1], argv + 1);
  fprintf(stderr, "without_landlock: %s: %s\n", argv[1], strerror(errno));
  return 127;
}
