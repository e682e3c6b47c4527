// The core's side of a context: identity from the socket, the device, the
// driver's per-context data, and the sessions the driver opened for it.
#pragma once

#include <sys/types.h>

#include <memory>
#include <vector>

#include "core/context.h"
#include "core/device.h"
#include "core/session_set.h"

namespace swtee::core {

class ContextImpl final : public Context {
 public:
  // `guest`: the context's hold on its guest (Device::guests().attach());
  // default: the host's own clients (guest 0).
  ContextImpl(uint64_t id, const PeerCred& peer, std::vector<gid_t> groups, Device& dev, GuestRef guest = {})
      : id_(id),
        guest_id_(guest.id()),
        peer_(peer),
        groups_(std::move(groups)),
        dev_(dev),
        sessions_(dev.limits().max_sessions_per_context, dev.sessions),
        guest_(std::move(guest)) {}

  uint64_t id() const override { return id_; }
  const PeerCred& peer() const override { return peer_; }
  const DeviceDesc& device() const override { return dev_.desc(); }
  uint32_t guest_id() const override { return guest_id_; }
  DriverContextData* driver_data() const override { return driver_data_.get(); }
  Result<std::shared_ptr<Shm>> shm_get(int id) override { return dev_.shms().get(this, id); }

  Device& dev() { return dev_; }
  // Supplementary groups of the peer at connect time (SO_PEERGROUPS).
  const std::vector<gid_t>& groups() const { return groups_; }
  SessionSet& sessions() { return sessions_; }
  // This context's place in its uid's connection share.
  void hold(QuotaCharge c) { charge_ = std::move(c); }
  // Whether NULL memrefs are accepted: the driver's MEMREF_NULL capability
  // as it was when the context opened.
  bool memref_null_ok() const { return memref_null_ok_; }

  // Set once by the core after the driver's open(); reset after release().
  void attach_driver_data(std::unique_ptr<DriverContextData> d, bool memref_null_ok) {
    driver_data_ = std::move(d);
    memref_null_ok_ = memref_null_ok;
  }
  void drop_driver_data() { driver_data_.reset(); }
  // Gives back what this context holds of its device (its guest's count of
  // contexts, its place in the uid's connection share), after the driver
  // data: once the core has heard that the connection finished, the
  // device may go while a serving thread still holds the context.
  void leave_device() {
    guest_.reset();
    charge_.reset();
  }

 private:
  const uint64_t id_;
  const uint32_t guest_id_;
  const PeerCred peer_;
  const std::vector<gid_t> groups_;
  Device& dev_;
  SessionSet sessions_;
  // Released last (after the driver data, leave_device()): the guest's
  // count of contexts drops only once this context is entirely gone.
  GuestRef guest_;
  QuotaCharge charge_;
  std::unique_ptr<DriverContextData> driver_data_;
  bool memref_null_ok_ = false;
};

}  // namespace swtee::core
