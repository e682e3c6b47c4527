// swtee-ta-host: the TA zygote and, after fork, every TA process image.
// libswtee-ta is linked in whole and its symbols exported (-rdynamic), so
// the TAs it dlopens resolve TEE_* against it.
#include <cstdio>
#include <cstring>

#include "common/version.h"
#include "ta_runtime/process_title.h"
#include "ta_runtime/zygote.h"

int main(int argc, char** argv) {
  swtee::ta::process_title::init(argc, argv);
  // --zygote [--allow-without-landlock]: see zygote.h.
  if (argc >= 2 && std::strcmp(argv[1], "--zygote") == 0) {
    swtee::ta::ZygoteOptions opt;
    bool understood = true;
    for (int i = 2; i < argc; ++i) {
      if (std::strcmp(argv[i], "--allow-without-landlock") == 0)
        opt.allow_without_landlock = true;
      else
        understood = false;
    }
    if (understood) return swtee::ta::run_zygote(3, opt);
  }
  if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("swtee-ta-host %s\n", swtee::kVersion);
    return 0;
  }
  // Name what was not understood, as every swtee program does.
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--zygote") != 0 && std::strcmp(argv[i], "--version") != 0 &&
        std::strcmp(argv[i], "--allow-without-landlock") != 0) {
      std::fprintf(stderr, "unknown argument: %s\n", argv[i]);
      break;
    }
  }
  std::fprintf(stderr,
               "usage: %s --zygote [--allow-without-landlock]\n"
               "The TA host is started by swtee-os with its control socket on fd 3.\n",
               argc > 0 ? argv[0] : "swtee-ta-host");
  return 2;
}
