#include "drivers/remote/remote_link.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <cstring>
#include <thread>

#include "common/log.h"
#include "protocol/remote_auth.h"
#include "protocol/remote_codec.h"

namespace swtee::remote {
namespace {

constexpr auto kFirstPause = std::chrono::milliseconds(100);
constexpr auto kMaxPause = std::chrono::milliseconds(2000);
constexpr int kHandshakeTimeoutS = 5;

void set_recv_timeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

// Errors after which retrying cannot help: the host does not know this
// guest, speaks another version, or its TEE serves no guests.
bool refused_for_good(const Error& e) {
  return e.code == EACCES || e.code == EPROTONOSUPPORT || e.code == ENOTSUP;
}

}  // namespace

Result<std::pair<UniqueFd, WelcomeBody>> RemoteLink::connect_once() {
  ASSIGN_OR_RETURN(UniqueFd fd, stream_connect(cfg_.address));
  set_recv_timeout(fd.get(), kHandshakeTimeoutS);
  const std::vector<uint8_t> hello = encode_hello(cfg_.name);
  TRY_STATUS(write_frame(fd.get(), hello));
  for (;;) {
    ASSIGN_OR_RETURN(Frame f, read_frame(fd.get()));
    switch (f.type()) {
      case MsgType::Challenge: {
        ASSIGN_OR_RETURN(ChallengeBody c, decode_challenge(f.body));
        if (cfg_.key.empty())
          return Error{EACCES, "handshake", "the host wants a key and none is configured"};
        Nonce n;
        std::memcpy(n.data(), c.nonce, n.size());
        // The host checks the MAC over the name it received, which the
        // codec may have cut to kNameLen - 1 printable characters.
        ASSIGN_OR_RETURN(HelloBody sent, decode_hello(std::span(hello).subspan(sizeof(FrameHeader))));
        ASSIGN_OR_RETURN(Mac mac, auth_mac(cfg_.key, n, hello_name(sent)));
        AuthBody a{};
        std::memcpy(a.mac, mac.data(), mac.size());
        TRY_STATUS(write_frame(fd.get(), encode_fixed(MsgType::Auth, 0, a)));
        continue;
      }
      case MsgType::Welcome: {
        ASSIGN_OR_RETURN(WelcomeBody w, decode_welcome(f.body));
        set_recv_timeout(fd.get(), 0);
        return std::pair<UniqueFd, WelcomeBody>{std::move(fd), w};
      }
      case MsgType::Refused: {
        ASSIGN_OR_RETURN(RefusedBody r, decode_refused(f.body));
        // The host's reason (decode_refused checked it is an errno): EACCES
        // unknown guest, ENOTSUP a TEE without guests, EBUSY still connected
        // or still closing, ENOSPC no room in the TEE.
        return Error{r.err, "handshake",
                     fmt::format("the host refused this guest ({})", Error{r.err}.message())};
      }
      default:
        return Error{EPROTO, "handshake", "unexpected frame"};
    }
  }
}

Result<std::unique_ptr<RemoteLink>> RemoteLink::start(LinkConfig cfg) {
  std::unique_ptr<RemoteLink> link(new RemoteLink(std::move(cfg)));
  const auto deadline = std::chrono::steady_clock::now() + link->cfg_.first_connect_timeout;
  auto pause = kFirstPause;
  for (;;) {
    auto c = link->connect_once();
    if (c.ok()) {
      link->welcome_ = c->second;
      MutexLock l(link->mu_);
      link->fd_ = std::move(c->first);
      link->epoch_ = link->last_epoch_ = 1;
      break;
    }
    if (refused_for_good(c.error()) || std::chrono::steady_clock::now() + pause > deadline)
      return c.error().in(fmt::format("connecting to the host at {}", link->cfg_.address.text));
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kMaxPause);
  }
  log::info("remote: connected to {} (guest id {} there)", link->cfg_.address.text, link->welcome_.guest_id);
  RemoteLink* raw = link.get();
  ASSIGN_OR_RETURN(link->supervisor_, core::OsThread::spawn([raw] { raw->supervise(); }));
  return link;
}

RemoteLink::~RemoteLink() {
  // Stopping before the goodbye: the host ends the stream when it reads
  // GuestBye, and the supervisor must not take that for a lost connection
  // and reconnect (the host would see this guest arrive a second time).
  {
    MutexLock l(mu_);
    stopping_ = true;
  }
  // A clean goodbye: the host closes everything this guest held at once.
  post(epoch(), encode_frame(MsgType::GuestBye, 0, {}));
  {
    MutexLock l(mu_);
    if (fd_) ::shutdown(fd_.get(), SHUT_RDWR);
    cv_.notify_all();
  }
  supervisor_.join();
}

