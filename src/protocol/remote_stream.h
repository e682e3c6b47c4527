// Frames of the remote protocol (remote_wire.h) on a stream socket: the
// header is read and checked by the codec before a byte of the body is
// read, so a peer can never make the reader hold more than its type allows.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"
#include "protocol/remote_wire.h"

namespace swtee::remote {

struct Frame {
  FrameHeader hdr{};
  std::vector<uint8_t> body;
  MsgType type() const { return static_cast<MsgType>(hdr.type); }
};

// One whole frame. EPROTO for a header the codec refuses; ECONNRESET at EOF.
[[nodiscard]] Result<Frame> read_frame(int sock);
// The frame as encode_frame laid it out, written whole.
[[nodiscard]] Status write_frame(int sock, std::span<const uint8_t> frame);

}  // namespace swtee::remote
