// The OP-TEE driver: probes swtee-os over the conduit and registers two
// devices with the core, tee0 (clients) and teepriv0 (the supplicant).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "core/tee_driver.h"

namespace swtee::optee {

struct OpteeConfig {
  std::string os_binary;             // path of swtee-os
  std::vector<std::string> os_args;  // extra arguments for swtee-os
  unsigned threads = 4;              // secure threads in swtee-os
  unsigned channels = 8;             // normal-world "CPUs" (> threads)
  // The HUK file (protocol/conduit.h, fd 5+C): passed to swtee-os as an
  // inherited fd with --huk-fd; -1: none. The caller keeps its fd.
  int huk_fd = -1;
};

class OpteeDriver {
 public:
  virtual ~OpteeDriver() = default;
  // Spawns swtee-os, checks the API UID and revision, exchanges capabilities.
  static Result<std::unique_ptr<OpteeDriver>> probe(const OpteeConfig& cfg);
  virtual core::TeeDriver& client_ops() = 0;  // for tee0
  virtual core::TeeDriver& supp_ops() = 0;    // for teepriv0 (privileged)
  // True while swtee-os is alive.
  virtual bool os_alive() const = 0;
  // swtee-os's status report (protocol/os_status_wire.h), checked; for
  // `swtee status` (os_status_query.h).
  virtual Result<std::vector<uint8_t>> os_status() = 0;
};

}  // namespace swtee::optee
