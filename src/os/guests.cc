#include "os/guests.h"

#include "common/log.h"
#include "os/fast_calls.h"
#include "protocol/optee_smc.h"

namespace swtee::os {

std::optional<Guests::Lease> Guests::find(uint64_t client_id) const {
  if (client_id == optee::kHypervisorClientId) return Lease{&host_, nullptr};
  if (client_id > optee::kMaxClientId) return std::nullopt;
  MutexLock l(mu_);
  auto it = guests_.find(static_cast<uint32_t>(client_id));
  if (it == guests_.end() || !it->second) return std::nullopt;  // unknown, or still being made
  return Lease{&it->second->entry(), it->second};
}

std::optional<conduit::SmcRegs> Guests::answer_vm_call(const conduit::SmcRegs& call) {
  const uint64_t fid = call.a[0];
  if (!virtualization() || (fid != optee::kSmcVmCreated && fid != optee::kSmcVmDestroyed))
    return std::nullopt;
  // Only the hypervisor (the host's driver, client id 0) creates and destroys guests.
  if (call.a[optee::kSmcClientIdReg] != optee::kHypervisorClientId)
    return smc_result(optee::kSmcReturnENotAvail);
  return smc_result(fid == optee::kSmcVmCreated ? created(call.a[1]) : destroyed(call.a[1]));
}

uint32_t Guests::created(uint64_t id) {
  if (id == optee::kHypervisorClientId || id > optee::kMaxClientId) return optee::kSmcReturnENotAvail;
  const auto guest = static_cast<uint32_t>(id);
  {
    MutexLock l(mu_);
    if (guests_.size() >= max_guests_ || guests_.count(guest) != 0) return optee::kSmcReturnENotAvail;
    guests_.emplace(guest, nullptr);  // reserved while the partition is made
  }
  auto part = factory_(guest);
  MutexLock l(mu_);
  if (!part.ok()) {
    log::warn("guest {}: no partition: {}", guest, part.error());
    guests_.erase(guest);
    return optee::kSmcReturnENotAvail;
  }
  guests_[guest] = std::move(*part);
  log::info("guest {} created", guest);
  return optee::kSmcReturnOk;
}

uint32_t Guests::destroyed(uint64_t id) {
  std::shared_ptr<Partition> gone;
  {
    MutexLock l(mu_);
    auto it = id > optee::kMaxClientId ? guests_.end() : guests_.find(static_cast<uint32_t>(id));
    // Unknown (or still being made): nothing to free, as OP-TEE answers.
    if (it == guests_.end() || !it->second) return optee::kSmcReturnOk;
    gone = std::move(it->second);
    guests_.erase(it);
  }
  gone->shut_down();
  log::info("guest {} destroyed", id);
  return optee::kSmcReturnOk;  // `gone` is freed here or by its last running call
}

size_t Guests::count() const {
  MutexLock l(mu_);
  size_t n = 0;
  for (const auto& [id, p] : guests_) n += p != nullptr;
  return n;
}

GuestCounts Guests::counts() const {
  std::vector<std::shared_ptr<Partition>> live;
  {
    MutexLock l(mu_);
    for (const auto& [id, p] : guests_)
      if (p) live.push_back(p);
  }
  // Counted outside mu_: a partition takes its own locks.
  GuestCounts g;
  g.guests = live.size();
  for (const auto& p : live) g.held += p->counts();
  return g;
}

}  // namespace swtee::os
