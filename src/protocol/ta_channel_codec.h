// The one codec of the TA channel (ta_channel_wire.h). Both ends decode
// what the other sent as untrusted bytes: the OS decodes TA messages (a TA
// is untrusted code), the TA decodes requests (defence in depth).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"
#include "protocol/ta_channel_link.h"
#include "protocol/ta_channel_wire.h"

namespace swtee::tachan {

// A decoded TA -> OS message. Only the member named by `kind` is meaningful.
struct TaMessage {
  TaMsgKind kind = TaMsgKind::Reply;
  uint32_t seq = 0;
  TaHello hello{};
  TaReply reply{};
  TaPanic panic{};
  uint32_t log_level = 0;
  std::string log_text;
  TaSyscall syscall{};
  // Syscall: the inline input. Points into the buffer that was decoded, so
  // it is valid only as long as that buffer.
  std::span<const uint8_t> syscall_in;
};

// A decoded OS -> TA syscall reply; `out` points into the decoded buffer.
struct SyscallReplyView {
  TaSyscallReply reply{};
  std::span<const uint8_t> out;
};

// Decodes one TA message. EPROTO on any malformation: bad magic, unknown
// kind, body length not exactly what the kind requires, oversized log text;
// for a Syscall also an unknown family, too many fds or too much inline
// data (the caller checks that the fds received equal syscall.num_fds).
[[nodiscard]] Result<TaMessage> decode_ta_message(std::span<const uint8_t> bytes);

// Decodes one request; `num_fds` is how many fds arrived with it. EPROTO on
// a wrong length, bad magic, unknown op/flags/param types, value params
// wider than 32 bits, fds flagged on anything but a non-NULL memref, or a
// flagged-fd count different from num_fds.
// A memref's offset must be 0 and `present` 0 or 1; an fd only comes with
// a present memref.
[[nodiscard]] Result<TaRequest> decode_request(std::span<const uint8_t> bytes, size_t num_fds);

// Decodes a syscall reply (TA side). EPROTO on a wrong magic, any fd, an
// out_len over kMaxSyscallInline or not matching the datagram length.
[[nodiscard]] Result<SyscallReplyView> decode_syscall_reply(std::span<const uint8_t> bytes, size_t num_fds);

// Sends a Syscall message (TA side): sc.in_len and sc.num_fds must equal
// in.size() and fds.size() (EINVAL otherwise, nothing sent).
[[nodiscard]] Status send_syscall(ChannelLink& link, const TaSyscall& sc, std::span<const uint8_t> in,
                                  std::span<const int> fds);
// Sends a syscall reply (OS side); rep.out_len must equal out.size().
[[nodiscard]] Status send_syscall_reply(ChannelLink& link, const TaSyscallReply& rep,
                                        std::span<const uint8_t> out);

// True for the TEE_PARAM_TYPE_* values a request may carry.
[[nodiscard]] bool is_known_param_type(uint32_t t);
[[nodiscard]] bool is_memref_type(uint32_t t);
[[nodiscard]] bool is_value_type(uint32_t t);
// Output or inout (the TA's result travels back).
[[nodiscard]] bool is_output_type(uint32_t t);
// The window a memref of type t lives in: 0 for input (read-only to the
// TA), 1 for output and inout (see ta_channel_wire.h).
[[nodiscard]] size_t window_dir(uint32_t t);

// Sends a TA -> OS message (header + body [+ tail]) as one message.
[[nodiscard]] Status send_ta_message(ChannelLink& link, TaMsgKind kind, uint32_t seq,
                                     std::span<const uint8_t> body, std::span<const uint8_t> tail = {});

// Largest message a TA may send (for receive buffers).
inline constexpr size_t kMaxTaMessage = kMaxTaToOsMessage;
// Largest message the OS sends a TA.
inline constexpr size_t kMaxOsMessage = kMaxOsToTaMessage;

}  // namespace swtee::tachan
