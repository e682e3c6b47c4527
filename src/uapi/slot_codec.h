// The one codec of the request slot (slot_wire.h): frames and the argument
// buffer. Both ends use it; swteed decodes untrusted requests with it and
// then runs the copy through the UAPI codec like a socket request.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/doorbell.h"
#include "common/result.h"
#include "uapi/slot_wire.h"

namespace swtee::uapi {

struct SlotMessage {
  uint32_t word0 = 0;        // request: ioctl number; reply: rc as u32
  std::vector<uint8_t> arg;  // a private copy of the argument
};

// Writes `arg` into the slot's argument buffer (`slot_arg` is the buffer,
// kSlotArgSize bytes) and returns the frame announcing it. EINVAL if the
// argument does not fit.
Result<DoorbellFrame> encode_slot_request(std::span<uint8_t> slot_arg, uint32_t cmd,
                                          std::span<const uint8_t> arg);
Result<DoorbellFrame> encode_slot_reply(std::span<uint8_t> slot_arg, int32_t rc,
                                        std::span<const uint8_t> arg);

// Reads the message `frame` announces out of `slot_arg` once, into a private
// copy. EINVAL: a length beyond the buffer, or a reserved word that is not
// zero.
Result<SlotMessage> decode_slot_message(const DoorbellFrame& frame, std::span<const uint8_t> slot_arg);
// A reply's rc must be 0 or a negative errno; else EPROTO.
Result<int32_t> slot_reply_rc(const SlotMessage& m);

}  // namespace swtee::uapi
