// What swteed does with one UAPI request once it has it as bytes (from a
// socket datagram or out of a request slot): the command's argument decoder
// and the parameter validation, against two live shm ids. Shared by the
// fuzz targets of both transports.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "core/shm.h"
#include "core/uapi_params.h"
#include "uapi/uapi_codec.h"

namespace swtee::fuzz {

// Two live ids: 1 (4 KiB) and 2 (0 bytes). Everything else is unknown.
inline Result<std::shared_ptr<core::Shm>> lookup(int id) {
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

inline void decode_command(uapi::UapiCmd cmd, std::span<const uint8_t> arg) {
  switch (cmd) {
    case uapi::UapiCmd::Version:
      (void)uapi::decode_version(arg);
      break;
    case uapi::UapiCmd::ShmAlloc:
      (void)uapi::decode_shm_alloc(arg);
      break;
    case uapi::UapiCmd::OpenSession:
      roundtrip(uapi::decode_open_session(arg), false);
      break;
    case uapi::UapiCmd::Invoke:
      roundtrip(uapi::decode_invoke(arg), false);
      break;
    case uapi::UapiCmd::Cancel:
      (void)uapi::decode_cancel(arg);
      break;
    case uapi::UapiCmd::CloseSession:
      (void)uapi::decode_close_session(arg);
      break;
    case uapi::UapiCmd::SupplRecv:
      roundtrip(uapi::decode_supp_recv(arg), false);
      break;
    case uapi::UapiCmd::SupplSend:
      roundtrip(uapi::decode_supp_send(arg), true);
      break;
    case uapi::UapiCmd::ShmRegisterFd:
      (void)uapi::decode_shm_register_fd(arg);
      break;
    case uapi::UapiCmd::ShmRegister:
      (void)uapi::decode_shm_register(arg);
      break;
    case uapi::UapiCmd::ShmRelease:
      (void)uapi::decode_shm_release(arg);
      break;
    case uapi::UapiCmd::SlotOpen:
      (void)uapi::decode_slot_open(arg);
      break;
  }
}

}  // namespace swtee::fuzz
