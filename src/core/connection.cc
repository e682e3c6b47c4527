#include "core/connection.h"

#include <swtee/uapi/tee.h>
#include <sys/socket.h>

#include <array>

#include "common/log.h"
#include "common/seqpacket.h"
#include "core/dispatch.h"
#include "core/os_thread.h"
#include "uapi/uapi_codec.h"

namespace swtee::core {
namespace {

// Twice the largest request: an oversized request still arrives whole, so
// its tag is known and the EINVAL reply can be attributed.
constexpr size_t kRecvBufSize = 2 * SWTEE_UAPI_MAX_MSG;

}  // namespace

std::shared_ptr<Connection> Connection::create(ConnectionOwner& owner, std::unique_ptr<ContextImpl> ctx,
                                               UniqueFd sock) {
  return std::make_shared<Connection>(Tag{}, owner, std::move(ctx), std::move(sock));
}

Status Connection::start() {
  bool ok;
  {
    MutexLock l(mu_);
    ok = spawn_follower();
    if (!ok) closed_ = true;
  }
  if (!ok) {
    teardown();
    return Error{EAGAIN, "cannot start a serving thread"};
  }
  return ok_status();
}

void Connection::shutdown() { ::shutdown(sock_.get(), SHUT_RDWR); }

bool Connection::spawn_follower() {
  ++threads_;
  Status st = OsThread::spawn_detached([self = shared_from_this()] { self->serve(); });
  if (st.ok()) return true;
  --threads_;
  log::warn("{}: context {}: no thread for a follower: {}", ctx_->device().name, ctx_->id(), st.error());
  return false;
}

void Connection::send_reply(uint32_t tag, int32_t rc, const HandlerReply* reply) {
  std::span<const uint8_t> arg;
  int fd = -1;
  if (reply != nullptr) {
    arg = reply->arg;
    if (reply->send_fd_of) fd = reply->send_fd_of->fd();
  }
  swtee_uapi_resp_hdr hdr = uapi::make_reply_header(rc, tag, arg.size());
  std::array<std::span<const uint8_t>, 2> parts{
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)), arg};
  std::span<const int> fds = fd >= 0 ? std::span<const int>(&fd, 1) : std::span<const int>();
  Status st = send_message_parts(sock_.get(), parts, fds);
  if (!st.ok()) {
    log::debug("{}: context {}: reply not delivered: {}", ctx_->device().name, ctx_->id(), st.error());
    if (reply != nullptr && reply->on_send_failure) reply->on_send_failure();
  }
}

void Connection::run(std::span<const uint8_t> msg, std::vector<UniqueFd>& fds,
                     const std::function<void()>& before_reply) {
  const auto reply = [&](uint32_t tag, int32_t rc, const HandlerReply* r) {
    if (before_reply) before_reply();
    send_reply(tag, rc, r);
  };
  auto frame = uapi::decode_request_frame(msg);
  if (!frame.ok()) {
    reply(uapi::peek_request_tag(msg).value_or(uapi::kUnattributedTag), -frame.error().code, nullptr);
    return;
  }
  const uint32_t tag = frame->hdr.tag;
  auto cmd = uapi::uapi_cmd_from_number(frame->hdr.cmd);
  if (!cmd) {
    reply(tag, -EINVAL, nullptr);
    return;
  }
  const DispatchEntry& e = dispatch_entry(*cmd);
  if (!fds.empty() && e.takes_fds == TakesFds::No) {
    reply(tag, -EINVAL, nullptr);
    return;
  }
  Result<HandlerReply> r = e.handler(*ctx_, frame->arg, fds);
  if (!r.ok()) {
    log::debug("{}: {} failed: {}", ctx_->device().name, uapi::uapi_cmd_name(*cmd), r.error());
    reply(tag, -r.error().code, nullptr);
    return;
  }
  reply(tag, 0, &r.value());
}

