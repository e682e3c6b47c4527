// One TA instance: a sandboxed TA process, its channel and parameter page,
// and the OS-side state of the conversation with it.
//
// Locking: every operation runs with mu() held for its whole duration, so
// the calls of all sessions of one instance are serialised (GP: a TA
// instance is single-threaded). Lock order: an instance's mu() before the
// host's table lock; never the other way round.
//
// Death: any EOF, error or protocol violation on the channel, a Panic
// message or a SIGKILL'd process makes the instance Dead: the process is
// killed, the channel closed, and every later call answers TARGET_DEAD
// (origin TEE). Closing a session of a dead instance still succeeds.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common/result.h"
#include "common/seqpacket.h"
#include "common/shm_file.h"
#include "common/thread_annotations.h"
#include "common/uid_shares.h"
#include "common/unique_fd.h"
#include "os/os_types.h"
#include "os/ta_host.h"
#include "os/ta_manager/cpu_follow.h"
#include "os/ta_manager/memref_windows.h"
#include "os/ta_manager/syscalls.h"
#include "protocol/ta_channel_link.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::os {

class ZygoteClient;

// GP lifecycle flags (TA_FLAG_*), taken from the signed image header.
inline constexpr uint32_t kTaFlagSingleInstance = 0x4;
inline constexpr uint32_t kTaFlagMultiSession = 0x8;
inline constexpr uint32_t kTaFlagKeepAlive = 0x10;
inline constexpr uint32_t kTaLifecycleFlags = kTaFlagSingleInstance | kTaFlagMultiSession | kTaFlagKeepAlive;

// Released when the instance's process is torn down; lets the host bound
// live instances (in all, and per uid: os/shared_pool.h) without tracking
// instance lifetimes itself. It also
// carries the host's count of deaths of the instance's TA (null: none).
class InstanceSlot {
 public:
  // `charge`: the instance's unit of the host's instance pool (null
  // charge: none, a spare not yet an instance).
  explicit InstanceSlot(ShareCharge charge = {}, std::shared_ptr<std::atomic<uint64_t>> deaths = nullptr)
      : charge_(std::move(charge)), deaths_(std::move(deaths)) {}
  ~InstanceSlot() { reset(); }
  InstanceSlot(const InstanceSlot&) = delete;
  InstanceSlot& operator=(const InstanceSlot&) = delete;
  void reset() { charge_.reset(); }
  // The instance died after its TA started (panic, crash, killed).
  void note_death() {
    if (deaths_) deaths_->fetch_add(1, std::memory_order_relaxed);
  }

 private:
  ShareCharge charge_;
  std::shared_ptr<std::atomic<uint64_t>> deaths_;
};

class TaInstance : public std::enable_shared_from_this<TaInstance> {
 public:
  enum class State { Alive, Dead, Destroyed };

  // Forks a TA process from `payload` (a sealed memfd holding the verified
  // ELF), checks what it reports against `uuid` and `signed_flags`, and runs
  // TA_CreateEntryPoint. On failure *err says why (GP result, origin TEE)
  // and nothing is left running: TARGET_DEAD when the process died before
  // it could serve (while loading, without a hello, or in the create),
  // BAD_FORMAT when it could not load the TA and said so.
  static std::shared_ptr<TaInstance> start(ZygoteClient& zygote, const Uuid& uuid, uint32_t signed_flags,
                                           int payload_fd, std::unique_ptr<InstanceSlot> slot, GpResult* err,
                                           std::shared_ptr<const SyscallTable> syscalls = nullptr,
                                           CallContext* call = nullptr);
  // The first half of start(): the process is forked, has loaded the TA,
  // checked it and sandboxed itself (its hello matched), but no GP entry
  // point has run. Such a spare becomes an instance with create().
  static std::shared_ptr<TaInstance> launch(ZygoteClient& zygote, const Uuid& uuid, uint32_t signed_flags,
                                            int payload_fd, std::unique_ptr<InstanceSlot> slot,
                                            GpResult* err);
  // The second half: TA_CreateEntryPoint, once. On failure the process is
  // gone (state Destroyed) and the result says why (GENERIC when the TA
  // refused, TARGET_DEAD when the process had died).
  // `call`: the open-session call that needs the instance (its RPC path
  // serves syscalls the create entry point makes); may be null.
  GpResult create(CallContext* call = nullptr) REQUIRES(mu_);
  // The other way for a spare to become an instance: its create entry point
  // runs with its first open_session, in the same exchange with the TA
  // process (kReqCreateFirst), as OP-TEE's libutee runs it inside the first
  // open. That open then fails as create() would if create fails.
  void defer_create() REQUIRES(mu_) { create_deferred_ = !created_; }
  // The syscall handlers this instance's TA may use (null: none; every
  // syscall then answers NOT_SUPPORTED). Set before create().
  void set_syscalls(std::shared_ptr<const SyscallTable> t) REQUIRES(mu_) { syscalls_ = std::move(t); }
  // Moves the instance onto another slot (a spare becoming an instance).
  void adopt_slot(std::unique_ptr<InstanceSlot> slot) REQUIRES(mu_) { slot_ = std::move(slot); }
  ~TaInstance();
  TaInstance(const TaInstance&) = delete;
  TaInstance& operator=(const TaInstance&) = delete;

