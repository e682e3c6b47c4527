#include "daemon/guest_conn.h"

#include <sys/socket.h>

#include "common/log.h"
#include "core/os_thread.h"
#include "protocol/remote_codec.h"

namespace swtee::daemon {
namespace {

using remote::MsgType;

std::vector<uint8_t> refusal(MsgType request, uint64_t tag, int err) {
  if (request == MsgType::CloseSession)
    return remote::encode_fixed(MsgType::CloseReply, tag, remote::CloseReplyBody{-err, 0});
  remote::CallReplyBody b{};
  b.rc = -err;
  return remote::encode_fixed(MsgType::CallReply, tag, b);
}

}  // namespace

void GuestConn::shutdown() { ::shutdown(sock_.get(), SHUT_RDWR); }

void GuestConn::send(std::span<const uint8_t> frame) {
  MutexLock l(write_mu_);
  if (Status st = remote::write_frame(sock_.get(), frame); !st.ok()) {
    log::debug("guest {} ({}): reply not delivered: {}", guest_id_, who_, st.error());
    shutdown();
  }
}

std::shared_ptr<HostContext> GuestConn::context(uint64_t id, bool create) {
  MutexLock l(mu_);
  auto it = contexts_.find(id);
  if (it != contexts_.end()) return it->second;
  if (!create || ended_ || contexts_.size() >= remote::kMaxContextsPerGuest) return nullptr;
  auto c = HostContext::open(core_, device_, guest_id_);
  if (!c.ok()) {
    log::warn("guest {} ({}): no host context: {}", guest_id_, who_, c.error());
    return nullptr;
  }
  std::shared_ptr<HostContext> ctx = std::move(c).value();
  contexts_.emplace(id, ctx);
  return ctx;
}

void GuestConn::run(const remote::Frame& f) {
  const uint64_t tag = f.hdr.tag;
  switch (f.type()) {
    case MsgType::OpenSession: {
      auto m = remote::decode_open_session(f.body);
      if (!m.ok()) break;
      auto ctx = context(m->fixed.context, true);
      send(ctx ? ctx->open_session(tag, *m) : refusal(f.type(), tag, EMFILE));
      return;
    }
    case MsgType::Invoke: {
      auto m = remote::decode_invoke(f.body);
      if (!m.ok()) break;
      auto ctx = context(m->fixed.context, false);
      send(ctx ? ctx->invoke(tag, *m) : refusal(f.type(), tag, EINVAL));
      return;
    }
    case MsgType::CloseSession: {
      auto m = remote::decode_close_session(f.body);
      if (!m.ok()) break;
      auto ctx = context(m->context, false);
      send(ctx ? ctx->close_session(tag, m->session) : refusal(f.type(), tag, EINVAL));
      return;
    }
    default:
      break;
  }
  log::warn("guest {} ({}): malformed request; ending the connection", guest_id_, who_);
  shutdown();
}

void GuestConn::worker() {
  for (;;) {
    remote::Frame f;
    {
      MutexLock l(mu_);
      while (queue_.empty() && !ended_) {
        ++idle_;
        cv_.wait(mu_);
        --idle_;
      }
      if (queue_.empty()) {
        --workers_;
        cv_.notify_all();
        return;
      }
      f = std::move(queue_.front());
      queue_.pop_front();
    }
    run(f);
    MutexLock l(mu_);
    --queued_or_running_;
    cv_.notify_all();
  }
}

void GuestConn::dispatch(remote::Frame f) {
  const MsgType t = f.type();
  const uint64_t tag = f.hdr.tag;
  int refuse = 0;
  {
    MutexLock l(mu_);
    if (queued_or_running_ >= remote::kMaxInflightPerGuest) {
      refuse = EBUSY;
    } else {
      queue_.push_back(std::move(f));
      ++queued_or_running_;
      if (idle_ == 0) {
        ++workers_;
        if (!core::OsThread::spawn_detached([self = shared_from_this()] { self->worker(); }).ok()) {
          --workers_;
          if (workers_ == 0) {  // nobody can serve it
            queue_.pop_back();
            --queued_or_running_;
            refuse = EAGAIN;
          }
        }
      }
      cv_.notify_one();
    }
  }
  if (refuse != 0) send(refusal(t, tag, refuse));
}

void GuestConn::serve() {
  for (;;) {
    auto f = remote::read_frame(sock_.get());
    if (!f.ok()) {
      if (f.error().code != ECONNRESET)
        log::warn("guest {} ({}): {}; ending the connection", guest_id_, who_, f.error());
      break;
    }
    const MsgType t = f->type();
    if (t == MsgType::OpenSession || t == MsgType::Invoke || t == MsgType::CloseSession) {
      dispatch(std::move(f).value());
      continue;
    }
    if (t == MsgType::Cancel) {
      auto m = remote::decode_cancel(f->body);
      if (!m.ok()) break;
      if (auto ctx = context(m->context, false)) ctx->cancel(m->session, m->cancel_id);
      continue;
    }
    if (t == MsgType::CloseContext) {
      auto m = remote::decode_close_context(f->body);
      if (!m.ok()) break;
      std::shared_ptr<HostContext> gone;
      {
        MutexLock l(mu_);
        auto it = contexts_.find(m->context);
        if (it != contexts_.end()) {
          gone = std::move(it->second);
          contexts_.erase(it);
        }
      }
      if (gone) gone->disconnect();
      continue;
    }
    if (t == MsgType::GuestBye) break;
    log::warn("guest {} ({}): unexpected frame type {}; ending the connection", guest_id_, who_, f->hdr.type);
    break;
  }
  shutdown();
  std::map<uint64_t, std::shared_ptr<HostContext>> gone;
  {
    MutexLock l(mu_);
    ended_ = true;
    queued_or_running_ -= static_cast<uint32_t>(queue_.size());
    queue_.clear();
    gone.swap(contexts_);
    cv_.notify_all();
  }
  for (auto& [id, ctx] : gone) ctx->disconnect();
  MutexLock l(mu_);
  while (workers_ != 0 || queued_or_running_ != 0) cv_.wait(mu_);
}

}  // namespace swtee::daemon