uint64_t RemoteLink::epoch() const {
  MutexLock l(mu_);
  return epoch_;
}

size_t RemoteLink::waiting() const {
  MutexLock l(mu_);
  return waiters_.size();
}

void RemoteLink::supervise() {
  for (;;) {
    int fd;
    uint64_t epoch;
    {
      MutexLock l(mu_);
      if (stopping_) return;
      fd = fd_.get();
      epoch = epoch_;
    }
    read_loop(fd, epoch);
    connection_ended(epoch);
    auto pause = kFirstPause;
    for (;;) {
      {
        MutexLock l(mu_);
        if (stopping_) return;
      }
      auto c = connect_once();
      if (c.ok()) {
        if (c->second.impl_id != welcome_.impl_id || c->second.gen_caps != welcome_.gen_caps)
          log::warn("remote: the host's TEE changed its VERSION; clients keep the first one");
        MutexLock l(mu_);
        if (stopping_) return;
        fd_ = std::move(c->first);
        epoch_ = ++last_epoch_;
        log::info("remote: reconnected to {} (connection {})", cfg_.address.text, epoch_);
        break;
      }
      log::debug("remote: {}: {}", cfg_.address.text, c.error());
      MutexLock l(mu_);
      (void)cv_.wait_until(mu_, std::chrono::steady_clock::now() + pause);
      pause = std::min(pause * 2, kMaxPause);
    }
  }
}

void RemoteLink::read_loop(int fd, uint64_t epoch) {
  for (;;) {
    auto f = read_frame(fd);
    if (!f.ok()) {
      MutexLock l(mu_);
      if (stopping_)
        log::debug("remote: connection {} closed", epoch);
      else
        log::warn("remote: connection {} to {} ended: {}", epoch, cfg_.address.text, f.error());
      return;
    }
    if (f->type() != MsgType::CallReply && f->type() != MsgType::CloseReply) {
      log::warn("remote: host sent an unexpected frame (type {}); dropping the connection", f->hdr.type);
      return;
    }
    MutexLock l(mu_);
    auto it = waiters_.find(f->hdr.tag);
    if (it == waiters_.end()) {
      log::warn("remote: host replied to an unknown tag; dropping the connection");
      return;
    }
    it->second->reply = std::move(f).value();
    waiters_.erase(it);
    cv_.notify_all();
  }
}

void RemoteLink::connection_ended(uint64_t epoch) {
  MutexLock w(write_mu_);
  MutexLock l(mu_);
  if (epoch_ == epoch) epoch_ = 0;
  fd_.reset();
  for (auto& [tag, waiter] : waiters_)
    waiter->reply = Error{ECONNRESET, "remote call", "the connection to the host ended"};
  waiters_.clear();
  cv_.notify_all();
}

Result<Frame> RemoteLink::call(uint64_t epoch, std::vector<uint8_t> frame) {
  Waiter w;
  {
    MutexLock wl(write_mu_);
    int fd;
    uint64_t tag;
    {
      MutexLock l(mu_);
      if (epoch == 0 || epoch > last_epoch_) return Error{ENOTCONN, "remote call", "not connected"};
      if (epoch_ != epoch) return Error{ECONNRESET, "remote call", "the connection to the host ended"};
      tag = next_tag_++;
      std::memcpy(frame.data() + offsetof(FrameHeader, tag), &tag, sizeof(tag));
      waiters_.emplace(tag, &w);
      fd = fd_.get();
    }
    if (Status st = write_frame(fd, frame); !st.ok()) {
      ::shutdown(fd, SHUT_RDWR);  // the reader ends the connection
      MutexLock l(mu_);
      waiters_.erase(tag);
      return st.error().in("sending to the host");
    }
  }
  MutexLock l(mu_);
  while (!w.reply) cv_.wait(mu_);
  return std::move(*w.reply);
}

void RemoteLink::post(uint64_t epoch, std::span<const uint8_t> frame) {
  MutexLock wl(write_mu_);
  int fd;
  {
    MutexLock l(mu_);
    if (epoch == 0 || epoch_ != epoch) return;
    fd = fd_.get();
  }
  if (Status st = write_frame(fd, frame); !st.ok()) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace swtee::remote
