#include "os/ta_manager/ta_instance.h"

#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>

#include "common/checked_math.h"
#include "common/doorbell.h"
#include "common/log.h"
#include "common/pidfd.h"
#include "common/seqpacket.h"
#include "os/ta_manager/call_limits.h"
#include "os/ta_manager/cpu_follow.h"
#include "os/ta_manager/zygote_client.h"
#include "protocol/ta_channel_codec.h"

namespace swtee::os {
namespace {

using tachan::TaMsgKind;
using tachan::TaOp;

constexpr GpResult kTargetDead{kTeeErrorTargetDead, kTeeOriginTee};
constexpr GpResult tee_error(uint32_t code) { return GpResult{code, kTeeOriginTee}; }

// How long a new TA process may take to load (dlopen, ELF constructors)
// and say hello before it is killed.
constexpr int kHelloTimeoutMs = 10000;

bool readable_within(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  for (;;) {
    int n = ::poll(&p, 1, ms);
    if (n >= 0) return n == 1;
    if (errno != EINTR) return false;
  }
}

tachan::ParamPage* as_page(const Mapping& m) { return reinterpret_cast<tachan::ParamPage*>(m.data()); }
tachan::ChannelBlock* as_block(const Mapping& m) {
  return reinterpret_cast<tachan::ChannelBlock*>(static_cast<uint8_t*>(m.data()) +
                                                 tachan::kChannelBlockOffset);
}

// The instances whose call() this thread is inside, innermost last. The
// TA-to-TA depth limit keeps real chains far below the capacity; beyond
// it entries are counted but not recorded (lookups then miss, and the
// bounded wait of lock_for_call still ends any cycle).
struct ServingStack {
  static constexpr size_t kCapacity = 32;
  std::array<const TaInstance*, kCapacity> items{};
  size_t depth = 0;
};
thread_local ServingStack t_serving;

class ServingMark {
 public:
  explicit ServingMark(const TaInstance* inst) {
    if (t_serving.depth < ServingStack::kCapacity) t_serving.items[t_serving.depth] = inst;
    ++t_serving.depth;
  }
  ~ServingMark() { --t_serving.depth; }
  ServingMark(const ServingMark&) = delete;
  ServingMark& operator=(const ServingMark&) = delete;
};

}  // namespace

bool TaInstance::serving_on_this_thread() const {
  const size_t n = std::min(t_serving.depth, ServingStack::kCapacity);
  for (size_t i = 0; i < n; ++i)
    if (t_serving.items[i] == this) return true;
  return false;
}

bool TaInstance::nested_on_this_thread() { return t_serving.depth != 0; }

// The analysis cannot follow a lock taken in one branch and tried in a
// loop in the other; the contract (true = held) is in the declaration.
bool TaInstance::lock_for_call(const CancelState* cancel,
                               std::chrono::milliseconds max) NO_THREAD_SAFETY_ANALYSIS {
  if (!nested_on_this_thread()) {
    mu_.lock();
    return true;
  }
  if (serving_on_this_thread()) return false;
  const auto deadline = std::chrono::steady_clock::now() + max;
  auto pause = std::chrono::microseconds(50);
  for (;;) {
    if (mu_.try_lock()) return true;
    if ((cancel != nullptr && cancel->requested()) || std::chrono::steady_clock::now() >= deadline)
      return false;
    timespec ts{0, static_cast<long>(std::chrono::nanoseconds(pause).count())};
    ::nanosleep(&ts, nullptr);
    pause = std::min(pause * 2, std::chrono::microseconds(5000));
  }
}

std::shared_ptr<TaInstance> TaInstance::start(ZygoteClient& zygote, const Uuid& uuid, uint32_t signed_flags,
                                              int payload_fd, std::unique_ptr<InstanceSlot> slot,
                                              GpResult* err, std::shared_ptr<const SyscallTable> syscalls,
                                              CallContext* call) {
  auto inst = launch(zygote, uuid, signed_flags, payload_fd, std::move(slot), err);
  if (!inst) return nullptr;
  MutexLock l(inst->mu_);
  inst->set_syscalls(std::move(syscalls));
  GpResult r = inst->create(call);
  if (r.ret != kTeeSuccess) {
    *err = r;
    return nullptr;
  }
  return inst;
}

std::shared_ptr<TaInstance> TaInstance::launch(ZygoteClient& zygote, const Uuid& uuid, uint32_t signed_flags,
                                               int payload_fd, std::unique_ptr<InstanceSlot> slot,
                                               GpResult* err) {
  std::shared_ptr<TaInstance> inst(new TaInstance(uuid, signed_flags & kTaLifecycleFlags));
  auto page_fd = create_sealed_memfd("swtee-ta-shm", tachan::kInstanceShmSize);
  if (!page_fd.ok()) {
    *err = tee_error(kTeeErrorOutOfMemory);
    return nullptr;
  }
  auto page = Mapping::map(page_fd->get(), tachan::kInstanceShmSize);
  auto pair = seqpacket_pair();
  if (!page.ok() || !pair.ok()) {
    *err = tee_error(kTeeErrorOutOfMemory);
    return nullptr;
  }
  inst->page_fd_ = std::move(*page_fd);
  inst->page_ = std::move(*page);
  auto spawned = zygote.spawn(payload_fd, pair->second.get(), inst->page_fd_.get(), uuid);
  if (!spawned.ok()) {
    log::error("TA {}: cannot fork a TA process: {}", uuid.to_string(), spawned.error());
    *err = tee_error(spawned.error().code == ENOMEM || spawned.error().code == EAGAIN ? kTeeErrorOutOfMemory
                                                                                      : kTeeErrorGeneric);
    return nullptr;
  }
  pair->second.reset();  // the TA process holds its end
  MutexLock l(inst->mu_);
  inst->pid_ = spawned->pid;
  {
    MutexLock k(inst->kill_mu_);
    inst->pidfd_ = std::move(spawned->pidfd);
  }
  inst->channel_ = std::move(pair->first);
  inst->slot_ = std::move(slot);
  GpResult r = inst->await_hello(uuid, signed_flags);
  if (r.ret != kTeeSuccess) {
    inst->teardown();
    inst->state_ = State::Destroyed;
    *err = r;
    return nullptr;
  }
  // From the hello on, messages travel through the channel block.
  inst->link_ = std::make_unique<tachan::ChannelLink>(inst->channel_.get());
  inst->link_->attach(as_block(inst->page_), tachan::ChannelLink::Side::Os, tachan::ta_channel_spin_us(),
                      kDoorbellCheckMs);
  return inst;
}

TaInstance::~TaInstance() {
  MutexLock l(mu_);
  teardown();
}

GpResult TaInstance::await_hello(const Uuid& uuid, uint32_t signed_flags) {
  std::array<uint8_t, tachan::kMaxTaMessage> buf;
  std::string reason;  // what the TA process said while loading
  for (;;) {
    if (!readable_within(channel_.get(), kHelloTimeoutMs)) {
      die("TA process did not finish loading in time");
      return tee_error(kTeeErrorGeneric);
    }
    auto m = recv_message(channel_.get(), buf);
    if (!m.ok()) {
      // Gone without a word: killed, or its ELF constructors died. Not a
      // bad image (that one says so in its hello, below).
      die("TA process exited while loading");
      return tee_error(kTeeErrorTargetDead);
    }
    auto msg = tachan::decode_ta_message({buf.data(), m->length});
    if (!msg.ok() || !m->fds.empty()) {
      die("malformed hello");
      return tee_error(kTeeErrorSecurity);
    }
    if (msg->kind == TaMsgKind::Log) {
      log::info("TA {}: {}", uuid.to_string(), msg->log_text);
      reason = msg->log_text;
      continue;
    }
    if (msg->kind != TaMsgKind::Hello) {
      die("expected hello");
      return tee_error(kTeeErrorSecurity);
    }
    const tachan::TaHello& h = msg->hello;
    if (h.status != static_cast<uint32_t>(tachan::HelloStatus::Ok)) {
      // The default log level shows this: it is the answer to "why does
      // my TA not load" (an undefined symbol, a missing entry point, ...).
      log::error("TA {}: the TA process could not load it: {}", uuid.to_string(),
                 reason.empty() ? fmt::format("status {}", h.status) : reason);
      die("load failed");
      // A TA the platform cannot sandbox is not a malformed TA: GENERIC,
      // as for a TA process that cannot be forked.
      return tee_error(h.status == static_cast<uint32_t>(tachan::HelloStatus::SandboxFailed)
                           ? kTeeErrorGeneric
                           : kTeeErrorBadFormat);
    }
    Uuid reported;
    std::memcpy(reported.octets.data(), h.uuid, sizeof(h.uuid));
    if (h.abi_version != tachan::kTaAbiVersion || reported != uuid ||
        (h.flags & kTaLifecycleFlags) != (signed_flags & kTaLifecycleFlags)) {
      log::error(
          "TA {}: swtee_ta_info (uuid {}, flags {:#x}, abi {}) does not match the signed header "
          "(flags {:#x})",
          uuid.to_string(), reported.to_string(), h.flags, h.abi_version, signed_flags);
      die("ta info mismatch");
      return tee_error(kTeeErrorSecurity);
    }
    return GpResult{kTeeSuccess, kTeeOriginTee};
  }
}

GpResult TaInstance::create(CallContext* ctx) {
  if (created_ || state_ != State::Alive) return kTargetDead;
  created_ = true;
  tachan::TaReply rep{};
  GpResult r = call(TaOp::Create, 0, 0, nullptr, nullptr, ctx, &rep);
  // A TEE-origin failure is the channel's (the process died); otherwise the
  // call went through and rep.ret is the TA's answer.
  if (r.origin != kTeeOriginTee && rep.ret != kTeeSuccess) return create_failed(rep.ret);
  if (r.ret != kTeeSuccess) {
    teardown();
    state_ = State::Destroyed;
    return r;
  }
  return GpResult{kTeeSuccess, kTeeOriginTee};
}

// The open that ran it ends with create's own result, origin TRUSTED_APP:
// OP-TEE's libutee runs TA_CreateEntryPoint inside the open session entry
// and returns what it returned, and the core reports a TA's regular error
// with the TA as its origin (tee_ta_open_session).
GpResult TaInstance::create_failed(uint32_t ta_result) {
  log::info("TA {}: TA_CreateEntryPoint failed with {:#x}", uuid_.to_string(), ta_result);
  teardown();
  state_ = State::Destroyed;
  return GpResult{ta_result, kTeeOriginTrustedApp};
}

GpResult TaInstance::open_session(const ClientIdentity& client, OsParams& params, CallContext& ctx,
                                  uint32_t* ta_session, bool* ran_create) {
  if (state_ != State::Alive) return kTargetDead;
  uint32_t id = next_session_++;
  if (id == 0) id = next_session_++;
  const uint32_t flags = create_deferred_ ? tachan::kReqCreateFirst : 0;
  tachan::TaReply rep{};
  GpResult r = call(TaOp::OpenSession, id, 0, &client, &params, &ctx, &rep, flags);
  // call() counts the create as run once the request is on its way; an
  // open refused before that (its memrefs) leaves it for the next open.
  if (flags != 0 && ran_create != nullptr) *ran_create = created_;
  if (r.origin == kTeeOriginTrustedApp && (rep.flags & tachan::kRepCreateFailed) != 0)
    return create_failed(rep.ret);
  if (r.ret != kTeeSuccess && r.origin == kTeeOriginTee && flags != 0 && state_ != State::Alive) {
    // The process died during create or before it: as create() does.
    teardown();
    state_ = State::Destroyed;
    return r;
  }
  if (r.ret == kTeeSuccess) {
    ++sessions_;
    sessions_hint_.store(sessions_, std::memory_order_release);
    *ta_session = id;
  }
  return r;
}

GpResult TaInstance::invoke(uint32_t ta_session, uint32_t cmd, OsParams& params, CallContext& ctx) {
  if (state_ != State::Alive) return kTargetDead;
  tachan::TaReply rep{};
  return call(TaOp::Invoke, ta_session, cmd, nullptr, &params, &ctx, &rep);
}

void TaInstance::close_session(uint32_t ta_session, CallContext* ctx) {
  if (state_ == State::Alive) {
    tachan::TaReply rep{};
    (void)call(TaOp::CloseSession, ta_session, 0, nullptr, nullptr, ctx, &rep);
  }
  if (sessions_ > 0) --sessions_;
  sessions_hint_.store(sessions_, std::memory_order_release);
}

void TaInstance::destroy(CallContext* ctx) {
  if (state_ == State::Alive && created_) {
    tachan::TaReply rep{};
    (void)call(TaOp::Destroy, 0, 0, nullptr, nullptr, ctx, &rep);
    if (exit_cleanly_ && state_ == State::Alive) {
      MutexLock k(kill_mu_);
      if (pidfd_) (void)wait_exit(pidfd_.get(), 2000);
    } else if (state_ == State::Alive && ctx != nullptr && !nested_on_this_thread()) {
      // Its link goes below, so the process reaches nothing more; only its
      // end is left, and that can wait for the answer. Not for a TA's own
      // call (a nested close), whose answer may be far off.
      MutexLock k(kill_mu_);
      (void)ctx->rpc.kill_after_answer(pidfd_);
    }
  }
  teardown();
  state_ = State::Destroyed;
}

void TaInstance::kill() {
  MutexLock k(kill_mu_);
  if (pidfd_) kill_pidfd(pidfd_.get());
}

void TaInstance::terminate(const char* why) {
  MutexLock k(kill_mu_);
  if (!pidfd_) return;
  log::info("TA {} (pid {}): killing the instance: {}", uuid_.to_string(), pid_, why);
  kill_pidfd(pidfd_.get());
}

void TaInstance::expire(uint32_t seq, const char* why) {
  MutexLock k(kill_mu_);
  if (seq == 0 || active_seq_ != seq || !pidfd_) return;
  log::warn("TA {} (pid {}): killing the instance: {}", uuid_.to_string(), pid_, why);
  kill_pidfd(pidfd_.get());
}

void TaInstance::die(const char* why) {
  if (state_ == State::Alive) {
    log::warn("TA {} (pid {}): instance dead: {}", uuid_.to_string(), pid_, why);
    state_ = State::Dead;
    if (created_ && slot_) slot_->note_death();
  }
  teardown();
}

void TaInstance::teardown() {
  kill();
  {
    MutexLock k(kill_mu_);
    pidfd_.reset();
    active_seq_ = 0;
  }
  link_.reset();
  channel_.reset();
  windows_.reset();
  slot_.reset();
  // After the process is gone, or cut off with its kill to come: what the
  // TA held through syscalls (sessions to other TAs, open objects) is
  // released. Last, since a destructor may close sessions of other
  // instances (lock order: this one's mu first).
  for (auto& st : sys_state_) st.reset();
}

GpResult TaInstance::call(TaOp op, uint32_t session, uint32_t cmd, const ClientIdentity* client,
                          OsParams* params, CallContext* ctx, tachan::TaReply* reply, uint32_t req_flags) {
  if (!link_) return kTargetDead;
  tachan::TaRequest req{};
  req.magic = tachan::kRequestMagic;
  req.op = static_cast<uint32_t>(op);
  req.flags = req_flags;
  req.seq = ++seq_;
  if (req.seq == 0) req.seq = ++seq_;  // 0 never names a call (the page starts zeroed)
  req.session = session;
  req.cmd = cmd;
  if (client != nullptr) {
    req.login = client->login;
    std::memcpy(req.client_uuid, client->uuid.octets.data(), sizeof(req.client_uuid));
  }
  std::vector<int> fds;
  if (params != nullptr) {
    if (Status s = windows_.stage(*params, req, fds); !s.ok()) {
      if (s.error().code == EINVAL) return tee_error(kTeeErrorBadParameters);
      log::warn("TA {}: {}", uuid_.to_string(), s.error());
      return tee_error(kTeeErrorOutOfMemory);
    }
  }
  // Where the TA should run from this call on (cpu_follow.h): opens and
  // invokes only; a close or a destroy is no reason to move the process.
  const bool placed = op == TaOp::Invoke || op == TaOp::OpenSession;
  req.cpu = placed && cpu_follow_enabled() ? cpu_follow_.next(::sched_getcpu(), CpuFollow::Clock::now())
                                           : tachan::kCpuKeep;
  if ((req_flags & tachan::kReqCreateFirst) != 0) {
    // From here the TA process runs the deferred create (or is dead).
    create_deferred_ = false;
    created_ = true;
  }
  const uint32_t seq = req.seq;
  {
    MutexLock k(kill_mu_);
    active_seq_ = seq;
  }
  // No call holds a secure thread for ever: past its TA's time limit, or
  // a grace period after its cancel, the instance is killed
  // (call_limits.h) and the call ends TARGET_DEAD.
  std::weak_ptr<TaInstance> weak = weak_from_this();
  CancelTimer::Id limit_timer = 0;
  if (const auto limit = call_limits().limit_for(uuid_); limit.count() > 0)
    limit_timer = call_limit_timer().schedule(CancelTimer::Clock::now() + limit, [weak, seq] {
      if (auto self = weak.lock()) self->expire(seq, "the call exceeded the TA's call time limit");
    });
  CancelState* cancel = ctx != nullptr ? &ctx->cancel : nullptr;
  if (cancel != nullptr) {
    cancel->set_hook([self = shared_from_this(), weak, seq] {
      tachan::ParamPage* p = as_page(self->page_);
      p->cancel_seq.store(seq, std::memory_order_release);
      ::syscall(SYS_futex, &p->cancel_seq, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
      const auto grace = call_limits().cancel_grace;
      if (grace.count() > 0)
        (void)call_limit_timer().schedule(CancelTimer::Clock::now() + grace, [weak, seq] {
          if (auto inst = weak.lock()) inst->expire(seq, "the call was cancelled and did not return in time");
        });
    });
  }
  current_call_ = ctx;
  GpResult r;
  {
    ServingMark mark(this);
    r = exchange(req, fds, reply);
  }
  current_call_ = nullptr;
  if (cancel != nullptr) cancel->set_hook({});
  (void)call_limit_timer().cancel(limit_timer);
  {
    MutexLock k(kill_mu_);
    if (active_seq_ == seq) active_seq_ = 0;
  }
  if (r.ret == kTeeSuccess && (reply->flags & tachan::kRepCreateFailed) != 0 &&
      ((req_flags & tachan::kReqCreateFirst) == 0 || reply->ret == kTeeSuccess)) {
    die("reply says create failed, but no create ran or it succeeded");
    reply->flags = 0;
    r = kTargetDead;
  }
  if (r.ret != kTeeSuccess || (reply->flags & tachan::kRepCreateFailed) != 0) {
    // Nothing to copy back: the call failed, or create did and no open ran.
    (void)windows_.finish(req, nullptr, nullptr);
    return r.ret != kTeeSuccess ? r : GpResult{reply->ret, kTeeOriginTrustedApp};
  }
  if (params == nullptr) return GpResult{reply->ret, kTeeOriginTrustedApp};
  GpResult applied = apply_reply(req, *reply, *params);
  // Copy back what a validated reply reports (memref_windows.h).
  Status copied = windows_.finish(req, applied.origin == kTeeOriginTrustedApp ? reply : nullptr, params);
  if (!copied.ok()) {
    log::warn("TA {}: {}", uuid_.to_string(), copied.error());
    return tee_error(kTeeErrorGeneric);
  }
  return applied;
}

GpResult TaInstance::exchange(const tachan::TaRequest& req, std::span<const int> fds,
                              tachan::TaReply* reply) {
  const std::array<std::span<const uint8_t>, 1> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&req), sizeof(req))};
  if (!link_->send(parts, fds).ok()) {
    die("channel write failed");
    return kTargetDead;
  }
  // A private copy: the TA's message is read out of shared memory once,
  // into here, and only this copy is decoded (ta_channel_link.h).
  std::array<uint8_t, tachan::kMaxTaMessage> buf;
  for (;;) {
    auto m = link_->recv(buf);
    if (!m.ok()) {
      die(m.error().code == EPROTO ? "malformed message from the TA"
                                   : "channel closed (the TA process died)");
      return kTargetDead;
    }
    auto msg = tachan::decode_ta_message({buf.data(), m->length});
    const size_t fds_allowed = msg.ok() && msg->kind == TaMsgKind::Syscall ? msg->syscall.num_fds : 0;
    if (!msg.ok() || m->fds.size() != fds_allowed) {
      die("malformed message from the TA");
      return kTargetDead;
    }
    switch (msg->kind) {
      case TaMsgKind::Syscall:
        if (!serve_syscall(msg->syscall, msg->syscall_in, std::move(m->fds))) return kTargetDead;
        continue;
      case TaMsgKind::Log:
        log::info("TA {}: {}", uuid_.to_string(), msg->log_text);
        continue;
      case TaMsgKind::Panic:
        panic_code_ = msg->panic.code;
        log::error("TA {} (pid {}): TEE_Panic({:#x})", uuid_.to_string(), pid_, panic_code_);
        die("panicked");
        return kTargetDead;
      case TaMsgKind::Hello:
        die("unexpected hello");
        return kTargetDead;
      case TaMsgKind::Reply:
        if (msg->seq != req.seq) {
          die("reply to another call");
          return kTargetDead;
        }
        *reply = msg->reply;
        return GpResult{kTeeSuccess, kTeeOriginTee};
    }
    die("unknown message kind");
    return kTargetDead;
  }
}

