// The zygote: swtee-ta-host --zygote. Exec'd once by the TA manager with
// the control socket on fd 3. Pre-initialises what every TA needs (OpenSSL:
// config, default + legacy providers, a primed DRBG), then forks one TA
// process per Spawn request (zygote_wire.h) and reaps them. It dies with
// swtee-os (PDEATHSIG) and its TA children die with it.
#pragma once

namespace swtee::ta {

// Serves `control_fd` until EOF. Returns the process exit status.
int run_zygote(int control_fd);

}  // namespace swtee::ta
