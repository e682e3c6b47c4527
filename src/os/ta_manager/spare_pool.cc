#include "os/ta_manager/spare_pool.h"

#include <algorithm>
#include <cstdlib>

#include "common/log.h"

namespace swtee::os {

SparePool::SparePool(ZygoteClient& zygote, size_t per_ta, std::chrono::milliseconds idle_expiry)
    : zygote_(zygote), per_ta_(per_ta), idle_expiry_(idle_expiry) {
  thread_ = std::thread([this] { run(); });
}

size_t spare_target(uint32_t ta_flags, size_t per_ta) {
  if ((ta_flags & kTaFlagSingleInstance) == 0) return per_ta;
  // A keep-alive instance stays (it goes only if it dies): no spare waits.
  if ((ta_flags & kTaFlagKeepAlive) != 0) return 0;
  return std::min(per_ta, kSparesPerSingleInstanceTa);
}

size_t SparePool::per_ta_from_env() {
  const char* e = std::getenv("SWTEE_TA_SPARES");
  if (e == nullptr || *e == '\0') return kSparesPerTa;
  char* end = nullptr;
  const unsigned long v = std::strtoul(e, &end, 10);
  if (*end != '\0' || v > kMaxSpares) {
    log::warn("SWTEE_TA_SPARES={}: not a number in 0..{}; using {}", e, kMaxSpares, kSparesPerTa);
    return kSparesPerTa;
  }
  return v;
}

SparePool::~SparePool() {
  {
    MutexLock l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  landed_cv_.notify_all();
  thread_.join();
  std::map<Uuid, Entry> doomed;
  {
    MutexLock l(mu_);
    doomed.swap(entries_);
  }
}

size_t SparePool::total() const {
  size_t n = 0;
  for (const auto& [uuid, e] : entries_) n += e.ready.size() + e.launching;
  return n;
}

std::shared_ptr<TaInstance> SparePool::take(const std::shared_ptr<const VerifiedImage>& image) {
  std::shared_ptr<TaInstance> spare;
  {
    MutexLock l(mu_);
    for (;;) {
      auto it = entries_.find(image->uuid);
      if (it == entries_.end() || it->second.image != image) return nullptr;
      Entry& e = it->second;
      e.last_use = Clock::now();
      if (!e.ready.empty()) {
        spare = std::move(e.ready.back());
        e.ready.pop_back();
        break;
      }
      if (e.launching == 0 || stop_) break;
      landed_cv_.wait(mu_);  // bounded: a launch ends within the hello timeout
    }
  }
  return spare;
}

void SparePool::want(const std::shared_ptr<const VerifiedImage>& image) {
  std::vector<std::shared_ptr<TaInstance>> doomed;
  {
    MutexLock l(mu_);
    Entry& e = entries_[image->uuid];
    if (e.image != image) {
      doomed.swap(e.ready);
      e.image = image;
    }
    e.target = spare_target(image->ta_flags, per_ta_);
    e.failed = false;
    e.last_use = Clock::now();
  }
  cv_.notify_all();
}

void SparePool::drop(const Uuid& uuid) {
  std::vector<std::shared_ptr<TaInstance>> doomed;
  {
    MutexLock l(mu_);
    auto it = entries_.find(uuid);
    if (it == entries_.end()) return;
    doomed.swap(it->second.ready);
    // A launch in flight finds its entry gone (or holding another image)
    // and discards its spare.
    if (it->second.launching == 0) {
      entries_.erase(it);
    } else {
      it->second.image.reset();
      it->second.failed = true;
    }
  }
}

size_t SparePool::ready() const {
  MutexLock l(mu_);
  size_t n = 0;
  for (const auto& [uuid, e] : entries_) n += e.ready.size();
  return n;
}

std::vector<pid_t> SparePool::ready_pids() const {
  MutexLock l(mu_);
  std::vector<pid_t> pids;
  for (const auto& [uuid, e] : entries_)
    for (const auto& s : e.ready) pids.push_back(s->pid());
  return pids;
}

size_t SparePool::launched() const {
  MutexLock l(mu_);
  return launched_;
}

void SparePool::wait_idle() {
  MutexLock l(mu_);
  for (;;) {
    bool busy = false;
    for (const auto& [uuid, e] : entries_) busy = busy || e.launching > 0;
    if (!busy && next_to_launch() == nullptr) return;
    idle_cv_.wait(mu_);
  }
}

std::shared_ptr<const VerifiedImage> SparePool::next_to_launch() {
  if (stop_ || total() >= kMaxSpares) return nullptr;
  for (auto& [uuid, e] : entries_) {
    if (e.image && !e.failed && e.ready.size() + e.launching < e.target) return e.image;
  }
  return nullptr;
}

SparePool::Clock::time_point SparePool::next_expiry() const {
  Clock::time_point first = Clock::time_point::max();
  for (const auto& [uuid, e] : entries_) first = std::min(first, e.last_use + idle_expiry_);
  return first;
}

void SparePool::expire(Clock::time_point now, std::vector<std::shared_ptr<TaInstance>>& doomed) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& e = it->second;
    if (e.launching == 0 && now - e.last_use >= idle_expiry_) {
      for (auto& s : e.ready) doomed.push_back(std::move(s));
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void SparePool::run() {
  std::vector<std::shared_ptr<TaInstance>> doomed;
  mu_.lock();
  while (!stop_) {
    expire(Clock::now(), doomed);
    if (!doomed.empty()) {
      mu_.unlock();
      doomed.clear();  // kills them, without the lock held
      mu_.lock();
      continue;
    }
    std::shared_ptr<const VerifiedImage> image = next_to_launch();
    if (!image) {
      idle_cv_.notify_all();
      if (entries_.empty()) {
        cv_.wait(mu_);
      } else {
        (void)cv_.wait_until(mu_, next_expiry());
      }
      continue;
    }
    ++entries_[image->uuid].launching;
    mu_.unlock();
    GpResult err{kTeeErrorGeneric, kTeeOriginTee};
    std::shared_ptr<TaInstance> spare = TaInstance::launch(
        zygote_, image->uuid, image->ta_flags, image->payload.get(), std::make_unique<InstanceSlot>(), &err);
    mu_.lock();
    auto it = entries_.find(image->uuid);
    if (it == entries_.end()) {
      doomed.push_back(std::move(spare));
      landed_cv_.notify_all();
      continue;
    }
    Entry& e = it->second;
    --e.launching;
    landed_cv_.notify_all();
    if (!spare) {
      log::warn("TA {}: cannot launch a spare process ({:#x}); no more until it is opened again",
                image->uuid.to_string(), err.ret);
      e.failed = true;
    } else if (e.image == image) {
      e.ready.push_back(std::move(spare));
      ++launched_;
    } else {
      doomed.push_back(std::move(spare));
    }
    if (!e.image && e.launching == 0) entries_.erase(it);
  }
  idle_cv_.notify_all();
  mu_.unlock();
  doomed.clear();
}

}  // namespace swtee::os
