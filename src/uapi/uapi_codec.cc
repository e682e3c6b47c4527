#include "uapi/uapi_codec.h"

#include <array>

#include "common/checked_math.h"
#include "uapi/slot_wire.h"

namespace swtee::uapi {
namespace {

struct CmdInfo {
  UapiCmd cmd;
  uint32_t number;
  const char* name;
  bool via_slot;  // may travel in a request slot (slot_wire.h): no fd either way
};

// Indexed by UapiCmd; checked below.
constexpr std::array<CmdInfo, kNumUapiCmds> kCmds{{
    {UapiCmd::Version, TEE_IOC_VERSION, "VERSION", true},
    {UapiCmd::ShmAlloc, TEE_IOC_SHM_ALLOC, "SHM_ALLOC", false},  // the reply carries the memfd
    {UapiCmd::OpenSession, TEE_IOC_OPEN_SESSION, "OPEN_SESSION", true},
    {UapiCmd::Invoke, TEE_IOC_INVOKE, "INVOKE", true},
    {UapiCmd::Cancel, TEE_IOC_CANCEL, "CANCEL", true},
    {UapiCmd::CloseSession, TEE_IOC_CLOSE_SESSION, "CLOSE_SESSION", true},
    {UapiCmd::SupplRecv, TEE_IOC_SUPPL_RECV, "SUPPL_RECV", true},
    {UapiCmd::SupplSend, TEE_IOC_SUPPL_SEND, "SUPPL_SEND", true},
    {UapiCmd::ShmRegisterFd, TEE_IOC_SHM_REGISTER_FD, "SHM_REGISTER_FD", false},  // the request carries one
    {UapiCmd::ShmRegister, TEE_IOC_SHM_REGISTER, "SHM_REGISTER", true},
    {UapiCmd::ShmRelease, SWTEE_IOC_SHM_RELEASE, "SHM_RELEASE", true},
    {UapiCmd::SlotOpen, SWTEE_IOC_SLOT_OPEN, "SLOT_OPEN", false},  // the reply carries the slot
}};

constexpr bool table_is_indexed() {
  for (size_t i = 0; i < kCmds.size(); ++i)
    if (static_cast<size_t>(kCmds[i].cmd) != i) return false;
  return true;
}
static_assert(table_is_indexed(), "kCmds must be indexed by UapiCmd");

template <typename T>
Result<T> decode_exact(std::span<const uint8_t> arg) {
  if (arg.size() != sizeof(T)) return Error{EINVAL, "argument length"};
  T v{};
  std::memcpy(&v, arg.data(), sizeof(T));
  return v;
}

enum class LengthRule : uint8_t { Exact, AtLeast };

template <typename Hdr>
Result<BufArg<Hdr>> decode_buf(std::span<const uint8_t> arg, LengthRule rule) {
  if (arg.size() > TEE_MAX_ARG_SIZE || arg.size() < sizeof(Hdr)) return Error{EINVAL, "buf length"};
  BufArg<Hdr> out;
  std::memcpy(&out.hdr, arg.data(), sizeof(Hdr));
  auto body = checked_mul<uint64_t>(out.hdr.num_params, sizeof(tee_ioctl_param));
  auto need = body ? checked_add<uint64_t>(*body, sizeof(Hdr)) : std::nullopt;
  if (!need) return Error{EINVAL, "num_params overflow"};
  switch (rule) {
    case LengthRule::Exact:
      if (*need != arg.size()) return Error{EINVAL, "buf length != header + n*32"};
      break;
    case LengthRule::AtLeast:
      if (*need > arg.size()) return Error{EINVAL, "buf length < header + n*32"};
      break;
  }
  out.params.resize(out.hdr.num_params);
  if (out.hdr.num_params != 0)
    std::memcpy(out.params.data(), arg.data() + sizeof(Hdr), out.params.size() * sizeof(tee_ioctl_param));
  return out;
}

}  // namespace

std::optional<UapiCmd> uapi_cmd_from_number(uint32_t number) {
  for (const CmdInfo& c : kCmds)
    if (c.number == number) return c.cmd;
  return std::nullopt;
}

uint32_t uapi_cmd_number(UapiCmd cmd) { return kCmds[static_cast<size_t>(cmd)].number; }
const char* uapi_cmd_name(UapiCmd cmd) { return kCmds[static_cast<size_t>(cmd)].name; }
bool uapi_cmd_via_slot(UapiCmd cmd) { return kCmds[static_cast<size_t>(cmd)].via_slot; }

std::optional<uint32_t> peek_request_tag(std::span<const uint8_t> msg) {
  if (msg.size() < sizeof(swtee_uapi_req_hdr)) return std::nullopt;
  uint32_t tag = 0;
  std::memcpy(&tag, msg.data() + offsetof(swtee_uapi_req_hdr, tag), sizeof(tag));
  return tag;
}

Result<RequestFrame> decode_request_frame(std::span<const uint8_t> msg) {
  if (msg.size() < sizeof(swtee_uapi_req_hdr)) return Error{EINVAL, "short request"};
  RequestFrame f;
  std::memcpy(&f.hdr, msg.data(), sizeof(f.hdr));
  if (f.hdr.flags != 0) return Error{EINVAL, "request flags"};
  if (f.hdr.len > TEE_MAX_ARG_SIZE) return Error{EINVAL, "request too long"};
  if (f.hdr.len != msg.size() - sizeof(swtee_uapi_req_hdr)) return Error{EINVAL, "request length mismatch"};
  f.arg = msg.subspan(sizeof(swtee_uapi_req_hdr));
  return f;
}

swtee_uapi_req_hdr make_request_header(uint32_t cmd, uint32_t tag, size_t arg_len) {
  return swtee_uapi_req_hdr{cmd, static_cast<uint32_t>(arg_len), tag, 0};
}

Result<ReplyFrame> decode_reply_frame(std::span<const uint8_t> msg) {
  if (msg.size() < sizeof(swtee_uapi_resp_hdr)) return Error{EPROTO, "short reply"};
  ReplyFrame f;
  std::memcpy(&f.hdr, msg.data(), sizeof(f.hdr));
  if (f.hdr.flags != 0 || f.hdr.rc > 0 || f.hdr.len > TEE_MAX_ARG_SIZE ||
      f.hdr.len != msg.size() - sizeof(swtee_uapi_resp_hdr))
    return Error{EPROTO, "malformed reply"};
  f.arg = msg.subspan(sizeof(swtee_uapi_resp_hdr));
  return f;
}

swtee_uapi_resp_hdr make_reply_header(int32_t rc, uint32_t tag, size_t arg_len) {
  return swtee_uapi_resp_hdr{rc, static_cast<uint32_t>(arg_len), tag, 0};
}

Status decode_version(std::span<const uint8_t> arg) {
  if (!arg.empty() && arg.size() != sizeof(tee_ioctl_version_data)) return Error{EINVAL, "version length"};
  return ok_status();
}

Result<tee_ioctl_shm_alloc_data> decode_shm_alloc(std::span<const uint8_t> arg) {
  ASSIGN_OR_RETURN(auto d, decode_exact<tee_ioctl_shm_alloc_data>(arg));
  if (d.flags != 0) return Error{EINVAL, "shm alloc flags"};
  return d;
}

Result<tee_ioctl_shm_register_fd_data> decode_shm_register_fd(std::span<const uint8_t> arg) {
  ASSIGN_OR_RETURN(auto d, decode_exact<tee_ioctl_shm_register_fd_data>(arg));
  if (d.flags != 0) return Error{EINVAL, "shm register fd flags"};
  return d;
}

Result<tee_ioctl_shm_register_data> decode_shm_register(std::span<const uint8_t> arg) {
  ASSIGN_OR_RETURN(auto d, decode_exact<tee_ioctl_shm_register_data>(arg));
  if (d.flags != 0) return Error{EINVAL, "shm register flags"};
  return d;
}

Result<tee_ioctl_cancel_arg> decode_cancel(std::span<const uint8_t> arg) {
  return decode_exact<tee_ioctl_cancel_arg>(arg);
}

Result<tee_ioctl_close_session_arg> decode_close_session(std::span<const uint8_t> arg) {
  return decode_exact<tee_ioctl_close_session_arg>(arg);
}

Result<swtee_ioctl_shm_release_arg> decode_shm_release(std::span<const uint8_t> arg) {
  return decode_exact<swtee_ioctl_shm_release_arg>(arg);
}

Status decode_slot_open(std::span<const uint8_t> arg) {
  ASSIGN_OR_RETURN(auto a, decode_exact<swtee_ioctl_slot_open_arg>(arg));
  if (a.size != 0 || a.flags != 0) return Error{EINVAL, "SLOT_OPEN: size and flags must be 0"};
  return ok_status();
}

Result<BufArg<tee_ioctl_open_session_arg>> decode_open_session(std::span<const uint8_t> arg) {
  return decode_buf<tee_ioctl_open_session_arg>(arg, LengthRule::Exact);
}

Result<BufArg<tee_ioctl_invoke_arg>> decode_invoke(std::span<const uint8_t> arg) {
  return decode_buf<tee_ioctl_invoke_arg>(arg, LengthRule::Exact);
}

Result<BufArg<tee_iocl_supp_recv_arg>> decode_supp_recv(std::span<const uint8_t> arg) {
  return decode_buf<tee_iocl_supp_recv_arg>(arg, LengthRule::Exact);
}

Result<BufArg<tee_iocl_supp_send_arg>> decode_supp_send(std::span<const uint8_t> arg) {
  return decode_buf<tee_iocl_supp_send_arg>(arg, LengthRule::AtLeast);
}

}  // namespace swtee::uapi
