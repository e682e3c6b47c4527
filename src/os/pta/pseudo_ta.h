// Pseudo TAs: services built into swtee-os that a client opens by UUID like
// any TA. They run on the secure thread serving the call, inside swtee-os,
// so they must treat their params as hostile (see pta_params.h). PTAs are
// registered explicitly by main() on the SessionRouter.
#pragma once

#include <cstdint>

#include "common/uuid.h"
#include "os/os_types.h"
#include "os/ta_host.h"

namespace swtee::os {

// One open PTA session, as the router keeps it.
struct PtaSession {
  uint32_t id = 0;        // the OPTEE_MSG session id
  ClientIdentity client;  // from the OPEN_SESSION meta params
  uint64_t ctx = 0;       // the PTA's own per-session value
};

class PseudoTa {
 public:
  virtual ~PseudoTa() = default;
  virtual const Uuid& uuid() const = 0;
  virtual const char* name() const = 0;
  // Results carry origin TRUSTED_APP unless the PTA says otherwise.
  virtual GpResult open_session(PtaSession& session, OsParams& params, CallContext& call) {
    return {kTeeSuccess, 0};
  }
  virtual GpResult invoke(const PtaSession& session, uint32_t cmd, OsParams& params, CallContext& call) = 0;
  virtual void close_session(const PtaSession& session) {}
};

}  // namespace swtee::os
