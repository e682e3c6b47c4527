#include "drivers/optee/os_status_query.h"

#include <unistd.h>

#include <string>

#include "common/shm_file.h"
#include "drivers/optee/param_codec.h"
#include "protocol/gp_results.h"
#include "protocol/os_status_codec.h"

namespace swtee::optee {
namespace {

// Whole pages, room for the largest report.
constexpr uint64_t kBufSize = 32 * 1024;
static_assert(kBufSize >= osstat::kMaxReportBytes);

Error gp_error(const char* what, uint32_t ret, uint32_t origin) {
  return Error{EIO, what,
               fmt::format("stats PTA answered {:#010x} ({}) origin {}", ret, gp_result_name(ret),
                           gp_origin_name(origin))};
}

}  // namespace

Result<uint64_t> OsStatusQuery::buffer_cookie() {
  if (!buf_) {
    ASSIGN_OR_RETURN(UniqueFd fd, create_sealed_memfd("swtee-os-status", kBufSize));
    auto shm = std::make_shared<core::Shm>(0, core::Shm::Kind::Alloc, std::move(fd), kBufSize, nullptr);
    shm->set_release_hook([](void* drv, core::Shm& s) { static_cast<DriverCore*>(drv)->shm_released(s); },
                          &core_);
    buf_ = std::move(shm);
  }
  core::TeeResult res;
  const uint64_t cookie = core_.ensure_registered(*buf_, res);
  if (cookie == 0) return gp_error("register the report buffer", res.ret, res.ret_origin);
  return cookie;
}

Result<std::vector<uint8_t>> OsStatusQuery::run() {
  MutexLock l(mu_);
  if (!core_.conduit().alive()) return Error{ENOTCONN, "query the trusted OS", "it is not running"};
  ASSIGN_OR_RETURN(const uint64_t cookie, buffer_cookie());

  Uuid pta;
  pta.octets = osstat::kStatsPtaUuid;
  MsgCall open;
  open.hdr.cmd = static_cast<uint32_t>(MsgCmd::OpenSession);
  open.params.push_back(uuid_meta_param(pta, 0));
  open.params.push_back(uuid_meta_param(Uuid::nil(), kLoginReeKernel));
  TRY_STATUS(core_.path().call(open));
  if (open.hdr.ret != kTeeSuccess)
    return gp_error("open a stats PTA session", open.hdr.ret, open.hdr.ret_origin);

  MsgCall invoke;
  invoke.hdr.cmd = static_cast<uint32_t>(MsgCmd::InvokeCommand);
  invoke.hdr.func = osstat::kStatsCmdStatus;
  invoke.hdr.session = open.hdr.session;
  MsgParam out{};
  out.attr = kAttrTypeRmemOutput;
  out.u.rmem = {0, kBufSize, cookie};
  invoke.params.push_back(out);
  Status st = core_.path().call(invoke);

  MsgCall close;
  close.hdr.cmd = static_cast<uint32_t>(MsgCmd::CloseSession);
  close.hdr.session = open.hdr.session;
  (void)core_.path().call(close);

  TRY_STATUS(st);
  if (invoke.hdr.ret != kTeeSuccess) return gp_error("invoke STATUS", invoke.hdr.ret, invoke.hdr.ret_origin);
  if (invoke.params.size() != 1 || invoke.params[0].attr != kAttrTypeRmemOutput ||
      invoke.params[0].u.rmem.size > kBufSize)
    return Error{EPROTO, "invoke STATUS", "malformed answer"};
  // Read the shared buffer once, then check the copy.
  std::vector<uint8_t> report(static_cast<size_t>(invoke.params[0].u.rmem.size));
  const ssize_t n = ::pread(buf_->fd(), report.data(), report.size(), 0);
  if (n < 0) return Error::from_errno("pread", "reading the OS status report");
  if (static_cast<size_t>(n) != report.size()) return Error{EIO, "pread", "short OS status report"};
  if (auto decoded = osstat::decode(report); !decoded.ok()) return decoded.error().in("OS status report");
  return report;
}

}  // namespace swtee::optee
