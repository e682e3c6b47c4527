// VERSION and the shared-memory commands.
#include <swtee/uapi/tee.h>

#include "common/shm_file.h"
#include "core/handlers.h"

namespace swtee::core::handlers {
namespace {

TeeDriver* unregister_driver_of(Device& dev) {
  return dev.has(OptionalOp::ShmUnregister) ? &dev.driver() : nullptr;
}

Status check_size(const Device& dev, uint64_t size) {
  if (size == 0) return Error{EINVAL, "zero-sized shm"};
  if (size > dev.limits().max_shm_size) return Error{ENOMEM, "shm larger than the limit"};
  return ok_status();
}

std::function<void()> release_on_failure(ContextImpl& ctx, int id) {
  return [&ctx, id] { (void)ctx.dev().shms().release(&ctx, id); };
}

}  // namespace

ShmLookup shm_lookup_for(ContextImpl& ctx) {
  return [&ctx](int id) { return ctx.shm_get(id); };
}

Result<HandlerReply> version(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  TRY_STATUS(uapi::decode_version(arg));
  VersionInfo v = ctx.dev().version();
  tee_ioctl_version_data out{v.impl_id, v.impl_caps, v.gen_caps};
  return HandlerReply{uapi::encode_struct(out), nullptr, nullptr};
}

Result<HandlerReply> shm_alloc(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  ASSIGN_OR_RETURN(tee_ioctl_shm_alloc_data req, uapi::decode_shm_alloc(arg));
  Device& dev = ctx.dev();
  TRY_STATUS(check_size(dev, req.size));
  ASSIGN_OR_RETURN(UniqueFd memfd, create_sealed_memfd("swtee-shm", req.size));
  ASSIGN_OR_RETURN(std::shared_ptr<Shm> shm, dev.shms().create(&ctx, Shm::Kind::Alloc, std::move(memfd),
                                                               req.size, unregister_driver_of(dev)));
  tee_ioctl_shm_alloc_data out{req.size, 0, shm->id()};
  HandlerReply r;
  r.arg = uapi::encode_struct(out);
  r.on_send_failure = release_on_failure(ctx, shm->id());
  r.send_fd_of = std::move(shm);
  return r;
}

Result<HandlerReply> shm_register_fd(ContextImpl& ctx, std::span<const uint8_t> arg,
                                     std::vector<UniqueFd>& fds) {
  // The fd field is ignored: the fd travels as SCM_RIGHTS.
  TRY_STATUS(uapi::decode_shm_register_fd(arg));
  if (fds.size() != 1) return Error{EINVAL, "SHM_REGISTER_FD needs exactly one fd"};
  Device& dev = ctx.dev();
  ASSIGN_OR_RETURN(uint64_t size, seal_and_size(fds[0].get()));
  TRY_STATUS(check_size(dev, size));
  ASSIGN_OR_RETURN(
      std::shared_ptr<Shm> shm,
      dev.shms().create(&ctx, Shm::Kind::RegisteredFd, std::move(fds[0]), size, unregister_driver_of(dev)));
  tee_ioctl_shm_register_fd_data out{-1, size, 0, shm->id()};
  HandlerReply r;
  r.arg = uapi::encode_struct(out);
  r.on_send_failure = release_on_failure(ctx, shm->id());
  return r;
}

// The core cannot pin another process's pages: libteec registers memory
// through a shadow memfd (SHM_ALLOC) or its own memfd (SHM_REGISTER_FD).
Result<HandlerReply> shm_register(ContextImpl&, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  TRY_STATUS(uapi::decode_shm_register(arg));
  return Error{EOPNOTSUPP, "SHM_REGISTER is not supported"};
}

Result<HandlerReply> shm_release(ContextImpl& ctx, std::span<const uint8_t> arg, std::vector<UniqueFd>&) {
  ASSIGN_OR_RETURN(swtee_ioctl_shm_release_arg req, uapi::decode_shm_release(arg));
  TRY_STATUS(ctx.dev().shms().release(&ctx, req.id));
  return HandlerReply{uapi::encode_struct(req), nullptr, nullptr};
}

}  // namespace swtee::core::handlers
