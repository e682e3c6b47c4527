// A registered device: its descriptor, the optional ops its driver has
// (recorded once at registration), its shm id table and status counters.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "common/result.h"
#include "core/call_stats.h"
#include "core/guest_table.h"
#include "core/limits.h"
#include "core/shm_registry.h"
#include "core/tee_driver.h"
#include "core/uid_quotas.h"

namespace swtee::core {

class Device {
 public:
  // EINVAL: no ops, a name that is empty, too long or not a plain file
  // name, optional_ops() with unknown bits, or only one of the two guest ops.
  static Result<std::unique_ptr<Device>> create(const DeviceDesc& desc, const CoreLimits& limits);
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const DeviceDesc& desc() const { return desc_; }
  TeeDriver& driver() const { return *desc_.ops; }
  bool has(OptionalOp op) const { return (optional_ops_ & static_cast<uint32_t>(op)) != 0; }
  const CoreLimits& limits() const { return limits_; }
  ShmRegistry& shms() { return shms_; }
  UidQuotas& quotas() { return *quotas_; }
  const ShmRegistry& shms() const { return shms_; }
  // The guests announced on this device (empty unless the driver has the
  // guest ops).
  GuestTable& guests() { return guests_; }
  const GuestTable& guests() const { return guests_; }

  // The driver's version with the core's adjustments: PRIVILEGED added for
  // privileged devices; REG_MEM removed (the core cannot pin another
  // process's pages, SHM_REGISTER always fails).
  VersionInfo version() const;

  CallStats& calls() { return calls_; }
  const CallStats& calls() const { return calls_; }
  std::atomic<uint32_t> contexts{0};
  std::atomic<uint32_t> sessions{0};

 private:
  Device(const DeviceDesc& desc, uint32_t optional_ops, const CoreLimits& limits)
      : desc_(desc),
        optional_ops_(optional_ops),
        limits_(limits),
        quotas_(std::make_shared<UidQuotas>(pool_limits(
            limits.max_contexts_per_device, limits.max_shms, limits.max_shm_bytes, limits.max_sessions,
            limits.max_sessions_per_ta, limits.max_slots, limits.uid_share_percent))),
        shms_(limits.max_shms_per_context, ShmRegistry::kMaxLive, quotas_.get()) {}

  const DeviceDesc desc_;
  const uint32_t optional_ops_;
  const CoreLimits limits_;
  std::shared_ptr<UidQuotas> quotas_;  // before shms_ (charges share its pools)
  ShmRegistry shms_;
  CallStats calls_;
  GuestTable guests_;
};

}  // namespace swtee::core
