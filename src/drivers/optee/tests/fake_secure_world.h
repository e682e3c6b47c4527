// Test doubles for the OP-TEE driver tests: an in-process fake secure world
// on the secure ends of the conduit's channels (one thread per channel, each
// the server end of the channel's doorbell), and a fake core::Context.
#pragma once

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "common/doorbell.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "core/context.h"
#include "core/shm.h"
#include "drivers/optee/msg_arg_header.h"
#include "protocol/conduit.h"
#include "protocol/optee_msg.h"
#include "protocol/optee_smc.h"

namespace swtee::optee::testing {

using conduit::SmcRegs;

class FakeSecureWorld;

// One yielding call as the fake secure world sees it.
struct FakeCall {
  FakeSecureWorld* sw = nullptr;
  DoorbellEnd* bell = nullptr;
  uint8_t* slot = nullptr;
  uint64_t client_id = 0;         // a7 of the CALL frame
  uint64_t resume_client_id = 0;  // a7 of the last RETURN_FROM_RPC
  MsgArgHeader hdr{};
  std::vector<MsgParam> params;

  struct RpcResult {
    bool ok = false;  // false: the normal world went away
    uint32_t ret = 0;
    std::vector<MsgParam> params;
    UniqueFd fd;
  };
  // Issues an RPC (OPTEE_SMC_RETURN_RPC_CMD) and waits for RETURN_FROM_RPC.
  RpcResult rpc(uint32_t cmd, std::vector<MsgParam> rparams) {
    RpcResult r;
    uint8_t* area = slot + msg_arg_size(hdr.num_params);
    MsgArgHeader rh{};
    rh.cmd = cmd;
    rh.num_params = static_cast<uint32_t>(rparams.size());
    std::memcpy(area, &rh, sizeof(rh));
    if (!rparams.empty()) std::memcpy(area + sizeof(rh), rparams.data(), rparams.size() * sizeof(MsgParam));
    SmcRegs out{{conduit::kSmcReturnRpcCmd, 0, 0, 7, 0, 0, 0, 0}};
    if (!bell->post(conduit::to_frame(out)).ok()) return r;
    auto m = bell->wait();
    if (!m.ok()) return r;
    const SmcRegs in = conduit::to_regs(m->frame);
    if (in.a[0] != kSmcReturnFromRpc || in.a[3] != 7) return r;
    resume_client_id = in.a[kSmcClientIdReg];
    std::memcpy(&rh, area, sizeof(rh));
    r.ret = rh.ret;
    r.params.resize(rparams.size());
    if (!r.params.empty())
      std::memcpy(r.params.data(), area + sizeof(rh), r.params.size() * sizeof(MsgParam));
    if (!m->fds.empty()) r.fd = std::move(m->fds.front());
    r.ok = true;
    return r;
  }
};

struct FakeOptions {
  unsigned channels = 4;
  unsigned threads = 2;
  // What GET_THREAD_COUNT says (0: `threads`). More than `threads` stands
  // for a share the driver cannot know (a guest's): ETHREAD_LIMIT then.
  unsigned reported_threads = 0;
  uint32_t caps = kSecCapHaveReservedShm | kSecCapDynamicShm | kSecCapMemrefNull | kSecCapRpcArg;
  uint32_t uid0 = kApiUid0;
  uint32_t rev_major = kRevisionMajor;
  uint64_t shm_base = conduit::kCarveoutPhysBase;
};

class FakeSecureWorld {
 public:
  explicit FakeSecureWorld(FakeOptions o = {}) : opt_(o) {
    carveout_ = std::move(*create_sealed_memfd("fake-carveout", o.channels * conduit::kCarveoutSlotSize));
    map_ = std::move(*Mapping::map(carveout_.get(), o.channels * conduit::kCarveoutSlotSize));
    doorbell_ = std::move(*create_sealed_memfd("fake-doorbell", o.channels * conduit::kDoorbellChannelSize));
    bell_map_ = std::move(*Mapping::map(doorbell_.get(), o.channels * conduit::kDoorbellChannelSize));
    for (unsigned i = 0; i < o.channels; ++i) {
      auto p = std::move(*seqpacket_pair());
      normal_.push_back(std::move(p.first));
      secure_.push_back(std::move(p.second));
      auto* pair = reinterpret_cast<DoorbellPair*>(bell_map_.data() + i * conduit::kDoorbellChannelSize);
      bells_.push_back(
          std::make_unique<DoorbellEnd>(pair, DoorbellEnd::Role::Server, secure_.back().get(), 20));
    }
    for (unsigned i = 0; i < o.channels; ++i) threads_.emplace_back([this, i] { serve(i); });
  }
  ~FakeSecureWorld() {
    kill();
    for (auto& t : threads_) t.join();
  }

