#include "uapi/slot_codec.h"

#include <cstring>

namespace swtee::uapi {
namespace {

Result<DoorbellFrame> encode(std::span<uint8_t> slot_arg, uint32_t word0, std::span<const uint8_t> arg) {
  if (slot_arg.size() < kSlotArgSize) return Error{EINVAL, "slot buffer too small"};
  if (arg.size() > kSlotArgSize) return Error{EINVAL, "argument larger than a slot"};
  if (!arg.empty()) std::memcpy(slot_arg.data(), arg.data(), arg.size());
  DoorbellFrame f{};
  f[kSlotWordCmd] = word0;
  f[kSlotWordLen] = arg.size();
  return f;
}

}  // namespace

Result<DoorbellFrame> encode_slot_request(std::span<uint8_t> slot_arg, uint32_t cmd,
                                          std::span<const uint8_t> arg) {
  return encode(slot_arg, cmd, arg);
}

Result<DoorbellFrame> encode_slot_reply(std::span<uint8_t> slot_arg, int32_t rc,
                                        std::span<const uint8_t> arg) {
  return encode(slot_arg, static_cast<uint32_t>(rc), arg);
}

Result<SlotMessage> decode_slot_message(const DoorbellFrame& frame, std::span<const uint8_t> slot_arg) {
  // `frame` is already the reader's snapshot (DoorbellEnd::wait copies it).
  if (frame[kSlotWordCmd] > UINT32_MAX) return Error{EINVAL, "slot frame: word 0 beyond 32 bits"};
  for (size_t i = kSlotFirstReservedWord; i < kDoorbellWords; ++i)
    if (frame[i] != 0) return Error{EINVAL, "slot frame: reserved word set"};
  const uint64_t len = frame[kSlotWordLen];
  if (len > kSlotArgSize || len > slot_arg.size())
    return Error{EINVAL, "slot frame: length beyond the buffer"};
  SlotMessage m;
  m.word0 = static_cast<uint32_t>(frame[kSlotWordCmd]);
  // The one read of the shared buffer.
  m.arg.resize(len);
  if (len > 0) std::memcpy(m.arg.data(), slot_arg.data(), len);
  return m;
}

Result<int32_t> slot_reply_rc(const SlotMessage& m) {
  const auto rc = static_cast<int32_t>(m.word0);
  if (rc > 0 || rc < -4095) return Error{EPROTO, "slot reply: rc is no errno"};
  return rc;
}

}  // namespace swtee::uapi
