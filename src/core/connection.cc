#include "core/connection.h"

#include <swtee/uapi/tee.h>
#include <sys/socket.h>

#include <array>

#include "common/log.h"
#include "common/seqpacket.h"
#include "core/dispatch.h"
#include "core/os_thread.h"
#include "uapi/slot_codec.h"
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

void Connection::send_reply(uint32_t tag, int32_t rc, const HandlerReply* reply, int fd) {
  std::span<const uint8_t> arg;
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
  if (e.handler == nullptr) {  // served by the connection itself (read_one)
    reply(tag, -EINVAL, nullptr);
    return;
  }
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
      if (*cmd == uapi::UapiCmd::SlotOpen && fds.empty()) {
        open_slot(frame->hdr.tag, frame->arg);
        return Read::Handled;
      }
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
        for (RequestSlot* s : slots_) s->bell().interrupt();
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

void Connection::open_slot(uint32_t tag, std::span<const uint8_t> arg) {
  if (!uapi::decode_slot_open(arg).ok()) return send_reply(tag, -EINVAL, nullptr);
  Device& dev = ctx_->dev();
  bool full;
  {
    MutexLock l(mu_);
    full = slots_.size() >= dev.limits().max_slots_per_context;
  }
  if (full) return send_reply(tag, -EBUSY, nullptr);
  auto charge = dev.quotas().take(ctx_->peer().uid, Pool::Slots, 1);
  if (!charge.ok()) return send_reply(tag, -ENOSPC, nullptr);
  auto created = RequestSlot::create(sock_.get(), std::move(charge).value());
  if (!created.ok()) {
    log::warn("{}: context {}: no request slot: {}", ctx_->device().name, ctx_->id(), created.error());
    return send_reply(tag, -created.error().code, nullptr);
  }
  std::shared_ptr<RequestSlot> slot = std::move(created).value();
  UniqueFd memfd = slot->take_memfd();
  {
    MutexLock l(mu_);
    ++threads_;
    slots_.push_back(slot.get());
  }
  Status st = OsThread::spawn_detached([self = shared_from_this(), slot]() mutable {
    self->serve_slot(slot);
    slot.reset();  // unmapped, its pool share given back, before teardown may run
    self->mu_.lock();
    --self->threads_;
    const bool last = self->closed_ && self->threads_ == 0;
    self->mu_.unlock();
    if (last) self->teardown();
  });
  if (!st.ok()) {
    {
      MutexLock l(mu_);
      std::erase(slots_, slot.get());
      --threads_;  // the leader itself is still running: never the last
    }
    log::warn("{}: context {}: no thread for a request slot: {}", ctx_->device().name, ctx_->id(),
              st.error());
    return send_reply(tag, -EAGAIN, nullptr);
  }
  HandlerReply r;
  r.arg = uapi::encode_struct(swtee_ioctl_slot_open_arg{static_cast<uint32_t>(uapi::kSlotSize), 0});
  send_reply(tag, 0, &r, memfd.get());
  // Not delivered: the client is gone, and the slot thread sees it.
}

std::pair<int32_t, HandlerReply> Connection::run_slot_request(RequestSlot& slot, const DoorbellFrame& frame) {
  // The one read of the request out of shared memory: everything below
  // works on this copy, whatever the client writes into the slot meanwhile.
  auto req = uapi::decode_slot_message(frame, slot.arg());
  if (!req.ok()) return {-EINVAL, {}};
  auto cmd = uapi::uapi_cmd_from_number(req->word0);
  if (!cmd || !uapi::uapi_cmd_via_slot(*cmd)) return {-EINVAL, {}};
  const DispatchEntry& e = dispatch_entry(*cmd);
  if (e.handler == nullptr) return {-EINVAL, {}};
  const bool blocking = e.blocking == Blocking::Yes;
  if (blocking) {
    MutexLock l(mu_);
    if (in_flight_ >= ctx_->dev().limits().max_inflight_per_context) return {-EBUSY, {}};
    ++in_flight_;
  }
  std::vector<UniqueFd> no_fds;
  Result<HandlerReply> r = e.handler(*ctx_, req->arg, no_fds);
  if (blocking) {
    MutexLock l(mu_);
    --in_flight_;
  }
  if (!r.ok()) {
    log::debug("{}: {} failed: {}", ctx_->device().name, uapi::uapi_cmd_name(*cmd), r.error());
    return {-r.error().code, {}};
  }
  return {0, std::move(r).value()};
}

void Connection::serve_slot(const std::shared_ptr<RequestSlot>& slot) {
  for (;;) {
    auto m = slot->bell().wait();
    // Hung up (the client thread is gone), interrupted (the connection
    // closes) or the client is gone: the slot ends. A malformed frame
    // (EPROTO) is answered like any bad request.
    if (!m.ok() && m.error().code != EPROTO) break;
    auto [rc, reply] =
        m.ok() ? run_slot_request(*slot, m->frame) : std::pair<int32_t, HandlerReply>{-EINVAL, {}};
    {
      // As on the socket: once the connection has closed, a call's reply is
      // not delivered; the client sees its connection gone.
      MutexLock l(mu_);
      if (closed_) break;
    }
    auto f = uapi::encode_slot_reply(slot->arg(), rc, reply.arg);
    if (!f.ok()) f = uapi::encode_slot_reply(slot->arg(), -EINVAL, {});
    // A reply the client never reads needs no undo here: the client is gone,
    // so the context closes and teardown closes what the call opened.
    if (!f.ok() || !slot->bell().post(*f).ok()) break;
  }
  mu_.lock();
  std::erase(slots_, slot.get());
  mu_.unlock();
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
  ctx_->leave_device();
  owner_.connection_finished(ctx_->id());
}

}  // namespace swtee::core
