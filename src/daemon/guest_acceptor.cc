#include "daemon/guest_acceptor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cstring>

#include "common/log.h"
#include "daemon/guest_conn.h"
#include "protocol/remote_codec.h"
#include "protocol/remote_stream.h"

namespace swtee::daemon {
namespace {

using remote::MsgType;

// Handshakes in progress at once; more connections are closed unanswered.
constexpr uint32_t kMaxHandshakes = 16;
constexpr int kHandshakeTimeoutS = 5;

void set_recv_timeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  (void)::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

void refuse(int sock, int err) {
  (void)remote::write_frame(sock, remote::encode_fixed(MsgType::Refused, 0, remote::RefusedBody{err, 0}));
}

}  // namespace

const GuestIdentity* guest_by_uid(const std::vector<GuestIdentity>& g, uid_t uid) {
  for (const auto& e : g)
    if (e.unix_uid && *e.unix_uid == uid) return &e;
  return nullptr;
}

const GuestIdentity* guest_by_cid(const std::vector<GuestIdentity>& g, uint32_t cid) {
  for (const auto& e : g)
    if (e.vsock_cid && *e.vsock_cid == cid) return &e;
  return nullptr;
}

const GuestIdentity* guest_by_mac(const std::vector<GuestIdentity>& g, const remote::Nonce& nonce,
                                  std::string_view name, const remote::Mac& mac) {
  const GuestIdentity* found = nullptr;
  for (const auto& e : g) {
    if (e.key.empty()) continue;
    auto m = remote::auth_mac(e.key, nonce, name);
    // Every key is tried, so the time taken does not say which matched.
    if (m.ok() && remote::mac_equal(*m, mac) && found == nullptr) found = &e;
  }
  return found;
}

Result<std::unique_ptr<GuestAcceptor>> GuestAcceptor::start(core::Core& core, AcceptorConfig cfg) {
  std::unique_ptr<GuestAcceptor> a(new GuestAcceptor(core, std::move(cfg)));
  bool found = false;
  for (const auto& d : core.snapshot()) {
    if (d.name != a->cfg_.device) continue;
    a->impl_id_ = d.version.impl_id;
    a->impl_caps_ = d.version.impl_caps;
    a->gen_caps_ = d.version.gen_caps;
    found = true;
  }
  if (!found) return Error{ENODEV, "guest acceptor", a->cfg_.device};
  for (const auto& addr : a->cfg_.listeners) {
    auto fd = stream_listen(addr, 0666);
    if (!fd.ok()) return fd.error().in("guest listener");
    a->listeners_.push_back(Listener{addr, std::move(fd).value()});
    log::info("guests: listening on {}", addr.text);
  }
  a->wake_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!a->wake_) return Error::from_errno("eventfd");
  GuestAcceptor* raw = a.get();
  ASSIGN_OR_RETURN(a->acceptor_, core::OsThread::spawn([raw] { raw->accept_loop(); }));
  return a;
}

GuestAcceptor::~GuestAcceptor() {
  {
    MutexLock l(mu_);
    stopping_ = true;
  }
  if (wake_) {
    uint64_t one = 1;
    (void)!::write(wake_.get(), &one, sizeof(one));
  }
  acceptor_.join();
  for (auto& l : listeners_)
    if (l.address.transport == Transport::Unix) ::unlink(l.address.path.c_str());
  MutexLock l(mu_);
  for (auto& [id, g] : guests_) g->shutdown();
  for (auto& [fd, t] : pending_) ::shutdown(fd, SHUT_RDWR);
  while (threads_ != 0) cv_.wait(mu_);
}

size_t GuestAcceptor::connected() const {
  MutexLock l(mu_);
  return guests_.size();
}

