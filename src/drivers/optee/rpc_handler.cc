#include "drivers/optee/rpc_handler.h"

#include <time.h>

#include <chrono>
#include <cstring>

#include "common/log.h"
#include "common/shm_file.h"
#include "drivers/optee/param_codec.h"
#include "protocol/gp_results.h"

namespace swtee::optee {

using core::ParamType;

const std::array<RpcHandler::Entry, RpcHandler::kTableSize>& RpcHandler::table() {
  static constexpr std::array<Entry, kTableSize> kTable = {{
      {RpcCmd::LoadTa, &RpcHandler::to_supplicant},
      {RpcCmd::Rpmb, &RpcHandler::to_supplicant},
      {RpcCmd::Fs, &RpcHandler::to_supplicant},
      {RpcCmd::GetTime, &RpcHandler::get_time},
      {RpcCmd::Notification, &RpcHandler::notification},
      {RpcCmd::Suspend, &RpcHandler::suspend},
      {RpcCmd::ShmAlloc, &RpcHandler::shm_alloc},
      {RpcCmd::ShmFree, &RpcHandler::shm_free},
      {RpcCmd::SqlFsReserved, &RpcHandler::not_supported},
      {RpcCmd::Gprof, &RpcHandler::to_supplicant},
      {RpcCmd::Socket, &RpcHandler::to_supplicant},
      {RpcCmd::Ftrace, &RpcHandler::to_supplicant},
      {RpcCmd::SuppPlugin, &RpcHandler::to_supplicant},
  }};
  // Indexed by the command value: entry i must be RpcCmd i.
  static_assert([] {
    for (size_t i = 0; i < kTableSize; ++i) {
      if (static_cast<size_t>(kTable[i].cmd) != i) return false;
    }
    return true;
  }());
  static_assert(static_cast<size_t>(RpcCmd::SuppPlugin) + 1 == kTableSize, "table covers every RpcCmd");
  return kTable;
}

namespace {

bool single_param_of(const RpcHandler::Call& c, uint64_t attr) {
  return c.num_params == 1 && c.params[0].attr == attr;
}

}  // namespace

int RpcHandler::handle_rpc(uint8_t* rpc, size_t room) {
  if (room < sizeof(MsgArg)) return -1;
  Call c;
  std::memcpy(&c.hdr, rpc, sizeof(MsgArg));
  uint32_t ret = kTeeErrorBadParameters;
  if (c.hdr.num_params <= kRpcMaxParams && msg_arg_size(c.hdr.num_params) <= room) {
    c.num_params = c.hdr.num_params;
    std::memcpy(c.params.data(), rpc + sizeof(MsgArg), c.num_params * sizeof(MsgParam));
    const uint32_t cmd = c.hdr.cmd;
    if (cmd < kTableSize) {
      const Entry& e = table()[cmd];
      ret = (this->*e.handler)(c);
    } else {
      ret = not_supported(c);
    }
  } else {
    log::warn("optee: RPC arg with {} params refused", c.hdr.num_params);
    c.num_params = 0;
  }
  const uint32_t origin = ret == kTeeSuccess ? 0 : kTeeOriginComms;
  std::memcpy(rpc + offsetof(MsgArg, ret), &ret, sizeof(ret));
  std::memcpy(rpc + offsetof(MsgArg, ret_origin), &origin, sizeof(origin));
  if (c.num_params > 0) std::memcpy(rpc + sizeof(MsgArg), c.params.data(), c.num_params * sizeof(MsgParam));
  return c.attach_fd;
}

uint32_t RpcHandler::not_supported(Call&) { return kTeeErrorNotSupported; }

uint32_t RpcHandler::to_supplicant(Call& c) {
  auto req = std::make_shared<SuppRequest>();
  req->func = c.hdr.cmd;
  auto resolve = [this](uint64_t cookie) { return registry_.find_appl(cookie); };
  for (uint32_t i = 0; i < c.num_params; ++i) {
    auto p = decode_rpc_param(c.params[i], resolve);
    if (!p.ok()) return kTeeErrorBadParameters;
    req->params.push_back(std::move(*p));
  }
  uint32_t ret = supp_.submit(req);
  for (uint32_t i = 0; i < c.num_params; ++i) encode_rpc_result(req->params[i], c.params[i]);
  return ret;
}

uint32_t RpcHandler::get_time(Call& c) {
  if (!single_param_of(c, kAttrTypeValueOutput)) return kTeeErrorBadParameters;
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  c.params[0].u.value = {static_cast<uint64_t>(ts.tv_sec), static_cast<uint64_t>(ts.tv_nsec), 0};
  return kTeeSuccess;
}

uint32_t RpcHandler::notification(Call& c) {
  if (!single_param_of(c, kAttrTypeValueInput)) return kTeeErrorBadParameters;
  const auto& v = c.params[0].u.value;
  if (v.a == kRpcNotificationSend) return wq_.send(v.b) ? kTeeSuccess : kTeeErrorBusy;
  if (v.a != kRpcNotificationWait) return kTeeErrorBadParameters;
  const uint32_t timeout = v.c > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v.c);
  switch (wq_.wait(v.b, timeout)) {
    case WaitQueue::WaitResult::Woken:
      return kTeeSuccess;
    case WaitQueue::WaitResult::TimedOut:
      return kTeeErrorTimeout;
    case WaitQueue::WaitResult::Aborted:
      return kTeeErrorCommunication;
    case WaitQueue::WaitResult::Full:
      return kTeeErrorBusy;
  }
  return kTeeErrorGeneric;
}

