// Spare TA processes: for each TA opened lately, processes are forked,
// loaded and sandboxed ahead of time from its verified image, so a cold
// open-session only runs TA_CreateEntryPoint in one (TaInstance::launch /
// create). A TA that gets a new instance per session keeps per_ta spares;
// a SINGLE_INSTANCE TA keeps one (kSparesPerSingleInstanceTa), ready for
// when its instance has gone and it is opened again; a single-instance
// KEEP_ALIVE TA keeps none (its instance stays).
//
// A spare is tied to one VerifiedImage (pointer identity): it is handed out
// only for exactly that image, and when a TA's image changes (or leaves the
// store) its spares are killed. What a spare has done before it is taken:
// fork from the zygote, the loader sandbox, dlopen of the sealed payload
// (the TA's ELF constructors), the TA sandbox, the hello. No GP entry point
// has run. Security is unchanged: the image was verified before the spare
// was launched, and the sandbox is in place before any TA code runs.
//
// Bounds: kSparesPerTa spares per multi-instance TA (SWTEE_TA_SPARES in the environment
// of swtee-os overrides it, 0 turns spares off), kMaxSpares in all (spares are not
// counted as instances); a TA's spares go after its idle expiry without a
// take (TaHostConfig::spare_idle_ms, default kDefaultSpareIdleMs). Refilling runs on one background thread. A
// TA whose spare failed to launch gets no more until it is wanted again.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "common/thread_annotations.h"
#include "os/ta_manager/ta_instance.h"
#include "os/ta_manager/verified_image_cache.h"
#include "os/ta_manager/zygote_client.h"

namespace swtee::os {

inline constexpr size_t kSparesPerTa = 2;
inline constexpr size_t kSparesPerSingleInstanceTa = 1;
inline constexpr size_t kMaxSpares = 4;

// Spares to keep ready for a TA with these signed flags (spare_pool.cc).
size_t spare_target(uint32_t ta_flags, size_t per_ta);

class SparePool {
 public:
  // A TA's spares are killed `idle_expiry` after its last take or want.
  SparePool(ZygoteClient& zygote, size_t per_ta, std::chrono::milliseconds idle_expiry);
  // kSparesPerTa, or SWTEE_TA_SPARES (0..kMaxSpares) when set.
  static size_t per_ta_from_env();
  // Stops the refill thread (waits for a launch in progress) and kills
  // every spare.
  ~SparePool();
  SparePool(const SparePool&) = delete;
  SparePool& operator=(const SparePool&) = delete;

  // A spare launched from exactly `image`, or null. When none is ready but
  // one is being launched, waits for that one: it is further along than a
  // new start would be. The refill starts at the next want(), which the
  // caller makes once its open-session is done (not to compete with it
  // for the CPU).
  std::shared_ptr<TaInstance> take(const std::shared_ptr<const VerifiedImage>& image) EXCLUDES(mu_);
  // Keeps spares of `image` ready from now on; spares of another image of
  // the same TA are killed.
  void want(const std::shared_ptr<const VerifiedImage>& image) EXCLUDES(mu_);
  // Kills the spares of `uuid` and stops refilling them.
  void drop(const Uuid& uuid) EXCLUDES(mu_);

  // Ready spares (introspection, tests).
  size_t ready() const EXCLUDES(mu_);
  std::vector<pid_t> ready_pids() const EXCLUDES(mu_);
  // Spares that became ready since the pool was made, expired ones
  // included (tests).
  size_t launched() const EXCLUDES(mu_);
  // Blocks until no launch is running or pending (tests).
  void wait_idle() EXCLUDES(mu_);

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::shared_ptr<const VerifiedImage> image;
    std::vector<std::shared_ptr<TaInstance>> ready;
    unsigned launching = 0;
    size_t target = 0;  // spares to keep ready
    bool failed = false;
    Clock::time_point last_use;
  };

  void run() EXCLUDES(mu_);
  // An entry that wants another spare now, or null.
  std::shared_ptr<const VerifiedImage> next_to_launch() REQUIRES(mu_);
  size_t total() const REQUIRES(mu_);
  // When the entry used longest ago expires (entries_ not empty).
  Clock::time_point next_expiry() const REQUIRES(mu_);
  // Moves out the expired entries (their spares die outside the lock).
  void expire(Clock::time_point now, std::vector<std::shared_ptr<TaInstance>>& doomed) REQUIRES(mu_);

  ZygoteClient& zygote_;
  const size_t per_ta_;
  const std::chrono::milliseconds idle_expiry_;
  mutable Mutex mu_;
  CondVar cv_;
  CondVar idle_cv_;
  CondVar landed_cv_;  // a launch ended
  std::map<Uuid, Entry> entries_ GUARDED_BY(mu_);
  bool stop_ GUARDED_BY(mu_) = false;
  size_t launched_ GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace swtee::os
