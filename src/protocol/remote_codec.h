// The one codec of the remote protocol (remote_wire.h). The guest's remote
// driver and the host's guest acceptor both encode and decode with it.
// Every decoder takes untrusted bytes and checks every field and length
// against the limits in remote_wire.h with overflow-safe arithmetic;
// decoded params point into the caller's body buffer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "protocol/remote_wire.h"

namespace swtee::remote {

// A param as the codec sees it. For memrefs, `b` is the length of `data`.
struct Param {
  uint32_t type = kParamNone;
  uint32_t flags = 0;
  uint64_t a = 0, b = 0, c = 0;
  std::span<const uint8_t> data;  // memref bytes carried by this frame
};

constexpr bool param_is_memref(uint32_t t) {
  return t == kParamMemrefInput || t == kParamMemrefOutput || t == kParamMemrefInout;
}
constexpr bool param_is_value(uint32_t t) {
  return t == kParamValueInput || t == kParamValueOutput || t == kParamValueInout;
}
// Input travels with the request, output with the reply.
constexpr bool param_is_input(uint32_t t) {
  return t == kParamValueInput || t == kParamValueInout || t == kParamMemrefInput || t == kParamMemrefInout;
}
constexpr bool param_is_output(uint32_t t) {
  return t == kParamValueOutput || t == kParamValueInout || t == kParamMemrefOutput || t == kParamMemrefInout;
}

// ---- frames ----

// Magic, known type, flags/reserved 0, body_len within the type's bound.
[[nodiscard]] Result<FrameHeader> decode_header(std::span<const uint8_t> bytes);
// Largest body a frame of this type may have (0 for an unknown type).
uint64_t max_body(MsgType type);

// One frame: header, the fixed body struct, params (their `b` set from the
// data length for memrefs) and the params' data. Memref params with `b` >
// 0 and no `data` get zeroed room the caller fills in place: their offsets
// into the frame are appended to `data_at` when given.
std::vector<uint8_t> encode_frame(MsgType type, uint64_t tag, std::span<const uint8_t> fixed,
                                  std::span<const Param> params = {}, std::vector<size_t>* data_at = nullptr);

template <typename T>
std::vector<uint8_t> encode_fixed(MsgType type, uint64_t tag, const T& body,
                                  std::span<const Param> params = {},
                                  std::vector<size_t>* data_at = nullptr) {
  return encode_frame(type, tag, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&body), sizeof(T)),
                      params, data_at);
}

// ---- handshake ----

std::vector<uint8_t> encode_hello(std::string_view name);
[[nodiscard]] Result<HelloBody> decode_hello(std::span<const uint8_t> body);
// The name from a decoded Hello (printable by construction).
std::string hello_name(const HelloBody& h);
[[nodiscard]] Result<ChallengeBody> decode_challenge(std::span<const uint8_t> body);
[[nodiscard]] Result<AuthBody> decode_auth(std::span<const uint8_t> body);
[[nodiscard]] Result<WelcomeBody> decode_welcome(std::span<const uint8_t> body);
[[nodiscard]] Result<RefusedBody> decode_refused(std::span<const uint8_t> body);

// ---- calls ----

struct OpenSessionMsg {
  OpenSessionBody fixed{};
  std::vector<Param> params;
};
struct InvokeMsg {
  InvokeBody fixed{};
  std::vector<Param> params;
};
struct CallReplyMsg {
  CallReplyBody fixed{};
  std::vector<Param> params;
};

// Requests: a memref carries exactly its size in bytes if it is an input
// (none if NULL or output); the sizes of all non-NULL memrefs together are
// at most kMaxMemrefBytes (the host holds that much for the call).
[[nodiscard]] Result<OpenSessionMsg> decode_open_session(std::span<const uint8_t> body);
[[nodiscard]] Result<InvokeMsg> decode_invoke(std::span<const uint8_t> body);
[[nodiscard]] Result<CloseSessionBody> decode_close_session(std::span<const uint8_t> body);
[[nodiscard]] Result<CancelBody> decode_cancel(std::span<const uint8_t> body);
[[nodiscard]] Result<CloseContextBody> decode_close_context(std::span<const uint8_t> body);
// Replies: an output memref carries either no bytes or exactly its returned
// size; no params at all when rc != 0. Checked against the request by the
// driver (the codec cannot know the original sizes).
[[nodiscard]] Result<CallReplyMsg> decode_call_reply(std::span<const uint8_t> body);
[[nodiscard]] Result<CloseReplyBody> decode_close_reply(std::span<const uint8_t> body);

// Payload bytes of the memrefs a frame with these params carries.
uint64_t data_bytes(std::span<const Param> params);

}  // namespace swtee::remote
