// The remote protocol: a guest's remote driver <-> a host swteed's guest
// acceptor, over a byte stream (Unix socket, TCP or AF_VSOCK). Nothing is
// shared between the two: memref contents travel inside the frames, input
// ranges with the request and output ranges with the reply. The one codec
// is remote_codec.h. Operator docs: docs/remote.md.
//
// Every frame is a FrameHeader followed by `body_len` bytes. All integers
// are little-endian (the host's order: both ends run on x86-64/arm64 LE).
//
// Handshake (the guest speaks first):
//   guest -> Hello
//   host  -> Challenge (TCP only: the guest must prove it holds its key)
//   guest -> Auth      HMAC-SHA256(key, "swtee-remote-v1" || nonce || name)
//   host  -> Welcome   (or Refused, then the host closes the stream)
// The guest id is the host's: it comes from the transport (peer uid, vsock
// CID, or the key that answered the challenge), never from Hello.
//
// Calls (after Welcome), each with a guest-chosen tag echoed by its reply:
//   OpenSession -> CallReply; Invoke -> CallReply; CloseSession -> CloseReply
//   Cancel, CloseContext and GuestBye have no reply.
// `context` is the guest core's context id; the host creates a context of
// its own on the first OpenSession that names it and closes it on
// CloseContext or when the stream ends (which ends everything the guest
// held).
//
// Params (WireParam): values carry a, b, c. A memref carries its size in
// `a` and the length of the bytes that follow for it in `b`: a request
// carries exactly `a` bytes for MEMREF_INPUT/INOUT and none for OUTPUT; a
// reply carries, for OUTPUT/INOUT, the size the TEE returned in `a` and,
// when that fits the original size, that many bytes (else none: the TEE
// asked for a larger buffer, TEE_ERROR_SHORT_BUFFER). The data of all
// params follows the param array, in param order.
#pragma once

#include <cstdint>

namespace swtee::remote {

inline constexpr uint32_t kMagic = 0x52545753;  // "SWTR"
inline constexpr uint32_t kVersion = 1;

enum class MsgType : uint16_t {
  Hello = 1,
  Challenge = 2,
  Auth = 3,
  Welcome = 4,
  Refused = 5,
  OpenSession = 16,
  Invoke = 17,
  CloseSession = 18,
  Cancel = 19,
  CloseContext = 20,
  GuestBye = 21,
  CallReply = 32,
  CloseReply = 33,
};

struct FrameHeader {
  uint32_t magic;     // kMagic
  uint16_t type;      // MsgType
  uint16_t flags;     // 0
  uint32_t body_len;  // bytes after the header; at most kMaxBody (and the type's own bound)
  uint32_t reserved;  // 0
  uint64_t tag;       // chosen by the guest, echoed by the reply; 0 in the handshake
};
static_assert(sizeof(FrameHeader) == 24);

inline constexpr uint32_t kNameLen = 32;

struct HelloBody {
  uint32_t version;     // kVersion
  uint32_t flags;       // 0
  char name[kNameLen];  // for logs only; NUL-padded, printable
};
static_assert(sizeof(HelloBody) == 40);

inline constexpr uint32_t kNonceLen = 32;
inline constexpr uint32_t kMacLen = 32;

struct ChallengeBody {
  uint8_t nonce[kNonceLen];
};
static_assert(sizeof(ChallengeBody) == 32);

struct AuthBody {
  uint8_t mac[kMacLen];
};
static_assert(sizeof(AuthBody) == 32);

struct WelcomeBody {
  uint32_t version;   // kVersion
  uint32_t guest_id;  // what the host calls this guest (logs)
  uint32_t impl_id;   // the host TEE's VERSION
  uint32_t impl_caps;
  uint32_t gen_caps;
  uint32_t reserved;
};
static_assert(sizeof(WelcomeBody) == 24);

struct RefusedBody {
  int32_t err;  // errno: EACCES (unknown or failed identity), EBUSY (already connected), EPROTO
  uint32_t reserved;
};
static_assert(sizeof(RefusedBody) == 8);

// Param types are the UAPI's TEE_IOCTL_PARAM_ATTR_TYPE_* values.
inline constexpr uint32_t kParamNone = 0;
inline constexpr uint32_t kParamValueInput = 1;
inline constexpr uint32_t kParamValueOutput = 2;
inline constexpr uint32_t kParamValueInout = 3;
inline constexpr uint32_t kParamMemrefInput = 5;
inline constexpr uint32_t kParamMemrefOutput = 6;
inline constexpr uint32_t kParamMemrefInout = 7;
// WireParam.flags: the memref is a NULL memref (TEE_MEMREF_NULL): no
// buffer, only a size.
inline constexpr uint32_t kParamFlagNull = 1u << 0;

struct WireParam {
  uint32_t type;
  uint32_t flags;
  uint64_t a;
  uint64_t b;
  uint64_t c;  // values only; 0 for memrefs
};
static_assert(sizeof(WireParam) == 32);

struct OpenSessionBody {
  uint64_t context;
  uint8_t uuid[16];       // TA
  uint8_t clnt_uuid[16];  // as the guest's core computed it
  uint32_t clnt_login;
  uint32_t cancel_id;
  uint32_t num_params;
  uint32_t reserved;
};
static_assert(sizeof(OpenSessionBody) == 56);

struct InvokeBody {
  uint64_t context;
  uint32_t session;
  uint32_t func;
  uint32_t cancel_id;
  uint32_t num_params;
};
static_assert(sizeof(InvokeBody) == 24);

struct CloseSessionBody {
  uint64_t context;
  uint32_t session;
  uint32_t reserved;
};
static_assert(sizeof(CloseSessionBody) == 16);

struct CancelBody {
  uint64_t context;
  uint32_t session;  // 0: an open-session in progress
  uint32_t cancel_id;
};
static_assert(sizeof(CancelBody) == 16);

struct CloseContextBody {
  uint64_t context;
};
static_assert(sizeof(CloseContextBody) == 8);

struct CallReplyBody {
  int32_t rc;  // 0, or -errno: the host could not make the call (then no params)
  uint32_t ret;
  uint32_t ret_origin;
  uint32_t session;  // OpenSession's new session; 0 otherwise
  uint32_t num_params;
  uint32_t reserved;
};
static_assert(sizeof(CallReplyBody) == 24);

struct CloseReplyBody {
  int32_t rc;
  uint32_t reserved;
};
static_assert(sizeof(CloseReplyBody) == 8);

// Limits. Both ends enforce them: a frame over any of them ends the stream
// (host) or fails the call before it is sent (guest).
inline constexpr uint32_t kMaxParams = 8;
// Memref bytes one frame carries, all params together.
inline constexpr uint64_t kMaxMemrefBytes = 16u << 20;
// Largest body of any frame: the largest call header, the params, the data.
inline constexpr uint64_t kMaxBody =
    sizeof(OpenSessionBody) + kMaxParams * sizeof(WireParam) + kMaxMemrefBytes;
// Calls one guest may have in flight at the host (more: EBUSY).
inline constexpr uint32_t kMaxInflightPerGuest = 64;
// Contexts one guest may hold at the host at once (more: EMFILE).
inline constexpr uint32_t kMaxContextsPerGuest = 256;

}  // namespace swtee::remote