  UniqueFd carveout_fd() { return UniqueFd(::dup(carveout_.get())); }
  UniqueFd doorbell_fd() { return UniqueFd(::dup(doorbell_.get())); }
  std::vector<UniqueFd> take_channels() { return std::move(normal_); }

  // The secure world "dies": every channel socket reads EOF (as when the
  // process is killed; no orderly hang-up) and the serving threads stop.
  void kill() {
    dead_ = true;
    for (auto& s : secure_) ::shutdown(s.get(), SHUT_RDWR);
    for (auto& b : bells_) b->interrupt();
  }

  // Handler for OPEN_SESSION / INVOKE_COMMAND / CLOSE_SESSION / CANCEL.
  // Default: success, session 1 for opens.
  std::function<void(FakeCall&)> on_call;

  // Observations.
  std::atomic<int> ethread_limits{0};
  std::atomic<int> max_busy{0};
  std::atomic<int> yielding_calls{0};

  struct Registered {
    uint64_t size = 0;
    UniqueFd fd;
  };
  size_t registered_count() const EXCLUDES(mu_) {
    MutexLock l(mu_);
    return registered_.size();
  }
  int register_calls() const EXCLUDES(mu_) {
    MutexLock l(mu_);
    return register_calls_;
  }
  bool is_registered(uint64_t cookie) const EXCLUDES(mu_) {
    MutexLock l(mu_);
    return registered_.count(cookie) != 0;
  }
  int registered_fd(uint64_t cookie) const EXCLUDES(mu_) {
    MutexLock l(mu_);
    auto it = registered_.find(cookie);
    return it == registered_.end() ? -1 : it->second.fd.get();
  }
  std::vector<MsgArgHeader> calls() const EXCLUDES(mu_) {
    MutexLock l(mu_);
    return calls_;
  }
  // a7 (the client id) of each yielding call, in the order of calls().
  std::vector<uint64_t> call_client_ids() const EXCLUDES(mu_) {
    MutexLock l(mu_);
    return client_ids_;
  }
  // VM_CREATED / VM_DESTROYED seen: {fid, a1 guest, a7}.
  std::vector<std::array<uint64_t, 3>> vm_calls() const EXCLUDES(mu_) {
    MutexLock l(mu_);
    return vm_calls_;
  }
  // Answer to VM_CREATED (OK, or ENOTAVAIL to refuse).
  std::atomic<uint32_t> vm_created_answer{kSmcReturnOk};
  // Yielding calls with this client id are answered ENOTAVAIL (a guest the
  // secure world does not know).
  std::atomic<uint64_t> unknown_client{UINT64_MAX};
  // Waits (bounded, 10 s) until pred() holds; returns pred(). pred() runs
  // without mu_ held, so it may use the accessors above.
  bool wait_for(const std::function<bool()>& pred) EXCLUDES(mu_) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!pred()) {
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return pred();
      MutexLock l(mu_);
      cv_.wait_until(mu_, std::min(deadline, now + std::chrono::milliseconds(20)));
    }
    return true;
  }
  void notify() EXCLUDES(mu_) {
    { MutexLock l(mu_); }
    cv_.notify_all();
  }

 private:
  void serve(unsigned ch) {
    DoorbellEnd* bell = bells_[ch].get();
    for (;;) {
      auto m = bell->wait();
      if (!m.ok() || dead_) return;
      SmcRegs out =
          answer(bell, conduit::to_regs(m->frame), m->fds.empty() ? UniqueFd() : std::move(m->fds.front()));
      if (dead_ || !bell->post(conduit::to_frame(out)).ok()) return;
    }
  }

  SmcRegs answer(DoorbellEnd* bell, const SmcRegs& in, UniqueFd fd) {
    SmcRegs out{};
    switch (in.a[0]) {
      case kSmcCallsUid:
        out.a[0] = opt_.uid0;
        out.a[1] = kApiUid1;
        out.a[2] = kApiUid2;
        out.a[3] = kApiUid3;
        break;
      case kSmcCallsRevision:
        out.a[0] = opt_.rev_major;
        out.a[1] = kRevisionMinor;
        break;
      case kSmcGetOsUuid:
        out.a[0] = kOsUuid0;
        out.a[1] = kOsUuid1;
        out.a[2] = kOsUuid2;
        out.a[3] = kOsUuid3;
        break;
      case kSmcGetOsRevision:
        out.a[0] = 1;
        out.a[1] = 0;
        break;
      case kSmcExchangeCapabilities:
        out.a[0] = kSmcReturnOk;
        out.a[1] = opt_.caps;
        out.a[3] = kRpcMaxParams;
        break;
      case kSmcGetShmConfig:
        out.a[0] = kSmcReturnOk;
        out.a[1] = opt_.shm_base;
        out.a[2] = opt_.channels * conduit::kCarveoutSlotSize;
        out.a[3] = kSmcShmCached;
        break;
      case kSmcGetThreadCount:
        out.a[0] = kSmcReturnOk;
        out.a[1] = opt_.reported_threads != 0 ? opt_.reported_threads : opt_.threads;
        break;
      case kSmcCallWithRpcArg:
        return yielding(bell, in, std::move(fd));
      case kSmcVmCreated:
      case kSmcVmDestroyed: {
        MutexLock l(mu_);
        vm_calls_.push_back({in.a[0], in.a[1], in.a[kSmcClientIdReg]});
        out.a[0] = in.a[0] == kSmcVmCreated ? vm_created_answer.load() : kSmcReturnOk;
        break;
      }
      default:
        out.a[0] = kSmcReturnUnknownFunction;
        break;
    }
    return out;
  }

  SmcRegs yielding(DoorbellEnd* bell, const SmcRegs& in, UniqueFd fd) {
    SmcRegs out{};
    if (in.a[kSmcClientIdReg] == unknown_client.load()) {
      out.a[0] = kSmcReturnENotAvail;
      return out;
    }
    // Secure threads: ETHREAD_LIMIT when all are busy.
    int busy = busy_.fetch_add(1) + 1;
    if (busy > static_cast<int>(opt_.threads)) {
      busy_.fetch_sub(1);
      ethread_limits.fetch_add(1);
      notify();
      out.a[0] = kSmcReturnEThreadLimit;
      return out;
    }
    int prev = max_busy.load();
    while (busy > prev && !max_busy.compare_exchange_weak(prev, busy)) {
    }
    yielding_calls.fetch_add(1);
    uint64_t phys = (in.a[1] << 32) | in.a[2];
    uint64_t off = phys - conduit::kCarveoutPhysBase;
    FakeCall c;
    c.sw = this;
    c.bell = bell;
    c.slot = map_.data() + off;
    c.client_id = in.a[kSmcClientIdReg];
    std::memcpy(&c.hdr, c.slot, sizeof(c.hdr));
    c.params.resize(c.hdr.num_params);
    if (!c.params.empty()) {
      std::memcpy(c.params.data(), c.slot + sizeof(MsgArgHeader), c.params.size() * sizeof(MsgParam));
    }
    c.hdr.ret = 0;
    c.hdr.ret_origin = 0;
    switch (static_cast<MsgCmd>(c.hdr.cmd)) {
      case MsgCmd::RegisterShm: {
        MutexLock l(mu_);
        ++register_calls_;
        registered_[c.params[0].u.tmem.shm_ref] = Registered{c.params[0].u.tmem.size, std::move(fd)};
        break;
      }
      case MsgCmd::UnregisterShm: {
        MutexLock l(mu_);
        registered_.erase(c.params[0].u.rmem.shm_ref);
        break;
      }
      case MsgCmd::OpenSession:
      case MsgCmd::InvokeCommand:
      case MsgCmd::CloseSession:
      case MsgCmd::Cancel:
      case MsgCmd::DoBottomHalf:
      case MsgCmd::StopAsyncNotif:
        if (on_call) {
          on_call(c);
        } else if (c.hdr.cmd == static_cast<uint32_t>(MsgCmd::OpenSession)) {
          c.hdr.session = 1;
        }
        break;
    }
    {
      MutexLock l(mu_);
      calls_.push_back(c.hdr);
      client_ids_.push_back(c.client_id);
    }
    std::memcpy(c.slot, &c.hdr, sizeof(c.hdr));
    if (!c.params.empty()) {
      std::memcpy(c.slot + sizeof(MsgArgHeader), c.params.data(), c.params.size() * sizeof(MsgParam));
    }
    busy_.fetch_sub(1);  // the thread is free before the answer, as in OP-TEE
    notify();
    out.a[0] = kSmcReturnOk;
    return out;
  }

  FakeOptions opt_;
  UniqueFd carveout_;
  Mapping map_;
  UniqueFd doorbell_;
  Mapping bell_map_;
  std::vector<UniqueFd> normal_, secure_;
  std::vector<std::unique_ptr<DoorbellEnd>> bells_;
  std::vector<std::thread> threads_;
  std::atomic<bool> dead_{false};
  std::atomic<int> busy_{0};

  mutable Mutex mu_;
  CondVar cv_;
  std::map<uint64_t, Registered> registered_ GUARDED_BY(mu_);
  int register_calls_ GUARDED_BY(mu_) = 0;
  std::vector<MsgArgHeader> calls_ GUARDED_BY(mu_);
  std::vector<uint64_t> client_ids_ GUARDED_BY(mu_);
  std::vector<std::array<uint64_t, 3>> vm_calls_ GUARDED_BY(mu_);
};

