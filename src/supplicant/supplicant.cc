#include "supplicant/supplicant.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include "common/log.h"
#include "protocol/gp_results.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::supp {
namespace {

constexpr uint64_t kMetaAttr = TEE_IOCTL_PARAM_ATTR_META;
constexpr uint64_t kMetaReplyAttr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | TEE_IOCTL_PARAM_ATTR_META;

}  // namespace

Supplicant::Supplicant(RpcEnv env, uint32_t max_threads)
    : env_(env),
      max_threads_(max_threads == 0 ? 1 : max_threads),
      done_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

Supplicant::~Supplicant() {
  stop();
  (void)wait();
}

Status Supplicant::start() {
  if (!done_) return Error{EMFILE, "eventfd"};
  MutexLock l(mu_);
  return spawn_worker();
}

Status Supplicant::spawn_worker() {
  pthread_t t;
  if (int e = ::pthread_create(&t, nullptr, &Supplicant::thread_main, this); e != 0)
    return Error{e, "pthread_create"};
  threads_.push_back(t);
  ++live_;
  ++stats_.threads_started;
  return ok_status();
}

void* Supplicant::thread_main(void* self) {
  static_cast<Supplicant*>(self)->worker();
  return nullptr;
}

void Supplicant::stop() {
  {
    MutexLock l(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  env_.transport.shutdown();
}

Status Supplicant::wait() {
  std::vector<pthread_t> threads;
  {
    MutexLock l(mu_);
    while (live_ != 0) cv_.wait(mu_);
    threads.swap(threads_);
  }
  for (pthread_t t : threads) ::pthread_join(t, nullptr);
  MutexLock l(mu_);
  return exit_status_;
}

SupplicantStats Supplicant::stats() const {
  MutexLock l(mu_);
  return stats_;
}

void Supplicant::worker() {
  // Slot 0 announces META (async) support; the rest receive the request.
  std::vector<tee_ioctl_param> offered(1 + optee::kRpcMaxParams, tee_ioctl_param{});
  for (;;) {
    offered[0] = tee_ioctl_param{kMetaAttr, 0, 0, 0};
    for (size_t i = 1; i < offered.size(); ++i) offered[i] = tee_ioctl_param{};
    {
      MutexLock l(mu_);
      if (stopping_) break;
      ++waiting_;
    }
    auto msg = env_.transport.recv(offered);
    bool meta = false;
    {
      MutexLock l(mu_);
      --waiting_;
      if (!msg.ok()) {
        if (!stopping_) {
          log::error("SUPPL_RECV failed: {}", msg.error());
          exit_status_ = msg.error();
          stopping_ = true;
        }
        break;
      }
      ++stats_.requests;
      meta = !msg->params.empty() && msg->params[0].attr == kMetaReplyAttr;
      // Only in async mode may several workers hold requests at once.
      if (meta && waiting_ == 0 && live_ < max_threads_ && !stopping_) {
        if (auto s = spawn_worker(); !s.ok())
          log::warn("cannot start another supplicant worker: {}", s.error());
      }
    }
    if (!handle(*msg, meta)) {
      MutexLock l(mu_);
      if (!stopping_) {
        exit_status_ = Error{ECONNRESET, "SUPPL_SEND failed"};
        stopping_ = true;
      }
      break;
    }
  }
  env_.transport.shutdown();  // wake the others: one failure ends the loop
  MutexLock l(mu_);
  if (--live_ == 0) {
    uint64_t one = 1;
    (void)!::write(done_.get(), &one, sizeof(one));
  }
  cv_.notify_all();
}

bool Supplicant::handle(SuppMessage& msg, bool meta) {
  const size_t first = meta ? 1 : 0;
  std::span<tee_ioctl_param> params(msg.params.data() + first, msg.params.size() - first);
  RpcArgs args(params, env_.shms);
  SuppMessage reply;
  reply.code = dispatch_rpc(env_, msg.code, args);
  reply.params = std::move(msg.params);
  log::debug("RPC {} → {:#x}", msg.code, reply.code);
  auto s = env_.transport.send(reply);
  if (!s.ok()) {
    log::error("SUPPL_SEND failed: {}", s.error());
    // Only a dead transport ends the loop; a request the driver no longer
    // knows (its client died: ENOENT) or rejected is dropped.
    const int e = s.error().code;
    return !(e == ECONNRESET || e == EPIPE || e == ENOTCONN || e == ESHUTDOWN || e == EBADF);
  }
  return true;
}

}  // namespace swtee::supp