bool TaInstance::serve_syscall(const tachan::TaSyscall& sc, std::span<const uint8_t> in,
                               std::vector<UniqueFd> fds) {
  const auto family = static_cast<tachan::SysFamily>(sc.family);  // decode checked the range
  SyscallArgs args;
  args.fn = sc.fn;
  std::memcpy(args.args.data(), sc.args, sizeof(sc.args));
  args.in = in;
  args.fds = std::move(fds);
  SyscallOut out;
  SyscallFamily* handler = syscalls_ ? syscalls_->get(family) : nullptr;
  if (handler == nullptr) {
    out.ret = kTeeErrorNotSupported;
  } else {
    SyscallContext sctx{*this, uuid_, current_call_, sys_state_[sc.family],
                        current_call_ != nullptr ? current_call_->depth : 0};
    handler->handle(sctx, args, out);
  }
  if (out.kill || out.out.size() > tachan::kMaxSyscallInline) {
    die(out.kill ? "malformed syscall" : "syscall output too large");
    return false;
  }
  // The handler may have found the instance dead (a nested call to itself
  // cannot get here, but a handler may kill() it); then stop talking.
  if (!link_) return false;
  tachan::TaSyscallReply rep{};
  rep.magic = tachan::kSysReplyMagic;
  rep.family = sc.family;
  rep.fn = sc.fn;
  rep.ret = out.ret;
  rep.origin = out.origin;
  rep.out_len = static_cast<uint32_t>(out.out.size());
  std::memcpy(rep.vals, out.vals.data(), sizeof(rep.vals));
  if (!tachan::send_syscall_reply(*link_, rep, out.out).ok()) {
    die("channel write failed");
    return false;
  }
  return true;
}

