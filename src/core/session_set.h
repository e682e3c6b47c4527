// The session ids a driver returned to one context. Invoke, cancel and close
// for an id not in this set fail with EINVAL before the driver is called.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/id_table.h"
#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/uuid.h"
#include "core/uid_quotas.h"

namespace swtee::core {

class SessionSet {
 public:
  // `device_total` counts sessions over all contexts of the device (status).
  SessionSet(uint32_t max, std::atomic<uint32_t>& device_total) : device_total_(device_total), ids_(max) {}
  SessionSet(const SessionSet&) = delete;
  SessionSet& operator=(const SessionSet&) = delete;

  // ENOSPC when full (checked before opening, so a full context never gets a
  // session it cannot record).
  Status check_room() const EXCLUDES(mu_);
  // EEXIST if the driver returned an id this context already has; EINVAL for
  // session 0, which no driver returns for an open session. `ta`: the TA
  // it was opened to (call trace); `charges`: the session's place in its
  // uid's shares, held until it is removed.
  Status add(uint32_t session, const Uuid& ta = {}, std::vector<QuotaCharge> charges = {}) EXCLUDES(mu_);
  bool contains(uint32_t session) const EXCLUDES(mu_);
  // The TA a session was opened to (call trace); nullopt if not open.
  std::optional<Uuid> ta_of(uint32_t session) const EXCLUDES(mu_);
  // Removes; false if it was not there.
  bool remove(uint32_t session) EXCLUDES(mu_);
  std::vector<uint32_t> take_all() EXCLUDES(mu_);
  uint32_t size() const EXCLUDES(mu_);

 private:
  std::atomic<uint32_t>& device_total_;
  mutable Mutex mu_;
  struct Entry {
    Uuid ta;
    std::vector<QuotaCharge> charges;
  };
  IdTable<uint32_t, Entry> ids_ GUARDED_BY(mu_);
};

}  // namespace swtee::core
