#include "libteec/shm_state.h"

#include <cstring>

#include "swtee/uapi/tee.h"

namespace swtee::teec {

namespace {
// OP-TEE registers a zero-sized block as 8 bytes so it still has an id.
constexpr uint64_t kMinShmSize = 8;

Result<std::pair<AllocatedShm, Mapping>> alloc_mapped(ContextState& ctx, uint64_t size) {
  ASSIGN_OR_RETURN(AllocatedShm a, ctx.shm_alloc(size));
  auto map = Mapping::map(a.fd.get(), size);
  if (!map.ok()) {
    ctx.shm_release(a.id);
    return map.error();
  }
  return std::pair<AllocatedShm, Mapping>{std::move(a), std::move(*map)};
}
}  // namespace

ShmState::ShmState(std::shared_ptr<ContextState> ctx, int id, ShmKind kind, uint64_t size,
                   uint32_t flags, Mapping map, uint8_t* user)
    : ctx_(std::move(ctx)), id_(id), kind_(kind), size_(size), flags_(flags), map_(std::move(map)),
      user_(user) {}

ShmState::~ShmState() {
  map_.reset();
  ctx_->shm_release(id_);
}

Result<std::shared_ptr<ShmState>> ShmState::allocate(std::shared_ptr<ContextState> ctx, uint64_t size,
                                                     uint32_t flags) {
  uint64_t alloc = size != 0 ? size : kMinShmSize;
  ASSIGN_OR_RETURN(auto am, alloc_mapped(*ctx, alloc));
  int id = am.first.id;
  return std::shared_ptr<ShmState>(
      new ShmState(std::move(ctx), id, ShmKind::Allocated, size, flags, std::move(am.second), nullptr));
}

Result<std::shared_ptr<ShmState>> ShmState::shadow(std::shared_ptr<ContextState> ctx, void* user_buffer,
                                                   uint64_t size, uint32_t flags) {
  uint64_t alloc = size != 0 ? size : kMinShmSize;
  ASSIGN_OR_RETURN(auto am, alloc_mapped(*ctx, alloc));
  int id = am.first.id;
  return std::shared_ptr<ShmState>(new ShmState(std::move(ctx), id, ShmKind::Shadowed, size, flags,
                                                std::move(am.second),
                                                static_cast<uint8_t*>(user_buffer)));
}

Result<std::shared_ptr<ShmState>> ShmState::register_fd(std::shared_ptr<ContextState> ctx, int fd,
                                                        uint32_t flags) {
  if (fd < 0) return Error{EBADF, "bad fd"};
  tee_ioctl_shm_register_fd_data d{};
  d.fd = fd;
  const int fds[1] = {fd};
  ASSIGN_OR_RETURN(uapi::Reply reply,
                   ctx->call(TEE_IOC_SHM_REGISTER_FD,
                             {reinterpret_cast<const uint8_t*>(&d), sizeof(d)}, fds));
  if (reply.rc < 0) return Error{-reply.rc, "SHM_REGISTER_FD failed"};
  if (reply.arg.size() != sizeof(d)) return Error{EPROTO, "SHM_REGISTER_FD reply size"};
  std::memcpy(&d, reply.arg.data(), sizeof(d));
  if (d.id < 0) return Error{EPROTO, "SHM_REGISTER_FD returned no id"};
  return std::shared_ptr<ShmState>(
      new ShmState(std::move(ctx), d.id, ShmKind::FdRegistered, d.size, flags, Mapping{}, nullptr));
}

void ShmState::copy_in(uint64_t offset, uint64_t len) const {
  if (kind_ != ShmKind::Shadowed || len == 0 || user_ == nullptr) return;
  std::memcpy(map_.data() + offset, user_ + offset, len);
}

void ShmState::copy_out(uint64_t offset, uint64_t len) const {
  if (kind_ != ShmKind::Shadowed || len == 0 || user_ == nullptr) return;
  std::memcpy(user_ + offset, map_.data() + offset, len);
}

}  // namespace swtee::teec
