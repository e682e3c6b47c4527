#include "drivers/optee/conduit.h"

#include <sys/socket.h>

#include <cstring>

#include "common/log.h"
#include "common/seqpacket.h"

namespace swtee::optee {

using conduit::kCarveoutPhysBase;
using conduit::kCarveoutSlotSize;

Result<std::unique_ptr<Conduit>> Conduit::create(UniqueFd carveout, std::vector<UniqueFd> channels) {
  if (channels.empty() || channels.size() > conduit::kMaxChannels) return Error{EINVAL, "channel count"};
  for (const auto& c : channels) {
    if (!c.valid()) return Error{EBADF, "channel fd"};
  }
  ASSIGN_OR_RETURN(uint64_t size, seal_and_size(carveout.get()));
  if (size != channels.size() * kCarveoutSlotSize) return Error{EINVAL, "carve-out size"};
  ASSIGN_OR_RETURN(Mapping map, Mapping::map(carveout.get(), size, true));
  return std::unique_ptr<Conduit>(new Conduit(std::move(map), std::move(channels)));
}

Conduit::Conduit(Mapping carveout, std::vector<UniqueFd> channels)
    : carveout_(std::move(carveout)), channels_(std::move(channels)) {
  MutexLock l(mu_);
  // Hand out low indices first (LIFO of a reversed list).
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

void Conduit::mark_dead() {
  bool was = alive_.exchange(false, std::memory_order_acq_rel);
  if (was) log::error("optee: secure world (swtee-os) is gone; calls now fail with COMMUNICATION");
  { MutexLock l(mu_); }
  free_cv_.notify_all();
}

void Conduit::shutdown() {
  alive_.store(false, std::memory_order_release);  // an orderly end: not logged as a death
  for (auto& c : channels_) ::shutdown(c.get(), SHUT_RDWR);
  { MutexLock l(mu_); }
  free_cv_.notify_all();
}

Result<SmcFrame> Conduit::exchange(Lease& lease, const conduit::SmcRegs& regs, int fd) {
  if (!alive()) return Error{ECONNRESET, "secure world gone"};
  int sock = channels_[lease.index()].get();
  std::span<const uint8_t> out(reinterpret_cast<const uint8_t*>(&regs), sizeof(regs));
  Status st = fd >= 0 ? send_message(sock, out, std::span<const int>(&fd, 1)) : send_message(sock, out);
  if (!st.ok()) {
    mark_dead();
    return st.error();
  }
  // Room for more than one frame so an oversized datagram is detected.
  alignas(8) uint8_t buf[2 * sizeof(conduit::SmcRegs)];
  auto r = recv_message_spin(sock, buf, call_path_spin_us());
  if (!r.ok()) {
    mark_dead();
    return r.error();
  }
  if (r->length != sizeof(conduit::SmcRegs) || r->fds.size() > conduit::kMaxFdsPerFrame) {
    log::error("optee: malformed conduit frame ({} bytes, {} fds)", r->length, r->fds.size());
    mark_dead();
    return Error{EPROTO, "malformed conduit frame"};
  }
  SmcFrame f;
  std::memcpy(&f.regs, buf, sizeof(f.regs));
  if (!r->fds.empty()) f.fd = std::move(r->fds.front());
  return f;
}

Conduit::Lease::Lease(Lease&& o) noexcept
    : conduit_(std::exchange(o.conduit_, nullptr)), index_(o.index_) {}

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
