// A context: one connection to a device socket, as one open() of /dev/teeN.
//
// This header is the part of Context that drivers may use. The core owns
// contexts; a driver sees them only inside op calls and must not keep a
// Context& past release().
#pragma once

#include <cstdint>
#include <memory>

#include "common/result.h"
#include "common/seqpacket.h"
#include "core/tee_driver.h"

namespace swtee::core {

class Shm;
class ContextImpl;

class Context {
 public:
  virtual ~Context() = default;

  // Unique for the life of the daemon; never reused.
  virtual uint64_t id() const = 0;
  // Who connected, as SO_PEERCRED reported at accept time.
  virtual const PeerCred& peer() const = 0;
  virtual const DeviceDesc& device() const = 0;
  // The guest this context belongs to (core/guest_table.h): 0
  // (kHostGuestId) for the host's own local clients, else the id the host
  // learned from the guest's transport. Fixed for the context's life.
  virtual uint32_t guest_id() const = 0;
  // Whatever the driver's open() returned (may be null).
  virtual DriverContextData* driver_data() const = 0;
  // Looks up a shm id owned by this context and returns a counted reference.
  // An id of another context, a released id or an unknown id: EINVAL.
  virtual Result<std::shared_ptr<Shm>> shm_get(int id) = 0;
};

}  // namespace swtee::core
