#include "drivers/optee/conduit.h"

#include <sys/socket.h>

#include <cstring>

#include "common/log.h"

namespace swtee::optee {

using conduit::kCarveoutPhysBase;
using conduit::kCarveoutSlotSize;

Result<std::unique_ptr<Conduit>> Conduit::create(UniqueFd carveout, std::vector<UniqueFd> channels,
                                                 UniqueFd doorbell, unsigned spin_us) {
  if (channels.empty() || channels.size() > conduit::kMaxChannels) return Error{EINVAL, "channel count"};
  for (const auto& c : channels) {
    if (!c.valid()) return Error{EBADF, "channel fd"};
  }
  ASSIGN_OR_RETURN(uint64_t size, seal_and_size(carveout.get()));
  if (size != channels.size() * kCarveoutSlotSize) return Error{EINVAL, "carve-out size"};
  ASSIGN_OR_RETURN(Mapping map, Mapping::map(carveout.get(), size, true));
  if (!doorbell.valid()) return Error{EBADF, "doorbell fd"};
  ASSIGN_OR_RETURN(uint64_t bell_size, seal_and_size(doorbell.get()));
  if (bell_size != channels.size() * conduit::kDoorbellChannelSize)
    return Error{EINVAL, "doorbell block size"};
  ASSIGN_OR_RETURN(Mapping bells, Mapping::map(doorbell.get(), bell_size, true));
  return std::unique_ptr<Conduit>(
      new Conduit(std::move(map), std::move(channels), std::move(bells), spin_us));
}

Conduit::Conduit(Mapping carveout, std::vector<UniqueFd> channels, Mapping doorbell, unsigned spin_us)
    : carveout_(std::move(carveout)), channels_(std::move(channels)), doorbell_(std::move(doorbell)) {
  for (unsigned i = 0; i < channels_.size(); ++i) {
    auto* pair = reinterpret_cast<DoorbellPair*>(doorbell_.data() + i * conduit::kDoorbellChannelSize);
    bells_.push_back(
        std::make_unique<DoorbellEnd>(pair, DoorbellEnd::Role::Client, channels_[i].get(), spin_us));
  }
  MutexLock l(mu_);
  // Hand out low indices first (LIFO of a reversed list): the channel used
  // last is the one whose secure thread is most likely still spinning.
  for (unsigned i = static_cast<unsigned>(channels_.size()); i > 0; --i) free_.push_back(i - 1);
}

Conduit::~Conduit() = default;

Result<Conduit::Lease> Conduit::acquire() {
  MutexLock l(mu_);
  for (;;) {
    if (!alive()) return Error{ECONNRESET, "secure world gone"};
    if (!free_.empty()) {
      unsigned idx = free_.back();
      free_.pop_back();
      return Lease(this, idx);
    }
    free_cv_.wait(mu_);
  }
}

void Conduit::release(unsigned index) {
  {
    MutexLock l(mu_);
    free_.push_back(index);
  }
  free_cv_.notify_one();
}

void Conduit::wake_all() {
  for (auto& b : bells_) b->interrupt();
  { MutexLock l(mu_); }
  free_cv_.notify_all();
}

void Conduit::mark_dead() {
  bool was = alive_.exchange(false, std::memory_order_acq_rel);
  if (was) log::error("optee: secure world (swtee-os) is gone; every session is TARGET_DEAD");
  wake_all();
}

void Conduit::shutdown() {
  alive_.store(false, std::memory_order_release);  // an orderly end: not logged as a death
  for (auto& b : bells_) b->hang_up();
  for (auto& c : channels_) ::shutdown(c.get(), SHUT_RDWR);
  wake_all();
}

Result<SmcFrame> Conduit::exchange(Lease& lease, const conduit::SmcRegs& regs, int fd) {
  if (!alive()) return Error{ECONNRESET, "secure world gone"};
  DoorbellEnd& bell = *bells_[lease.index()];
  if (Status st = bell.post(conduit::to_frame(regs), fd); !st.ok()) {
    mark_dead();
    return st.error();
  }
  auto r = bell.wait();
  if (!r.ok()) {
    if (r.error().code == EPROTO) log::error("optee: malformed conduit frame: {}", r.error());
    mark_dead();
    return r.error();
  }
  SmcFrame f;
  f.regs = conduit::to_regs(r->frame);
  if (!r->fds.empty()) f.fd = std::move(r->fds.front());
  return f;
}

Conduit::Lease::Lease(Lease&& o) noexcept : conduit_(std::exchange(o.conduit_, nullptr)), index_(o.index_) {}

Conduit::Lease& Conduit::Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    reset();
    conduit_ = std::exchange(o.conduit_, nullptr);
    index_ = o.index_;
  }
  return *this;
}

void Conduit::Lease::reset() {
  if (conduit_ != nullptr) std::exchange(conduit_, nullptr)->release(index_);
}

uint8_t* Conduit::Lease::slot() const { return conduit_->carveout_.data() + index_ * kCarveoutSlotSize; }

uint64_t Conduit::Lease::slot_phys() const { return kCarveoutPhysBase + index_ * kCarveoutSlotSize; }

}  // namespace swtee::optee
