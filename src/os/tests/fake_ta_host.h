// Test doubles for the TA host and the per-call RPC services. They count
// lifecycle events so tests can check what the OS side did.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "common/thread_annotations.h"
#include "common/unique_fd.h"
#include "os/call_rpc.h"
#include "os/ta_host.h"

namespace swtee::os::testing {

// The TA the tests' fake hosts serve.
inline const Uuid kTa = *Uuid::parse("11111111-2222-3333-4444-555555555555");

class FakeCallRpc final : public CallRpc {
 public:
  void place_rpc_arg(std::span<uint8_t> area) override {
    placed = true;
    area_size = area.size();
  }
  GpResult load_ta(const Uuid& uuid, std::vector<uint8_t>& image) override {
    ++load_calls;
    image = {1, 2, 3};
    return {kTeeSuccess, 0};
  }
  bool placed = false;
  size_t area_size = 0;
  int load_calls = 0;
};

// A one-shot gate a test opens to let a blocked call finish.
class Gate {
 public:
  void open() {
    MutexLock l(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    MutexLock l(mu_);
    while (!open_) cv_.wait(mu_);
  }
  void mark_entered() {
    MutexLock l(mu_);
    entered_ = true;
    cv_.notify_all();
  }
  void wait_entered() {
    MutexLock l(mu_);
    while (!entered_) cv_.wait(mu_);
  }

 private:
  Mutex mu_;
  CondVar cv_;
  bool open_ GUARDED_BY(mu_) = false;
  bool entered_ GUARDED_BY(mu_) = false;
};

class FakeTaHost final : public TaHost {
 public:
  // Known user TA: this UUID opens; any other is ITEM_NOT_FOUND.
  explicit FakeTaHost(const Uuid& known) : known_(known) {}

  GpResult open_session(const Uuid& uuid, const ClientIdentity& client, OsParams& params, CallContext& call,
                        uint64_t* ta_session) override {
    ++opens;
    last_login = client.login;
    if (load_on_open) {
      std::vector<uint8_t> image;
      GpResult r = call.rpc.load_ta(uuid, image);
      last_image = image;
      if (r.ret != kTeeSuccess) return r;
    }
    if (uuid != known_) return {kTeeErrorItemNotFound, kTeeOriginTee};
    if (block_open) {
      call.cancel.set_hook([this] {
        ++cancel_hooks_run;
        gate.open();
      });
      gate.mark_entered();
      gate.wait();
      call.cancel.set_hook({});
      if (call.cancel.requested()) return {kTeeErrorCancel, kTeeOriginTee};
    }
    *ta_session = ++next_;
    ++live;
    return {kTeeSuccess, kTeeOriginTrustedApp};
  }
  GpResult invoke(uint64_t ta_session, uint32_t cmd, OsParams& params, CallContext& call) override {
    ++invokes;
    last_cmd = cmd;
    if (block_invoke) {
      call.cancel.set_hook([this] {
        ++cancel_hooks_run;
        gate.open();
      });
      gate.mark_entered();
      gate.wait();
      call.cancel.set_hook({});
      if (call.cancel.requested()) return {kTeeErrorCancel, kTeeOriginTrustedApp};
    }
    if (params[0].type == OsParamType::ValueInout) params[0].a = params[0].a * 2;
    return {kTeeSuccess, kTeeOriginTrustedApp};
  }
  void close_session(uint64_t ta_session) override {
    ++closes;
    --live;
  }
  // With kill_on_close set, a close offers that pidfd to the call's thread,
  // as the TA host does with a destroyed instance's process.
  void close_session(uint64_t ta_session, SecureRpc* rpc) override {
    if (rpc != nullptr && kill_on_close) kill_taken = rpc->kill_after_answer(kill_on_close);
    close_session(ta_session);
  }
  size_t instance_count() const override { return live > 0 ? 1 : 0; }

  std::atomic<int> opens{0}, invokes{0}, closes{0}, live{0}, cancel_hooks_run{0};
  std::atomic<uint32_t> last_cmd{0}, last_login{0};
  bool load_on_open = false;
  bool block_open = false;
  bool block_invoke = false;
  std::vector<uint8_t> last_image;
  UniqueFd kill_on_close;
  bool kill_taken = false;
  Gate gate;

 private:
  Uuid known_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace swtee::os::testing
