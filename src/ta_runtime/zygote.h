// The zygote: swtee-ta-host --zygote. Exec'd once by the TA manager with
// the control socket on fd 3. Pre-initialises what every TA needs (OpenSSL:
// config, default + legacy providers, a primed DRBG), then forks one TA
// process per Spawn request (zygote_wire.h) and reaps them. It dies with
// swtee-os (PDEATHSIG) and its TA children die with it.
#pragma once

namespace swtee::ta {

struct ZygoteOptions {
  // On a kernel without Landlock (landlock.h), TA processes still start,
  // with a TA's ELF constructors able to read any file the stack's user can
  // (docs/sandbox.md). Without this, such a kernel fails every TA process
  // at its hello (SandboxFailed): the sandbox fails closed.
  bool allow_without_landlock = false;
};

// Serves `control_fd` until EOF. Returns the process exit status.
int run_zygote(int control_fd, const ZygoteOptions& opt);

}  // namespace swtee::ta