  Mutex& mu() SWTEE_TSA(lock_returned(mu_)) { return mu_; }
  const Uuid& uuid() const { return uuid_; }
  uint32_t flags() const { return flags_; }
  bool single_instance() const { return (flags_ & kTaFlagSingleInstance) != 0; }
  bool multi_session() const { return (flags_ & kTaFlagMultiSession) != 0; }
  bool keep_alive() const { return (flags_ & kTaFlagKeepAlive) != 0; }
  pid_t pid() const { return pid_; }

  State state() const REQUIRES(mu_) { return state_; }
  unsigned sessions() const REQUIRES(mu_) { return sessions_; }
  // sessions() without the lock, for a BUSY answer that must not wait for
  // a long call of another session to end. May be stale; recheck locked.
  unsigned sessions_hint() const { return sessions_hint_.load(std::memory_order_acquire); }
  uint32_t panic_code() const REQUIRES(mu_) { return panic_code_; }

  // TA_OpenSessionEntryPoint. On success *ta_session is the TA-side id and
  // the session is counted.
  // `call` gives the entry point's syscalls their RPC path and the
  // cancellation of the client's request.
  // With a deferred create, *ran_create (if given) says that this open ran
  // it; a TEE-origin TARGET_DEAD then may mean the spare had died before.
  GpResult open_session(const ClientIdentity& client, OsParams& params, CallContext& call,
                        uint32_t* ta_session, bool* ran_create = nullptr) REQUIRES(mu_);
  GpResult invoke(uint32_t ta_session, uint32_t cmd, OsParams& params, CallContext& call) REQUIRES(mu_);
  // TA_CloseSessionEntryPoint (if alive); the session is no longer counted.
  // `call` may be null (no RPC for the entry point's syscalls then).
  void close_session(uint32_t ta_session, CallContext* call = nullptr) REQUIRES(mu_);
  // TA_DestroyEntryPoint (if alive), then the process is killed: after its
  // reply it waits for that (ta_runtime/dispatcher.h). Outside a TA's own
  // call, `call`'s thread may send the kill once its answer has gone out
  // (SecureRpc::kill_after_answer). State Destroyed.
  void destroy(CallContext* call = nullptr) REQUIRES(mu_);
  // After a clean Destroy, lets the process end on its own (up to 2 s)
  // before it is killed, so its exit handlers run: a --debug-ta process
  // writes its coverage data there (docs/debugging.md). Off by default:
  // other processes are killed at once.
  void let_exit_cleanly() REQUIRES(mu_) { exit_cleanly_ = true; }
  // Kills the process (test and shutdown aid).
  void kill() REQUIRES(mu_);
  // SIGKILL now, from any thread, whether a call runs or not (its guest is
  // gone): the call in progress, if any, ends TARGET_DEAD.
  void terminate(const char* why) EXCLUDES(kill_mu_);
  // Kills the process if call `seq` is still running (call_limits.h);
  // needs no mu(), which the running call holds.
  void expire(uint32_t seq, const char* why);

  // Nested TA-to-TA calls. A TA's TEE_OpenTASession/InvokeTACommand runs as
  // a syscall on the thread serving the caller, with the caller's mu()
  // held, so taking a callee's mu() may wait for a thread that waits for
  // us (A->B on one thread while B->A on another) or for ourselves (a
  // self-call, a cycle A->B->A).
  //
  // True when this thread is inside a call() of this instance.
  bool serving_on_this_thread() const;
  // True when this thread is inside a call() of any instance.
  static bool nested_on_this_thread();
  // Takes mu() for a call. Not nested: waits as long as it takes. Nested:
  // false at once when this thread serves this instance already, else
  // waits at most `max` (polling; giving up early once `cancel` is
  // requested). False: not locked; the caller answers BUSY.
  bool lock_for_call(const CancelState* cancel, std::chrono::milliseconds max) TRY_ACQUIRE(true, mu_);
  void unlock() RELEASE(mu_) { mu_.unlock(); }

