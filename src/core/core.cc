#include "core/core.h"

#include <fcntl.h>
#include <poll.h>
#include <swtee/uapi/tee.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/log.h"
#include "common/seqpacket.h"
#include "core/peer_groups.h"
#include "uapi/uapi_codec.h"

namespace swtee::core {
namespace {

// Tells a refused client why before closing: a reply with tag 0 (UapiClient
// turns it into the Error of its next call).
void refuse(int sock, int err) {
  swtee_uapi_resp_hdr hdr = uapi::make_reply_header(-err, uapi::kUnattributedTag, 0);
  (void)send_message(sock, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&hdr), sizeof(hdr)));
}

// Out of fds: spends the reserve fd to take the connection off the queue
// and answer it EMFILE, so a client is told instead of left hanging.
void refuse_without_fds(int listener, UniqueFd& reserve) {
  if (!reserve) return;
  reserve.reset();
  UniqueFd s(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (s) refuse(s.get(), EMFILE);
  s.reset();
  reserve = UniqueFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
}

}  // namespace

Result<std::unique_ptr<Core>> Core::create(const CoreLimits& limits) {
  if (limits.max_inflight_per_context == 0 || limits.max_contexts_per_device == 0)
    return Error{EINVAL, "limits must be positive"};
  UniqueFd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) return Error::from_errno("eventfd");
  return std::unique_ptr<Core>(new Core(limits, std::move(wake)));
}

Core::~Core() {
  stop(std::chrono::milliseconds(0));
  MutexLock l(mu_);
  while (!connections_.empty()) drained_.wait(mu_);
}

Status Core::add_device(const DeviceDesc& desc, const std::string& runtime_dir) {
  return add_device_entry(desc, runtime_dir + "/" + desc.name, UniqueFd());
}

Status Core::add_device_listener(const DeviceDesc& desc, UniqueFd listener) {
  if (!listener) return Error{EBADF, "no listening socket"};
  return add_device_entry(desc, "", std::move(listener));
}

Status Core::add_device_entry(const DeviceDesc& desc, std::string path, UniqueFd listener) {
  {
    MutexLock l(mu_);
    if (started_) return Error{EBUSY, "devices must be added before start()"};
  }
  for (const auto& d : devices_)
    if (d->dev->desc().name == desc.name) return Error{EEXIST, "duplicate device name"};
  ASSIGN_OR_RETURN(std::unique_ptr<Device> dev, Device::create(desc, limits_));
  auto e = std::make_unique<DeviceEntry>();
  e->path = std::move(path);
  if (listener) {
    e->listener = std::move(listener);
  } else {
    ASSIGN_OR_RETURN(e->listener, seqpacket_listen(e->path, desc.privileged ? 0600 : 0666));
  }
  e->dev = std::move(dev);
  devices_.push_back(std::move(e));
  return ok_status();
}

Status Core::start() {
  {
    MutexLock l(mu_);
    if (started_ || stopping_) return Error{EBUSY, "already started"};
    started_ = true;
  }
  ASSIGN_OR_RETURN(acceptor_, OsThread::spawn([this] { accept_loop(); }));
  return ok_status();
}

