// How the supplicant talks to the driver: SUPPL_RECV / SUPPL_SEND and its own
// shm allocations. The real implementation speaks the UAPI to swteed
// (uapi_transport.h); tests substitute a fake.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "common/unique_fd.h"
#include "swtee/uapi/tee.h"

namespace swtee::supp {

// One SUPPL_RECV result or SUPPL_SEND argument: `code` is the RPC function
// (recv) or the TEEC_Result (send); params as struct tee_ioctl_param.
struct SuppMessage {
  uint32_t code = 0;
  std::vector<tee_ioctl_param> params;
};

struct ShmAllocation {
  int32_t id = -1;
  UniqueFd memfd;
  uint64_t size = 0;
};

class SuppTransport {
 public:
  virtual ~SuppTransport() = default;
  // Blocks for the next request. `offered` are the param slots the
  // supplicant passes in (the first NONE|META to announce async mode).
  // An ioctl failure comes back as Error{-rc}; so does a dead transport.
  virtual Result<SuppMessage> recv(std::span<const tee_ioctl_param> offered) = 0;
  virtual Status send(const SuppMessage& reply) = 0;
  // TEE_IOC_SHM_ALLOC in the supplicant's own context; the memfd comes along.
  virtual Result<ShmAllocation> shm_alloc(uint64_t size) = 0;
  // SWTEE_IOC_SHM_RELEASE: drops the context's reference to the id.
  virtual Status shm_release(int32_t id) = 0;
  // Makes every blocked and future recv() fail; used to stop the workers.
  virtual void shutdown() = 0;
};

}  // namespace swtee::supp
