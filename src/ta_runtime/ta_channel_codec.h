// The one codec of the TA channel (ta_channel_wire.h). Both ends decode
// what the other sent as untrusted bytes: the OS decodes TA messages (a TA
// is untrusted code), the TA decodes requests (defence in depth).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/result.h"
#include "ta_runtime/ta_channel_wire.h"

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
};

// Decodes one TA message. EPROTO on any malformation: bad magic, unknown
// kind, body length not exactly what the kind requires, oversized log text.
[[nodiscard]] Result<TaMessage> decode_ta_message(std::span<const uint8_t> bytes);

// Decodes one request; `num_fds` is how many fds arrived with it. EPROTO on
// a wrong length, bad magic, unknown op/flags/param types, value params
// wider than 32 bits, fds flagged on anything but a non-NULL memref, or a
// flagged-fd count different from num_fds.
[[nodiscard]] Result<TaRequest> decode_request(std::span<const uint8_t> bytes, size_t num_fds);

// True for the TEE_PARAM_TYPE_* values a request may carry.
[[nodiscard]] bool is_known_param_type(uint32_t t);
[[nodiscard]] bool is_memref_type(uint32_t t);
[[nodiscard]] bool is_value_type(uint32_t t);
// Output or inout (the TA's result travels back).
[[nodiscard]] bool is_output_type(uint32_t t);

// Sends a TA -> OS message (header + body [+ tail]) as one datagram.
[[nodiscard]] Status send_ta_message(int sock, TaMsgKind kind, uint32_t seq, std::span<const uint8_t> body,
                                     std::span<const uint8_t> tail = {});

// Largest datagram a TA may send (for receive buffers).
inline constexpr size_t kMaxTaMessage = sizeof(TaMsgHeader) + sizeof(TaLog) + kMaxLogText;

}  // namespace swtee::tachan
