// libFuzzer target: a request slot (uapi/slot_wire.h) as swteed reads it
// from a hostile client: the doorbell frame's eight words (the first 64
// bytes of the input) and the argument buffer (the rest, in a buffer of the
// slot's size), read once, then decoded like a socket request. Replies go
// through the same codec and are read back.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "core/fuzz/uapi_fuzz_decode.h"
#include "uapi/slot_codec.h"
#include "uapi/uapi_codec.h"

using namespace swtee;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DoorbellFrame frame{};
  const size_t head = std::min(size, sizeof(frame));
  std::memcpy(frame.data(), data, head);
  std::array<uint8_t, uapi::kSlotArgSize> buf{};
  const size_t body = std::min(size - head, buf.size());
  if (body > 0) std::memcpy(buf.data(), data + head, body);

  auto req = uapi::decode_slot_message(frame, buf);
  if (!req.ok()) return 0;
  (void)uapi::slot_reply_rc(*req);
  auto cmd = uapi::uapi_cmd_from_number(req->word0);
  if (cmd && uapi::uapi_cmd_via_slot(*cmd)) fuzz::decode_command(*cmd, req->arg);
  // The reply path: encode what was read as a reply and decode it again.
  auto rf = uapi::encode_slot_reply(buf, -static_cast<int32_t>(req->word0 % 4096), req->arg);
  if (rf.ok()) {
    auto back = uapi::decode_slot_message(*rf, buf);
    if (!back.ok() || back->arg != req->arg || !uapi::slot_reply_rc(*back).ok()) __builtin_trap();
  }
  return 0;
}