 private:
  TaInstance(const Uuid& uuid, uint32_t flags) : uuid_(uuid), flags_(flags) {}

  GpResult await_hello(const Uuid& uuid, uint32_t signed_flags) REQUIRES(mu_);
  // One request/reply exchange. Fills *reply on success; a channel failure
  // marks the instance dead and returns TARGET_DEAD.
  // `req_flags`: kReq* (kReqCreateFirst with OpenSession only; the deferred
  // create counts as run from when the request is sent). A reply
  // with kRepCreateFailed ends the call with create's result, params
  // untouched.
  GpResult call(tachan::TaOp op, uint32_t session, uint32_t cmd, const ClientIdentity* client,
                OsParams* params, CallContext* ctx, tachan::TaReply* reply, uint32_t req_flags = 0)
      REQUIRES(mu_);
  // Ends the instance after its create entry point failed.
  GpResult create_failed(uint32_t ta_result) REQUIRES(mu_);
  // Serves one Syscall message that arrived during a call. False when the
  // instance had to die (malformed request, reply not sendable).
  bool serve_syscall(const tachan::TaSyscall& sc, std::span<const uint8_t> in, std::vector<UniqueFd> fds)
      REQUIRES(mu_);
  GpResult exchange(const tachan::TaRequest& req, std::span<const int> fds, tachan::TaReply* reply)
      REQUIRES(mu_);
  GpResult apply_reply(const tachan::TaRequest& req, const tachan::TaReply& rep, OsParams& params);
  void die(const char* why) REQUIRES(mu_);
  void teardown() REQUIRES(mu_);

  const Uuid uuid_;
  const uint32_t flags_;
  pid_t pid_ = -1;

  Mutex mu_;
  State state_ GUARDED_BY(mu_) = State::Alive;
  unsigned sessions_ GUARDED_BY(mu_) = 0;
  std::atomic<unsigned> sessions_hint_{0};
  uint32_t next_session_ GUARDED_BY(mu_) = 1;
  uint32_t seq_ GUARDED_BY(mu_) = 0;
  uint32_t panic_code_ GUARDED_BY(mu_) = 0;
  bool created_ GUARDED_BY(mu_) = false;
  bool create_deferred_ GUARDED_BY(mu_) = false;  // defer_create()
  bool exit_cleanly_ GUARDED_BY(mu_) = false;
  UniqueFd channel_ GUARDED_BY(mu_);  // the socket: set-up, fds, liveness
  // Messages after the hello (ta_channel_link.h); null before and after.
  std::unique_ptr<tachan::ChannelLink> link_ GUARDED_BY(mu_);
  // Guards pidfd_ and active_seq_, so a call limit can end a call that
  // holds mu_. Lock order: mu_ before kill_mu_.
  Mutex kill_mu_;
  UniqueFd pidfd_ GUARDED_BY(kill_mu_);
  uint32_t active_seq_ GUARDED_BY(kill_mu_) = 0;  // the call in progress, 0: none
  std::unique_ptr<InstanceSlot> slot_ GUARDED_BY(mu_);
  // The copies of the call's memrefs the TA maps (memref_windows.h).
  MemrefWindows windows_ GUARDED_BY(mu_);
  CpuFollow cpu_follow_ GUARDED_BY(mu_);  // where the TA process should run
  std::shared_ptr<const SyscallTable> syscalls_ GUARDED_BY(mu_);
  // The call being served (null between calls or when it has no context).
  CallContext* current_call_ GUARDED_BY(mu_) = nullptr;
  // Per-family syscall state; released in teardown().
  std::array<std::unique_ptr<SyscallState>, tachan::kNumSysFamilies> sys_state_ GUARDED_BY(mu_);
  // The instance's shared memory (the parameter page, then the channel
  // block); lives until the destructor because a cancel hook (which holds
  // a shared_ptr to this) may still write to it.
  UniqueFd page_fd_;
  Mapping page_;
};

}  // namespace swtee::os
