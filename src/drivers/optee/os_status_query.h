// swteed's own client of swtee-os's stats PTA, for `swtee status`: like an
// in-kernel TEE client of Linux, it opens a session with login REE_KERNEL
// (which the core refuses to every client, so the PTA knows the caller is
// swteed), invokes STATUS (protocol/os_status_wire.h) into a driver-owned
// shm, and closes the session again. Queries are serialised; the shm is
// registered once and kept for the driver's life.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "core/shm.h"
#include "drivers/optee/driver_core.h"

namespace swtee::optee {

class OsStatusQuery {
 public:
  explicit OsStatusQuery(DriverCore& core) : core_(core) {}
  OsStatusQuery(const OsStatusQuery&) = delete;
  OsStatusQuery& operator=(const OsStatusQuery&) = delete;

  // The report's bytes, already checked with osstat::decode. ENOTCONN when
  // the trusted OS is down; EIO naming the GP result when it refused;
  // EPROTO when it answered nonsense.
  Result<std::vector<uint8_t>> run() EXCLUDES(mu_);

 private:
  // The report buffer, created and registered on first use.
  Result<uint64_t> buffer_cookie() REQUIRES(mu_);

  DriverCore& core_;
  Mutex mu_;
  std::shared_ptr<core::Shm> buf_ GUARDED_BY(mu_);
};

}  // namespace swtee::optee