void Core::accept_loop() {
  std::vector<pollfd> pfds;
  pfds.push_back({wake_.get(), POLLIN, 0});
  for (const auto& d : devices_) pfds.push_back({d->listener.get(), POLLIN, 0});
  // One fd kept in hand for refusing connections when the table is full.
  UniqueFd reserve(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  for (;;) {
    int n = ::poll(pfds.data(), pfds.size(), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      log::error("core: poll failed: {}", errno);
      return;
    }
    if (pfds[0].revents != 0) return;
    for (size_t i = 1; i < pfds.size(); ++i) {
      if ((pfds[i].revents & POLLIN) == 0) continue;
      DeviceEntry& d = *devices_[i - 1];
      UniqueFd s(::accept4(d.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!s) {
        // Out of fds: refuse the connection with the reserve fd. Out of
        // memory: it stays queued; back off briefly rather than spin.
        if (errno == EMFILE || errno == ENFILE) {
          log::warn("core: {}: out of file descriptors; refusing a connection", d.dev->desc().name);
          refuse_without_fds(d.listener.get(), reserve);
        } else if (errno == ENOBUFS || errno == ENOMEM) {
          ::usleep(10000);
        }
        continue;
      }
      if (Status st = adopt_on(d, std::move(s)); !st.ok())
        log::info("core: {}: connection refused: {}", d.dev->desc().name, st.error());
    }
  }
}

Status Core::adopt(const std::string& device, UniqueFd sock, uint32_t guest_id) {
  for (const auto& d : devices_)
    if (d->dev->desc().name == device) return adopt_on(*d, std::move(sock), guest_id);
  return Error{ENODEV, "no such device"};
}

Result<Device*> Core::guest_device(const std::string& name) const {
  for (const auto& d : devices_) {
    if (d->dev->desc().name != name) continue;
    if (!d->dev->has(OptionalOp::GuestCreated)) return Error{ENOTSUP, "the device's driver serves no guests"};
    return d->dev.get();
  }
  return Error{ENODEV, "no such device"};
}

Status Core::guest_created(const std::string& device, uint32_t guest_id) {
  ASSIGN_OR_RETURN(Device * dev, guest_device(device));
  if (guest_id == kHostGuestId) return Error{EINVAL, "guest id 0 is the host's own clients"};
  MutexLock g(guests_mu_);
  if (dev->guests().live(guest_id)) return Error{EEXIST, "guest is already live"};
  if (dev->guests().contexts(guest_id) != 0)
    return Error{EBUSY, "contexts of the guest's earlier arrival are still closing"};
  TRY_STATUS(dev->driver().guest_created(guest_id));
  TRY_STATUS(dev->guests().create(guest_id));
  log::info("core: {}: guest {} arrived", device, guest_id);
  return ok_status();
}

Status Core::guest_destroyed(const std::string& device, uint32_t guest_id, std::chrono::milliseconds grace) {
  ASSIGN_OR_RETURN(Device * dev, guest_device(device));
  MutexLock g(guests_mu_);
  TRY_STATUS(dev->guests().destroy(guest_id));
  std::vector<std::shared_ptr<Connection>> conns;
  {
    MutexLock l(mu_);
    for (auto& [id, c] : connections_)
      if (&c->context().dev() == dev && c->context().guest_id() == guest_id) conns.push_back(c);
  }
  for (auto& c : conns) c->shutdown();
  conns.clear();
  if (Status st = dev->driver().guest_destroyed(guest_id); !st.ok())
    log::warn("core: {}: the driver could not drop guest {}: {}", device, guest_id, st.error());
  log::info("core: {}: guest {} left", device, guest_id);
  if (!dev->guests().wait_drained(guest_id, std::chrono::steady_clock::now() + grace))
    return Error{ETIMEDOUT, "contexts of the guest are still closing"};
  return ok_status();
}

Status Core::adopt_on(DeviceEntry& d, UniqueFd sock, uint32_t guest_id) {
  Device& dev = *d.dev;
  if (guest_id != kHostGuestId && !dev.has(OptionalOp::GuestCreated))
    return Error{ENOTSUP, "the device's driver serves no guests"};
  ASSIGN_OR_RETURN(GuestRef guest, dev.guests().attach(guest_id));
  ASSIGN_OR_RETURN(PeerCred cred, peer_cred(sock.get()));
  auto groups = peer_groups(sock.get());
  uint64_t id;
  {
    MutexLock l(mu_);
    if (stopping_) return Error{ESHUTDOWN, "core is stopping"};
    if (dev.contexts.load(std::memory_order_relaxed) >= limits_.max_contexts_per_device) {
      ++counters_.contexts_refused;
      refuse(sock.get(), EMFILE);
      return Error{EMFILE, "too many contexts"};
    }
    id = next_context_id_++;
  }
  // One uid cannot hold the whole connection pool (uid_quotas.h).
  auto charge = dev.quotas().take(cred.uid, Pool::Contexts, 1);
  if (!charge.ok()) {
    MutexLock l(mu_);
    ++counters_.contexts_refused;
    refuse(sock.get(), EMFILE);
    return Error{EMFILE, "this user's share of the connections is used up"};
  }
  auto ctx = std::make_unique<ContextImpl>(
      id, cred, groups.ok() ? std::move(groups).value() : std::vector<gid_t>{}, dev, std::move(guest));
  auto data = dev.driver().open(*ctx);
  if (!data.ok()) {
    MutexLock l(mu_);
    ++counters_.contexts_refused;
    refuse(sock.get(), data.error().code);
    return data.error();
  }
  ctx->hold(std::move(*charge));
  const bool memref_null = (dev.version().gen_caps & TEE_GEN_CAP_MEMREF_NULL) != 0;
  ctx->attach_driver_data(std::move(data).value(), memref_null);
  dev.contexts.fetch_add(1, std::memory_order_relaxed);
  auto conn = Connection::create(*this, std::move(ctx), std::move(sock));
  {
    MutexLock l(mu_);
    connections_.emplace(id, conn);
    ++counters_.contexts_opened;
  }
  log::debug("core: {}: context {} opened (pid {}, uid {}, guest {})", dev.desc().name, id, cred.pid,
             cred.uid, guest_id);
  return conn->start();
}

void Core::connection_finished(uint64_t context_id) {
  std::shared_ptr<Connection> gone;
  MutexLock l(mu_);
  auto it = connections_.find(context_id);
  if (it != connections_.end()) {
    gone = std::move(it->second);
    connections_.erase(it);
  }
  drained_.notify_all();
  // `gone` is dropped after the lock: the serving thread still holds its own
  // reference, so this never destroys the Connection under mu_.
}

bool Core::stop(std::chrono::milliseconds grace) {
  std::vector<std::shared_ptr<Connection>> conns;
  {
    MutexLock l(mu_);
    if (!stopping_) {
      stopping_ = true;
      uint64_t one = 1;
      (void)!::write(wake_.get(), &one, sizeof(one));
    }
  }
  acceptor_.join();
  for (auto& d : devices_) {
    if (d->listener) {
      if (!d->path.empty()) ::unlink(d->path.c_str());
      d->listener.reset();
    }
  }
  {
    MutexLock l(mu_);
    for (auto& [id, c] : connections_) conns.push_back(c);
  }
  for (auto& c : conns) c->shutdown();
  conns.clear();
  const auto deadline = std::chrono::steady_clock::now() + grace;
  MutexLock l(mu_);
  while (!connections_.empty()) {
    if (!drained_.wait_until(mu_, deadline) && std::chrono::steady_clock::now() >= deadline) break;
  }
  return connections_.empty();
}

std::vector<DeviceSnapshot> Core::snapshot() const {
  std::vector<DeviceSnapshot> out;
  for (const auto& d : devices_) {
    const Device& dev = *d->dev;
    out.push_back(DeviceSnapshot{dev.desc().name, dev.desc().privileged, dev.version(),
                                 dev.contexts.load(std::memory_order_relaxed),
                                 dev.sessions.load(std::memory_order_relaxed), dev.shms().live()});
  }
  return out;
}

std::vector<DeviceCalls> Core::call_snapshot() const {
  std::vector<DeviceCalls> out;
  for (const auto& d : devices_) out.push_back(DeviceCalls{d->dev->desc().name, d->dev->calls().snapshot()});
  return out;
}

CoreCounters Core::counters() const {
  MutexLock l(mu_);
  return counters_;
}

}  // namespace swtee::core
