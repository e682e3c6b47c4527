// The one codec of the UAPI wire (include/swtee/uapi/tee.h): request and
// reply framing, and a decoder for each command's argument that applies the
// kernel's validation rules. swteed decodes with it; libteec and the
// supplicant encode through it (via UapiClient).
//
// Every decoder copies what it returns out of the message (a snapshot), so
// nothing validated here is read from the wire again.
#pragma once

#include <swtee/uapi/tee.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "common/result.h"

namespace swtee::uapi {

// The commands of the UAPI. Keyed dispatch tables use this enum; the wire
// carries the Linux ioctl numbers.
enum class UapiCmd : uint8_t {
  Version,
  ShmAlloc,
  OpenSession,
  Invoke,
  Cancel,
  CloseSession,
  SupplRecv,
  SupplSend,
  ShmRegisterFd,
  ShmRegister,
  ShmRelease,
  SlotOpen,
};
inline constexpr size_t kNumUapiCmds = 12;

// nullopt for a number that is no UAPI command.
std::optional<UapiCmd> uapi_cmd_from_number(uint32_t number);
uint32_t uapi_cmd_number(UapiCmd cmd);
const char* uapi_cmd_name(UapiCmd cmd);
// Whether the command may travel in a request slot (slot_wire.h): it
// carries no fd and gets none back.
bool uapi_cmd_via_slot(UapiCmd cmd);

// Tag 0 is never used by a client: the server answers a message it cannot
// attribute (too short for a header, truncated) with tag 0.
inline constexpr uint32_t kUnattributedTag = 0;

// ---- framing ----

struct RequestFrame {
  swtee_uapi_req_hdr hdr{};
  std::span<const uint8_t> arg;  // views the message buffer
};

// The tag of a message that carries at least a whole header.
std::optional<uint32_t> peek_request_tag(std::span<const uint8_t> msg);
// Header present, hdr.len == bytes that follow, len <= TEE_MAX_ARG_SIZE,
// flags == 0; else EINVAL.
Result<RequestFrame> decode_request_frame(std::span<const uint8_t> msg);
swtee_uapi_req_hdr make_request_header(uint32_t cmd, uint32_t tag, size_t arg_len);

struct ReplyFrame {
  swtee_uapi_resp_hdr hdr{};
  std::span<const uint8_t> arg;
};
// Same framing rules for a reply; rc must be 0 or a negative errno.
Result<ReplyFrame> decode_reply_frame(std::span<const uint8_t> msg);
swtee_uapi_resp_hdr make_reply_header(int32_t rc, uint32_t tag, size_t arg_len);

// ---- fixed-size arguments (exact length; reserved flags must be 0) ----

// VERSION is _IOR: the input is not read. Accepts an empty argument or one
// of sizeof(tee_ioctl_version_data).
Status decode_version(std::span<const uint8_t> arg);
Result<tee_ioctl_shm_alloc_data> decode_shm_alloc(std::span<const uint8_t> arg);
Result<tee_ioctl_shm_register_fd_data> decode_shm_register_fd(std::span<const uint8_t> arg);
Result<tee_ioctl_shm_register_data> decode_shm_register(std::span<const uint8_t> arg);
Result<tee_ioctl_cancel_arg> decode_cancel(std::span<const uint8_t> arg);
Result<tee_ioctl_close_session_arg> decode_close_session(std::span<const uint8_t> arg);
Result<swtee_ioctl_shm_release_arg> decode_shm_release(std::span<const uint8_t> arg);
// SLOT_OPEN: exact length, size and flags 0.
Status decode_slot_open(std::span<const uint8_t> arg);

// ---- buf_data arguments: a header struct followed by num_params params ----

template <typename Hdr>
struct BufArg {
  std::vector<tee_ioctl_param> params;  // raw, not yet validated (see core/uapi_params.h)
  Hdr hdr{};                            // num_params == params.size()
};

// Length must be exactly header + num_params * 32 and <= TEE_MAX_ARG_SIZE.
Result<BufArg<tee_ioctl_open_session_arg>> decode_open_session(std::span<const uint8_t> arg);
Result<BufArg<tee_ioctl_invoke_arg>> decode_invoke(std::span<const uint8_t> arg);
Result<BufArg<tee_iocl_supp_recv_arg>> decode_supp_recv(std::span<const uint8_t> arg);
// SUPPL_SEND: header + num_params * 32 must be <= length (the kernel's rule).
Result<BufArg<tee_iocl_supp_send_arg>> decode_supp_send(std::span<const uint8_t> arg);

// Lays out header + params as the ioctl's buffer (num_params is set from
// params.size()).
template <typename Hdr>
std::vector<uint8_t> encode_buf_arg(const Hdr& hdr, std::span<const tee_ioctl_param> params) {
  Hdr h = hdr;
  h.num_params = static_cast<uint32_t>(params.size());
  std::vector<uint8_t> out(sizeof(Hdr) + params.size() * sizeof(tee_ioctl_param));
  std::memcpy(out.data(), &h, sizeof(Hdr));
  if (!params.empty())
    std::memcpy(out.data() + sizeof(Hdr), params.data(), params.size() * sizeof(tee_ioctl_param));
  return out;
}

// Any fixed-size struct as bytes (replies of fixed-size commands).
template <typename T>
std::vector<uint8_t> encode_struct(const T& v) {
  std::vector<uint8_t> out(sizeof(T));
  std::memcpy(out.data(), &v, sizeof(T));
  return out;
}

}  // namespace swtee::uapi
