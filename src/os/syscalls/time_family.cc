#include "os/syscalls/time_family.h"

#include <time.h>

#include <optional>

#include "os/fs_rpc.h"
#include "protocol/syscalls/time_abi.h"

namespace swtee::os {
namespace {

using time_abi::TimeFn;

// Persistent-time records, each in its TA's own OS object store, reached through
// the calling secure thread's REE FS path (opened on first use).
class CallStorage final : public PersistentTimeStorage {
 public:
  CallStorage(StorageService* service, CallContext* call) : service_(service), call_(call) {}

  Result<std::vector<uint8_t>> load(const Uuid& ta) override {
    ASSIGN_OR_RETURN(auto store, ta_store(ta));
    // One byte more than a record: a longer object is malformed, not cut.
    return store->read(*fs_, ta.octets, 0, kPersistentTimeRecordSize + 1);
  }
  Status save(const Uuid& ta, std::span<const uint8_t> record) override {
    ASSIGN_OR_RETURN(auto store, ta_store(ta));
    return store->create(*fs_, ta.octets, {}, record, /*overwrite=*/true);
  }
  Status reset(const Uuid& ta) override {
    ASSIGN_OR_RETURN(auto store, ta_store(ta));
    return store->reset_after_rollback(*fs_);
  }

 private:
  Result<std::shared_ptr<storage::TaStore>> ta_store(const Uuid& ta) {
    if (service_ == nullptr) return Error{ECONNRESET, "no trusted storage"};
    if (!call_fs_) {
      ThreadRpc* t = call_ != nullptr ? call_->rpc.thread_rpc() : nullptr;
      if (t == nullptr) return Error{ECONNRESET, "no REE FS path in this call"};
      call_fs_.emplace(*t, *service_);
      fs_ = &call_fs_->fs();
    }
    ASSIGN_OR_RETURN(auto objects, service_->store(*fs_));
    return objects->ta(persistent_time_store_uuid(ta));
  }

  StorageService* const service_;
  CallContext* const call_;
  std::optional<CallFs> call_fs_;
  storage::FsBackend* fs_ = nullptr;  // call_fs_'s, once made
};

class TimeFamily final : public SyscallFamily {
 public:
  TimeFamily(std::shared_ptr<StorageService> storage, WallClock& clock)
      : storage_(std::move(storage)), persistent_(clock) {}

  void handle(SyscallContext& ctx, SyscallArgs& args, SyscallOut& out) override {
    // The runtime sends no inline bytes or fds with these calls.
    if (args.fn >= time_abi::kNumTimeFns || !args.in.empty() || !args.fds.empty()) {
      out.kill = true;
      return;
    }
    switch (static_cast<TimeFn>(args.fn)) {
      case TimeFn::GetReeTime: {
        uint32_t s = 0, ms = 0;
        ree_time(ctx.call != nullptr ? &ctx.call->rpc : nullptr, &s, &ms);
        out.vals[0] = s;
        out.vals[1] = ms;
        return;
      }
      case TimeFn::GetPersistentTime: {
        CallStorage st(storage_.get(), ctx.call);
        TaTime t;
        out.ret = persistent_.get(st, ctx.ta_uuid, &t);
        out.vals[0] = t.seconds;
        out.vals[1] = t.millis;
        return;
      }
      case TimeFn::SetPersistentTime: {
        // The runtime panics the TA on millis > 999 before asking.
        if (args.args[0] > UINT32_MAX || args.args[1] > 999) {
          out.kill = true;
          return;
        }
        CallStorage st(storage_.get(), ctx.call);
        out.ret =
            persistent_.set(st, ctx.ta_uuid,
                            TaTime{static_cast<uint32_t>(args.args[0]), static_cast<uint32_t>(args.args[1])});
        return;
      }
    }
    out.kill = true;
  }

 private:
  const std::shared_ptr<StorageService> storage_;
  PersistentTime persistent_;
};

}  // namespace

void ree_time(SecureRpc* rpc, uint32_t* seconds, uint32_t* millis) {
  if (rpc != nullptr) {
    uint32_t s = 0, ns = 0;
    GpResult r = rpc->get_ree_time(&s, &ns);
    if (r.ret == kTeeSuccess && ns < 1000000000u) {
      *seconds = s;
      *millis = ns / 1000000u;
      return;
    }
  }
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  *seconds = static_cast<uint32_t>(ts.tv_sec);
  *millis = static_cast<uint32_t>(ts.tv_nsec / 1000000);
}

std::shared_ptr<SyscallFamily> make_time_family(std::shared_ptr<StorageService> storage, WallClock& clock) {
  return std::make_shared<TimeFamily>(std::move(storage), clock);
}

}  // namespace swtee::os
