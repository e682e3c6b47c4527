#include <cstring>
#include <string>

#include "libteec/api_ops.h"
#include "libteec/registry.h"

namespace swtee::teec {

namespace {
// Devices probed by TEEC_InitializeContext, as OP-TEE probes /dev/tee0..9.
constexpr int kMaxDevices = 10;
}  // namespace

std::shared_ptr<ContextState> lookup_context(const TEEC_Context* ctx) {
  return ctx == nullptr ? nullptr : Registry::instance().context(ctx->imp.fd);
}

TeecStatus initialize_context(const char* name, TEEC_Context* ctx) {
  if (ctx == nullptr) return bad_parameters();
  std::memset(ctx, 0, sizeof(*ctx));
  ctx->imp.fd = -1;
  for (int n = 0; n < kMaxDevices; ++n) {
    std::string dev = "tee" + std::to_string(n);
    auto c = ContextState::open(dev.c_str(), name);
    if (!c.ok()) continue;
    std::shared_ptr<ContextState> state = std::move(*c);
    const int fd = state->fd();
    const bool memref_null = state->memref_null();
    if (!Registry::instance().add_context(std::move(state)).ok()) return {TEEC_ERROR_GENERIC, TEEC_ORIGIN_API};
    ctx->imp.fd = fd;
    ctx->imp.reg_mem = false;  // never: registered memory is shadowed
    ctx->imp.memref_null = memref_null;
    return {};
  }
  return {TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_API};
}

void finalize_context(TEEC_Context* ctx) {
  if (ctx == nullptr) return;
  auto state = Registry::instance().take_context(ctx->imp.fd);
  state.reset();  // the connection closes once no shm or call holds it
  ctx->imp.fd = -1;
}

}  // namespace swtee::teec
