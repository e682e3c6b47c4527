// libFuzzer target: the UAPI request decoder as swteed runs it on untrusted
// input (framing, per-command argument, parameter validation).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/shm.h"
#include "core/uapi_params.h"
#include "uapi/uapi_codec.h"

using namespace swtee;

namespace {

// Two live ids: 1 (4 KiB) and 2 (0 bytes). Everything else is unknown.
Result<std::shared_ptr<core::Shm>> lookup(int id) {
  static auto a = std::make_shared<core::Shm>(1, core::Shm::Kind::Alloc, UniqueFd(), 4096, nullptr);
  static auto b = std::make_shared<core::Shm>(2, core::Shm::Kind::Alloc, UniqueFd(), 0, nullptr);
  if (id == 1) return a;
  if (id == 2) return b;
  return Error{EINVAL, "bad id"};
}

template <typename Hdr>
void roundtrip(Result<uapi::BufArg<Hdr>> r, bool supp_send) {
  if (!r.ok()) return;
  if (supp_send) {
    (void)core::params_from_supp(r->params);
    return;
  }
  auto p = core::params_from_user(r->params, lookup, core::MemrefNull::Allowed);
  if (!p.ok()) return;
  core::params_to_user(r->params, *p);
  (void)core::params_to_supp(r->params, *p);
  (void)uapi::encode_buf_arg(r->hdr, r->params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> msg(data, size);
  (void)uapi::peek_request_tag(msg);
  (void)uapi::decode_reply_frame(msg);
  auto f = uapi::decode_request_frame(msg);
  if (!f.ok()) return 0;
  auto cmd = uapi::uapi_cmd_from_number(f->hdr.cmd);
  if (!cmd) return 0;
  switch (*cmd) {
    case uapi::UapiCmd::Version:
      (void)uapi::decode_version(f->arg);
      break;
    case uapi::UapiCmd::ShmAlloc:
      (void)uapi::decode_shm_alloc(f->arg);
      break;
    case uapi::UapiCmd::OpenSession:
      roundtrip(uapi::decode_open_session(f->arg), false);
      break;
    case uapi::UapiCmd::Invoke:
      roundtrip(uapi::decode_invoke(f->arg), false);
      break;
    case uapi::UapiCmd::Cancel:
      (void)uapi::decode_cancel(f->arg);
      break;
    case uapi::UapiCmd::CloseSession:
      (void)uapi::decode_close_session(f->arg);
      break;
    case uapi::UapiCmd::SupplRecv:
      roundtrip(uapi::decode_supp_recv(f->arg), false);
      break;
    case uapi::UapiCmd::SupplSend:
      roundtrip(uapi::decode_supp_send(f->arg), true);
      break;
    case uapi::UapiCmd::ShmRegisterFd:
      (void)uapi::decode_shm_register_fd(f->arg);
      break;
    case uapi::UapiCmd::ShmRegister:
      (void)uapi::decode_shm_register(f->arg);
      break;
    case uapi::UapiCmd::ShmRelease:
      (void)uapi::decode_shm_release(f->arg);
      break;
  }
  return 0;
}