uint32_t RpcHandler::suspend(Call& c) {
  if (!single_param_of(c, kAttrTypeValueInput)) return kTeeErrorBadParameters;
  const uint64_t ms = c.params[0].u.value.a;
  if (ms > kMaxSuspendMs) return kTeeErrorBadParameters;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  MutexLock l(stop_mu_);
  while (!stopped_) {
    if (!stop_cv_.wait_until(stop_mu_, deadline)) break;
  }
  return kTeeSuccess;
}

void RpcHandler::stop() {
  {
    MutexLock l(stop_mu_);
    stopped_ = true;
  }
  stop_cv_.notify_all();
}

uint32_t RpcHandler::shm_alloc(Call& c) {
  if (!single_param_of(c, kAttrTypeValueInput)) return kTeeErrorBadParameters;
  const uint64_t type = c.params[0].u.value.a;
  const uint64_t size = c.params[0].u.value.b;
  const uint64_t align = c.params[0].u.value.c;
  if (size == 0 || size > ShmRegistry::kMaxRpcShmSize) return kTeeErrorOutOfMemory;
  if (type == kRpcShmTypeAppl) return shm_alloc_appl(c, size, align);
  if (type != kRpcShmTypeKernel && type != kRpcShmTypeGlobal) return kTeeErrorBadParameters;

  auto fd = create_sealed_memfd("swtee-optee-rpc", size);
  if (!fd.ok()) return kTeeErrorOutOfMemory;
  ShmRegistry::RpcShm e;
  e.type = static_cast<uint32_t>(type);
  e.size = size;
  e.memfd = std::move(*fd);
  auto cookie = registry_.add_rpc(std::move(e));
  if (!cookie.ok()) return kTeeErrorOutOfMemory;
  c.params[0].attr = kAttrTypeTmemOutput;
  c.params[0].u.tmem = {0, size, *cookie};
  c.attach_fd = registry_.rpc_fd(*cookie);
  return kTeeSuccess;
}

uint32_t RpcHandler::shm_alloc_appl(Call& c, uint64_t size, uint64_t align) {
  auto req = std::make_shared<SuppRequest>();
  req->func = static_cast<uint32_t>(RpcCmd::ShmAlloc);
  core::TeeParam p;
  p.type = ParamType::ValueInout;
  p.value = {kRpcShmTypeAppl, size, align};
  req->params.push_back(p);
  uint32_t ret = supp_.submit(req);
  if (ret != kTeeSuccess) return ret;
  std::shared_ptr<core::Shm> shm = std::move(req->alloc_shm);
  if (shm == nullptr) return kTeeErrorOutOfMemory;
  if (shm->size() < size || shm->driver_cookie.load(std::memory_order_acquire) != 0) {
    // Too small, or memory the secure world already knows: refuse it.
    supplicant_free(shm);
    return kTeeErrorOutOfMemory;
  }
  ShmRegistry::RpcShm e;
  e.type = kRpcShmTypeAppl;
  e.size = size;
  e.shm = shm;
  auto cookie = registry_.add_rpc(std::move(e));
  if (!cookie.ok()) {
    supplicant_free(shm);
    return kTeeErrorOutOfMemory;
  }
  c.params[0].attr = kAttrTypeTmemOutput;
  c.params[0].u.tmem = {0, size, *cookie};
  c.attach_fd = shm->fd();
  return kTeeSuccess;
}

void RpcHandler::supplicant_free(const std::shared_ptr<core::Shm>& shm) {
  auto req = std::make_shared<SuppRequest>();
  req->func = static_cast<uint32_t>(RpcCmd::ShmFree);
  core::TeeParam p;
  p.type = ParamType::ValueInput;
  p.value = {kRpcShmTypeAppl, static_cast<uint64_t>(static_cast<int64_t>(shm->id())), 0};
  req->params.push_back(p);
  (void)supp_.submit(req);  // best effort: a gone supplicant freed it anyway
}

uint32_t RpcHandler::shm_free(Call& c) {
  if (!single_param_of(c, kAttrTypeValueInput)) return kTeeErrorBadParameters;
  const uint64_t cookie = c.params[0].u.value.b;
  auto e = registry_.remove_rpc(cookie);
  if (!e) return kTeeErrorBadParameters;
  if (e->shm) {
    // The secure world dropped the cookie itself: no UNREGISTER_SHM later.
    e->shm->driver_cookie.store(0, std::memory_order_release);
    supplicant_free(e->shm);
  }
  return kTeeSuccess;  // `e` (memfd or Shm reference) goes here, no lock held
}

}  // namespace swtee::optee
