#include "core/tests/fake_driver.h"

#include <swtee/uapi/tee.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "common/shm_file.h"

namespace swtee::core::testing {
namespace {
// Liveness bound for test waits; never a speed assertion.
constexpr auto kWait = std::chrono::seconds(20);
}  // namespace

VersionInfo FakeDriver::get_version() const {
  // REG_MEM is offered so the test can see the core remove it.
  return VersionInfo{TEE_IMPL_ID_OPTEE, TEE_OPTEE_CAP_TZ,
                     TEE_GEN_CAP_GP | TEE_GEN_CAP_MEMREF_NULL | TEE_GEN_CAP_REG_MEM};
}

Result<std::unique_ptr<DriverContextData>> FakeDriver::open(Context&) {
  ++counts.open;
  if (int e = refuse_open.load(); e != 0) return Error{e, "refused by fake"};
  return std::unique_ptr<DriverContextData>();
}

void FakeDriver::release(Context& ctx) {
  ++counts.release;
  MutexLock l(mu_);
  closing_.erase(std::remove(closing_.begin(), closing_.end(), &ctx), closing_.end());
  cv_.notify_all();
}

void FakeDriver::close_context(Context& ctx) {
  ++counts.close_context;
  MutexLock l(mu_);
  closing_.push_back(&ctx);
  cv_.notify_all();
}

Status FakeDriver::block_here() {
  MutexLock l(mu_);
  const uint64_t gen = unblock_gen_;
  ++blocked_;
  cv_.notify_all();
  while (unblock_gen_ == gen) cv_.wait(mu_);
  --blocked_;
  return ok_status();
}

void FakeDriver::unblock() {
  MutexLock l(mu_);
  ++unblock_gen_;
  cv_.notify_all();
}

bool FakeDriver::wait_blocked(int n) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  MutexLock l(mu_);
  while (blocked_ < n)
    if (!cv_.wait_until(mu_, deadline)) return blocked_ >= n;
  return true;
}

bool FakeDriver::wait_released(int n) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  MutexLock l(mu_);
  while (counts.release.load() < n)
    if (!cv_.wait_until(mu_, deadline)) return counts.release.load() >= n;
  return true;
}

Status FakeDriver::open_session(Context& ctx, OpenSessionArg& arg, TeeParams& params) {
  ++counts.open_session;
  if (block_open.load()) TRY_STATUS(block_here());
  MutexLock l(mu_);
  seen_.clnt_uuid = arg.clnt_uuid;
  seen_.clnt_login = arg.clnt_login;
  seen_.guest = ctx.guest_id();
  record_params(params);
  arg.result.ret = open_ret.load();
  arg.result.ret_origin = arg.result.ret == 0 ? 0 : 4;
  arg.session = arg.result.ret == 0 ? next_session_++ : 0;
  return ok_status();
}

Status FakeDriver::guest_created(uint32_t) {
  ++counts.guest_created;
  if (int e = refuse_guest.load(); e != 0) return Error{e, "refused by the fake"};
  ++counts.guests_live;
  return ok_status();
}

Status FakeDriver::guest_destroyed(uint32_t) {
  ++counts.guest_destroyed;
  --counts.guests_live;
  return ok_status();
}

Status FakeDriver::close_session(Context&, uint32_t) {
  ++counts.close_session;
  return ok_status();
}

Status FakeDriver::invoke_func(Context& ctx, InvokeArg& arg, TeeParams& params) {
  ++counts.invoke;
  {
    MutexLock l(mu_);
    record_params(params);
  }
  switch (arg.func) {
    case kFuncBlock:
      TRY_STATUS(block_here());
      break;
    case kFuncFail:
      return Error{EIO, "fake transport failure"};
    case kFuncBlockUntilCancel: {
      MutexLock l(mu_);
      ++blocked_;
      cv_.notify_all();
      const std::pair<const Context*, uint32_t> me{&ctx, arg.cancel_id};
      auto done = [&]() REQUIRES(mu_) {
        return std::find(cancelled_.begin(), cancelled_.end(), me) != cancelled_.end() ||
               std::find(closing_.begin(), closing_.end(), &ctx) != closing_.end();
      };
      while (!done()) cv_.wait(mu_);
      --blocked_;
      std::erase(cancelled_, me);
      arg.result.ret = 0xFFFF0002;  // TEEC_ERROR_CANCEL
      arg.result.ret_origin = 3;    // TEEC_ORIGIN_TEE
      return ok_status();
    }
    case kFuncWriteShm:
      for (TeeParam& p : params) {
        if (!is_memref(p.type) || !p.memref.shm) continue;
        ASSIGN_OR_RETURN(Mapping m, Mapping::map(p.memref.shm->fd(), p.memref.shm->size()));
        const char msg[] = "swtee";
        if (p.memref.size >= sizeof(msg)) std::memcpy(m.data() + p.memref.shm_offs, msg, sizeof(msg));
      }
      break;
    default:
      break;
  }
  for (TeeParam& p : params) {
    if (is_value(p.type) && is_output(p.type)) p.value = {p.value.a + 1, p.value.b + 1, p.value.c + 1};
    if (is_memref(p.type)) p.memref.size = 7;
  }
  arg.result.ret = 0;
  arg.result.ret_origin = 4;
  return ok_status();
}

Status FakeDriver::cancel_req(Context& ctx, uint32_t cancel_id, uint32_t session) {
  ++counts.cancel;
  MutexLock l(mu_);
  seen_.cancel_id = cancel_id;
  seen_.cancel_session = session;
  seen_.cancel_ctx = ctx.id();
  cancelled_.emplace_back(&ctx, cancel_id);
  cv_.notify_all();
  return ok_status();
}

Status FakeDriver::supp_recv(Context& ctx, uint32_t& func, TeeParams& params) {
  ++counts.supp_recv;
  MutexLock l(mu_);
  ++blocked_;
  cv_.notify_all();
  while (supp_queue_.empty() && std::find(closing_.begin(), closing_.end(), &ctx) == closing_.end())
    cv_.wait(mu_);
  --blocked_;
  if (supp_queue_.empty()) return Error{EINTR, "supplicant context closing"};
  func = supp_queue_.front().first;
  params = std::move(supp_queue_.front().second);
  supp_queue_.pop_front();
  return ok_status();
}

Status FakeDriver::supp_send(Context&, uint32_t ret, TeeParams& params) {
  ++counts.supp_send;
  MutexLock l(mu_);
  seen_.supp_ret = ret;
  seen_.supp_params = params;
  return ok_status();
}

void FakeDriver::record_params(const TeeParams& params) {
  seen_.params = params;
  seen_.shm_ids.clear();
  for (TeeParam& p : seen_.params) {
    if (!is_memref(p.type)) continue;
    seen_.shm_ids.push_back(p.memref.shm ? p.memref.shm->id() : -1);
    p.memref.shm.reset();
  }
}

void FakeDriver::shm_unregister(Shm&) { ++counts.shm_unregister; }

void FakeDriver::post_supp_request(uint32_t func, TeeParams params) {
  MutexLock l(mu_);
  supp_queue_.emplace_back(func, std::move(params));
  cv_.notify_all();
}

FakeDriver::Seen FakeDriver::seen() {
  MutexLock l(mu_);
  return seen_;
}

}  // namespace swtee::core::testing
