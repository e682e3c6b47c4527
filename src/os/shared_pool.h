// A pool of swtee-os split per uid (docs/architecture.md, "Per-uid
// shares"): a partition's live TA instances, the invoke_tests PTA's
// pending waits. One common/uid_shares.h table (the same accounting as
// swteed's pools) with a global limit and a uid's share of it; the uid is
// the opener's, as swteed's driver tells it (protocol/opener_uid.h). A
// taker without a uid (a guest's client, a foreign driver) is held to the
// global limit only.
//
// Every refusal is counted (status(): `swtee status`) and logged once per
// burst: the first refusal after kQuietGap without any logs a line naming
// the pool, the uid and the limit; the refusals that follow it closer than
// kQuietGap are counted only, and the next burst's line says how many the
// burst before it had. A client retrying in a loop thus costs one line.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "common/uid_shares.h"
#include "protocol/os_status_wire.h"

namespace swtee::os {

class SharedPool {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kQuietGap = std::chrono::seconds(10);

  // `name`: the pool in log lines ("TA instances"). `now`: the clock (tests).
  SharedPool(std::string name, ShareLimit limit, std::function<Clock::time_point()> now = Clock::now)
      : name_(std::move(name)), shares_(UidShares::create(limit)), now_(std::move(now)) {}
  SharedPool(const SharedPool&) = delete;
  SharedPool& operator=(const SharedPool&) = delete;

  // One unit for `uid`. Refused: kShareUsedUp or kPoolFull (counted; logged
  // as above); the caller answers with its GP error.
  Result<ShareCharge> take(std::optional<uint32_t> uid) EXCLUDES(mu_);

  uint64_t used() const { return shares_->total(); }
  uint64_t used_by(uint32_t uid) const { return shares_->used(uid); }
  const ShareLimit& limit() const { return shares_->limit(); }
  // Lines logged so far (tests).
  uint64_t lines_logged() const { return lines_.load(std::memory_order_relaxed); }
  osstat::PoolStatus status() const;

 private:
  void refused(std::optional<uint32_t> uid, int code) EXCLUDES(mu_);

  const std::string name_;
  const std::shared_ptr<UidShares> shares_;
  const std::function<Clock::time_point()> now_;
  std::atomic<uint64_t> refused_share_{0};
  std::atomic<uint64_t> refused_full_{0};
  std::atomic<uint64_t> lines_{0};
  Mutex mu_;
  std::optional<Clock::time_point> last_refusal_ GUARDED_BY(mu_);
  uint64_t in_burst_ GUARDED_BY(mu_) = 0;  // refusals of the current burst
};

}  // namespace swtee::os
