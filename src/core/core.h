// The generic TEE core: devices, contexts (connections), sessions and shared
// memory, served over one SOCK_SEQPACKET socket per device. No singletons:
// main() creates a Core, adds its devices, starts it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "core/connection.h"
#include "core/device.h"
#include "core/limits.h"
#include "core/os_thread.h"

namespace swtee::core {

struct DeviceSnapshot {
  std::string name;
  bool privileged = false;
  VersionInfo version;
  uint32_t contexts = 0;
  uint32_t sessions = 0;
  uint32_t shms = 0;
};

struct DeviceCalls {
  std::string name;
  CallStats::Snapshot calls;
};

struct CoreCounters {
  uint64_t contexts_opened = 0;
  uint64_t contexts_refused = 0;  // limit reached or driver open() failed
};

class Core final : private ConnectionOwner {
 public:
  static Result<std::unique_ptr<Core>> create(const CoreLimits& limits = {});
  // Stops if running and waits for every context to be torn down.
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;

  // Registers a device (validates its ops, records its optional ops) and
  // listens on <runtime_dir>/<name>: mode 0666, or 0600 for a privileged
  // device. Only before start(). EEXIST for a duplicate name.
  Status add_device(const DeviceDesc& desc, const std::string& runtime_dir) EXCLUDES(mu_);
  // The same on a socket that already listens (socket activation: the
  // service manager made it and keeps it; stop() closes but never unlinks it).
  Status add_device_listener(const DeviceDesc& desc, UniqueFd listener) EXCLUDES(mu_);
  // Starts accepting connections on every device socket.
  Status start() EXCLUDES(mu_);
  // Stops accepting, removes the sockets, disconnects every client and
  // waits up to `grace` for their calls to return and their contexts to be
  // released. False if some are still running: their threads still use the
  // drivers, which then must not be destroyed (swteed exits instead).
  bool stop(std::chrono::milliseconds grace) EXCLUDES(mu_);

  // Serves an already connected socket as a new context of `device` (tests,
  // socket activation, a host's guest acceptor). The peer's credentials
  // come from the socket. `guest_id`: the guest the context belongs to
  // (core/guest_table.h), which must be live on the device (ENOENT); 0 is
  // the host's own clients. A guest's context takes the client identity of
  // its open-sessions as the guest's core computed it (core/login.h:
  // guest_client_uuid), so only an in-process acceptor that learned the
  // guest from its transport may adopt guest contexts.
  Status adopt(const std::string& device, UniqueFd sock, uint32_t guest_id = kHostGuestId) EXCLUDES(mu_);

  // Guests (core/guest_table.h, the driver's guest ops in tee_driver.h).
  // guest_created announces guest `guest_id` on `device`: the driver's
  // guest_created op runs first, and only when it succeeds may contexts of
  // the guest be adopted. ENODEV (no such device), ENOTSUP (its driver has
  // no guest ops), EINVAL (id 0), EEXIST (live), EBUSY (contexts of the
  // guest's previous arrival are still being torn down), or the driver's
  // error.
  Status guest_created(const std::string& device, uint32_t guest_id) EXCLUDES(mu_, guests_mu_);
  // The guest left: no context of it may be adopted any more, its
  // connections are disconnected, the driver's guest_destroyed op drops
  // everything the guest held in the TEE (so calls still running end
  // promptly), then this waits up to `grace` for the guest's contexts to be
  // torn down. ENOENT (not live), ETIMEDOUT (some contexts remain; they go
  // on their own, and the id cannot be created again until they have).
  Status guest_destroyed(const std::string& device, uint32_t guest_id, std::chrono::milliseconds grace)
      EXCLUDES(mu_, guests_mu_);

  std::vector<DeviceSnapshot> snapshot() const EXCLUDES(mu_);
  // Call counters and calls in flight of every device (swtee status).
  std::vector<DeviceCalls> call_snapshot() const;
  CoreCounters counters() const EXCLUDES(mu_);

 private:
  struct DeviceEntry {
    std::unique_ptr<Device> dev;
    UniqueFd listener;
    std::string path;  // empty for an inherited (socket-activated) listener
  };
  Status add_device_entry(const DeviceDesc& desc, std::string path, UniqueFd listener) EXCLUDES(mu_);

  explicit Core(const CoreLimits& limits, UniqueFd wake) : limits_(limits), wake_(std::move(wake)) {}
  void accept_loop();
  Status adopt_on(DeviceEntry& d, UniqueFd sock, uint32_t guest_id = kHostGuestId) EXCLUDES(mu_);
  Result<Device*> guest_device(const std::string& name) const;
  void connection_finished(uint64_t context_id) override EXCLUDES(mu_);

  const CoreLimits limits_;
  UniqueFd wake_;  // eventfd: wakes the acceptor for stop()
  // Devices are added before start() and never removed: the vector is not
  // modified while the acceptor or any connection runs.
  std::vector<std::unique_ptr<DeviceEntry>> devices_;
  OsThread acceptor_;

  // Serialises guest arrivals and departures (taken before mu_).
  Mutex guests_mu_;
  mutable Mutex mu_;
  CondVar drained_;
  bool started_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  uint64_t next_context_id_ GUARDED_BY(mu_) = 1;
  std::unordered_map<uint64_t, std::shared_ptr<Connection>> connections_ GUARDED_BY(mu_);
  CoreCounters counters_ GUARDED_BY(mu_);
};

}  // namespace swtee::core
