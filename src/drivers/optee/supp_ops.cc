#include "drivers/optee/supp_ops.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/unique_fd.h"
#include "protocol/optee_rpc_cmd.h"

namespace swtee::optee {

bool process_alive(pid_t pid) {
  if (pid <= 0) return true;  // unknown: never guess "dead"
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/stat", static_cast<int>(pid));
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return !(errno == ENOENT || errno == ESRCH);
  char buf[512];
  ssize_t n = ::read(fd.get(), buf, sizeof(buf) - 1);
  if (n <= 0) return true;
  buf[n] = '\0';
  // "pid (comm) S ...": the state follows the last ')'.
  const char* rp = std::strrchr(buf, ')');
  if (rp == nullptr || rp[1] != ' ') return true;
  const char state = rp[2];
  return state != 'Z' && state != 'X' && state != 'x';
}

uint32_t SuppOps::optional_ops() const {
  return core::OptionalOp::SuppRecv | core::OptionalOp::SuppSend | core::OptionalOp::ShmUnregister;
}

Result<std::unique_ptr<core::DriverContextData>> SuppOps::open(core::Context& ctx) {
  TRY_STATUS(core_.supp().attach(&ctx));
  return std::unique_ptr<core::DriverContextData>();
}

void SuppOps::release(core::Context& ctx) { core_.supp().detach(&ctx); }

void SuppOps::close_context(core::Context& ctx) { core_.supp().detach(&ctx); }

Status SuppOps::supp_recv(core::Context& ctx, uint32_t& func, core::TeeParams& params) {
  const pid_t pid = ctx.peer().pid;
  return core_.supp().recv(&ctx, func, params, [pid] { return process_alive(pid); });
}

Status SuppOps::supp_send(core::Context& ctx, uint32_t ret, core::TeeParams& params) {
  // SHM_ALLOC(APPL): the supplicant answers with a shm id of its own
  // context in value c; resolve it here, on the supplicant's call, where the
  // context is certainly alive.
  auto on_answer = [&ctx](SuppRequest& req, const core::TeeParams&) {
    if (req.func != static_cast<uint32_t>(RpcCmd::ShmAlloc) || req.params.empty()) return;
    const uint64_t id = req.params[0].value.c;
    if (id > static_cast<uint64_t>(INT32_MAX)) return;
    auto shm = ctx.shm_get(static_cast<int>(id));
    if (shm.ok()) req.alloc_shm = std::move(*shm);
  };
  return core_.supp().send(&ctx, ret, params, on_answer);
}

}  // namespace swtee::optee