GpResult TaInstance::apply_reply(const tachan::TaRequest& req, const tachan::TaReply& rep, OsParams& params) {
  // Validate everything first, then write: a rejected reply changes nothing.
  for (size_t i = 0; i < kNumGpParams; ++i) {
    const uint32_t t = req.params[i].type;
    if (!tachan::is_output_type(t)) continue;
    const tachan::TaOutParam& o = rep.params[i];
    if (tachan::is_value_type(t) && (o.a > UINT32_MAX || o.b > UINT32_MAX)) {
      log::warn("TA {}: output value {} wider than 32 bits", uuid_.to_string(), i);
      return tee_error(kTeeErrorGeneric);
    }
    // A size beyond the buffer is only a report of the size needed
    // (SHORT_BUFFER idiom); with success it would claim bytes that are not there.
    if (tachan::is_memref_type(t) && o.a > req.params[i].b && rep.ret == kTeeSuccess) {
      log::warn("TA {}: memref {} size {} exceeds its buffer ({}) on success", uuid_.to_string(), i, o.a,
                req.params[i].b);
      return tee_error(kTeeErrorGeneric);
    }
  }
  for (size_t i = 0; i < kNumGpParams; ++i) {
    const uint32_t t = req.params[i].type;
    if (!tachan::is_output_type(t)) continue;
    const tachan::TaOutParam& o = rep.params[i];
    if (tachan::is_value_type(t)) {
      params[i].a = static_cast<uint32_t>(o.a);
      params[i].b = static_cast<uint32_t>(o.b);
    } else {
      params[i].size = o.a;
    }
  }
  return GpResult{rep.ret, kTeeOriginTrustedApp};
}

}  // namespace swtee::os