void GuestAcceptor::accept_loop() {
  std::vector<pollfd> pfds;
  pfds.push_back({wake_.get(), POLLIN, 0});
  for (const auto& l : listeners_) pfds.push_back({l.fd.get(), POLLIN, 0});
  for (;;) {
    if (::poll(pfds.data(), pfds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      log::error("guests: poll: {}", Error::from_errno("poll"));
      return;
    }
    if (pfds[0].revents != 0) return;
    for (size_t i = 1; i < pfds.size(); ++i) {
      if ((pfds[i].revents & POLLIN) == 0) continue;
      const Listener& l = listeners_[i - 1];
      auto s = stream_accept(l.fd.get());
      if (!s.ok()) {
        log::warn("guests: {}: {}", l.address.text, s.error());
        continue;
      }
      const Transport t = l.address.transport;
      MutexLock lk(mu_);
      if (stopping_ || handshakes_ >= kMaxHandshakes) continue;  // closed unanswered
      ++threads_;
      ++handshakes_;
      pending_.emplace(s->get(), t);
      auto sock = std::make_shared<UniqueFd>(std::move(s).value());
      if (!core::OsThread::spawn_detached([this, sock, t] { handle(std::move(*sock), t); }).ok()) {
        pending_.erase(sock->get());
        --threads_;
        --handshakes_;
      }
    }
  }
}

void GuestAcceptor::thread_done() {
  MutexLock l(mu_);
  --threads_;
  cv_.notify_all();
}

Result<const GuestIdentity*> GuestAcceptor::identify(int sock, Transport t, const std::string& name) {
  ASSIGN_OR_RETURN(StreamPeer peer, stream_peer(sock, t));
  const GuestIdentity* g = nullptr;
  switch (t) {
    case Transport::Unix:
      g = guest_by_uid(cfg_.guests, *peer.uid);
      break;
    case Transport::Vsock:
      g = guest_by_cid(cfg_.guests, *peer.cid);
      break;
    case Transport::Tcp: {
      ASSIGN_OR_RETURN(remote::Nonce nonce, remote::make_nonce());
      remote::ChallengeBody c{};
      std::memcpy(c.nonce, nonce.data(), nonce.size());
      TRY_STATUS(remote::write_frame(sock, remote::encode_fixed(MsgType::Challenge, 0, c)));
      ASSIGN_OR_RETURN(remote::Frame f, remote::read_frame(sock));
      if (f.type() != MsgType::Auth) return Error{EPROTO, "handshake", "expected Auth"};
      ASSIGN_OR_RETURN(remote::AuthBody a, remote::decode_auth(f.body));
      remote::Mac mac;
      std::memcpy(mac.data(), a.mac, mac.size());
      g = guest_by_mac(cfg_.guests, nonce, name, mac);
      break;
    }
  }
  if (g == nullptr) {
    log::warn("guests: {} ({} \"{}\") is no configured guest; refused", peer.text, transport_name(t), name);
    return Error{EACCES, "handshake", "unknown guest"};
  }
  log::info("guests: guest {} ({}) connected over {} as {}", g->id, g->name, transport_name(t), peer.text);
  return g;
}

void GuestAcceptor::handle(UniqueFd sock, Transport t) {
  const int fd = sock.get();
  set_recv_timeout(fd, kHandshakeTimeoutS);
  const GuestIdentity* g = nullptr;
  int err = EPROTO;
  auto hello = remote::read_frame(fd);
  if (hello.ok() && hello->type() == MsgType::Hello) {
    if (auto h = remote::decode_hello(hello->body); h.ok()) {
      auto id = identify(fd, t, remote::hello_name(*h));
      if (id.ok())
        g = *id;
      else
        err = id.error().code;
    } else {
      err = h.error().code;
    }
  }
  std::shared_ptr<GuestConn> conn;
  {
    MutexLock l(mu_);
    pending_.erase(fd);
    --handshakes_;
    if (g != nullptr) {
      if (stopping_) {
        err = ESHUTDOWN;
      } else if (guests_.count(g->id) != 0) {
        log::warn("guests: guest {} ({}) is already connected; refused a second connection", g->id, g->name);
        err = EBUSY;
      } else {
        conn = std::make_shared<GuestConn>(core_, cfg_.device, g->id, g->name, std::move(sock));
        guests_.emplace(g->id, conn);
      }
    }
  }
  if (!conn) {
    if (err != ECONNRESET && err != EAGAIN) refuse(fd, err == EBUSY || err == ESHUTDOWN ? err : EACCES);
    thread_done();
    return;
  }
  const uint32_t id = g->id;
  // The core runs the host driver's guest op (OP-TEE: VM_CREATED); until it
  // succeeds no context of the guest can be adopted.
  Status arrived = core_.guest_created(cfg_.device, id);
  if (arrived.ok()) {
    set_recv_timeout(fd, 0);
    remote::WelcomeBody w{remote::kVersion, id, impl_id_, impl_caps_, gen_caps_, 0};
    if (remote::write_frame(fd, remote::encode_fixed(MsgType::Welcome, 0, w)).ok()) conn->serve();
    // serve() disconnected every context the guest held; the core drops
    // what the TEE keeps for it (OP-TEE: VM_DESTROYED) and waits for them.
    if (Status st = core_.guest_destroyed(cfg_.device, id, cfg_.departure_grace); !st.ok())
      log::warn("guests: guest {} ({}): departure: {}", id, g->name, st.error());
    log::info("guests: guest {} ({}) left; everything it held is closed", id, g->name);
  } else {
    // ENOTSUP: the host's TEE serves no guests (for OP-TEE: swtee-os does not
    // advertise VIRTUALIZATION); EBUSY: the guest's previous connection is
    // still being torn down, so it retries.
    log::error("guests: guest {} ({}): the TEE refused its arrival: {}", id, g->name, arrived.error());
    refuse(fd, arrived.error().code > 0 ? arrived.error().code : EAGAIN);
  }
  {
    MutexLock l(mu_);
    guests_.erase(id);
  }
  thread_done();
}

}  // namespace swtee::daemon