Connection::Read Connection::read_one(std::span<uint8_t> buf, size_t& len, std::vector<UniqueFd>& fds) {
  auto msg = recv_message_spin(sock_.get(), buf, read_spin_);
  if (!msg.ok()) {
    if (msg.error().code == EMSGSIZE) {
      send_reply(uapi::kUnattributedTag, -EINVAL, nullptr);
      return Read::Handled;
    }
    return Read::Closed;
  }
  len = msg->length;
  fds = std::move(msg->fds);
  std::span<const uint8_t> m(buf.data(), len);
  // Only a well-formed frame of a blocking command leaves the leader; any
  // error reply is cheap and sent inline.
  auto frame = uapi::decode_request_frame(m);
  if (frame.ok()) {
    if (auto cmd = uapi::uapi_cmd_from_number(frame->hdr.cmd)) {
      switch (dispatch_entry(*cmd).blocking) {
        case Blocking::Yes:
          return Read::Blocking;
        case Blocking::No:
          break;
      }
    }
  }
  run(m, fds);
  return Read::Handled;
}

void Connection::serve() {
  std::vector<uint8_t> buf(kRecvBufSize);
  const uint32_t max_inflight = ctx_->dev().limits().max_inflight_per_context;
  const uint32_t max_idle = ctx_->dev().limits().max_idle_threads_per_context;
  mu_.lock();
  for (;;) {
    while (leader_ && !closed_) {
      ++idle_;
      cv_.wait(mu_);
      --idle_;
    }
    if (closed_) break;
    leader_ = true;
    mu_.unlock();

    size_t len = 0;
    std::vector<UniqueFd> fds;
    Read r = Read::Handled;
    while (r == Read::Handled) r = read_one(buf, len, fds);

    mu_.lock();
    leader_ = false;
    switch (r) {
      case Read::Handled:
        break;
      case Read::Closed: {
        closed_ = true;
        cv_.notify_all();
        mu_.unlock();
        ctx_->dev().driver().close_context(*ctx_);
        mu_.lock();
        break;
      }
      case Read::Blocking: {
        const std::span<const uint8_t> msg(buf.data(), len);
        if (in_flight_ >= max_inflight) {
          // Leadership is free again: a parked thread may take it while
          // this one answers.
          if (idle_ > 0) cv_.notify_one();
          mu_.unlock();
          send_reply(uapi::peek_request_tag(msg).value_or(uapi::kUnattributedTag), -EBUSY, nullptr);
          mu_.lock();
          continue;
        }
        ++in_flight_;
        if (idle_ > 0) {
          cv_.notify_one();
        } else if (!spawn_follower()) {
          // Nobody reads until this call returns; the client is served late,
          // not wrongly.
        }
        mu_.unlock();
        // Every path of run() replies, so the slot is freed exactly once.
        run(msg, fds, [this] {
          mu_.lock();
          --in_flight_;
          mu_.unlock();
        });
        mu_.lock();
        break;
      }
    }
    if (closed_) break;
    if (leader_ && idle_ >= max_idle) break;  // enough threads parked already
  }
  --threads_;
  const bool last = closed_ && threads_ == 0;
  mu_.unlock();
  if (last) teardown();
}

void Connection::teardown() {
  Device& dev = ctx_->dev();
  TeeDriver& drv = dev.driver();
  for (uint32_t s : ctx_->sessions().take_all()) {
    if (!dev.has(OptionalOp::CloseSession)) break;
    if (Status st = drv.close_session(*ctx_, s); !st.ok())
      log::warn("{}: context {}: closing session {} failed: {}", dev.desc().name, ctx_->id(), s, st.error());
  }
  dev.shms().release_all(ctx_.get());
  dev.contexts.fetch_sub(1, std::memory_order_relaxed);
  drv.release(*ctx_);
  ctx_->drop_driver_data();
  owner_.connection_finished(ctx_->id());
}

}  // namespace swtee::core