// A core::Context for driver tests.
class FakeContext final : public core::Context {
 public:
  FakeContext(uint64_t id, bool privileged, pid_t pid = ::getpid()) : id_(id) {
    desc_.name = privileged ? "teepriv0" : "tee0";
    desc_.privileged = privileged;
    cred_.pid = pid;
  }
  uint64_t id() const override { return id_; }
  uint32_t guest_id() const override { return guest_; }
  const PeerCred& peer() const override { return cred_; }
  const core::DeviceDesc& device() const override { return desc_; }
  core::DriverContextData* driver_data() const override { return data_.get(); }
  Result<std::shared_ptr<core::Shm>> shm_get(int id) override EXCLUDES(mu_) {
    MutexLock l(mu_);
    auto it = shms_.find(id);
    if (it == shms_.end()) return Error{EINVAL, "bad shm id"};
    return it->second;
  }

  // Allocates a shm owned by this context; `drv` gets shm_unregister on release.
  std::shared_ptr<core::Shm> alloc_shm(uint64_t size, core::TeeDriver* drv, bool keep = true) EXCLUDES(mu_) {
    MutexLock l(mu_);
    int id = next_id_++;
    auto shm = std::make_shared<core::Shm>(id, core::Shm::Kind::Alloc,
                                           std::move(*create_sealed_memfd("fake-shm", size)), size, this);
    if (drv != nullptr) {
      shm->set_release_hook(
          [](void* d, core::Shm& s) { static_cast<core::TeeDriver*>(d)->shm_unregister(s); }, drv);
    }
    if (keep) shms_[id] = shm;
    return shm;
  }
  void drop_shm(int id) EXCLUDES(mu_) {
    std::shared_ptr<core::Shm> gone;
    MutexLock l(mu_);
    auto it = shms_.find(id);
    if (it != shms_.end()) {
      gone = std::move(it->second);
      shms_.erase(it);
    }
  }

  std::unique_ptr<core::DriverContextData> data_;
  uint32_t guest_ = 0;  // Context::guest_id()

 private:
  uint64_t id_;
  core::DeviceDesc desc_;
  PeerCred cred_;
  Mutex mu_;
  int next_id_ GUARDED_BY(mu_) = 1;
  std::map<int, std::shared_ptr<core::Shm>> shms_ GUARDED_BY(mu_);
};

}  // namespace swtee::optee::testing
