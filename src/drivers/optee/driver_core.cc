#include "drivers/optee/driver_core.h"

#include "common/log.h"
#include "protocol/gp_results.h"
#include "protocol/optee_smc.h"
#include "swtee/uapi/tee.h"

namespace swtee::optee {

DriverCore::DriverCore(std::unique_ptr<Conduit> conduit)
    : conduit_(std::move(conduit)), rpc_(registry_, supp_, wq_), path_(*conduit_, queue_, rpc_) {}

DriverCore::~DriverCore() { shutdown(); }

core::VersionInfo DriverCore::version() const {
  core::VersionInfo v;
  v.impl_id = TEE_IMPL_ID_OPTEE;
  v.impl_caps = TEE_OPTEE_CAP_TZ;
  v.gen_caps = TEE_GEN_CAP_GP;
  if (info_.sec_caps & kSecCapMemrefNull) v.gen_caps |= TEE_GEN_CAP_MEMREF_NULL;
  return v;
}

bool DriverCore::serves_guests() const { return (info_.sec_caps & kSecCapVirtualization) != 0; }

uint64_t DriverCore::ensure_registered(core::Shm& shm, core::TeeResult& res, uint32_t guest) {
  uint64_t cookie = shm.driver_cookie.load(std::memory_order_acquire);
  if (cookie != 0) return cookie;
  cookie = registry_.new_cookie(guest);
  MsgCall call;
  call.guest = guest;
  call.hdr.cmd = static_cast<uint32_t>(MsgCmd::RegisterShm);
  MsgParam p{};
  p.attr = kAttrTypeTmemInput;
  p.u.tmem = {0, shm.size(), cookie};
  call.params.push_back(p);
  if (!path_.call(call, shm.fd()).ok() || call.hdr.ret != kTeeSuccess) {
    res.ret = call.hdr.ret != kTeeSuccess ? call.hdr.ret : kTeeErrorCommunication;
    res.ret_origin = call.hdr.ret_origin != 0 ? call.hdr.ret_origin : kTeeOriginComms;
    return 0;
  }
  uint64_t expected = 0;
  if (!shm.driver_cookie.compare_exchange_strong(expected, cookie, std::memory_order_acq_rel)) {
    // Another call registered the same Shm meanwhile: keep theirs.
    registry_.queue_unregister(cookie);
    return expected;
  }
  return cookie;
}

void DriverCore::shm_released(core::Shm& shm) {
  uint64_t cookie = shm.driver_cookie.exchange(0, std::memory_order_acq_rel);
  if (cookie != 0) registry_.queue_unregister(cookie);
}

uint32_t DriverCore::new_cancel_id() {
  uint32_t id = next_cancel_id_.fetch_add(1, std::memory_order_relaxed);
  if (id == 0) id = next_cancel_id_.fetch_add(1, std::memory_order_relaxed);
  return id;
}

void DriverCore::start_worker() {
  if (!worker_.joinable()) worker_ = std::thread([this] { unregister_worker(); });
}

void DriverCore::unregister_worker() {
  while (auto cookie = registry_.next_unregister()) {
    MsgCall call;
    call.guest = ShmRegistry::cookie_guest(*cookie);
    call.hdr.cmd = static_cast<uint32_t>(MsgCmd::UnregisterShm);
    MsgParam p{};
    p.attr = kAttrTypeRmemInput;
    p.u.rmem = {0, 0, *cookie};
    call.params.push_back(p);
    if (!path_.call(call).ok() || call.hdr.ret != kTeeSuccess) {
      log::debug("optee: UNREGISTER_SHM {:#x} answered {:#x}", *cookie, call.hdr.ret);
    }
  }
}

void DriverCore::shutdown() {
  supp_.abort();
  wq_.abort();
  rpc_.stop();
  registry_.stop_worker();
  conduit_->shutdown();
  queue_.abort();
  if (worker_.joinable()) worker_.join();
  // RPC memory: the secure world is gone, nobody unregisters it.
  for (auto& e : registry_.take_all_rpc()) {
    if (e.shm) e.shm->driver_cookie.store(0, std::memory_order_release);
  }
}

}  // namespace swtee::optee
