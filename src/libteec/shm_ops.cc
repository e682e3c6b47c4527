#include "libteec/api_ops.h"
#include "libteec/registry.h"
#include "libteec/shm_state.h"

namespace swtee::teec {

namespace {

// TEEC_SharedMemory.imp.flags bits (informational; OP-TEE's meanings).
constexpr uint32_t kShmFlagBufferAlloc = 1u << 0;
constexpr uint32_t kShmFlagShadowBuffer = 1u << 1;

constexpr uint32_t kMemFlagsMask = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;

bool valid_mem_flags(uint32_t flags) { return flags != 0 && (flags & ~kMemFlagsMask) == 0; }

// Publishes `state` in the registry and fills the public struct.
TeecStatus publish_shm(TEEC_SharedMemory* shm, std::shared_ptr<ShmState> state) {
  ShmState* s = state.get();
  auto handle = Registry::instance().add_shm(std::move(state));
  if (!handle.ok()) return shm_failure(handle.error());
  shm->imp.id = *handle;
  shm->imp.alloced_size = s->mapped_size();
  shm->imp.registered_fd = -1;
  switch (s->kind()) {
    case ShmKind::Allocated:
      shm->buffer = s->mapped();
      shm->imp.shadow_buffer = nullptr;
      shm->imp.flags = kShmFlagBufferAlloc;
      break;
    case ShmKind::Shadowed:
      shm->imp.shadow_buffer = s->mapped();
      shm->imp.flags = kShmFlagShadowBuffer;
      break;
    case ShmKind::FdRegistered:
      shm->buffer = nullptr;
      shm->size = static_cast<size_t>(s->size());
      shm->imp.shadow_buffer = nullptr;
      shm->imp.flags = 0;
      break;
  }
  return {};
}

}  // namespace

TeecStatus register_memory(TEEC_Context* context, TEEC_SharedMemory* shm, bool allocate) {
  if (context == nullptr || shm == nullptr || !valid_mem_flags(shm->flags)) return bad_parameters();
  if (!allocate && shm->buffer == nullptr) return bad_parameters();
  shm->imp.id = -1;
  auto ctx = lookup_context(context);
  if (!ctx) return bad_parameters();
  auto state = allocate ? ShmState::allocate(ctx, shm->size, shm->flags)
                        : ShmState::shadow(ctx, shm->buffer, shm->size, shm->flags);
  if (!state.ok()) return shm_failure(state.error());
  return publish_shm(shm, std::move(*state));
}

TeecStatus register_fd(TEEC_Context* context, TEEC_SharedMemory* shm, int fd) {
  if (context == nullptr || shm == nullptr || !valid_mem_flags(shm->flags)) return bad_parameters();
  shm->imp.id = -1;
  auto ctx = lookup_context(context);
  if (!ctx) return bad_parameters();
  auto state = ShmState::register_fd(ctx, fd, shm->flags);
  if (!state.ok()) return bad_parameters();  // OP-TEE reports every failure so
  return publish_shm(shm, std::move(*state));
}

void release_memory(TEEC_SharedMemory* shm) {
  if (shm == nullptr || shm->imp.id == -1) return;
  // Dropped outside the registry lock: unmaps and sends SHM_RELEASE, unless
  // a call in flight still holds it (then that call's end does).
  auto state = Registry::instance().take_shm(shm->imp.id);
  state.reset();
  shm->buffer = nullptr;
  shm->imp.id = -1;
  shm->imp.alloced_size = 0;
  shm->imp.shadow_buffer = nullptr;
  shm->imp.registered_fd = -1;
  shm->imp.flags = 0;
}

}  // namespace swtee::teec
