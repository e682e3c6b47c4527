#include "libteec/context_state.h"

#include <cstring>
#include <string>

#include "swtee/uapi/tee.h"

namespace swtee::teec {

namespace {

template <typename T>
std::span<const uint8_t> as_bytes(const T& v) {
  return {reinterpret_cast<const uint8_t*>(&v), sizeof(T)};
}

// Copies a fixed-size reply argument out; EPROTO when the length is wrong.
template <typename T>
Result<T> reply_arg(const uapi::Reply& r) {
  if (r.arg.size() != sizeof(T)) return Error{EPROTO, "reply argument has the wrong size"};
  T out{};
  std::memcpy(&out, r.arg.data(), sizeof(T));
  return out;
}

bool name_matches(const char* name, const tee_ioctl_version_data& v) {
  if (name == nullptr) return true;
  if (std::strcmp(name, "optee-tz") == 0) {
    return v.impl_id == TEE_IMPL_ID_OPTEE && (v.impl_caps & TEE_OPTEE_CAP_TZ) != 0;
  }
  return false;  // unrecognised capability request, as OP-TEE
}

}  // namespace

TempShmLease::TempShmLease(TempShmLease&& o) noexcept
    : owner_(std::exchange(o.owner_, nullptr)), session_(o.session_), shm_(std::move(o.shm_)) {}

TempShmLease& TempShmLease::operator=(TempShmLease&& o) noexcept {
  if (this != &o) {
    reset();
    owner_ = std::exchange(o.owner_, nullptr);
    session_ = o.session_;
    shm_ = std::move(o.shm_);
  }
  return *this;
}

void TempShmLease::reset() noexcept {
  if (owner_ == nullptr) return;
  std::exchange(owner_, nullptr)->return_temp(session_, std::move(shm_));
  shm_ = TempShm{};
}

ContextState::ContextState(uapi::UapiClient client, uint32_t gen_caps, TempShmCache::Limits limits)
    : client_(std::move(client)), gen_caps_(gen_caps), cache_(limits) {}

ContextState::~ContextState() {
  // Cached buffers go with the connection: closing it drops their ids in
  // swteed, so no SHM_RELEASE round trips here.
}

Result<std::shared_ptr<ContextState>> ContextState::open(const char* device, const char* name,
                                                         TempShmCache::Limits limits) {
  ASSIGN_OR_RETURN(uapi::UapiClient client, uapi::UapiClient::connect(device));
  tee_ioctl_version_data v{};
  ASSIGN_OR_RETURN(uapi::Reply reply, client.call(TEE_IOC_VERSION, as_bytes(v)));
  if (reply.rc < 0) return Error{-reply.rc, "VERSION failed"};
  ASSIGN_OR_RETURN(v, reply_arg<tee_ioctl_version_data>(reply));
  if ((v.gen_caps & TEE_GEN_CAP_GP) == 0) return Error{ENOENT, "not a GP TEE"};
  if (!name_matches(name, v)) return Error{ENOENT, "TEE does not match the requested name"};
  return std::shared_ptr<ContextState>(new ContextState(std::move(client), v.gen_caps, limits));
}

bool ContextState::memref_null() const { return (gen_caps_ & TEE_GEN_CAP_MEMREF_NULL) != 0; }

Result<uapi::Reply> ContextState::call(uint32_t cmd, std::span<const uint8_t> arg,
                                       std::span<const int> fds) {
  return client_.call(cmd, arg, fds);
}

Result<AllocatedShm> ContextState::shm_alloc(uint64_t size) {
  tee_ioctl_shm_alloc_data a{};
  a.size = size;
  ASSIGN_OR_RETURN(uapi::Reply reply, call(TEE_IOC_SHM_ALLOC, as_bytes(a)));
  if (reply.rc < 0) return Error{-reply.rc, "SHM_ALLOC failed"};
  ASSIGN_OR_RETURN(a, reply_arg<tee_ioctl_shm_alloc_data>(reply));
  if (reply.fds.size() != 1 || a.id < 0) {
    if (a.id >= 0) shm_release(a.id);
    return Error{EPROTO, "SHM_ALLOC reply without a memfd"};
  }
  AllocatedShm out{a.id, std::move(reply.fds[0])};
  // The memfd must be sealed against shrinking and at least as large as
  // asked, or touching the mapping could SIGBUS.
  auto real = seal_and_size(out.fd.get());
  if (!real.ok() || *real < size) {
    shm_release(out.id);
    return Error{EPROTO, "SHM_ALLOC returned an unusable memfd"};
  }
  return out;
}

void ContextState::shm_release(int id) noexcept {
  if (id < 0) return;
  swtee_ioctl_shm_release_arg a{id};
  try {
    auto r = call(SWTEE_IOC_SHM_RELEASE, as_bytes(a));
    (void)r;  // nothing to do on failure: the id dies with the connection
  } catch (...) {
  }
}

Result<TempShmLease> ContextState::lease_temp(std::optional<uint32_t> session, uint64_t size) {
  uint64_t want = 0;
  if (session) {
    MutexLock l(cache_mu_);
    if (auto hit = cache_.take(*session, size)) return TempShmLease(this, session, std::move(*hit));
    want = cache_.alloc_size_for(size);
  } else {
    MutexLock l(cache_mu_);
    want = cache_.alloc_size_for(size);
  }
  ASSIGN_OR_RETURN(AllocatedShm a, shm_alloc(want));
  auto map = Mapping::map(a.fd.get(), want);
  if (!map.ok()) {
    shm_release(a.id);
    return map.error();
  }
  return TempShmLease(this, session, TempShm{a.id, std::move(*map)});
}

void ContextState::return_temp(std::optional<uint32_t> session, TempShm shm) noexcept {
  std::optional<TempShm> refused;
  if (session) {
    MutexLock l(cache_mu_);
    refused = cache_.give(*session, std::move(shm));
  } else {
    refused = std::move(shm);
  }
  if (refused) shm_release(refused->id);
}

void ContextState::drop_session_cache(uint32_t session) noexcept {
  try {
    std::vector<TempShm> gone;
    {
      MutexLock l(cache_mu_);
      gone = cache_.drain(session);
    }
    for (TempShm& t : gone) shm_release(t.id);
  } catch (...) {
    // Out of memory: the buffers stay cached until the context goes.
  }
}

}  // namespace swtee::teec
